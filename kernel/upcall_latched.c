/* SPDX-License-Identifier: Apache-2.0 OR MIT */
/*
 * Latched upcalls (upcall_queue.h, doc/reference/030-latched-upcalls.md): a process's latched
 * slots, one per (driver, subscribe) identity with an event pending, newest event wins.
 *
 * The slots are a compact array in the order their identities became pending (an overwrite
 * keeps the place), so delivery order among them is that order. Nothing here is on a hot
 * path: the ring's functions call in only when q->latched says a slot is in use.
 *
 * Usage: linked into images whose drivers declare latched subscribes (boards/boards.mk), with
 * latched_delivery.c (the kernel's side: scheduling, Yield-WaitFor, the boards' storage).
 *
 * Invariants: see upcall_queue.h. Every change of the slots goes through upcall_queue_latch,
 * remove_at or upcall_queue_clear, which keep q->latched, the count, the function mask and its
 * copy in step (the count and mask are read only while q->latched is nonzero).
 */
#include "kernel/upcall_queue.h"

#include <stddef.h>

static void set_function_bit(struct upcall_queue *q, uint32_t index, bool is_function)
{
    struct upcall_latched *l = q->latched_slots;
    uint32_t bit = 1u << index;
    l->functions = (uint16_t)(is_function ? (l->functions | bit) : (l->functions & ~bit));
    q->latched_wakes = l->functions;
}

static void remove_at(struct upcall_queue *q, uint32_t index)
{
    struct upcall_latched *l = q->latched_slots;
    uint32_t n = l->count;
    for (uint32_t i = index; i + 1 < n; i++) {
        l->tasks[i] = l->tasks[i + 1];
    }
    /* The function bits above index move down one, like the tasks. */
    uint32_t below = (1u << index) - 1u;
    l->functions = (uint16_t)((l->functions & below) | ((l->functions >> 1) & ~below));
    l->count = (uint16_t)(n - 1u);
    q->latched_wakes = l->functions;
    q->latched = (uint16_t)(q->latched >> 1); /* one bit fewer, still from bit 0 up */
}

/* Index of this identity's slot, or UPCALL_LATCHED_SLOTS. */
static uint32_t find(const struct upcall_queue *q, uint32_t driver_num, uint32_t subscribe_num)
{
    const struct upcall_latched *l = q->latched_slots;
    uint32_t n = l->count;
    for (uint32_t i = 0; i < n; i++) {
        if (l->tasks[i].driver_num == driver_num && l->tasks[i].subscribe_num == subscribe_num) {
            return i;
        }
    }
    return UPCALL_LATCHED_SLOTS;
}

static uint32_t first_function(const struct upcall_queue *q)
{
    for (uint32_t i = 0; i < UPCALL_LATCHED_SLOTS; i++) {
        if (((uint32_t)q->latched_slots->functions >> i & 1u) != 0) {
            return i;
        }
    }
    return UPCALL_LATCHED_SLOTS;
}

err_t upcall_queue_latch(struct upcall_queue *q, const struct upcall_task *task)
{
    if (q->latched_slots == NULL) {
        return ERR_NOMEM;
    }
    uint32_t i = q->latched != 0 ? find(q, task->driver_num, task->subscribe_num)
                                 : UPCALL_LATCHED_SLOTS;
    if (i == UPCALL_LATCHED_SLOTS) {
        i = q->latched != 0 ? q->latched_slots->count : 0; /* the count is stale at 0 */
        if (i == UPCALL_LATCHED_SLOTS) {
            return ERR_NOMEM;
        }
        q->latched_slots->count = (uint16_t)(i + 1u);
        q->latched = (uint16_t)(q->latched | (1u << i));
    }
    q->latched_slots->tasks[i] = *task; /* newest wins; a pending one keeps its place */
    set_function_bit(q, i, task->kind == UPCALL_FUNCTION);
    return ERR_OK;
}

bool upcall_latched_take_first_function(struct upcall_queue *q, struct upcall_task *out)
{
    uint32_t i = first_function(q);
    if (i == UPCALL_LATCHED_SLOTS) {
        return false;
    }
    *out = q->latched_slots->tasks[i];
    remove_at(q, i);
    return true;
}

const struct upcall_task *upcall_latched_first_function(const struct upcall_queue *q)
{
    uint32_t i = first_function(q);
    return i == UPCALL_LATCHED_SLOTS ? NULL : &q->latched_slots->tasks[i];
}

bool upcall_latched_has(const struct upcall_queue *q, uint32_t driver_num, uint32_t subscribe_num)
{
    return find(q, driver_num, subscribe_num) != UPCALL_LATCHED_SLOTS;
}

bool upcall_latched_take(struct upcall_queue *q, uint32_t driver_num, uint32_t subscribe_num,
                         struct upcall_task *out)
{
    uint32_t i = find(q, driver_num, subscribe_num);
    if (i == UPCALL_LATCHED_SLOTS) {
        return false;
    }
    *out = q->latched_slots->tasks[i];
    remove_at(q, i);
    return true;
}

void upcall_latched_resubscribed(struct upcall_queue *q, uint32_t driver_num,
                                 uint32_t subscribe_num, const uint32_t slot[2])
{
    uint32_t i = find(q, driver_num, subscribe_num);
    if (i == UPCALL_LATCHED_SLOTS) {
        return;
    }
    /* The pending event stays and goes to the new subscription (null: Yield-WaitFor only). */
    struct upcall_task *t = &q->latched_slots->tasks[i];
    t->fn = slot[0];
    t->args[3] = slot[1];
    t->kind = slot[0] != 0 ? UPCALL_FUNCTION : UPCALL_NULL_RECORD;
    set_function_bit(q, i, t->kind == UPCALL_FUNCTION);
}

void upcall_latched_remove(struct upcall_queue *q, uint32_t driver_num, uint32_t subscribe_num)
{
    uint32_t i = find(q, driver_num, subscribe_num);
    if (i != UPCALL_LATCHED_SLOTS) {
        remove_at(q, i);
    }
}

const struct upcall_task *upcall_queue_latched_to_ring(struct upcall_queue *q)
{
    if (q->functions != 0 || q->latched_wakes == 0) {
        return NULL;
    }
    /* The ring holds null records only: Yield-Wait's delivery drops them (as
     * upcall_queue_skip_null_records would), then the latched event takes the head. */
    q->count = 0;
    if (!upcall_latched_take_first_function(q, &q->tasks[0])) {
        return NULL;
    }
    q->count = 1;
    q->functions = 1;
    return &q->tasks[0];
}
