/* SPDX-License-Identifier: Apache-2.0 OR MIT */
/*
 * bench_switch_a: the process that yields in the context-switch benchmark (bench/README.md),
 * next to bench_switch_b.
 *
 * Sleeps 1 ms (bench_switch_b runs and arms its alarm 2 ms ahead), then spins for 3 ms without
 * yielding, so bench_switch_b's alarm fires meanwhile and its upcall is queued. Then it arms its
 * own alarm 1 ms ahead (to come back later) and yield-waits (marker switch_yield_svc): the
 * kernel switches to bench_switch_b, whose upcall's first instruction ends the measurement.
 *
 * Expected output: `bench bench_switch_a done`.
 *
 * Invariants: none beyond bench.h's.
 */
#include "bench/common/bench.h"

void bench_switch_yield(void (*upcall)(void), uint32_t dt);
void bench_switch_back(void);

/*
 * The measured code, one copy per architecture (same operations, same markers).
 *
 * SAFETY: plain AAPCS / RISC-V psABI functions: they change only caller-saved registers (and
 * r4 / s0, which they save) and keep the stack balanced; the yield-wait may run `upcall`, which
 * returns to the instruction after the `svc`/`ecall`.
 */
#if defined(__thumb__)
__asm__(
    /* r0 = upcall, r1 = dt: subscribe(alarm, 0, upcall, 0); command(alarm, 5, dt, 0);
     * yield-wait. */
    BENCH_FUNC(bench_switch_yield)
    "push {r4, lr}\n mov r4, r1\n mov r2, r0\n movs r0, #0\n movs r1, #0\n movs r3, #0\n"
    "svc 1\n"
    "movs r0, #0\n movs r1, #5\n mov r2, r4\n movs r3, #0\n svc 2\n"
    "movs r0, #1\n"
    BENCH_MARK(switch_yield_svc) "svc 0\n"
    "pop {r4, pc}\n"
    BENCH_END(bench_switch_yield)

    BENCH_FUNC(bench_switch_back)
    "bx lr\n"
    BENCH_END(bench_switch_back));
#else
__asm__(
    BENCH_FUNC(bench_switch_yield)
    "addi sp, sp, -16\n sw ra, 12(sp)\n sw s0, 8(sp)\n mv s0, a1\n"
    "mv a2, a0\n li a0, 0\n li a1, 0\n li a3, 0\n li a4, 1\n ecall\n"
    "li a0, 0\n li a1, 5\n mv a2, s0\n li a3, 0\n li a4, 2\n ecall\n"
    "li a0, 1\n li a4, 0\n"
    BENCH_MARK(switch_yield_svc) "ecall\n"
    "lw s0, 8(sp)\n lw ra, 12(sp)\n addi sp, sp, 16\n ret\n"
    BENCH_END(bench_switch_yield)

    BENCH_FUNC(bench_switch_back)
    "ret\n"
    BENCH_END(bench_switch_back));
#endif

int main(void)
{
    uint32_t hz = bench_frequency();
    libtocksync_alarm_delay_ms(1);
    bench_spin_ticks(hz / 1000u * 3u);
    bench_switch_yield(bench_switch_back, hz / 1000u);
    printf("bench bench_switch_a done\n");
    return 0;
}
