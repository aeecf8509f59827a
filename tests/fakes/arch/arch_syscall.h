/* SPDX-License-Identifier: Apache-2.0 OR MIT */
/*
 * Host-test stand-in for an architecture's <arch/arch_syscall.h>: the syscall is the one the
 * test or the fake's script set (fake_arch_set_syscall); returns are recorded in the context.
 */
#pragma once

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>

static inline void arch_get_syscall(const struct arch_context *ctx, struct arch_syscall *out)
{
    out->class_num = ctx->pending_class;
    out->args = ctx->pending_args;
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
