/* SPDX-License-Identifier: Apache-2.0 OR MIT */
/*
 * Fake architecture for host tests (see tests/fakes/arch/fake_arch.h).
 */
#include "arch/fake_arch.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "kernel/debug.h"

struct fake_arch_state fake_arch;

void fake_arch_reset(void)
{
    memset(&fake_arch, 0, sizeof fake_arch);
    fake_arch.initial_app_brk = 32;
    fake_arch.mpu_granularity = 1;
    fake_arch.ram_align = 8;
    fake_arch.fast_path = true;
    fake_arch.fault = (struct arch_fault){ .is_hardware_fault = true, .source = "",
                                           .kind = "fake fault" };
}

struct fake_arch_step *fake_arch_script(const struct arch_context *ctx,
                                        enum arch_switch_reason reason)
{
    if (fake_arch.script_len >= FAKE_ARCH_SCRIPT_MAX) {
        fprintf(stderr, "fake_arch: script full\n");
        abort();
    }
    struct fake_arch_step *step = &fake_arch.script[fake_arch.script_len++];
    memset(step, 0, sizeof *step);
    step->ctx = ctx;
    step->reason = reason;
    return step;
}

struct fake_arch_step *fake_arch_script_syscall(const struct arch_context *ctx, uint32_t class_num,
                                                uint32_t a0, uint32_t a1, uint32_t a2, uint32_t a3)
{
    struct fake_arch_step *step = fake_arch_script(ctx, ARCH_SWITCH_SYSCALL);
    step->class_num = class_num;
    step->args[0] = a0;
    step->args[1] = a1;
    step->args[2] = a2;
    step->args[3] = a3;
    return step;
}

void fake_arch_set_syscall(struct arch_context *ctx, uint32_t class_num, uint32_t a0, uint32_t a1,
                           uint32_t a2, uint32_t a3)
{
    ctx->pending_class = class_num;
    ctx->pending_args[0] = a0;
    ctx->pending_args[1] = a1;
    ctx->pending_args[2] = a2;
    ctx->pending_args[3] = a3;
    /* At the trap the argument registers hold the arguments. */
    memcpy(ctx->regs, ctx->pending_args, sizeof ctx->regs);
    ctx->return_count = 0;
}

/* ---- process state ---- */

uint32_t arch_initial_app_brk_size(void)
{
    return fake_arch.initial_app_brk;
}

void arch_context_init(struct arch_context *ctx, struct arch_bounds bounds)
{
    bool fail_push = ctx->fail_push;
    uint32_t inits = ctx->inits;
    memset(ctx, 0, sizeof *ctx);
    ctx->fail_push = fail_push;
    ctx->inits = inits + 1;
    ctx->init_mem_start = bounds.mem_start;
    ctx->init_app_brk = bounds.app_brk;
    arch_context_set_bounds(ctx, bounds);
    ctx->sp = (uint32_t)bounds.app_brk;
}

void arch_context_set_bounds(struct arch_context *ctx, struct arch_bounds bounds)
{
    ctx->bounds_mem_start = bounds.mem_start;
    ctx->bounds_app_brk = bounds.app_brk;
}

static struct arch_bounds bounds_of(const struct arch_context *ctx)
{
    return (struct arch_bounds){ ctx->bounds_mem_start, ctx->bounds_app_brk };
}

err_t arch_push_upcall(struct arch_context *ctx, const struct upcall_task *task)
{
    if (ctx->fail_push) {
        return ERR_FAIL;
    }
    ctx->upcalls_pushed++;
    ctx->upcall_fn = task->fn;
    memcpy(ctx->upcall_args, task->args, sizeof ctx->upcall_args);
    memcpy(ctx->regs, task->args, sizeof ctx->regs);
    ctx->pc = task->fn;
    return ERR_OK;
}

static void log_resume(const struct arch_context *ctx)
{
    if (fake_arch.switch_count < FAKE_ARCH_LOG_MAX) {
        fake_arch.ran[fake_arch.switch_count] = ctx;
        fake_arch.ran_slice_us[fake_arch.switch_count] = fake_arch.slice_started_us;
        fake_arch.ran_pc[fake_arch.switch_count] = ctx->pc;
        memcpy(fake_arch.ran_regs[fake_arch.switch_count], ctx->regs, sizeof ctx->regs);
        fake_arch.ran_return_count[fake_arch.switch_count] = ctx->return_count;
    }
    fake_arch.switch_count++;
}

