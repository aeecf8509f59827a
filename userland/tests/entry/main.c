/* SPDX-License-Identifier: Apache-2.0 OR MIT */
/*
 * entry: report the kernel's entry state (ABI §2.1) through low-level debug, with no crt0.
 *
 * _start runs on the kernel-provided stack only (ARM: 32 bytes at mem_start; RISC-V: none), so
 * it is all registers and syscalls. It prints, as "LowLevelDebug: App 0x<id> prints 0x<a> 0x<b>":
 *   1 app_start   2 mem_start   3 memory_len   4 app_heap_break   5 initial SP
 *   6 extra       bit 0: a general register other than r0-r3/a0-a3 and SP was not zero
 *                 bit 1: ARM LR != 1 / RISC-V ra != 0
 *   0x600d fails  bit 0: SP != app_heap_break
 *                 bit 1: SP != mem_start + 32 (ARM) / mem_start (RISC-V)
 *                 bit 2: ARM only: the 32 bytes at mem_start are neither all zero nor exactly
 *                        the entry exception frame the kernel "returned" through (r0-r3 =
 *                        the four arguments, r12 = 0, lr = 1, pc = _start, xPSR = 0x01000000),
 *                        i.e. they hold stale data
 * and exits with completion code = fails. A correct kernel gives "prints 0x600d 0x0" (and
 * "prints 0x6 0x0" if it also zeroes the other registers as Tock does).
 *
 * Usage: load alone or with heartbeat; read the kernel's debug output.
 *
 * Invariants: the check of the initial 32 bytes happens before the first `svc`, whose
 * exception frame lands exactly there. Tock leaves the popped entry frame in those bytes, so
 * "zero" and "exactly the entry frame" both pass; anything else would leak stale memory.
 */

void _start(void) __attribute__((section(".start"), used, naked, noreturn));

#if defined(__thumb__)

/*
 * SAFETY: naked and stackless except for the `svc` exception frames, which the kernel places in
 * the 32 accessible bytes below the initial SP. r4-r11 hold state across `svc` (the kernel saves
 * them); r12 is restored from the frame.
 */
void _start(void)
{
    __asm__ volatile(
        "0:\n"                     /* = _start */
        /* Registers the kernel should have zeroed: r4-r12. Fold them into r12. */
        "orr   r12, r12, r4\n"
        "orr   r12, r12, r5\n"
        "orr   r12, r12, r6\n"
        "orr   r12, r12, r7\n"
        "orr   r12, r12, r8\n"
        "orr   r12, r12, r9\n"
        "orr   r12, r12, r10\n"
        "orr   r12, r12, r11\n"
        "mov   r4, r0\n"            /* app_start */
        "mov   r5, r1\n"            /* mem_start */
        "mov   r6, r2\n"            /* memory_len */
        "mov   r7, r3\n"            /* app_heap_break */
        "mov   r8, sp\n"            /* initial SP */
        "adr   r9, 0b\n"            /* entry PC as stacked (bit 0 clear) */
        "mov   r10, #0\n"           /* r10 = extra bits */
        "cmp   r12, #0\n"
        "it    ne\n"
        "orrne r10, r10, #1\n"
        "cmp   lr, #1\n"
        "it    ne\n"
        "orrne r10, r10, #2\n"
        "mov   r11, #0\n"           /* r11 = failure bits */
        "ldr   r0, [r5, #0]\n"      /* OR of the 32 bytes at mem_start */
        "ldr   r1, [r5, #4]\n"
        "orrs  r0, r0, r1\n"
        "ldr   r1, [r5, #8]\n"
        "orrs  r0, r0, r1\n"
        "ldr   r1, [r5, #12]\n"
        "orrs  r0, r0, r1\n"
        "ldr   r1, [r5, #16]\n"
        "orrs  r0, r0, r1\n"
        "ldr   r1, [r5, #20]\n"
        "orrs  r0, r0, r1\n"
        "ldr   r1, [r5, #24]\n"
        "orrs  r0, r0, r1\n"
        "ldr   r1, [r5, #28]\n"
        "orrs  r0, r0, r1\n"
        "beq   3f\n"                /* all zero: fine */
        "ldr   r0, [r5, #0]\n"      /* else it must be exactly the entry frame */
        "cmp   r0, r4\n"
        "bne   4f\n"
        "ldr   r0, [r5, #4]\n"
        "cmp   r0, r5\n"
        "bne   4f\n"
        "ldr   r0, [r5, #8]\n"
        "cmp   r0, r6\n"
        "bne   4f\n"
        "ldr   r0, [r5, #12]\n"
        "cmp   r0, r7\n"
        "bne   4f\n"
        "ldr   r0, [r5, #16]\n"     /* r12 */
        "cmp   r0, #0\n"
        "bne   4f\n"
        "ldr   r0, [r5, #20]\n"     /* lr */
        "cmp   r0, #1\n"
        "bne   4f\n"
        "ldr   r0, [r5, #24]\n"     /* pc */
        "cmp   r0, r9\n"
        "bne   4f\n"
        "ldr   r0, [r5, #28]\n"     /* xPSR: Thumb bit only */
        "cmp   r0, #0x01000000\n"
        "beq   3f\n"
        "4:\n"
        "orr   r11, r11, #4\n"
        "3:\n"
        "cmp   r8, r7\n"
        "it    ne\n"
        "orrne r11, r11, #1\n"
        "add   r0, r5, #32\n"
        "cmp   r8, r0\n"
        "it    ne\n"
        "orrne r11, r11, #2\n"
        /* Report. */
        "movs  r2, #1\n"
        "mov   r3, r4\n"
        "bl    2f\n"
        "movs  r2, #2\n"
        "mov   r3, r5\n"
        "bl    2f\n"
        "movs  r2, #3\n"
        "mov   r3, r6\n"
        "bl    2f\n"
        "movs  r2, #4\n"
        "mov   r3, r7\n"
        "bl    2f\n"
        "movs  r2, #5\n"
        "mov   r3, r8\n"
        "bl    2f\n"
        "movs  r2, #6\n"
        "mov   r3, r10\n"
        "bl    2f\n"
        "movw  r2, #0x600d\n"
        "mov   r3, r11\n"
        "bl    2f\n"
        "movs  r0, #0\n"            /* exit-terminate with the failure bits */
        "mov   r1, r11\n"
        "svc   6\n"
        "1:\n"
        "b     1b\n"
        /* LowLevelDebug print2(r2, r3); leaf, keeps lr. */
        "2:\n"
        "movs  r0, #8\n"
        "movs  r1, #3\n"
        "svc   2\n"
        "bx    lr\n");
}

