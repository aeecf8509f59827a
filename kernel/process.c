/* SPDX-License-Identifier: Apache-2.0 OR MIT */
/*
 * Process lifecycle and memory bookkeeping: start, terminate, restart, fault, brk, address checks.
 *
 * Invariants: see process.h. Every transition out of "alive" clears the grant table and the
 * upcall queue before exit hooks run. RAM is zero-filled as it becomes reachable: every byte a
 * process can read (up to the MPU/PMP's rounded end) was zeroed after any earlier instance (or
 * the previous boot) used it, or was written by this instance; so a restarted app sees exactly
 * the memory a freshly loaded one does.
 */
#include "container.h"
#include "kernel/arch.h"
#include "kernel/debug.h"
#include "kernel/kernel.h"
#include "kernel/sched.h"

#include <stddef.h>

/* Process memory the kernel hands out is zero (no data leaks from a previous instance). */
static void zero_memory(uintptr_t start, uint32_t len)
{
    /* SAFETY: [start, start + len) is inside the process's RAM block, owned by the kernel
     * while it changes the break or starts the process. memset moves whole words. */
    __builtin_memset((void *)start, 0, len);
}

bool process_in_app_ram(const struct process *p, uintptr_t addr, uint32_t len)
{
    return addr >= p->mem_start && addr <= p->app_brk && len <= p->app_brk - addr;
}

bool process_in_app_flash(const struct process *p, uintptr_t addr, uint32_t len)
{
    uintptr_t start = p->flash_start + p->protected_size;
    uintptr_t end = p->flash_start + p->flash_size;
    return addr >= start && addr <= end && len <= end - addr;
}

bool process_in_writeable_flash(const struct process *p, uintptr_t addr, uint32_t len)
{
    /* The loader refused any image whose regions leave [protected_size, flash_size): only the
     * request is checked here, with subtractions, so no value can wrap. */
    if (len == 0 || addr < p->flash_start || addr - p->flash_start > p->flash_size) {
        return false;
    }
    uint32_t at = (uint32_t)(addr - p->flash_start);
    for (uint32_t i = 0; i < p->writeable_region_count && i < PROCESS_MAX_WRITEABLE_REGIONS;
         i++) {
        uint32_t offset = p->writeable_regions[i][0];
        uint32_t size = p->writeable_regions[i][1];
        if (at >= offset && at - offset <= size && len <= size - (at - offset)) {
            return true;
        }
    }
    return false;
}

err_t process_set_brk(struct process *p, uintptr_t new_brk)
{
    if (new_brk < p->allow_high_water || new_brk < p->mem_start || new_brk > p->kernel_brk ||
        new_brk >= p->mem_start + p->mem_size) {
        return ERR_NOMEM;
    }
    err_t err = arch_mpu_update_app_brk(&p->mpu, new_brk, p->kernel_brk);
    if (err != ERR_OK) {
        return ERR_NOMEM;
    }
    if (new_brk > p->app_brk) {
        /* Up to the hardware's rounded end: every byte the process can newly reach. */
        uintptr_t end = arch_mpu_accessible_end(&p->mpu);
        zero_memory(p->app_brk, (uint32_t)(end - p->app_brk));
    }
    p->app_brk = new_brk;
    arch_context_set_bounds(&p->context, (struct arch_bounds){ p->mem_start, new_brk });
    return ERR_OK;
}

static void run_exit_hooks(struct kernel *k, struct process_id pid)
{
    for (struct list_node *n = k->exit_hooks.head; n != NULL; n = n->next) {
        struct process_exit_hook *h = CONTAINER_OF(n, struct process_exit_hook, node);
        h->on_exit(h, pid);
    }
}

/* Leave the alive states: no grants, no queued work, no mappings of other processes' buffers,
 * not schedulable. */
void process_end(struct kernel *k, struct process *p, enum process_state new_state)
{
    struct process_id pid = p->pid;
    bool was_alive = process_is_alive(p);
    p->state = new_state;
    p->on_probation = false;
    upcall_queue_clear(&p->queue);
    p->after_upcall &= (uint8_t)~PROCESS_AFTER_UPCALL_ROOM; /* a trace stays on */
    arch_mpu_remove_shared(&p->mpu, 0, UINTPTR_MAX);
    for (uint32_t i = 0; i < PROCESS_MAX_GRANTS; i++) {
        p->grant_pointers[i] = 0;
    }
    p->grants_entered = 0;
    if (was_alive) {
        run_exit_hooks(k, pid);
    }
}

