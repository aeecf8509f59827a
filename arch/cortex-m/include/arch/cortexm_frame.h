/* SPDX-License-Identifier: Apache-2.0 OR MIT */
/*
 * Where a process's hardware exception frame may lie: the eight words the Cortex-M stacks at
 * psp on every exception from thread mode. The kernel reads or writes a frame only after
 * cortexm_frame_fits said yes for the process's current bounds.
 *
 * The bounds are reduced once (at each switch) to a window, so the check on every syscall is
 * one subtraction, one compare and an alignment test: [psp, psp + 32) lies inside
 * [mem_start, app_brk) and psp is word aligned exactly when psp - mem_start <= span (unsigned,
 * so psp below mem_start wraps to a large value and fails) and psp & 3 == 0.
 */
#pragma once

#include <stdbool.h>
#include <stdint.h>

#define CORTEXM_FRAME_BYTES 32u

struct cortexm_frame_window {
    uint32_t mem_start;
    uint32_t span; /* app_brk - mem_start - 32: the highest frame offset that fits */
};

/* Bounds too small for any frame (or inverted) get mem_start 1 and span 0: only psp 1 is
 * within the span, and it is not aligned. */
static inline struct cortexm_frame_window cortexm_frame_window(uint32_t mem_start,
                                                               uint32_t app_brk)
{
    if (app_brk < mem_start || app_brk - mem_start < CORTEXM_FRAME_BYTES) {
        return (struct cortexm_frame_window){ .mem_start = 1u, .span = 0u };
    }
    return (struct cortexm_frame_window){ .mem_start = mem_start,
                                          .span = app_brk - mem_start - CORTEXM_FRAME_BYTES };
}

static inline bool cortexm_frame_fits(uint32_t psp, struct cortexm_frame_window window)
{
    return psp - window.mem_start <= window.span && (psp & 3u) == 0;
}

/* cortexm_frame_fits for a psp just read from the PSP register, whose bits [1:0] the
 * architecture keeps zero (ARMv7-M: every write to SP_process is value<31:2>:'00', and an
 * exception return restores a word-aligned one), so only the window is tested. */
static inline bool cortexm_frame_fits_hw_psp(uint32_t psp, struct cortexm_frame_window window)
{
    return psp - window.mem_start <= window.span;
}
