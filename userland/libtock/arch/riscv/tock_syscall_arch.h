/* SPDX-License-Identifier: Apache-2.0 OR MIT */
/*
 * Raw Tock 2.x system calls for RV32 (U-mode): `ecall` with the class in a4 and arguments a0-a3.
 *
 * Each function loads a0-a3 and a4, traps, and hands back a0-a3 exactly as the kernel left them.
 * The kernel saves all 31 registers and writes only the return registers the variant uses
 * (ABI §1.1, §1.3); the others keep the values passed in, which is why a0-a3 are in/out
 * operands. Selected by the build through the include path (-I.../arch/riscv); the Cortex-M
 * header declares the same functions.
 *
 * Usage: libtock/tock.c builds libtock-c's typed wrappers on these; test apps that must see the
 * raw return variant (tests/abi) call them directly.
 *
 * Invariants: only Yield can run an upcall, so only the Yield functions clobber more than a0-a3.
 */
#pragma once

#include <stdint.h>

/* a0-a3 after a system call: the return variant (or Yield-WaitFor's upcall arguments) in a0. */
struct tock_syscall_regs {
    uint32_t r0;
    uint32_t r1;
    uint32_t r2;
    uint32_t r3;
};

/*
 * SAFETY: (all non-Yield calls below) the kernel restores every register but the return
 * registers it writes and resumes at the instruction after `ecall`; "memory" because the kernel
 * may write allowed buffers and reads buffers we allowed. No stack is used by the trap.
 */
static inline struct tock_syscall_regs tock_syscall_subscribe(uint32_t a0_in, uint32_t a1_in,
                                                              uint32_t a2_in, uint32_t a3_in)
{
    register uint32_t a0 __asm__("a0") = a0_in;
    register uint32_t a1 __asm__("a1") = a1_in;
    register uint32_t a2 __asm__("a2") = a2_in;
    register uint32_t a3 __asm__("a3") = a3_in;
    register uint32_t a4 __asm__("a4") = 1;
    __asm__ volatile("ecall" : "+r"(a0), "+r"(a1), "+r"(a2), "+r"(a3) : "r"(a4) : "memory");
    return (struct tock_syscall_regs){ a0, a1, a2, a3 };
}

static inline struct tock_syscall_regs tock_syscall_command(uint32_t a0_in, uint32_t a1_in,
                                                            uint32_t a2_in, uint32_t a3_in)
{
    register uint32_t a0 __asm__("a0") = a0_in;
    register uint32_t a1 __asm__("a1") = a1_in;
    register uint32_t a2 __asm__("a2") = a2_in;
    register uint32_t a3 __asm__("a3") = a3_in;
    register uint32_t a4 __asm__("a4") = 2;
    __asm__ volatile("ecall" : "+r"(a0), "+r"(a1), "+r"(a2), "+r"(a3) : "r"(a4) : "memory");
    return (struct tock_syscall_regs){ a0, a1, a2, a3 };
}

static inline struct tock_syscall_regs tock_syscall_allow_readwrite(uint32_t a0_in, uint32_t a1_in,
                                                                    uint32_t a2_in, uint32_t a3_in)
{
    register uint32_t a0 __asm__("a0") = a0_in;
    register uint32_t a1 __asm__("a1") = a1_in;
    register uint32_t a2 __asm__("a2") = a2_in;
    register uint32_t a3 __asm__("a3") = a3_in;
    register uint32_t a4 __asm__("a4") = 3;
    __asm__ volatile("ecall" : "+r"(a0), "+r"(a1), "+r"(a2), "+r"(a3) : "r"(a4) : "memory");
    return (struct tock_syscall_regs){ a0, a1, a2, a3 };
}

static inline struct tock_syscall_regs tock_syscall_allow_readonly(uint32_t a0_in, uint32_t a1_in,
                                                                   uint32_t a2_in, uint32_t a3_in)
{
    register uint32_t a0 __asm__("a0") = a0_in;
    register uint32_t a1 __asm__("a1") = a1_in;
    register uint32_t a2 __asm__("a2") = a2_in;
    register uint32_t a3 __asm__("a3") = a3_in;
    register uint32_t a4 __asm__("a4") = 4;
    __asm__ volatile("ecall" : "+r"(a0), "+r"(a1), "+r"(a2), "+r"(a3) : "r"(a4) : "memory");
    return (struct tock_syscall_regs){ a0, a1, a2, a3 };
}

