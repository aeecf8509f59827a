/* SPDX-License-Identifier: Apache-2.0 OR MIT */
/*
 * Fake architecture for host tests: implements kernel/include/kernel/arch.h without hardware.
 *
 * The "process" is a script. Each arch_switch_to_process() takes the next scripted step and
 * returns its reason; for a syscall step the step's class and arguments become the context's
 * pending syscall. With the script empty the process makes Yield-Wait (it blocks), and
 * `script_underflows` counts it so a test can check it scripted enough. Every switch is logged
 * (which context ran, its resume pc and r0-r3) so tests can assert the schedule and what the
 * process saw.
 *
 * Memory protection: RAM is given out from the request's free range, aligned to `ram_align`;
 * the app break is exposed rounded up to `mpu_granularity`, and an update whose rounded end
 * would pass the kernel break fails (ERR_NOMEM) without changing anything.
 *
 * arch_halt() longjmps to `halt_jmp` when a test armed it (kernel panics), else aborts.
 *
 * Usage:
 *     fake_arch_reset();
 *     fake_arch_script_syscall(&p->context, 0, 1, 0, 0, 0);   // p yields (wait)
 *     kernel_step(&k);
 *     assert_int_equal(fake_arch.switch_count, 1);
 *
 * Invariants: the script is consumed in order; a step bound to a context is only taken by that
 * context (a mismatch is counted in `script_mismatches` and the step is still consumed).
 */
#pragma once

#include <setjmp.h>
#include <stdbool.h>
#include <stdint.h>

#include "kernel/arch.h"

#define FAKE_ARCH_SCRIPT_MAX 64u
#define FAKE_ARCH_LOG_MAX 64u

struct fake_arch_step {
    const struct arch_context *ctx; /* which process must run this step (NULL: any) */
    enum arch_switch_reason reason;
    uint32_t class_num; /* for ARCH_SWITCH_SYSCALL */
    uint32_t args[4];
    void (*hook)(void);    /* called while "the process runs" (e.g. raise an interrupt) */
    bool expire;           /* the timeslice is used up when this step returns */
    uint32_t remaining_us; /* else: slice left when it returns (0 keeps the current value) */
};

struct fake_arch_state {
    /* Test controls. */
    uint32_t initial_app_brk; /* arch_initial_app_brk_size(); default 32 */
    uint32_t mpu_granularity; /* power of two; default 1 (exact) */
    uint32_t ram_align;       /* power of two; default 8 */
    bool flash_reject;        /* arch_mpu_set_flash fails with ERR_INVAL */
    uint32_t shared_regions;  /* shared regions per process, 1..4; 0 counts as 1 */
    /* Syscall steps go to kernel_syscall_fast first, as on the real arches: a syscall it
     * finishes lets the "process" go on to its next step in the same switch, unless an
     * interrupt is pending (interrupt_pending, NULL = never) or the slice expired, which stop
     * it as the hardware would. Off: every syscall returns to the loop (ARCH_SWITCH_SYSCALL). */
    bool fast_path;
    bool (*interrupt_pending)(void);
    jmp_buf *halt_jmp;        /* where arch_halt jumps; NULL: abort() */
    /* What arch_fault_info reports (with the context's pc unless it sets pc_known); default a
     * hardware fault of kind "fake fault" at no known address. */
    struct arch_fault fault;
    /* Script. */
    struct fake_arch_step script[FAKE_ARCH_SCRIPT_MAX];
    uint32_t script_len;
    uint32_t script_pos;
    uint32_t script_underflows;
    uint32_t script_mismatches;
    /* Log of switches. */
    const struct arch_context *ran[FAKE_ARCH_LOG_MAX];
    uint32_t ran_pc[FAKE_ARCH_LOG_MAX];
    uint32_t ran_regs[FAKE_ARCH_LOG_MAX][4];      /* r0-r3 as the process saw them on resume */
    uint32_t ran_return_count[FAKE_ARCH_LOG_MAX]; /* return registers written before it */
    uint32_t ran_slice_us[FAKE_ARCH_LOG_MAX];     /* its slice's length (slice_started_us) */
    uint32_t switch_count; /* process resumes: switches, and fast-path resumes */
    uint32_t fast_resumes;  /* syscalls kernel_syscall_fast finished, process resumed */
    uint32_t fast_switches; /* ... finished, process blocked, another one resumed */
    uint32_t fast_stops;    /* ... finished, back to the loop */
    uint32_t fast_defers;   /* ... left to the loop */
    struct arch_bounds last_bounds; /* the bounds of the context run last (switch or fast) */
    /* Timeslice. */
    bool slice_running;
    uint32_t slice_started_us; /* last arch_timeslice_start argument */
    uint32_t slice_full_us;    /* arch_timeslice_set_full's (kernel_init) */
    uint32_t slice_remaining_us;
    uint32_t slice_starts;
    /* Other calls. */
    uint32_t halts;
    uint32_t mpu_configures;
    const struct arch_mpu *last_configured;
};

extern struct fake_arch_state fake_arch;

/* Back to defaults: empty script and log, granularity 1, initial break 32, no halt target. */
void fake_arch_reset(void);

/* Append a step; returns it so a test can set hook/expire/remaining_us. */
struct fake_arch_step *fake_arch_script(const struct arch_context *ctx,
                                        enum arch_switch_reason reason);
struct fake_arch_step *fake_arch_script_syscall(const struct arch_context *ctx, uint32_t class_num,
                                                uint32_t a0, uint32_t a1, uint32_t a2, uint32_t a3);

/* Set the syscall a context makes without running the scheduler (syscall_handle tests). */
void fake_arch_set_syscall(struct arch_context *ctx, uint32_t class_num, uint32_t a0, uint32_t a1,
                           uint32_t a2, uint32_t a3);
