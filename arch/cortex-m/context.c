/* SPDX-License-Identifier: Apache-2.0 OR MIT */
/*
 * Cortex-M process context: initial state, upcall frames, syscall decoding and return values,
 * and fault capture (ABI §1.1, §1.12, §2.1).
 *
 * Invariants: the kernel reads or writes a process's hardware frame only after checking that
 * [psp, psp + 32) lies inside [mem_start, app_brk); a process whose frame is outside faults.
 */
#include "arch/cortexm_frame.h"
#include "container.h"
#include "kernel/arch.h"
#include "kernel/debug.h"
#include "format.h"

#include <stddef.h>

#define FRAME_WORDS 8u
#define FRAME_R0 0u
#define FRAME_R12 4u
#define FRAME_LR 5u
#define FRAME_PC 6u
#define FRAME_XPSR 7u
#define XPSR_THUMB 0x01000000u

#define TRAP_SYSCALL 1u
#define TRAP_INTERRUPTED 2u
#define TRAP_FAULT 3u

#define SCB_CFSR 0xE000ED28u
#define SCB_HFSR 0xE000ED2Cu
#define SCB_MMFAR 0xE000ED34u
#define SCB_BFAR 0xE000ED38u
#define CFSR_MMARVALID (1u << 7)
#define CFSR_BFARVALID (1u << 15)

/* Written by the exception handlers (exceptions.S), read after the switch returns. */
volatile uint32_t cortexm_trap_reason;
volatile uint32_t cortexm_fault_exception;

uint32_t cortexm_switch_to_user(uint32_t *regs, uint32_t psp);
__attribute__((noreturn)) void cortexm_kernel_fault(const uint32_t *frame, uint32_t exc_return,
                                                    uint32_t ipsr);

static volatile uint32_t *reg(uint32_t address)
{
    /* SAFETY: System Control Block registers, always present on ARMv7-M. */
    return (volatile uint32_t *)address;
}

static uint32_t *frame_of(const struct arch_context *ctx)
{
    /* SAFETY: callers checked cortexm_frame_fits(ctx->psp, ctx->window) (the current bounds). */
    return (uint32_t *)(uintptr_t)ctx->psp;
}

uint32_t arch_initial_app_brk_size(void)
{
    return CORTEXM_FRAME_BYTES;
}

void arch_context_set_bounds(struct arch_context *ctx, struct arch_bounds bounds)
{
    ctx->window = cortexm_frame_window((uint32_t)bounds.mem_start, (uint32_t)bounds.app_brk);
}

void arch_context_init(struct arch_context *ctx, struct arch_bounds bounds)
{
    *ctx = (struct arch_context){ .psp = (uint32_t)bounds.app_brk - CORTEXM_FRAME_BYTES };
    arch_context_set_bounds(ctx, bounds);
    /* The zeroed 32 bytes at mem_start act as the frame of a yield at address 0. */
    frame_of(ctx)[FRAME_XPSR] = XPSR_THUMB;
}

err_t arch_push_upcall(struct arch_context *ctx, const struct upcall_task *task)
{
    if (!cortexm_frame_fits(ctx->psp, ctx->window)) {
        return ERR_FAIL;
    }
    uint32_t *frame = frame_of(ctx);
    uint32_t return_pc = frame[FRAME_PC];
    frame[FRAME_R0] = task->args[0];
    frame[FRAME_R0 + 1] = task->args[1];
    frame[FRAME_R0 + 2] = task->args[2];
    frame[FRAME_R0 + 3] = task->args[3];
    frame[FRAME_LR] = return_pc | 1u;
    frame[FRAME_PC] = task->fn & ~1u;
    frame[FRAME_XPSR] |= XPSR_THUMB;
    return ERR_OK;
}

static void latch_fault(struct arch_context *ctx)
{
    ctx->fault_exception = cortexm_fault_exception;
    ctx->cfsr = *reg(SCB_CFSR);
    ctx->hfsr = *reg(SCB_HFSR);
    ctx->mmfar = *reg(SCB_MMFAR);
    ctx->bfar = *reg(SCB_BFAR);
    *reg(SCB_CFSR) = ctx->cfsr; /* write-one-to-clear */
    *reg(SCB_HFSR) = ctx->hfsr;
    ctx->fault_latched = 1u;
    ctx->frame_valid = cortexm_frame_fits(ctx->psp, ctx->window) ? 1u : 0u;
    for (uint32_t i = 0; i < FRAME_WORDS; i++) {
        ctx->frame[i] = ctx->frame_valid != 0 ? frame_of(ctx)[i] : 0u;
    }
}

