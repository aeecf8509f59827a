/* SPDX-License-Identifier: Apache-2.0 OR MIT */
/*
 * Upcall bookkeeping around the per-process queues (upcall_queue.c): queueing (with the
 * completion of a matching Yield-WaitFor on a full queue, and reclaim), and the ready hooks
 * through which drivers that hold events learn when a process can take them. A hot file
 * (boards/boards.mk): every event of every driver is queued here.
 *
 * Invariants: an event is dropped (and counted in dropped_upcalls) only after every hook that
 * could free a slot was asked; hooks never call back into the process synchronously.
 */
#include "kernel/arch.h"
#include "kernel/kernel.h"
#include "kernel/yield_wait.h"

#include "container.h"

#include <stddef.h>

/* waits_for, and p holds no older match (which the wait would take first): for a task bound
 * for the ring the ring alone can hold one (an identity with a latched slot pending has its
 * events go to that slot, never the ring). */
static inline bool completes_ring_wait(const struct process *p, const struct upcall_task *task)
{
    return process_waits_for(p, task) &&
           !upcall_queue_ring_has_match(&p->queue, task->driver_num, task->subscribe_num);
}

err_t process_enqueue(struct process *p, const struct upcall_task *task)
{
    if (!process_is_alive(p)) {
        return ERR_FAIL;
    }
    err_t err = upcall_queue_push(&p->queue, task);
    if (err == ERR_OK) {
        return ERR_OK;
    }
    /* Full queue: an event the process is blocked waiting for is never the one lost. It needs
     * no queue space: the wait completes here, exactly as the scheduler would complete it. */
    if (completes_ring_wait(p, task)) {
        process_complete_wait(p, task);
        return ERR_OK;
    }
    return err;
}


void kernel_add_upcall_ready_hook(struct kernel *k, struct upcall_ready_hook *hook)
{
    list_prepend(&k->ready_hooks, &hook->node);
}

/* Out of line, so the call that queues (kernel_enqueue_upcall) stays small. */
__attribute__((noinline)) err_t kernel_enqueue_upcall_reclaim(struct kernel *k, struct process *p,
                                                              const struct upcall_task *task)
{
    err_t err = ERR_NOMEM;
    for (struct list_node *n = k->ready_hooks.head; n != NULL; n = n->next) {
        struct upcall_ready_hook *h = CONTAINER_OF(n, struct upcall_ready_hook, node);
        if (h->reclaim != NULL && h->driver_num != task->driver_num && h->reclaim(h, p)) {
            return process_enqueue(p, task); /* a slot is free now */
        }
    }
    p->dropped_upcalls++;
    return err;
}

err_t kernel_enqueue_upcall(struct kernel *k, struct process *p, const struct upcall_task *task)
{
    err_t err = process_enqueue(p, task);
    if (err != ERR_NOMEM) {
        return err;
    }
    return kernel_enqueue_upcall_reclaim(k, p, task);
}


/* p just took an upcall: hooks holding events for lack of room may queue them now. */
void kernel_offer_room(struct kernel *k, struct process *p)
{
    p->after_upcall &= (uint8_t)~PROCESS_AFTER_UPCALL_ROOM;
    for (struct list_node *n = k->ready_hooks.head; n != NULL; n = n->next) {
        struct upcall_ready_hook *h = CONTAINER_OF(n, struct upcall_ready_hook, node);
        if (h->on_room != NULL) {
            h->on_room(h, p);
        }
    }
}

/* p can now take events on (driver_num, subscribe_num): tell the hooks that hold some. */
void kernel_run_ready_hooks(struct kernel *k, struct process *p, uint32_t driver_num,
                            uint32_t subscribe_num)
{
    for (struct list_node *n = k->ready_hooks.head; n != NULL; n = n->next) {
        struct upcall_ready_hook *h = CONTAINER_OF(n, struct upcall_ready_hook, node);
        if (h->driver_num == driver_num) {
            h->on_ready(h, subscribe_num, p->pid);
        }
    }
}
