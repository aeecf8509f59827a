/* SPDX-License-Identifier: Apache-2.0 OR MIT */
/*
 * bench_switch_b: the process that resumes in the context-switch benchmark (bench/README.md),
 * next to bench_switch_a.
 *
 * Subscribes to the alarm, arms it 2 ms ahead and yield-waits. The alarm fires while
 * bench_switch_a spins, so when bench_switch_a yield-waits this process is the one with work and
 * resumes in its upcall. tools/bench.py counts the instructions from bench_switch_a's yield
 * (marker switch_yield_svc) to the first instruction of this upcall (marker switch_upcall_first).
 *
 * Expected output: `bench bench_switch_b done`.
 *
 * Invariants: none beyond bench.h's.
 */
#include "bench/common/bench.h"

void bench_switch_wait(void (*upcall)(void), uint32_t dt);
void bench_switch_fn(void);

/*
 * The measured code, one copy per architecture (same operations, same markers).
 *
 * SAFETY: plain AAPCS / RISC-V psABI functions: they change only caller-saved registers (and
 * r4 / s0, which they save) and keep the stack balanced; the yield-wait runs `upcall`, which
 * returns to the instruction after the `svc`/`ecall`.
 */
#if defined(__thumb__)
__asm__(
    /* r0 = upcall, r1 = dt: subscribe(alarm, 0, upcall, 0); command(alarm, 5, dt, 0);
     * yield-wait. */
    BENCH_FUNC(bench_switch_wait)
    "push {r4, lr}\n mov r4, r1\n mov r2, r0\n movs r0, #0\n movs r1, #0\n movs r3, #0\n"
    "svc 1\n"
    "movs r0, #0\n movs r1, #5\n mov r2, r4\n movs r3, #0\n svc 2\n"
    "movs r0, #1\n svc 0\n pop {r4, pc}\n"
    BENCH_END(bench_switch_wait)

    BENCH_FUNC(bench_switch_fn)
    BENCH_MARK(switch_upcall_first) "bx lr\n"
    BENCH_END(bench_switch_fn));
#else
__asm__(
    BENCH_FUNC(bench_switch_wait)
    "addi sp, sp, -16\n sw ra, 12(sp)\n sw s0, 8(sp)\n mv s0, a1\n"
    "mv a2, a0\n li a0, 0\n li a1, 0\n li a3, 0\n li a4, 1\n ecall\n"
    "li a0, 0\n li a1, 5\n mv a2, s0\n li a3, 0\n li a4, 2\n ecall\n"
    "li a0, 1\n li a4, 0\n ecall\n"
    "lw s0, 8(sp)\n lw ra, 12(sp)\n addi sp, sp, 16\n ret\n"
    BENCH_END(bench_switch_wait)

    BENCH_FUNC(bench_switch_fn)
    BENCH_MARK(switch_upcall_first) "ret\n"
    BENCH_END(bench_switch_fn));
#endif

int main(void)
{
    uint32_t hz = bench_frequency();
    bench_switch_wait(bench_switch_fn, hz / 500u);
    printf("bench bench_switch_b done\n");
    return 0;
}
