/* SPDX-License-Identifier: Apache-2.0 OR MIT */
/*
 * RV32 process context: initial state, upcalls, syscall decoding and return values, faults
 * (ABI §1.1, §1.12, §2.1).
 *
 * Invariants: a process's registers live in its struct arch_context whenever the kernel runs;
 * the kernel never reads process memory here (RISC-V passes everything in registers).
 */
#include "arch/riscv.h"
#include "kernel/arch.h"
#include "kernel/debug.h"
#include "format.h"

#include <stddef.h>

#define REG_RA 1u
#define REG_SP 2u
#define MCAUSE_INTERRUPT 0x80000000u
#define MCAUSE_ECALL_FROM_USER 8u

void riscv_switch_to_user(struct arch_context *ctx);
__attribute__((noreturn)) void riscv_kernel_trap(uint32_t mcause, uint32_t mepc, uint32_t mtval);

uint32_t arch_initial_app_brk_size(void)
{
    return 0;
}

void arch_context_init(struct arch_context *ctx, struct arch_bounds bounds)
{
    *ctx = (struct arch_context){ .pc = 0 };
    ctx->regs[REG_SP] = (uint32_t)bounds.app_brk;
}

err_t arch_push_upcall(struct arch_context *ctx, struct arch_bounds bounds,
                       const struct upcall_task *task)
{
    (void)bounds;
    for (uint32_t i = 0; i < 4; i++) {
        ctx->regs[RISCV_REG_A0 + i] = task->args[i];
    }
    ctx->regs[REG_RA] = ctx->pc;
    ctx->pc = task->fn;
    return ERR_OK;
}

/* Not an mcause the hardware reports: a syscall the fast path finished, but the kernel loop
 * must run before the process does. */
#define MCAUSE_SYSCALL_DONE 0x7FFFFFFFu

/* The running process: set by each switch from the kernel and by each KERNEL_FAST_SWITCH
 * (trap.S reads it after TRAP_SWITCHED). */
struct arch_context *riscv_running;

/* What riscv_syscall_trap tells the trap entry: 0 resumes the process, TRAP_SWITCHED runs
 * riscv_running instead (after saving s0-s11 in the blocked one), anything else returns to the
 * kernel (ctx->mcause says why). */
#define TRAP_SWITCHED 2u
uint32_t riscv_syscall_trap(struct arch_context *ctx);

uint32_t riscv_syscall_trap(struct arch_context *ctx)
{
    ctx->pc += 4; /* past the ecall */
    static struct kernel_fast_switch next; /* static: no stack frame on the fast path */
    switch (kernel_syscall_fast(ctx, &next)) {
    case KERNEL_FAST_RESUME:
        return 0;
    case KERNEL_FAST_SWITCH:
        riscv_running = next.ctx; /* no bounds: the trap reads nothing from process memory */
        return TRAP_SWITCHED;
    case KERNEL_FAST_STOP:
        ctx->mcause = MCAUSE_SYSCALL_DONE;
        return 1;
    case KERNEL_FAST_DEFER:
        break;
    }
    return 1;
}

enum arch_switch_reason arch_switch_to_process(struct arch_context *ctx, struct arch_bounds bounds,
                                               struct arch_context **trapped)
{
    (void)bounds; /* nothing is read from process memory: registers live in ctx */
    riscv_running = ctx;
    riscv_switch_to_user(ctx);
    ctx = riscv_running; /* the process that trapped */
    *trapped = ctx;
    if ((ctx->mcause & MCAUSE_INTERRUPT) != 0 || ctx->mcause == MCAUSE_SYSCALL_DONE) {
        return ARCH_SWITCH_INTERRUPTED;
    }
    if (ctx->mcause == MCAUSE_ECALL_FROM_USER) {
        return ARCH_SWITCH_SYSCALL; /* the trap advanced pc */
    }
    return ARCH_SWITCH_FAULT;
}

static const char *cause_name(uint32_t mcause)
{
    switch (mcause) {
    case 0:
        return "instruction address misaligned";
    case 1:
        return "instruction access fault";
    case 2:
        return "illegal instruction";
    case 3:
        return "breakpoint";
    case 4:
        return "load address misaligned";
    case 5:
        return "load access fault";
    case 6:
        return "store address misaligned";
    case 7:
        return "store access fault";
    default:
        return "exception";
    }
}

void arch_fault_describe(const struct arch_context *ctx, char *buf, size_t len)
{
    format_to_buffer(buf, len, "%s at 0x%08x (mcause %u, pc 0x%08x)", cause_name(ctx->mcause),
                     (unsigned)ctx->mtval, (unsigned)ctx->mcause, (unsigned)ctx->pc);
}

void arch_print_context(const struct arch_context *ctx)
{
    static const char *const names[32] = { "zero", "ra", "sp", "gp", "tp", "t0", "t1", "t2",
                                           "s0",   "s1", "a0", "a1", "a2", "a3", "a4", "a5",
                                           "a6",   "a7", "s2", "s3", "s4", "s5", "s6", "s7",
                                           "s8",   "s9", "s10", "s11", "t3", "t4", "t5", "t6" };
    debug_printf("  registers:\n");
    for (uint32_t i = 0; i < 32; i += 4) {
        debug_printf("    %-4s 0x%08x %-4s 0x%08x %-4s 0x%08x %-4s 0x%08x\n", names[i],
                     (unsigned)ctx->regs[i], names[i + 1], (unsigned)ctx->regs[i + 1],
                     names[i + 2], (unsigned)ctx->regs[i + 2], names[i + 3],
                     (unsigned)ctx->regs[i + 3]);
    }
    debug_printf("    pc 0x%08x mcause 0x%08x mtval 0x%08x\n", (unsigned)ctx->pc,
                 (unsigned)ctx->mcause, (unsigned)ctx->mtval);
}

void riscv_kernel_trap(uint32_t mcause, uint32_t mepc, uint32_t mtval)
{
    debug_printf("\nkernel fault: mcause 0x%08x (%s) mepc 0x%08x mtval 0x%08x\n",
                 (unsigned)mcause, cause_name(mcause), (unsigned)mepc, (unsigned)mtval);
    kernel_panic("fault in the kernel");
}

void arch_halt(void)
{
    for (;;) {
        /* SAFETY: wfi only; machine interrupts are masked in the kernel. */
        __asm__ volatile("wfi");
    }
}