/* The running process: set by each switch from the kernel and by each KERNEL_FAST_SWITCH in
 * the trap; exceptions.S reads it. */
struct cortexm_running {
    struct arch_context *ctx;
    struct arch_context *blocked; /* after TRAP_SWITCHED: the process that blocked */
};
struct cortexm_running cortexm_running;
_Static_assert(offsetof(struct cortexm_running, ctx) == 0, "exceptions.S: ctx at 0");
_Static_assert(offsetof(struct cortexm_running, blocked) == 4, "exceptions.S: blocked at 4");
_Static_assert(offsetof(struct arch_context, regs) == 0, "exceptions.S: regs at 0");
_Static_assert(offsetof(struct arch_context, psp) == 32, "exceptions.S: CTX_PSP");

/* What cortexm_syscall_trap tells the SVC handler: 0 (resume the process), TRAP_SWITCHED
 * (save r4-r11 in cortexm_running.blocked, then run cortexm_running.ctx) or a trap reason for
 * the kernel loop. */
#define TRAP_SWITCHED 4u
uint32_t cortexm_syscall_trap(uint32_t psp);

uint32_t cortexm_syscall_trap(uint32_t psp)
{
    struct arch_context *ctx = cortexm_running.ctx;
    if (!cortexm_frame_fits_hw_psp(psp, ctx->window)) {
        return TRAP_SYSCALL; /* arch_switch_to_process faults the process */
    }
    ctx->psp = psp;
    static struct kernel_fast_switch next; /* static: no stack frame on the fast path */
    switch (kernel_syscall_fast(ctx, &next)) {
    case KERNEL_FAST_RESUME:
        return 0;
    case KERNEL_FAST_SWITCH:
        cortexm_running.blocked = ctx;
        cortexm_running.ctx = next.ctx;
        return TRAP_SWITCHED;
    case KERNEL_FAST_STOP:
        return TRAP_INTERRUPTED;
    case KERNEL_FAST_DEFER:
        break;
    }
    return TRAP_SYSCALL;
}

enum arch_switch_reason arch_switch_to_process(struct arch_context *ctx,
                                               struct arch_context **trapped)
{
    cortexm_running.ctx = ctx;
    cortexm_trap_reason = 0;
    uint32_t psp = cortexm_switch_to_user(ctx->regs, ctx->psp);
    ctx = cortexm_running.ctx; /* the process that trapped; its r4-r11 are saved */
    ctx->psp = psp;
    *trapped = ctx;
    uint32_t reason = cortexm_trap_reason;
    if (reason == TRAP_FAULT) {
        latch_fault(ctx);
        return ARCH_SWITCH_FAULT;
    }
    if (!cortexm_frame_fits(psp, ctx->window)) {
        cortexm_fault_exception = 0;
        latch_fault(ctx);
        return ARCH_SWITCH_FAULT;
    }
    return reason == TRAP_SYSCALL ? ARCH_SWITCH_SYSCALL : ARCH_SWITCH_INTERRUPTED;
}

/* The Configurable Fault Status Register's bits (ARMv7-M ARM B3.2.15), lowest first: the
 * MemManage byte, the BusFault byte, the UsageFault half-word. */
static const char *const cfsr_bit_names[32] = {
    [0] = "IACCVIOL",     [1] = "DACCVIOL",   [3] = "MUNSTKERR",  [4] = "MSTKERR",
    [5] = "MLSPERR",      [7] = "MMARVALID",  [8] = "IBUSERR",    [9] = "PRECISERR",
    [10] = "IMPRECISERR", [11] = "UNSTKERR",  [12] = "STKERR",    [13] = "LSPERR",
    [15] = "BFARVALID",   [16] = "UNDEFINSTR", [17] = "INVSTATE", [18] = "INVPC",
    [19] = "NOCP",        [24] = "UNALIGNED", [25] = "DIVBYZERO",
};
static const char *const hfsr_bit_names[32] = {
    [1] = "VECTTBL",
    [30] = "FORCED",
    [31] = "DEBUGEVT",
};

