/* SPDX-License-Identifier: Apache-2.0 OR MIT */
/*
 * Latched upcalls, the kernel's side (record 030): the boards' storage, scheduling an event of
 * a latched subscribe (grant_schedule_upcall), and a Yield-WaitFor that finds its event
 * latched. The slots themselves are upcall_latched.c's.
 *
 * Usage: linked with upcall_latched.c (boards/boards.mk); latched_delivery_none.c in images
 * without latched drivers.
 *
 * Invariants: a process in Yield-WaitFor never holds a latched event of the identity it waits
 * for (it completes the wait when scheduled, or when the wait begins or resumes), so the
 * scheduler's readiness test looks at the ring only.
 */
#include "kernel/arch.h"
#include "kernel/kernel.h"
#include "kernel/yield_wait.h"

#include <stddef.h>

void kernel_set_latched_slots(struct kernel *k, struct upcall_latched *slots, uint32_t count)
{
    k->latched_slots = slots;
    k->latched_slot_count = count;
}

/* p waits in Yield-WaitFor for exactly this task's identity and holds no older match (which
 * the wait would take first). */
static bool completes_wait(const struct process *p, const struct upcall_task *task)
{
    return process_waits_for(p, task) &&
           !upcall_queue_has_match(&p->queue, task->driver_num, task->subscribe_num);
}

err_t kernel_enqueue_upcall_above_ring(struct kernel *k, struct process *p,
                                       const struct upcall_task *task, bool is_latched)
{
    if (!process_is_alive(p)) {
        return ERR_FAIL;
    }
    if (is_latched) {
        /* p blocked in Yield-WaitFor on exactly this identity, with nothing of it pending: the
         * wait completes now (delivered inside the yield, as the scheduler would, without a
         * slot and a later lookup). This keeps a waiting process free of latched events it
         * waits for (process_is_ready looks at the ring only). */
        if (completes_wait(p, task)) {
            process_complete_wait(p, task);
            return ERR_OK;
        }
        /* Else the slot: the scheduler sees it through queue.pending and, for a function,
         * queue.wakes. */
        if (upcall_queue_latch(&p->queue, task) == ERR_OK) {
            return ERR_OK;
        }
    }
    /* Not latched, or every latched slot holds another identity: the ring, as
     * kernel_enqueue_upcall does (its own copy, so that one keeps its one caller). */
    err_t err = process_enqueue(p, task);
    if (err != ERR_NOMEM) {
        return err;
    }
    return kernel_enqueue_upcall_reclaim(k, p, task);
}

bool process_wait_takes_latched(struct process *p)
{
    struct upcall_task task;
    if (p->queue.latched == 0 ||
        !upcall_queue_take_match(&p->queue, p->yield_driver, p->yield_subscribe, &task)) {
        return false;
    }
    process_complete_wait(p, &task);
    return true;
}