/* The process runs its next scripted step; returns why it trapped. */
static enum arch_switch_reason run_step(struct arch_context *ctx)
{
    if (fake_arch.script_pos >= fake_arch.script_len) {
        fake_arch.script_underflows++;
        fake_arch_set_syscall(ctx, 0, 1, 0, 0, 0); /* Yield-Wait */
        return ARCH_SWITCH_SYSCALL;
    }
    const struct fake_arch_step *step = &fake_arch.script[fake_arch.script_pos++];
    if (step->ctx != NULL && step->ctx != ctx) {
        fake_arch.script_mismatches++;
    }
    if (step->hook != NULL) {
        step->hook();
    }
    if (step->expire) {
        fake_arch.slice_remaining_us = 0;
    } else if (step->remaining_us != 0) {
        fake_arch.slice_remaining_us = step->remaining_us;
    }
    if (step->reason == ARCH_SWITCH_SYSCALL) {
        fake_arch_set_syscall(ctx, step->class_num, step->args[0], step->args[1], step->args[2],
                              step->args[3]);
    }
    return step->reason;
}

enum arch_switch_reason arch_switch_to_process(struct arch_context *ctx,
                                               struct arch_context **trapped)
{
    fake_arch.last_bounds = bounds_of(ctx);
    for (;;) {
        *trapped = ctx;
        log_resume(ctx);
        enum arch_switch_reason reason = run_step(ctx);
        if (reason != ARCH_SWITCH_SYSCALL || !fake_arch.fast_path) {
            return reason;
        }
        struct kernel_fast_switch next = { 0 };
        switch (kernel_syscall_fast(ctx, &next)) {
        case KERNEL_FAST_DEFER:
            fake_arch.fast_defers++;
            return ARCH_SWITCH_SYSCALL;
        case KERNEL_FAST_STOP:
            fake_arch.fast_stops++;
            return ARCH_SWITCH_INTERRUPTED;
        case KERNEL_FAST_SWITCH:
            fake_arch.fast_switches++;
            ctx = next.ctx;
            fake_arch.last_bounds = bounds_of(ctx);
            break;
        case KERNEL_FAST_RESUME:
            fake_arch.fast_resumes++;
            break;
        }
        bool irq = fake_arch.interrupt_pending != NULL && fake_arch.interrupt_pending();
        if (irq || (fake_arch.slice_running && fake_arch.slice_remaining_us == 0)) {
            *trapped = ctx;
            return ARCH_SWITCH_INTERRUPTED; /* taken as the process resumes */
        }
    }
}

void arch_fault_info(const struct arch_context *ctx, struct arch_fault *fault)
{
    *fault = fake_arch.fault;
    if (!fault->pc_known) {
        fault->pc_known = true;
        fault->pc = ctx->pc;
    }
}

void arch_fault_print_status(const struct arch_context *ctx)
{
    debug_printf("  fake status: pc 0x%08x\n", (unsigned)ctx->pc);
}

void arch_print_context(const struct arch_context *ctx)
{
    debug_printf("  fake context: pc 0x%08x r0 0x%08x\n", (unsigned)ctx->pc,
                 (unsigned)ctx->regs[0]);
}

/* ---- memory protection ---- */

static uintptr_t align_up(uintptr_t value, uintptr_t align)
{
    return (value + align - 1u) & ~(align - 1u);
}

err_t arch_mpu_allocate_ram(struct arch_mpu *mpu, const struct arch_ram_request *req,
                            uintptr_t *mem_start, uint32_t *mem_size)
{
    mpu->generation++; /* may change: the kernel reloads the hardware */
    uintptr_t start = align_up(req->free_start, fake_arch.ram_align);
    if (req->fixed_start != 0 && start != req->fixed_start) {
        return ERR_INVAL;
    }
    uint64_t size = req->min_size > req->initial_app_size ? req->min_size : req->initial_app_size;
    size = (size + fake_arch.ram_align - 1u) & ~(uint64_t)(fake_arch.ram_align - 1u);
    /* In 64 bits: a size just below 2^32 must not round up to 0 (nor fit a pool without an
     * end: a block is at most 4 GiB - 1, like struct process's mem_size). */
    if (size > UINT32_MAX || start > req->free_end || size > req->free_end - start) {
        return ERR_NOMEM;
    }
    mpu->ram_start = start;
    mpu->ram_size = (uint32_t)size;
    *mem_start = start;
    *mem_size = (uint32_t)size;
    return ERR_OK;
}

uintptr_t arch_mpu_accessible_end(const struct arch_mpu *mpu)
{
    return mpu->accessible_end;
}

