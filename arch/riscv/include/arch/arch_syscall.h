/* SPDX-License-Identifier: Apache-2.0 OR MIT */
/*
 * RV32 syscall registers: the class is in a4, the arguments and return values in a0-a3, all
 * saved in the process's struct arch_context while the kernel runs. Included by kernel/arch.h
 * only (inline: these are on every syscall's path).
 */
#pragma once

#include <stdint.h>

#define RISCV_REG_A0 10u
#define RISCV_REG_A4 14u

static inline void arch_get_syscall(struct arch_context *ctx, struct arch_syscall *out)
{
    out->class_num = ctx->regs[RISCV_REG_A4];
    out->args = &ctx->regs[RISCV_REG_A0];
}

/* The four argument registers (a0-a3), also where return values and a pushed upcall's
 * arguments go. */
static inline const uint32_t *arch_syscall_args(const struct arch_context *ctx)
{
    return &ctx->regs[RISCV_REG_A0];
}

static inline void arch_set_syscall_return(struct arch_context *ctx,
                                           const struct syscall_registers *regs)
{
    syscall_registers_store(&ctx->regs[RISCV_REG_A0], regs);
}
