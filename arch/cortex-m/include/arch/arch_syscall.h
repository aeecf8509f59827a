/* SPDX-License-Identifier: Apache-2.0 OR MIT */
/*
 * Cortex-M syscall registers: the class is the `svc` immediate, the arguments and return values
 * are r0-r3 of the hardware frame the exception stacked at the process's psp. Included by
 * kernel/arch.h only (inline: these are on every syscall's path).
 *
 * Invariant: called only between a syscall trap and the process's next run, when the arch has
 * checked that [psp, psp + 32) lies inside the process's memory.
 */
#pragma once

#include <stdint.h>

static inline uint32_t *cortexm_syscall_frame(const struct arch_context *ctx)
{
    /* SAFETY: the trap code checked the frame lies inside the process's memory. */
    return (uint32_t *)(uintptr_t)ctx->psp;
}

static inline void arch_get_syscall(struct arch_context *ctx, struct arch_syscall *out)
{
    uint32_t *frame = cortexm_syscall_frame(ctx);
    /* SAFETY: the process just executed the 16-bit svc before the stacked pc, so it is mapped.
     * Its immediate is the instruction's low byte, the first in memory (little-endian): one
     * byte load, no masking. */
    const uint8_t *svc_immediate = (const uint8_t *)(uintptr_t)(frame[6] - 2u);
    out->class_num = *svc_immediate;
    out->args = frame;
}

/* The four argument registers (r0-r3 of the hardware frame), also where return values and a
 * pushed upcall's arguments go. */
static inline const uint32_t *arch_syscall_args(const struct arch_context *ctx)
{
    return cortexm_syscall_frame(ctx);
}

static inline void arch_set_syscall_return(struct arch_context *ctx,
                                           const struct syscall_registers *regs)
{
    syscall_registers_store(cortexm_syscall_frame(ctx), regs);
}