#define CFSR_IACCVIOL (1u << 0)
#define CFSR_DACCVIOL (1u << 1)
#define CFSR_MUNSTKERR (1u << 3)
#define CFSR_MSTKERR (1u << 4)
#define CFSR_IBUSERR (1u << 8)
#define CFSR_PRECISERR (1u << 9)
#define CFSR_IMPRECISERR (1u << 10)
#define CFSR_UNSTKERR (1u << 11)
#define CFSR_STKERR (1u << 12)

/* The fault's kind by the status bit that best explains it, most specific first: a stacking
 * error is checked before the address-valid bits, because a push that overflows the stack is
 * what a stack overflow looks like, whatever else the hardware latched. */
struct cfsr_kind {
    const char *what;
    uint8_t bit; /* in the CFSR */
    uint8_t access; /* enum arch_access */
};
static const struct cfsr_kind cfsr_kinds[] = {
    { "stacking error", 4, ARCH_ACCESS_STACKING },     /* MSTKERR */
    { "stacking error", 12, ARCH_ACCESS_STACKING },    /* STKERR */
    { "unstacking error", 3, ARCH_ACCESS_READ },       /* MUNSTKERR */
    { "unstacking error", 11, ARCH_ACCESS_READ },      /* UNSTKERR */
    { "instruction access violation", 0, ARCH_ACCESS_EXECUTE },
    { "data access violation", 1, ARCH_ACCESS_UNKNOWN },
    { "instruction bus error", 8, ARCH_ACCESS_EXECUTE },
    { "bus error", 9, ARCH_ACCESS_UNKNOWN },           /* PRECISERR */
    { "imprecise bus error", 10, ARCH_ACCESS_UNKNOWN },
    { "undefined instruction", 16, ARCH_ACCESS_EXECUTE },
    { "invalid state (Thumb bit clear)", 17, ARCH_ACCESS_EXECUTE },
    { "invalid exception return", 18, ARCH_ACCESS_EXECUTE },
    { "no coprocessor", 19, ARCH_ACCESS_EXECUTE },
    { "unaligned access", 24, ARCH_ACCESS_UNKNOWN },
    { "divide by zero", 25, ARCH_ACCESS_EXECUTE },
};

static const char *exception_name(uint32_t exception)
{
    switch (exception) {
    case 3:
        return "HardFault";
    case 4:
        return "MemManage";
    case 5:
        return "BusFault";
    case 6:
        return "UsageFault";
    default:
        return "";
    }
}

static void print_bits(const char *name, uint32_t value, const char *const bit_names[32])
{
    debug_printf(" %s 0x%08x (", name, (unsigned)value);
    const char *separator = "";
    for (uint32_t bit = 0; bit < 32u; bit++) {
        if ((value & (1u << bit)) != 0) {
            debug_printf("%s%s", separator, bit_names[bit] != NULL ? bit_names[bit] : "reserved");
            separator = " ";
        }
    }
    debug_printf("%s)", value == 0 ? "none" : "");
}

void arch_fault_print_status(const struct arch_context *ctx)
{
    debug_printf("  status:");
    print_bits("CFSR", ctx->cfsr, cfsr_bit_names);
    print_bits("HFSR", ctx->hfsr, hfsr_bit_names);
    debug_printf(" MMFAR 0x%08x BFAR 0x%08x\n", (unsigned)ctx->mmfar, (unsigned)ctx->bfar);
}

static const struct cfsr_kind *kind_of(uint32_t cfsr)
{
    for (uint32_t i = 0; i < ARRAY_LEN(cfsr_kinds); i++) {
        if ((cfsr & (1u << cfsr_kinds[i].bit)) != 0) {
            return &cfsr_kinds[i];
        }
    }
    return NULL;
}

