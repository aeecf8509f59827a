/* SPDX-License-Identifier: Apache-2.0 OR MIT */
/*
 * RV32 process context: initial state, upcalls, syscall decoding and return values, faults
 * (ABI §1.1, §1.12, §2.1).
 *
 * Invariants: a process's registers live in its struct arch_context whenever the kernel runs;
 * the kernel never reads process memory here (RISC-V passes everything in registers).
 */
#include "arch/riscv.h"
#include "container.h"
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

void arch_context_set_bounds(struct arch_context *ctx, struct arch_bounds bounds)
{
    (void)ctx; /* nothing is read from process memory: registers live in ctx */
    (void)bounds;
}

err_t arch_push_upcall(struct arch_context *ctx, const struct upcall_task *task)
{
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
        riscv_running = next.ctx;
        return TRAP_SWITCHED;
    case KERNEL_FAST_STOP:
        ctx->mcause = MCAUSE_SYSCALL_DONE;
        return 1;
    case KERNEL_FAST_DEFER:
        break;
    }
    return 1;
}

enum arch_switch_reason arch_switch_to_process(struct arch_context *ctx,
                                               struct arch_context **trapped)
{
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

/* The synchronous exception causes of the privileged architecture (mcause with the interrupt
 * bit clear), with what each access was. */
struct cause {
    const char *name;
    enum arch_access access;
    bool mtval_is_address;
};
static const struct cause causes[16] = {
    [0] = { "instruction address misaligned", ARCH_ACCESS_EXECUTE, true },
    [1] = { "instruction access fault", ARCH_ACCESS_EXECUTE, true },
    [2] = { "illegal instruction", ARCH_ACCESS_EXECUTE, false },
    [3] = { "breakpoint", ARCH_ACCESS_EXECUTE, false },
    [4] = { "load address misaligned", ARCH_ACCESS_READ, true },
    [5] = { "load access fault", ARCH_ACCESS_READ, true },
    [6] = { "store/AMO address misaligned", ARCH_ACCESS_WRITE, true },
    [7] = { "store/AMO access fault", ARCH_ACCESS_WRITE, true },
    [8] = { "environment call from U-mode", ARCH_ACCESS_EXECUTE, false },
    [9] = { "environment call from S-mode", ARCH_ACCESS_EXECUTE, false },
    [11] = { "environment call from M-mode", ARCH_ACCESS_EXECUTE, false },
    [12] = { "instruction page fault", ARCH_ACCESS_EXECUTE, true },
    [13] = { "load page fault", ARCH_ACCESS_READ, true },
    [15] = { "store/AMO page fault", ARCH_ACCESS_WRITE, true },
};

static const struct cause *cause_of(uint32_t mcause)
{
    static const struct cause unknown = { "reserved cause", ARCH_ACCESS_UNKNOWN, false };
    if (mcause < ARRAY_LEN(causes) && causes[mcause].name != NULL) {
        return &causes[mcause];
    }
    return &unknown;
}

static const char *cause_name(uint32_t mcause)
{
    return cause_of(mcause)->name;
}

#define REG_RA 1u
#define REG_SP 2u

void arch_fault_info(const struct arch_context *ctx, struct arch_fault *fault)
{
    /* registers live in ctx: nothing to check against the bounds */
    bool hardware = (ctx->mcause & MCAUSE_INTERRUPT) == 0 && ctx->mcause != MCAUSE_SYSCALL_DONE &&
                    ctx->mcause != MCAUSE_ECALL_FROM_USER;
    const struct cause *cause = cause_of(ctx->mcause);
    *fault = (struct arch_fault){
        .is_hardware_fault = hardware,
        .source = "",
        .kind = hardware ? cause->name : "",
        .access = hardware ? cause->access : ARCH_ACCESS_UNKNOWN,
        .address_known = hardware && (cause->mtval_is_address || cause->access == ARCH_ACCESS_EXECUTE),
        .address = cause->mtval_is_address ? ctx->mtval : ctx->pc,
        .pc_known = true,
        .pc = ctx->pc,
        .lr = ctx->regs[REG_RA],
        .sp = ctx->regs[REG_SP],
    };
}

void arch_fault_print_status(const struct arch_context *ctx)
{
    debug_printf("  status: mcause %u (%s), mtval 0x%08x\n", (unsigned)ctx->mcause,
                 cause_name(ctx->mcause), (unsigned)ctx->mtval);
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
