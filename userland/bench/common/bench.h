/* SPDX-License-Identifier: Apache-2.0 OR MIT */
/*
 * Shared pieces of the benchmark apps (bench/README.md, `make bench`).
 *
 * What is measured lives in each app's hand-written assembly, so the instruction count between
 * two markers is fixed by the source, not by the compiler. A marker is a global label named
 * `bench_mark_<name>` on the instruction where a measurement starts or ends; tools/bench.py
 * finds the labels in the app's ELF, and QEMU's insn_count plugin (bench/plugin/insn_count.c)
 * reports how many instructions the machine had executed when each one was reached. Markers
 * cost nothing: they are labels, not instructions.
 *
 * The apps also print lines `bench <key> <values...>` on the console (tools/bench.py parses
 * them) and finish with `bench <app> done`.
 *
 * Usage: #include "bench/common/bench.h"; write the asm with BENCH_FUNC / BENCH_END / BENCH_MARK.
 *
 * Invariants: marker names are unique within an app; everything an app measures runs before it
 * prints anything (console output means UART interrupts).
 */
#pragma once

#include <stdint.h>
#include <stdio.h>

#include <libtock-sync/services/alarm.h>
#include <libtock/tock.h>

#define BENCH_ALARM_DRIVER 0x0u
#define BENCH_IPC_DRIVER 0x10000u

/* Start a global assembly function `name` in its own section; end it with BENCH_END. */
#if defined(__thumb__)
#define BENCH_FUNC(name)                                                                    \
    ".pushsection .text." #name ",\"ax\",%progbits\n.syntax unified\n.thumb\n.balign 2\n" \
    ".global " #name "\n.type " #name ",%function\n.thumb_func\n" #name ":\n"
#elif defined(__riscv)
#define BENCH_FUNC(name)                                                            \
    ".pushsection .text." #name ",\"ax\",@progbits\n.balign 2\n.global " #name "\n" \
    ".type " #name ",@function\n" #name ":\n"
#else
#error "bench apps support Cortex-M (Thumb) and RISC-V only"
#endif
#define BENCH_END(name) ".size " #name ", . - " #name "\n.popsection\n"
/* A marker on the next instruction. */
#define BENCH_MARK(name) ".global bench_mark_" #name "\nbench_mark_" #name ":\n"

/* The alarm driver's counter (command 2) and its frequency (command 1). */
static inline uint32_t bench_now(void)
{
    uint32_t ticks = 0;
    (void)tock_command_return_u32_to_returncode(command(BENCH_ALARM_DRIVER, 2, 0, 0), &ticks);
    return ticks;
}

static inline uint32_t bench_frequency(void)
{
    uint32_t hz = 0;
    (void)tock_command_return_u32_to_returncode(command(BENCH_ALARM_DRIVER, 1, 0, 0), &hz);
    return hz;
}

/* Busy-wait (no yield) until `ticks` alarm ticks have passed. */
static inline void bench_spin_ticks(uint32_t ticks)
{
    uint32_t start = bench_now();
    while (bench_now() - start < ticks) {
    }
}