#elif defined(__riscv)

/*
 * SAFETY: naked and stackless: SP = mem_start and nothing is accessible, so only registers are
 * used. s0-s6 hold state across `ecall` (the kernel restores all but a0-a3).
 */
void _start(void)
{
    __asm__ volatile(
        /* Registers the kernel should have zeroed: all but sp, a0-a3 (ra is checked apart). */
        "or    t0, t0, gp\n"
        "or    t0, t0, tp\n"
        "or    t0, t0, t1\n"
        "or    t0, t0, t2\n"
        "or    t0, t0, t3\n"
        "or    t0, t0, t4\n"
        "or    t0, t0, t5\n"
        "or    t0, t0, t6\n"
        "or    t0, t0, a4\n"
        "or    t0, t0, a5\n"
        "or    t0, t0, a6\n"
        "or    t0, t0, a7\n"
        "or    t0, t0, s0\n"
        "or    t0, t0, s1\n"
        "or    t0, t0, s2\n"
        "or    t0, t0, s3\n"
        "or    t0, t0, s4\n"
        "or    t0, t0, s5\n"
        "or    t0, t0, s6\n"
        "or    t0, t0, s7\n"
        "or    t0, t0, s8\n"
        "or    t0, t0, s9\n"
        "or    t0, t0, s10\n"
        "or    t0, t0, s11\n"
        "mv    s0, a0\n"            /* app_start */
        "mv    s1, a1\n"            /* mem_start */
        "mv    s2, a2\n"            /* memory_len */
        "mv    s3, a3\n"            /* app_heap_break */
        "mv    s4, sp\n"            /* initial SP */
        "li    s5, 0\n"             /* s5 = extra bits */
        "beqz  t0, 3f\n"
        "ori   s5, s5, 1\n"
        "3:\n"
        "beqz  ra, 4f\n"
        "ori   s5, s5, 2\n"
        "4:\n"
        "li    s6, 0\n"             /* s6 = failure bits */
        "beq   s4, s3, 5f\n"
        "ori   s6, s6, 1\n"
        "5:\n"
        "beq   s4, s1, 6f\n"
        "ori   s6, s6, 2\n"
        "6:\n"
        /* Report. */
        "li    a2, 1\n"
        "mv    a3, s0\n"
        "jal   ra, 2f\n"
        "li    a2, 2\n"
        "mv    a3, s1\n"
        "jal   ra, 2f\n"
        "li    a2, 3\n"
        "mv    a3, s2\n"
        "jal   ra, 2f\n"
        "li    a2, 4\n"
        "mv    a3, s3\n"
        "jal   ra, 2f\n"
        "li    a2, 5\n"
        "mv    a3, s4\n"
        "jal   ra, 2f\n"
        "li    a2, 6\n"
        "mv    a3, s5\n"
        "jal   ra, 2f\n"
        "li    a2, 0x600d\n"
        "mv    a3, s6\n"
        "jal   ra, 2f\n"
        "li    a0, 0\n"             /* exit-terminate with the failure bits */
        "mv    a1, s6\n"
        "li    a4, 6\n"
        "ecall\n"
        "1:\n"
        "j     1b\n"
        /* LowLevelDebug print2(a2, a3); leaf. */
        "2:\n"
        "li    a0, 8\n"
        "li    a1, 3\n"
        "li    a4, 2\n"
        "ecall\n"
        "ret\n");
}

#else
#error "entry supports Thumb (Cortex-M) and RISC-V only"
#endif