static inline struct tock_syscall_regs tock_syscall_memop(uint32_t a0_in, uint32_t a1_in)
{
    register uint32_t a0 __asm__("a0") = a0_in;
    register uint32_t a1 __asm__("a1") = a1_in;
    register uint32_t a2 __asm__("a2") = 0;
    register uint32_t a3 __asm__("a3") = 0;
    register uint32_t a4 __asm__("a4") = 5;
    __asm__ volatile("ecall" : "+r"(a0), "+r"(a1), "+r"(a2), "+r"(a3) : "r"(a4) : "memory");
    return (struct tock_syscall_regs){ a0, a1, a2, a3 };
}

/* Exit returns only on failure (bad a0), so the caller decides what a return means. */
static inline struct tock_syscall_regs tock_syscall_exit(uint32_t a0_in, uint32_t a1_in)
{
    register uint32_t a0 __asm__("a0") = a0_in;
    register uint32_t a1 __asm__("a1") = a1_in;
    register uint32_t a2 __asm__("a2") = 0;
    register uint32_t a3 __asm__("a3") = 0;
    register uint32_t a4 __asm__("a4") = 6;
    __asm__ volatile("ecall" : "+r"(a0), "+r"(a1), "+r"(a2), "+r"(a3) : "r"(a4) : "memory");
    return (struct tock_syscall_regs){ a0, a1, a2, a3 };
}

static inline struct tock_syscall_regs tock_syscall_allow_userspace_read(uint32_t a0_in,
                                                                         uint32_t a1_in,
                                                                         uint32_t a2_in,
                                                                         uint32_t a3_in)
{
    register uint32_t a0 __asm__("a0") = a0_in;
    register uint32_t a1 __asm__("a1") = a1_in;
    register uint32_t a2 __asm__("a2") = a2_in;
    register uint32_t a3 __asm__("a3") = a3_in;
    register uint32_t a4 __asm__("a4") = 7;
    __asm__ volatile("ecall" : "+r"(a0), "+r"(a1), "+r"(a2), "+r"(a3) : "r"(a4) : "memory");
    return (struct tock_syscall_regs){ a0, a1, a2, a3 };
}

/*
 * Yield (class 0). a0 = 0 no-wait (a1 = result byte address), 1 wait, 2 wait-for (a1 driver,
 * a2 subscribe number).
 *
 * SAFETY: while blocked the kernel may run an upcall as a plain call: a0-a3 = upcall arguments,
 * ra = the instruction after `ecall`, pc = upcall, sp and the rest unchanged. The upcall is an
 * ilp32 function, so every caller-saved register is clobbered: ra, t0-t6 and a0-a7 (a4, which
 * carries the class in, is an in/out operand). s0-s11, sp, gp and tp survive. Wait-for runs no
 * upcall; it writes a0-a2 and leaves a3.
 */
static inline struct tock_syscall_regs tock_syscall_yield(uint32_t a0_in, uint32_t a1_in,
                                                          uint32_t a2_in, uint32_t a3_in)
{
    register uint32_t a0 __asm__("a0") = a0_in;
    register uint32_t a1 __asm__("a1") = a1_in;
    register uint32_t a2 __asm__("a2") = a2_in;
    register uint32_t a3 __asm__("a3") = a3_in;
    register uint32_t a4 __asm__("a4") = 0;
    __asm__ volatile("ecall"
                     : "+r"(a0), "+r"(a1), "+r"(a2), "+r"(a3), "+r"(a4)
                     :
                     : "memory", "ra", "t0", "t1", "t2", "t3", "t4", "t5", "t6", "a5", "a6", "a7");
    return (struct tock_syscall_regs){ a0, a1, a2, a3 };
}

/*
 * For tests only: trap with class 9, which the ABI does not define; the kernel faults the
 * process (ABI §1.2), so this does not return.
 * SAFETY: as for the calls above; nothing is expected back.
 */
static inline void tock_syscall_undefined_class(void)
{
    register uint32_t a4 __asm__("a4") = 9;
    __asm__ volatile("ecall" : : "r"(a4) : "memory");
}
