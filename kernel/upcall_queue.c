/* SPDX-License-Identifier: Apache-2.0 OR MIT */
/*
 * Upcall queue (see upcall_queue.h). A small array kept in arrival order; removal shifts the
 * tail down, which for 9 entries is cheaper and simpler than a ring with holes.
 *
 * Invariant: functions == the number of UPCALL_FUNCTION tasks in tasks[0..count) (every change
 * of the array goes through push, remove_at or clear), so "would Yield-Wait wake?" is one load.
 * The latched slots are upcall_latched.c's; this file only asks it, when q->latched says there
 * is something to ask about.
 */
#include "kernel/upcall_queue.h"

#include <stddef.h>

/* Out of line, one loop for every removal: the scheduler's delivery calls it last (through
 * upcall_queue_drop_head_function), so its common case, one task queued, needs no registers the
 * call would make it save. */
__attribute__((noinline)) void upcall_queue_close_gap(struct upcall_queue *q, uint32_t index)
{
    for (uint32_t i = index; i < q->count; i++) {
        q->tasks[i] = q->tasks[i + 1];
    }
}

static void remove_at(struct upcall_queue *q, uint32_t index)
{
    if (q->tasks[index].kind == UPCALL_FUNCTION) {
        q->functions--;
    }
    q->count--;
    upcall_queue_close_gap(q, index);
}

static bool matches(const struct upcall_task *t, uint32_t driver_num, uint32_t subscribe_num)
{
    return t->driver_num == driver_num && t->subscribe_num == subscribe_num;
}

/* ---- the ring ---- */

void upcall_queue_clear(struct upcall_queue *q)
{
    q->pending = 0;
    q->wakes = 0;
    if (q->latched_slots != NULL) {
        q->latched_slots->functions = 0;
    }
}

err_t upcall_queue_push(struct upcall_queue *q, const struct upcall_task *task)
{
    if (q->count >= UPCALL_QUEUE_CAPACITY) {
        return ERR_NOMEM;
    }
    q->tasks[q->count++] = *task;
    if (task->kind == UPCALL_FUNCTION) {
        q->functions++;
    }
    return ERR_OK;
}

const struct upcall_task *upcall_queue_skip_null_records(struct upcall_queue *q)
{
    while (q->count > 0 && q->tasks[0].kind != UPCALL_FUNCTION) {
        remove_at(q, 0);
    }
    return q->count > 0 ? &q->tasks[0] : NULL;
}

bool upcall_queue_pop_function(struct upcall_queue *q, struct upcall_task *out)
{
    const struct upcall_task *head = upcall_queue_head_function(q);
    if (head == NULL) {
        head = upcall_queue_latched_to_ring(q);
    }
    if (head == NULL) {
        return false;
    }
    *out = *head;
    upcall_queue_drop_head_function(q);
    return true;
}

const struct upcall_task *upcall_queue_first_function(const struct upcall_queue *q)
{
    for (uint32_t i = 0; i < q->count; i++) {
        if (q->tasks[i].kind == UPCALL_FUNCTION) {
            return &q->tasks[i];
        }
    }
    return q->latched_wakes != 0 ? upcall_latched_first_function(q) : NULL;
}

bool upcall_queue_ring_has_match(const struct upcall_queue *q, uint32_t driver_num,
                                 uint32_t subscribe_num)
{
    for (uint32_t i = 0; i < q->count; i++) {
        if (matches(&q->tasks[i], driver_num, subscribe_num)) {
            return true;
        }
    }
    return false;
}

bool upcall_queue_has_match(const struct upcall_queue *q, uint32_t driver_num,
                            uint32_t subscribe_num)
{
    return upcall_queue_ring_has_match(q, driver_num, subscribe_num) ||
           (q->latched != 0 && upcall_latched_has(q, driver_num, subscribe_num));
}

bool upcall_queue_ring_take_match(struct upcall_queue *q, uint32_t driver_num,
                                  uint32_t subscribe_num, struct upcall_task *out)
{
    for (uint32_t i = 0; i < q->count; i++) {
        if (matches(&q->tasks[i], driver_num, subscribe_num)) {
            *out = q->tasks[i];
            remove_at(q, i);
            return true;
        }
    }
    return false;
}

bool upcall_queue_take_match(struct upcall_queue *q, uint32_t driver_num, uint32_t subscribe_num,
                             struct upcall_task *out)
{
    return upcall_queue_ring_take_match(q, driver_num, subscribe_num, out) ||
           (q->latched != 0 && upcall_latched_take(q, driver_num, subscribe_num, out));
}

bool upcall_queue_take_newest_of(struct upcall_queue *q, uint32_t driver_num,
                                 struct upcall_task *out)
{
    for (uint32_t i = q->count; i > 0; i--) {
        if (q->tasks[i - 1].driver_num == driver_num) {
            *out = q->tasks[i - 1];
            remove_at(q, i - 1);
            return true;
        }
    }
    return false;
}

static void remove_where(struct upcall_queue *q, uint32_t driver_num, uint32_t subscribe_num,
                         bool functions_only)
{
    uint32_t i = 0;
    while (i < q->count) {
        const struct upcall_task *t = &q->tasks[i];
        if (matches(t, driver_num, subscribe_num) &&
            (!functions_only || t->kind == UPCALL_FUNCTION)) {
            remove_at(q, i);
        } else {
            i++;
        }
    }
}

/* Out of line: a subscribe with nothing queued or latched (the common case) pays one test. */
__attribute__((noinline)) static void resubscribed(struct upcall_queue *q, uint32_t driver_num,
                                                   uint32_t subscribe_num, const uint32_t slot[2])
{
    remove_where(q, driver_num, subscribe_num, true);
    if (q->latched != 0) {
        upcall_latched_resubscribed(q, driver_num, subscribe_num, slot);
    }
}

void upcall_queue_resubscribed(struct upcall_queue *q, uint32_t driver_num,
                               uint32_t subscribe_num, const uint32_t slot[2])
{
    if (q->pending != 0) {
        resubscribed(q, driver_num, subscribe_num, slot);
    }
}

void upcall_queue_remove_all(struct upcall_queue *q, uint32_t driver_num, uint32_t subscribe_num)
{
    remove_where(q, driver_num, subscribe_num, false);
    if (q->latched != 0) {
        upcall_latched_remove(q, driver_num, subscribe_num);
    }
}
