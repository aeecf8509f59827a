/* SPDX-License-Identifier: Apache-2.0 OR MIT */
/*
 * Raw Tock 2.x system calls for ARMv7-M (Thumb): one `svc #class` per function.
 *
 * Each function loads r0-r3, traps with the class number as the 8-bit `svc` immediate (ABI §1.1)
 * and hands back r0-r3 exactly as the kernel left them. The kernel writes only the registers the
 * return variant uses (§1.3); the others keep the values passed in, which is why r0-r3 are in/out
 * operands. Selected by the build through the include path (-I.../arch/cortex-m); the RISC-V
 * header declares the same functions.
 *
 * Usage: libtock/tock.c builds libtock-c's typed wrappers on these; test apps that must see the
 * raw return variant (tests/abi) call them directly.
 *
 * Invariants: only Yield can run an upcall, so only the Yield functions clobber more than r0-r3.
 */
#pragma once

#include <stdint.h>

/* r0-r3 after a system call: the return variant (or Yield-WaitFor's upcall arguments) in r0. */
struct tock_syscall_regs {
    uint32_t r0;
    uint32_t r1;
    uint32_t r2;
    uint32_t r3;
};

/*
 * SAFETY: (all non-Yield calls below) the kernel saves r4-r11 and the hardware restores r12, lr
 * and xPSR from the exception frame, so only r0-r3 can change; "memory" because the kernel may
 * write allowed buffers and reads buffers we allowed. The process stack must have room for the
 * 32-byte exception frame, which the AAPCS stack always has.
 */
static inline struct tock_syscall_regs tock_syscall_subscribe(uint32_t r0_in, uint32_t r1_in,
                                                              uint32_t r2_in, uint32_t r3_in)
{
    register uint32_t r0 __asm__("r0") = r0_in;
    register uint32_t r1 __asm__("r1") = r1_in;
    register uint32_t r2 __asm__("r2") = r2_in;
    register uint32_t r3 __asm__("r3") = r3_in;
    __asm__ volatile("svc 1" : "+r"(r0), "+r"(r1), "+r"(r2), "+r"(r3) : : "memory");
    return (struct tock_syscall_regs){ r0, r1, r2, r3 };
}

static inline struct tock_syscall_regs tock_syscall_command(uint32_t r0_in, uint32_t r1_in,
                                                            uint32_t r2_in, uint32_t r3_in)
{
    register uint32_t r0 __asm__("r0") = r0_in;
    register uint32_t r1 __asm__("r1") = r1_in;
    register uint32_t r2 __asm__("r2") = r2_in;
    register uint32_t r3 __asm__("r3") = r3_in;
    __asm__ volatile("svc 2" : "+r"(r0), "+r"(r1), "+r"(r2), "+r"(r3) : : "memory");
    return (struct tock_syscall_regs){ r0, r1, r2, r3 };
}

static inline struct tock_syscall_regs tock_syscall_allow_readwrite(uint32_t r0_in, uint32_t r1_in,
                                                                    uint32_t r2_in, uint32_t r3_in)
{
    register uint32_t r0 __asm__("r0") = r0_in;
    register uint32_t r1 __asm__("r1") = r1_in;
    register uint32_t r2 __asm__("r2") = r2_in;
    register uint32_t r3 __asm__("r3") = r3_in;
    __asm__ volatile("svc 3" : "+r"(r0), "+r"(r1), "+r"(r2), "+r"(r3) : : "memory");
    return (struct tock_syscall_regs){ r0, r1, r2, r3 };
}

static inline struct tock_syscall_regs tock_syscall_allow_readonly(uint32_t r0_in, uint32_t r1_in,
                                                                   uint32_t r2_in, uint32_t r3_in)
{
    register uint32_t r0 __asm__("r0") = r0_in;
    register uint32_t r1 __asm__("r1") = r1_in;
    register uint32_t r2 __asm__("r2") = r2_in;
    register uint32_t r3 __asm__("r3") = r3_in;
    __asm__ volatile("svc 4" : "+r"(r0), "+r"(r1), "+r"(r2), "+r"(r3) : : "memory");
    return (struct tock_syscall_regs){ r0, r1, r2, r3 };
}

