/* SPDX-License-Identifier: Apache-2.0 OR MIT */
/*
 * A process's upcall queue: a FIFO of pending tasks, delivered only while the process yields.
 *
 * Capacity is UPCALL_QUEUE_CAPACITY (9, as in Tock: a 10-slot ring that keeps one slot free).
 * Function-call tasks run the subscribed function; null records stand for events on a slot that
 * holds the Null Upcall and are consumed only by Yield-WaitFor.
 *
 * Latched upcalls (doc/reference/030-latched-upcalls.md): an event of a subscribe its driver
 * declared latched (grant_config.latched_upcalls) does not take a ring entry. It occupies the
 * process's one latched slot for its (driver, subscribe), and a newer event of that identity
 * overwrites the pending one's arguments (newest wins, place kept). Delivery order: Yield-Wait
 * takes the ring's first function call; only when the ring holds none does it take the first
 * latched slot holding one (slots in the order they became pending). Yield-WaitFor takes the
 * ring's first match, else the latched slot of that identity, function or null. A re-subscribe
 * keeps a pending latched event and points it at the new function (null: only Yield-WaitFor or
 * a later subscribe takes it); clear (process start and end) empties the latched slots too.
 *
 * Invariants: tasks[0..count) are in arrival order; removal keeps the order of the rest.
 * latched_slots->tasks[0..bit count of latched) are the pending latched events in the order
 * they became pending, each identity at most once; latched has one bit per slot in use, from
 * bit 0 up; latched_slots->functions has the bits of those that are UPCALL_FUNCTION and
 * latched_wakes is a copy of it (keeps "would Yield-Wait wake?" one load). latched is 0
 * whenever latched_slots is NULL. The ring's functions only call the latched half
 * (upcall_latched.c; upcall_latched_none.c in images without latched drivers) when latched
 * is nonzero.
 */
#pragma once

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "errorcode.h"

#define UPCALL_QUEUE_CAPACITY 9u
/* Latched slots per process: distinct latched identities pending at once. A latched event that
 * finds them all taken by other identities goes into the ring like any upcall. */
#define UPCALL_LATCHED_SLOTS 4u
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

/* A process's latched slots: board storage, one per process slot (kernel_set_latched_slots),
 * apart from struct process so that processes without latched events pay one pointer. */
struct upcall_latched {
    uint16_t count;     /* slots in use: latched == (1 << count) - 1 */
    uint16_t functions; /* bit i: tasks[i] is UPCALL_FUNCTION */
    struct upcall_task tasks[UPCALL_LATCHED_SLOTS];
};

struct upcall_queue {
    struct upcall_task tasks[UPCALL_QUEUE_CAPACITY];
    /* Two 16-bit halves read as one word where only "anything?" matters, so the hot tests
     * (deliver, readiness, Yield-NoWait) stay one load whatever the latched slots hold. */
    union {
        uint32_t pending; /* nonzero: a ring task or a latched event */
        struct {
            uint16_t count;   /* ring tasks */
            uint16_t latched; /* bit i: latched_slots->tasks[i] in use */
        };
    };
    union {
        uint32_t wakes; /* nonzero: Yield-Wait has something to deliver */
        struct {
            uint16_t functions;     /* ring tasks that are UPCALL_FUNCTION */
            uint16_t latched_wakes; /* == latched_slots->functions (0 without slots) */
        };
    };
    struct upcall_latched *latched_slots; /* NULL: none, latched events use the ring */
};
_Static_assert(UPCALL_LATCHED_SLOTS <= 16u, "latched masks are 16 bits");

/* Empty the ring and the latched slots (the storage pointer stays). */
void upcall_queue_clear(struct upcall_queue *q);
/* ERR_NOMEM when full (the task is not queued). */
MUST_CHECK err_t upcall_queue_push(struct upcall_queue *q, const struct upcall_task *task);
/* ERR_NOMEM when every latched slot holds another identity (nothing is stored); else the task
 * takes its identity's slot, overwriting a pending one's kind, function and arguments. */
MUST_CHECK err_t upcall_queue_latch(struct upcall_queue *q, const struct upcall_task *task);
/* True when a function-call task is queued or latched (Yield-Wait would wake). */
static inline bool upcall_queue_has_function(const struct upcall_queue *q)
{
    return q->wakes != 0;
}
/* Drop leading null records, then pop the first task if it is a function call (a latched one
 * when the ring holds none). */
