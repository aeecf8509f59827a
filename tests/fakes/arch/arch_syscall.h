/* SPDX-License-Identifier: Apache-2.0 OR MIT */
/*
 * Host-test stand-in for an architecture's <arch/arch_syscall.h>: the syscall is the one the
 * test or the fake's script set (fake_arch_set_syscall); returns are recorded in the context.
 */
#pragma once

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>

/* The argument registers are regs (fake_arch_set_syscall copied the arguments there), where a
 * command's driver also writes its result: return_count counts only arch_set_syscall_return. */
static inline void arch_get_syscall(struct arch_context *ctx, struct arch_syscall *out)
{
    out->class_num = ctx->pending_class;
    out->args = ctx->regs;
}

/* The argument registers, also where returns and a pushed upcall's arguments go. */
static inline const uint32_t *arch_syscall_args(const struct arch_context *ctx)
{
    return ctx->regs;
}

static inline void arch_set_syscall_return(struct arch_context *ctx,
                                           const struct syscall_registers *regs)
{
    if (regs->count > 4) {
        fprintf(stderr, "fake_arch: %u return registers\n", (unsigned)regs->count);
        abort();
    }
    for (uint32_t i = 0; i < regs->count; i++) {
        ctx->regs[i] = regs->regs[i];
    }
    ctx->return_count = regs->count;
    ctx->return_writes++;
}