static inline struct tock_syscall_regs tock_syscall_memop(uint32_t r0_in, uint32_t r1_in)
{
    register uint32_t r0 __asm__("r0") = r0_in;
    register uint32_t r1 __asm__("r1") = r1_in;
    register uint32_t r2 __asm__("r2") = 0;
    register uint32_t r3 __asm__("r3") = 0;
    __asm__ volatile("svc 5" : "+r"(r0), "+r"(r1), "+r"(r2), "+r"(r3) : : "memory");
    return (struct tock_syscall_regs){ r0, r1, r2, r3 };
}

/* Exit returns only on failure (bad r0), so the caller decides what a return means. */
static inline struct tock_syscall_regs tock_syscall_exit(uint32_t r0_in, uint32_t r1_in)
{
    register uint32_t r0 __asm__("r0") = r0_in;
    register uint32_t r1 __asm__("r1") = r1_in;
    register uint32_t r2 __asm__("r2") = 0;
    register uint32_t r3 __asm__("r3") = 0;
    __asm__ volatile("svc 6" : "+r"(r0), "+r"(r1), "+r"(r2), "+r"(r3) : : "memory");
    return (struct tock_syscall_regs){ r0, r1, r2, r3 };
}

static inline struct tock_syscall_regs tock_syscall_allow_userspace_read(uint32_t r0_in,
                                                                         uint32_t r1_in,
                                                                         uint32_t r2_in,
                                                                         uint32_t r3_in)
{
    register uint32_t r0 __asm__("r0") = r0_in;
    register uint32_t r1 __asm__("r1") = r1_in;
    register uint32_t r2 __asm__("r2") = r2_in;
    register uint32_t r3 __asm__("r3") = r3_in;
    __asm__ volatile("svc 7" : "+r"(r0), "+r"(r1), "+r"(r2), "+r"(r3) : : "memory");
    return (struct tock_syscall_regs){ r0, r1, r2, r3 };
}

/*
 * Yield (class 0). r0 = 0 no-wait (r1 = result byte address), 1 wait, 2 wait-for (r1 driver,
 * r2 subscribe number).
 *
 * SAFETY: while blocked the kernel may turn this `svc` into a call of an upcall: it rewrites the
 * exception frame (r0-r3 = upcall arguments, lr = the instruction after the `svc`, pc = upcall),
 * so the upcall, a normal AAPCS function, runs and returns here with `bx lr`. Everything the
 * AAPCS lets a callee change is therefore clobbered: r0-r3, r12, lr and the condition flags.
 * r4-r11 are callee-saved and r9 is the PIC base no code changes. Wait-for runs no upcall; it writes r0-r2 and leaves r3.
 */
static inline struct tock_syscall_regs tock_syscall_yield(uint32_t r0_in, uint32_t r1_in,
                                                          uint32_t r2_in, uint32_t r3_in)
{
    register uint32_t r0 __asm__("r0") = r0_in;
    register uint32_t r1 __asm__("r1") = r1_in;
    register uint32_t r2 __asm__("r2") = r2_in;
    register uint32_t r3 __asm__("r3") = r3_in;
    __asm__ volatile("svc 0"
                     : "+r"(r0), "+r"(r1), "+r"(r2), "+r"(r3)
                     :
                     : "memory", "cc", "r12", "lr");
    return (struct tock_syscall_regs){ r0, r1, r2, r3 };
}

/*
 * For tests only: trap with class 9, which the ABI does not define; the kernel faults the
 * process (ABI §1.2), so this does not return.
 * SAFETY: as for the calls above; nothing is expected back.
 */
static inline void tock_syscall_undefined_class(void)
{
    __asm__ volatile("svc 9" : : : "memory");
}