bool upcall_queue_pop_function(struct upcall_queue *q, struct upcall_task *out);
/* The same in two steps, for a caller that reads the task where it lies (inline: the
 * scheduler's delivery; the rare cases are out of line). */
const struct upcall_task *upcall_queue_skip_null_records(struct upcall_queue *q);
/* The task at index was just removed (count already excludes it): the ones after it move down. */
void upcall_queue_close_gap(struct upcall_queue *q, uint32_t index);
/* Drop leading null records and return the first task if it is a function call (it stays
 * queued until upcall_queue_drop_head_function, and valid until the queue changes), else NULL.
 * The ring only: see upcall_queue_latched_to_ring for what comes after it. */
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
/* When the ring holds no function call: drop its null records and move the first latched
 * function call into the (then empty) ring, returning it as upcall_queue_head_function would;
 * NULL when there is none. So delivery of a latched event is the ring's delivery. */
const struct upcall_task *upcall_queue_latched_to_ring(struct upcall_queue *q);
/* Remove the first task, which upcall_queue_head_function (or ..._latched_to_ring) returned. */
static inline void upcall_queue_drop_head_function(struct upcall_queue *q)
{
    /* Whole-word arithmetic on the halves' words: count and functions are at least 1, so
     * nothing borrows from the latched halves. pending 0 after it: the ring held only the head
     * and nothing is latched; otherwise the shift (a no-op for an emptied ring) is harmless. */
    uint32_t pending = q->pending - 1u;
    q->wakes -= 1u;
    q->pending = pending;
    if (pending != 0) {
        upcall_queue_close_gap(q, 0);
    }
}
/* The task upcall_queue_pop_function would pop (the first function call, ring then latched),
 * or NULL. */
const struct upcall_task *upcall_queue_first_function(const struct upcall_queue *q);
/* True when a task (either kind) with this identity is queued in the ring. */
bool upcall_queue_ring_has_match(const struct upcall_queue *q, uint32_t driver_num,
                                 uint32_t subscribe_num);
/* True when a task (either kind) with this identity is queued or latched. */
bool upcall_queue_has_match(const struct upcall_queue *q, uint32_t driver_num,
                            uint32_t subscribe_num);
/* Remove and return the first task with this identity in the ring. */
bool upcall_queue_ring_take_match(struct upcall_queue *q, uint32_t driver_num,
                                  uint32_t subscribe_num, struct upcall_task *out);
/* Remove and return the first task with this identity (the ring's, else the latched one). */
bool upcall_queue_take_match(struct upcall_queue *q, uint32_t driver_num, uint32_t subscribe_num,
                             struct upcall_task *out);
/* Remove and return the newest ring task of driver_num (a driver taking one back to hold it). */
bool upcall_queue_take_newest_of(struct upcall_queue *q, uint32_t driver_num,
                                 struct upcall_task *out);
/* The process subscribed slot = {fn, appdata} for this identity: remove the ring's function
 * calls of it (Tock's swap rule) and point a pending latched event of it at the new function
 * (fn 0: it becomes a null record). */
void upcall_queue_resubscribed(struct upcall_queue *q, uint32_t driver_num,
                               uint32_t subscribe_num, const uint32_t slot[2]);
/* Remove every task with this identity, ring and latched (a capsule cancelling its events). */
void upcall_queue_remove_all(struct upcall_queue *q, uint32_t driver_num, uint32_t subscribe_num);

/* The latched half (upcall_latched.c), called by the functions above only when q->latched is
 * nonzero: the first latched function call, moved out of its slot (into *out); the first one
 * left in place; identity lookups; the re-subscribe and removal of one identity. */
bool upcall_latched_take_first_function(struct upcall_queue *q, struct upcall_task *out);
const struct upcall_task *upcall_latched_first_function(const struct upcall_queue *q);
bool upcall_latched_has(const struct upcall_queue *q, uint32_t driver_num, uint32_t subscribe_num);
bool upcall_latched_take(struct upcall_queue *q, uint32_t driver_num, uint32_t subscribe_num,
                         struct upcall_task *out);
void upcall_latched_resubscribed(struct upcall_queue *q, uint32_t driver_num,
                                 uint32_t subscribe_num, const uint32_t slot[2]);
void upcall_latched_remove(struct upcall_queue *q, uint32_t driver_num, uint32_t subscribe_num);
