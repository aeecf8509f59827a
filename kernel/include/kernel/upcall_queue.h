/* SPDX-License-Identifier: Apache-2.0 OR MIT */
/*
 * A process's upcall queue: a FIFO of pending tasks, delivered only while the process yields.
 *
 * Capacity is UPCALL_QUEUE_CAPACITY (9, as in Tock: a 10-slot ring that keeps one slot free).
 * Function-call tasks run the subscribed function; null records stand for events on a slot that
 * holds the Null Upcall and are consumed only by Yield-WaitFor.
 *
 * Invariants: tasks[0..count) are in arrival order; removal keeps the order of the rest.
 */
#pragma once

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "errorcode.h"

#define UPCALL_QUEUE_CAPACITY 9u
#define UPCALL_DRIVER_KERNEL 0xFFFFFFFFu /* identity of the kernel's entry-point call */

enum upcall_kind {
    UPCALL_FUNCTION,    /* call fn(args[0..3]) in the process */
    UPCALL_NULL_RECORD, /* event for a Null Upcall slot: only Yield-WaitFor takes it */
};

struct upcall_task {
    enum upcall_kind kind;
    uint32_t driver_num;
    uint32_t subscribe_num;
    uint32_t fn;      /* process address of the function (UPCALL_FUNCTION) */
    uint32_t args[4]; /* r0-r3 / a0-a3; args[3] is the appdata */
};

struct upcall_queue {
    struct upcall_task tasks[UPCALL_QUEUE_CAPACITY];
    uint32_t count;
    uint32_t functions; /* how many of them are UPCALL_FUNCTION */
};

void upcall_queue_clear(struct upcall_queue *q);
/* ERR_NOMEM when full (the task is not queued). */
MUST_CHECK err_t upcall_queue_push(struct upcall_queue *q, const struct upcall_task *task);
/* True when a function-call task is queued (Yield-Wait would wake). */
static inline bool upcall_queue_has_function(const struct upcall_queue *q)
{
    return q->functions != 0;
}
/* Drop leading null records, then pop the first task if it is a function call. */
bool upcall_queue_pop_function(struct upcall_queue *q, struct upcall_task *out);
/* The same in two steps, for a caller that reads the task where it lies (inline: the
 * scheduler's delivery; the rare cases are out of line). */
const struct upcall_task *upcall_queue_skip_null_records(struct upcall_queue *q);
void upcall_queue_shift_down(struct upcall_queue *q);
/* Drop leading null records and return the first task if it is a function call (it stays
 * queued until upcall_queue_drop_head_function, and valid until the queue changes), else NULL. */
static inline const struct upcall_task *upcall_queue_head_function(struct upcall_queue *q)
{
    if (q->count != 0 && q->tasks[0].kind == UPCALL_FUNCTION) {
        return &q->tasks[0];
    }
    return upcall_queue_skip_null_records(q);
}
/* The first task if it is a function call, else NULL (null records stay: a caller that finds
 * none drops them with upcall_queue_skip_null_records). */
static inline const struct upcall_task *upcall_queue_head_if_function(const struct upcall_queue *q)
{
    return q->count != 0 && q->tasks[0].kind == UPCALL_FUNCTION ? &q->tasks[0] : NULL;
}
/* Remove the first task, which upcall_queue_head_function just returned. */
static inline void upcall_queue_drop_head_function(struct upcall_queue *q)
{
    q->functions--;
    q->count--;
    if (q->count != 0) {
        upcall_queue_shift_down(q);
    }
}
/* The task upcall_queue_pop_function would pop (the first function call), or NULL. */
const struct upcall_task *upcall_queue_first_function(const struct upcall_queue *q);
/* True when a task (either kind) with this identity is queued. */
bool upcall_queue_has_match(const struct upcall_queue *q, uint32_t driver_num,
                            uint32_t subscribe_num);
/* Remove and return the first task with this identity. */
bool upcall_queue_take_match(struct upcall_queue *q, uint32_t driver_num, uint32_t subscribe_num,
                             struct upcall_task *out);
/* Remove and return the newest task of driver_num (a driver taking one back to hold it). */
bool upcall_queue_take_newest_of(struct upcall_queue *q, uint32_t driver_num,
                                 struct upcall_task *out);
/* Remove every function-call task with this identity (after a subscribe swap). */
void upcall_queue_remove_functions(struct upcall_queue *q, uint32_t driver_num,
                                   uint32_t subscribe_num);
/* Remove every task with this identity (a capsule cancelling its events). */
void upcall_queue_remove_all(struct upcall_queue *q, uint32_t driver_num, uint32_t subscribe_num);
