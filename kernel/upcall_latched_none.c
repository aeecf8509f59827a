/* SPDX-License-Identifier: Apache-2.0 OR MIT */
/*
 * Latched upcalls left out (upcall_queue.h): for images whose drivers declare no latched
 * subscribes (CONFIG=core). Every latch is refused, so an event of a latched subscribe, if
 * one were declared, would take the ring like any other; q->latched stays 0, so the queue
 * never calls the rest.
 *
 * Usage: linked instead of upcall_latched.c, with latched_delivery_none.c (boards/boards.mk).
 *
 * Invariants: q->latched is never set here.
 */
#include "kernel/upcall_queue.h"

#include <stddef.h>

err_t upcall_queue_latch(struct upcall_queue *q, const struct upcall_task *task)
{
    (void)q;
    (void)task;
    return ERR_NOMEM;
}

bool upcall_latched_take_first_function(struct upcall_queue *q, struct upcall_task *out)
{
    (void)q;
    (void)out;
    return false;
}

const struct upcall_task *upcall_latched_first_function(const struct upcall_queue *q)
{
    (void)q;
    return NULL;
}

bool upcall_latched_has(const struct upcall_queue *q, uint32_t driver_num, uint32_t subscribe_num)
{
    (void)q;
    (void)driver_num;
    (void)subscribe_num;
    return false;
}

bool upcall_latched_take(struct upcall_queue *q, uint32_t driver_num, uint32_t subscribe_num,
                         struct upcall_task *out)
{
    (void)q;
    (void)driver_num;
    (void)subscribe_num;
    (void)out;
    return false;
}

void upcall_latched_resubscribed(struct upcall_queue *q, uint32_t driver_num,
                                 uint32_t subscribe_num, const uint32_t slot[2])
{
    (void)q;
    (void)driver_num;
    (void)subscribe_num;
    (void)slot;
}

void upcall_latched_remove(struct upcall_queue *q, uint32_t driver_num, uint32_t subscribe_num)
{
    (void)q;
    (void)driver_num;
    (void)subscribe_num;
}

const struct upcall_task *upcall_queue_latched_to_ring(struct upcall_queue *q)
{
    (void)q; /* called when the ring holds no function call; nothing is ever latched */
    return NULL;
}
