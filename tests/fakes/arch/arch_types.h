/* SPDX-License-Identifier: Apache-2.0 OR MIT */
/*
 * Host-test stand-in for an architecture's <arch/arch_types.h> (tests/fakes/fake_arch.c).
 *
 * Host tests put -Itests/fakes ahead of any arch include, so the kernel's
 * #include "arch/arch_types.h" lands here. The context records what the kernel did to the
 * "process" (return registers written, upcalls pushed) and holds the syscall the test wants the
 * process to make next; the MPU records the breaks the kernel asked for.
 *
 * Invariants: regs[] are r0-r3 as the process would see them on resume; return_count is the
 * count of the last arch_set_syscall_return (0 after a test resets it).
 */
#pragma once

#include <stdbool.h>
#include <stdint.h>

struct arch_context {
    uint32_t regs[4]; /* r0-r3 as the process left them / as the kernel wrote them */
    uint32_t pc;      /* where the process resumes: the last upcall's fn */
    uint32_t sp;      /* set by arch_context_init to the initial break */
    /* The syscall the process makes at its next trap (set by tests or the fake's script). */
    uint32_t pending_class;
    uint32_t pending_args[4];
    /* What the kernel did. */
    uint32_t return_count;   /* registers written by the last arch_set_syscall_return */
    uint32_t return_writes;  /* arch_set_syscall_return calls */
    uint32_t upcalls_pushed; /* arch_push_upcall calls that succeeded */
    uint32_t upcall_fn;      /* last upcall delivered */
    uint32_t upcall_args[4];
    uint32_t inits;           /* arch_context_init calls */
    uintptr_t init_mem_start; /* bounds given to the last arch_context_init */
    uintptr_t init_app_brk;
    /* The bounds of the last arch_context_init or arch_context_set_bounds. */
    uintptr_t bounds_mem_start;
    uintptr_t bounds_app_brk;
    bool fail_push; /* arch_push_upcall returns ERR_FAIL (bad stack) */
};

struct arch_mpu {
    uintptr_t ram_start; /* from arch_mpu_allocate_ram */
    uint32_t ram_size;
    uintptr_t app_brk; /* last accepted arch_mpu_update_app_brk */
    uintptr_t kernel_brk;
    uintptr_t accessible_end; /* app_brk rounded up to fake_arch.mpu_granularity */
    uintptr_t flash_start;
    uint32_t flash_size;
    uint32_t updates;    /* accepted arch_mpu_update_app_brk calls */
    uint32_t rejections; /* refused arch_mpu_update_app_brk calls */
    uint32_t configures; /* arch_mpu_configure calls */
    uint32_t generation; /* incremented by every mutator, as the real arches do */
    uintptr_t shared_start; /* the first shared (IPC) region; shared_len 0 = none */
    uint32_t shared_len;
    /* More shared regions, used only when fake_arch.shared_regions > 1; len 0 = none. */
    uintptr_t more_shared_start[3];
    uint32_t more_shared_len[3];
};