void arch_fault_info(const struct arch_context *ctx, struct arch_fault *fault)
{
    bool latched = ctx->fault_latched != 0;
    bool frame_readable =
        latched ? ctx->frame_valid != 0 : cortexm_frame_fits(ctx->psp, ctx->window);
    const uint32_t *frame = latched ? ctx->frame : frame_of(ctx);
    *fault = (struct arch_fault){
        .is_hardware_fault = latched,
        .source = "",
        .kind = "",
        .pc_known = frame_readable,
        .pc = frame_readable ? frame[FRAME_PC] : 0u,
        .lr = frame_readable ? frame[FRAME_LR] : 0u,
        .sp = ctx->psp,
    };
    if (!latched) {
        return;
    }
    const struct cfsr_kind *kind = kind_of(ctx->cfsr);
    fault->source = exception_name(ctx->fault_exception);
    if (ctx->fault_exception == 0) {
        /* Caught by the kernel, not the hardware: the frame would lie outside the process. */
        fault->kind = "stack pointer outside process memory";
        fault->access = ARCH_ACCESS_STACKING;
        fault->address_known = true;
        fault->address = ctx->psp;
    } else if (kind == NULL) {
        fault->kind = "no status bit set";
    } else {
        uint32_t bit = 1u << kind->bit;
        fault->kind = kind->what;
        fault->access = (enum arch_access)kind->access;
        if ((bit & (CFSR_MSTKERR | CFSR_STKERR | CFSR_MUNSTKERR | CFSR_UNSTKERR)) != 0) {
            /* The precise address where the hardware latched one, else the frame's base. */
            fault->address_known = true;
            fault->address = (ctx->cfsr & CFSR_MMARVALID) != 0   ? ctx->mmfar
                             : (ctx->cfsr & CFSR_BFARVALID) != 0 ? ctx->bfar
                                                                 : ctx->psp;
        } else if (bit == CFSR_DACCVIOL) {
            fault->address_known = (ctx->cfsr & CFSR_MMARVALID) != 0;
            fault->address = ctx->mmfar;
        } else if (bit == CFSR_PRECISERR) {
            fault->address_known = (ctx->cfsr & CFSR_BFARVALID) != 0;
            fault->address = ctx->bfar;
        } else if (fault->access == ARCH_ACCESS_EXECUTE) {
            fault->address_known = fault->pc_known;
            fault->address = fault->pc;
        }
    }
}

void arch_print_context(const struct arch_context *ctx)
{
    const uint32_t *f = ctx->frame;
    debug_printf("  registers (frame %s):\n", ctx->frame_valid != 0 ? "valid" : "unreadable");
    debug_printf("    r0  0x%08x r1  0x%08x r2  0x%08x r3  0x%08x\n", (unsigned)f[0],
                 (unsigned)f[1], (unsigned)f[2], (unsigned)f[3]);
    debug_printf("    r4  0x%08x r5  0x%08x r6  0x%08x r7  0x%08x\n", (unsigned)ctx->regs[0],
                 (unsigned)ctx->regs[1], (unsigned)ctx->regs[2], (unsigned)ctx->regs[3]);
    debug_printf("    r8  0x%08x r9  0x%08x r10 0x%08x r11 0x%08x\n", (unsigned)ctx->regs[4],
                 (unsigned)ctx->regs[5], (unsigned)ctx->regs[6], (unsigned)ctx->regs[7]);
    debug_printf("    r12 0x%08x sp  0x%08x lr  0x%08x pc  0x%08x xpsr 0x%08x\n",
                 (unsigned)f[FRAME_R12], (unsigned)ctx->psp, (unsigned)f[FRAME_LR],
                 (unsigned)f[FRAME_PC], (unsigned)f[FRAME_XPSR]);
    debug_printf("    cfsr 0x%08x hfsr 0x%08x mmfar 0x%08x bfar 0x%08x\n", (unsigned)ctx->cfsr,
                 (unsigned)ctx->hfsr, (unsigned)ctx->mmfar, (unsigned)ctx->bfar);
}

void cortexm_kernel_fault(const uint32_t *frame, uint32_t exc_return, uint32_t ipsr)
{
    debug_printf("\nkernel fault: exception %u, exc_return 0x%08x\n"
                 "  pc 0x%08x lr 0x%08x sp 0x%08x\n",
                 (unsigned)(ipsr & 0xFFu), (unsigned)exc_return, (unsigned)frame[FRAME_PC],
                 (unsigned)frame[FRAME_LR], (unsigned)(uintptr_t)frame);
    /* The same line as a process dump's (one string in the image). */
    debug_printf("    cfsr 0x%08x hfsr 0x%08x mmfar 0x%08x bfar 0x%08x\n", (unsigned)*reg(SCB_CFSR),
                 (unsigned)*reg(SCB_HFSR), (unsigned)*reg(SCB_MMFAR), (unsigned)*reg(SCB_BFAR));
    kernel_panic("fault in the kernel");
}

void arch_halt(void)
{
    /* SAFETY: masks interrupts; no clobbers beyond PRIMASK. */
    __asm__ volatile("cpsid i" ::: "memory");
    for (;;) {
        __asm__ volatile("wfi");
    }
}