err_t arch_mpu_update_app_brk(struct arch_mpu *mpu, uintptr_t app_brk, uintptr_t kernel_brk)
{
    mpu->generation++; /* may change: the kernel reloads the hardware */
    uintptr_t end = align_up(app_brk, fake_arch.mpu_granularity);
    if (app_brk > kernel_brk || end > kernel_brk) {
        mpu->rejections++;
        return ERR_NOMEM;
    }
    mpu->app_brk = app_brk;
    mpu->kernel_brk = kernel_brk;
    mpu->accessible_end = end;
    mpu->updates++;
    return ERR_OK;
}

err_t arch_mpu_set_flash(struct arch_mpu *mpu, uintptr_t start, uint32_t size)
{
    mpu->generation++; /* may change: the kernel reloads the hardware */
    if (fake_arch.flash_reject) {
        return ERR_INVAL;
    }
    mpu->flash_start = start;
    mpu->flash_size = size;
    return ERR_OK;
}

/* The fake can share 4-aligned buffers whose length is a multiple of 4, in
 * fake_arch.shared_regions regions per process (one unless a test says more). */
bool arch_mpu_can_share(uintptr_t addr, uint32_t len)
{
    return len != 0 && (addr & 3u) == 0 && (len & 3u) == 0;
}

/* Region i of mpu's shared regions: 0 is {shared_start, shared_len}, 1..3 the others. */
static uintptr_t *shared_start_of(struct arch_mpu *mpu, uint32_t i)
{
    return i == 0 ? &mpu->shared_start : &mpu->more_shared_start[i - 1u];
}

static uint32_t *shared_len_of(struct arch_mpu *mpu, uint32_t i)
{
    return i == 0 ? &mpu->shared_len : &mpu->more_shared_len[i - 1u];
}

err_t arch_mpu_add_shared(struct arch_mpu *mpu, uintptr_t addr, uint32_t len)
{
    mpu->generation++; /* may change: the kernel reloads the hardware */
    if (!arch_mpu_can_share(addr, len)) {
        return ERR_INVAL;
    }
    uint32_t regions = fake_arch.shared_regions == 0 ? 1u : fake_arch.shared_regions;
    uint32_t free_region = regions;
    for (uint32_t i = 0; i < regions && i < 4u; i++) {
        if (*shared_len_of(mpu, i) == 0) {
            free_region = free_region == regions ? i : free_region;
        } else if (*shared_start_of(mpu, i) == addr && *shared_len_of(mpu, i) == len) {
            return ERR_OK;
        }
    }
    if (free_region >= regions || free_region >= 4u) {
        return ERR_NOMEM;
    }
    *shared_start_of(mpu, free_region) = addr;
    *shared_len_of(mpu, free_region) = len;
    return ERR_OK;
}

void arch_mpu_remove_shared(struct arch_mpu *mpu, uintptr_t start, uintptr_t end)
{
    mpu->generation++; /* may change: the kernel reloads the hardware */
    for (uint32_t i = 0; i < 4u; i++) {
        if (*shared_len_of(mpu, i) != 0 && *shared_start_of(mpu, i) >= start &&
            *shared_start_of(mpu, i) < end) {
            *shared_len_of(mpu, i) = 0;
        }
    }
}

void arch_mpu_configure(const struct arch_mpu *mpu)
{
    fake_arch.mpu_configures++;
    fake_arch.last_configured = mpu;
}

void arch_mpu_print(const struct arch_mpu *mpu)
{
    debug_printf("  fake mpu: app_brk 0x%08x kernel_brk 0x%08x\n", (unsigned)mpu->app_brk,
                 (unsigned)mpu->kernel_brk);
}

void arch_halt(void)
{
    fake_arch.halts++;
    if (fake_arch.halt_jmp != NULL) {
        longjmp(*fake_arch.halt_jmp, 1);
    }
    fprintf(stderr, "fake_arch: arch_halt without a test expecting it\n");
    abort();
}

/* ---- scheduler timer ---- */

void arch_timeslice_start(uint32_t us)
{
    fake_arch.slice_running = true;
    fake_arch.slice_started_us = us;
    fake_arch.slice_remaining_us = us;
    fake_arch.slice_starts++;
}

void arch_timeslice_set_full(uint32_t us)
{
    fake_arch.slice_full_us = us;
}

void arch_timeslice_start_full(void)
{
    arch_timeslice_start(fake_arch.slice_full_us);
}

bool arch_timeslice_expired(void)
{
    return fake_arch.slice_running && fake_arch.slice_remaining_us == 0;
}

uint32_t arch_timeslice_remaining_us(void)
{
    return fake_arch.slice_remaining_us;
}

void arch_timeslice_stop(void)
{
    fake_arch.slice_running = false;
}
