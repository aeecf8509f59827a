/* SPDX-License-Identifier: Apache-2.0 OR MIT */
/*
 * fault_at_entry: the very first instruction the process runs is undefined, so it faults
 * before it has made a single system call or printed anything. The kernel's fault report
 * must still reach the console, naming the fault and the pc at app binary + the offset of
 * _start (the first code after the 40-byte crt0-layout header).
 *
 * Expected output (mps2): "[kernel] process fault_at_entry (id N) faulted: UsageFault,
 * undefined instruction at 0x...: own flash" (or HardFault when UsageFault is not enabled);
 * RISC-V: "illegal instruction at 0x...: own flash". Then "pc 0x... (app binary + 0x0028)".
 *
 * Usage: load with heartbeat, which keeps printing while this app faults and restarts.
 *
 * Invariants: no crt0; _start is the first thing in .text.
 */

void _start(void) __attribute__((section(".start"), used, naked, noreturn));

#if defined(__thumb__)

void _start(void)
{
    /* SAFETY: deliberately undefined: the point of the test is that this faults. */
    __asm__ volatile("udf #0\n");
}

#else

void _start(void)
{
    /* SAFETY: deliberately illegal (the all-zero word): the point of the test is the fault. */
    __asm__ volatile(".word 0\n");
}

#endif