/* Fresh memory and registers, entry call queued: the process runs _start when scheduled. */
static err_t start_instance(struct kernel *k, struct process *p)
{
    p->pid.id = k->next_process_id++;
    p->restart_pending = false;
    sched_started(k, p);
    if (p->pid.index >= k->slot_limit) {
        k->slot_limit = p->pid.index + 1u;
    }
    /* No block-wide clear: RAM is zero-filled as it becomes reachable, the process's part by
     * process_set_brk (below, and at every growth) and each grant by its allocation, so the
     * new instance never reads what an earlier one (or the previous boot) left. */
    p->kernel_brk = p->mem_start + p->mem_size;
    p->initial_kernel_brk = p->kernel_brk;
    p->allow_high_water = p->mem_start;
    p->app_brk = p->mem_start;
    p->debug_stack_top = 0;
    p->debug_heap_start = 0;
    arch_mpu_remove_shared(&p->mpu, 0, UINTPTR_MAX);
    err_t err = process_set_brk(p, p->mem_start + arch_initial_app_brk_size());
    if (err != ERR_OK) {
        return err;
    }
    struct arch_bounds bounds = { p->mem_start, p->app_brk };
    arch_context_init(&p->context, bounds);
    p->queue.latched_slots =
        p->pid.index < k->latched_slot_count ? &k->latched_slots[p->pid.index] : NULL;
    upcall_queue_clear(&p->queue);
    struct upcall_task entry = {
        .kind = UPCALL_FUNCTION,
        .driver_num = UPCALL_DRIVER_KERNEL,
        .subscribe_num = 0,
        .fn = (uint32_t)p->entry_point,
        .args = { (uint32_t)(p->flash_start + p->protected_size), (uint32_t)p->mem_start,
                  p->mem_size, (uint32_t)p->app_brk },
    };
    p->state = PROCESS_YIELDED;
    return upcall_queue_push(&p->queue, &entry);
}

err_t process_start(struct kernel *k, struct process *p)
{
    return start_instance(k, p);
}

void process_terminate(struct kernel *k, struct process *p, uint32_t completion_code)
{
    p->completion_code = completion_code;
    p->fault_streak = 0; /* a clean end */
    process_end(k, p, PROCESS_TERMINATED);
}

void process_restart(struct kernel *k, struct process *p)
{
    process_end(k, p, PROCESS_TERMINATED);
    p->restart_count++;
    p->fault_streak = 0; /* callers that restart within a streak set it again afterwards */
    if (start_instance(k, p) != ERR_OK) {
        debug_printf("[kernel] process %s: ", p->name);
        debug_printf("restart failed, stopped\n");
        process_end(k, p, PROCESS_FAULTED);
    }
}

void process_clear_ram(struct process *p)
{
    zero_memory(p->mem_start, p->mem_size);
}

err_t process_stop(struct process *p)
{
    if (!process_is_alive(p)) {
        return ERR_OFF;
    }
    if (p->state == PROCESS_STOPPED) {
        return ERR_ALREADY;
    }
    p->state_before_stop = p->state;
    p->state = PROCESS_STOPPED;
    return ERR_OK;
}

err_t process_resume(struct process *p)
{
    if (!process_is_alive(p)) {
        return ERR_OFF;
    }
    if (p->state != PROCESS_STOPPED) {
        return ERR_ALREADY;
    }
    p->state = p->state_before_stop;
    if (p->state == PROCESS_YIELDED_FOR) {
        (void)process_wait_takes_latched(p); /* one may have come while it was stopped */
    }
    return ERR_OK;
}

err_t process_boot(struct kernel *k, struct process *p)
{
    if (p->state == PROCESS_EMPTY) {
        return ERR_NODEVICE;
    }
    if (process_is_alive(p)) {
        return ERR_ALREADY;
    }
    p->fault_streak = 0; /* a fresh start: the next fault is the first of a streak */
    err_t err = start_instance(k, p);
    if (err != ERR_OK) {
        process_end(k, p, PROCESS_FAULTED);
    }
    return err;
}
