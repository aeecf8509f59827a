/* SPDX-License-Identifier: Apache-2.0 OR MIT */
/*
 * Kernel mutex: a queued, first-come first-served, asynchronous lock over one resource.
 *
 * Kernel clients (capsules, command queues) that share a resource -- crypto RAM, an ECB engine,
 * a bus -- request its mutex and are called back with a guard when it is their turn. A request
 * never fails because the mutex is held (there is no BUSY) and never calls back inside the
 * request: every grant, including one on a free mutex, is delivered by the mutex dispatcher, one
 * deferred call shared by all the mutexes of the image. Waiters queue in a FIFO of nodes the
 * clients own (no allocation), so a client that releases and requests again goes behind everyone
 * already waiting.
 *
 * A mutex may also be taken in shared mode: consecutive shared requests at the head of the queue
 * are granted together (several readers, counted), an exclusive request waits until every
 * shared holder has released, and a shared request that arrives behind a queued exclusive one
 * waits its turn, so writers are not starved. A holder may hand extra guards for the same hold to
 * sub-components (mutex_guard_share); the hold ends when the last of them is released.
 *
 * The guard is the only way to reach the resource. It carries the grant's generation, so every
 * misuse is detected, whatever the image: releasing twice, releasing or using a guard after its
 * hold ended, holding longer than the mutex's budget, taking a resource as the wrong type, and
 * requesting against the rank order (see below). Misuse never changes the mutex's state; it is
 * reported to the dispatcher's violation hook, which a debug board points at kernel_panic and a
 * release board at a counter. Timing holds reads the clock, so it runs only when the dispatcher
 * is configured with is_debug.
 *
 * Deadlock freedom by rank (strictly uphill): every mutex has a rank 0..31, or MUTEX_UNRANKED. A
 * mutex_owner (one per client) may request a ranked mutex only if every mutex it has requested
 * or holds has a strictly lower rank *and* every rank a mutex set of its has reserved (will still
 * request) is strictly higher; it may use an unranked mutex only while it uses and reserves
 * nothing else. Requests that would climb down are refused with ERR_INVAL before anything
 * changes, and reported as MUTEX_VIOLATION_RANK_ORDER, so a cycle of owners waiting on each
 * other cannot form, and a set that was accepted never fails half-way.
 * capsules/support/mutex_set.h acquires several mutexes in rank order for one callback.
 *
 * Usage (board):
 *     static const struct mutex_dispatcher_config mutex_checks = {
 *         .on_violation = board_mutex_violation,   // debug_printf + kernel_panic
 *         .now = board_ticks, .is_debug = true };
 *     static struct mutex_dispatcher mutexes;
 *     static const struct mutex_config crypto_ram_config = {
 *         .name = "crypto ram", .type = &crypto_ram_type, .rank = 8, .hold_budget = 32768 };
 *     static struct mutex crypto_ram_mutex;
 *     boot_check(mutex_dispatcher_init(&mutexes, &mutex_checks), "mutexes");
 *     boot_check(mutex_init(&crypto_ram_mutex, &mutexes, &crypto_ram_config, &crypto_ram),
 *                "crypto ram mutex");
 * Usage (client): embed a struct mutex_owner, a struct mutex_waiter per mutex and a struct
 *     mutex_guard; mutex_owner_init + mutex_waiter_init in the client's _init; then
 *     mutex_request(&crypto_ram_mutex, &aes->ram_waiter, MUTEX_EXCLUSIVE) and, in ready(),
 *     ram = mutex_guard_resource(&guard, &crypto_ram_type); ... mutex_release(&aes->ram_guard).
 *
 * Invariants: kernel loop only (never from an ISR). A waiter is in at most one queue; a QUEUED
 * waiter is linked in its mutex's FIFO, a HOLDING one in its mutex's holder list. A mutex with an
 * exclusive holder has exactly one holder. A mutex is on its dispatcher's pending list at most
 * once, and is there whenever its head waiter could be granted.
 */
#pragma once

#include <stdbool.h>
#include <stdint.h>

#include "errorcode.h"
#include "kernel/deferred_call.h"
#include "list.h"

#define MUTEX_RANK_MAX 31u
#define MUTEX_UNRANKED 0xFFu
#define MUTEX_SHARES_MAX 255u /* guards out for one hold */

/**
 * A resource type. Its address is the type tag: each resource module defines one const object
 * (`const struct mutex_type aes_ecb_type = {"aes ecb"};`), so tags cannot collide and no central
 * registry exists to edit.
 */
struct mutex_type {
    const char *name;
};

enum mutex_mode {
    MUTEX_EXCLUSIVE,
    MUTEX_SHARED, /* granted together with other shared holders */
};

enum mutex_violation_kind {
    MUTEX_VIOLATION_DOUBLE_RELEASE,    /* the guard is empty, or its hold was already released */
    MUTEX_VIOLATION_NOT_HELD,          /* release through a guard of an earlier, ended hold */
    MUTEX_VIOLATION_USE_AFTER_RELEASE, /* resource or share asked through a guard not held */
    MUTEX_VIOLATION_WRONG_TYPE,        /* mutex_guard_resource with a type tag not the mutex's */
    MUTEX_VIOLATION_OVER_BUDGET,       /* held longer than the mutex's hold_budget */
    MUTEX_VIOLATION_RANK_ORDER,        /* request against the owner's rank order (refused) */
};

struct mutex_violation {
    enum mutex_violation_kind kind;
    const char *mutex_name; /* NULL when the guard names no mutex (an empty guard) */
    const char *owner_name; /* NULL when unknown */
    uint32_t detail;        /* OVER_BUDGET: ticks held; RANK_ORDER: the rank in the way (the
                             * owner's highest rank in use, else its lowest reserved rank, or
                             * MUTEX_UNRANKED when an unranked mutex is in use or requested
                             * among others); otherwise 0 */
};

struct mutex_dispatcher_config {
    /* Mandatory. Called once per violation, from inside the offending call; must not call
     * back into the mutex. Debug boards panic here, release boards count. */
    void (*on_violation)(const struct mutex_violation *violation, void *ctx);
    void *violation_ctx;
    /* Mandatory. A free-running tick counter (wraps modulo 2^32); read only when is_debug. */
    uint32_t (*now)(void *ctx);
    void *clock_ctx;
    bool is_debug; /* time every hold against its mutex's hold_budget */
};

struct mutex;

struct mutex_dispatcher {
    const struct mutex_dispatcher_config *config;
    struct deferred_call call;
    struct list pending;   /* of struct mutex (pending_node): head waiter grantable, FIFO */
    struct list mutexes;   /* of struct mutex (node): every mutex using this dispatcher */
    uint32_t generation;   /* of the latest grant by any of its mutexes; skips 0 */
    uint32_t violations;   /* reported so far */
};

/* The unit ranks are checked for: one per client that may hold several mutexes. */
struct mutex_owner {
    const char *name;
    uint32_t ranks;    /* bit r: a rank-r mutex is requested or held */
    uint32_t reserved; /* bit r: a mutex set of this owner will still request rank r */
    bool has_unranked; /* an unranked mutex is requested or held */
};

struct mutex_waiter;

/**
 * Proof of one hold. Generations come from a dispatcher-wide counter and are never 0, so a guard
 * with generation 0 is empty: a zero-initialised guard was never granted, and mutex_release
 * empties the guard it is given (keeping `waiter`, so a second release through the same
 * variable is reported with the mutex's name). A release or use through a stale copy is caught
 * because its generation no longer matches the waiter's.
 */
struct mutex_guard {
    struct mutex_waiter *waiter;
    uint32_t generation;
};

struct mutex_waiter_ops {
    /* The waiter holds the mutex from now on. Called from the dispatcher's deferred call only.
     * The client may keep `guard`, share it, release it (also inside this call) and request
     * other mutexes. */
    void (*ready)(struct mutex_waiter *waiter, struct mutex_guard guard);
};

enum mutex_waiter_state {
    MUTEX_WAITER_IDLE,
    MUTEX_WAITER_QUEUED,  /* in mutex->waiters */
    MUTEX_WAITER_HOLDING, /* in mutex->holders; ready() has been called */
};

/* A request node, embedded in the client. One waiter requests one mutex at a time. */
struct mutex_waiter {
    const struct mutex_waiter_ops *ops;
    struct mutex_owner *owner;
    struct mutex *mutex;       /* last mutex requested (kept after release, for reports) */
    struct list_node node;     /* in mutex->waiters while QUEUED, mutex->holders while HOLDING */
    uint32_t generation;       /* of the latest grant */
    uint32_t granted_at;       /* clock at the latest grant (is_debug only) */
    enum mutex_waiter_state state;
    enum mutex_mode mode;
    uint8_t shares;           /* guards out for the current hold */
    bool is_budget_reported;  /* OVER_BUDGET already reported for the current hold */
};

struct mutex_config {
    const char *name;
    const struct mutex_type *type; /* NULL: untyped */
    uint8_t rank;                  /* 0..MUTEX_RANK_MAX, or MUTEX_UNRANKED */
    uint32_t hold_budget;          /* ticks a hold may last; 0: no budget */
};

struct mutex {
    const struct mutex_config *config;
    struct mutex_dispatcher *dispatcher;
    void *resource;            /* reachable only through a guard */
    struct list waiters;       /* of QUEUED struct mutex_waiter, FIFO */
    struct list holders;       /* of HOLDING struct mutex_waiter: one when is_exclusive */
    uint32_t queued;
    uint32_t holder_count;
    uint32_t grants; /* statistics */
    struct list_node pending_node; /* in dispatcher->pending while is_pending */
    struct list_node node;         /* in dispatcher->mutexes */
    bool is_exclusive;          /* the holder (if any) holds exclusively */
    bool is_pending;            /* on the dispatcher's pending list */
};

/**
 * Boot: set up the dispatcher and register its deferred call. Returns ERR_NOMEM when the
 * deferred-call slots are exhausted (a boot failure), else ERR_OK. An image has one dispatcher;
 * a never-granted guard names no mutex, so misuse of one is reported to the dispatcher
 * initialised last.
 */
MUST_CHECK err_t mutex_dispatcher_init(struct mutex_dispatcher *dispatcher,
                                       const struct mutex_dispatcher_config *config);

/**
 * Boot: set up `mutex` over `resource` and link it to `dispatcher`. Returns ERR_INVAL when the
 * rank is neither 0..MUTEX_RANK_MAX nor MUTEX_UNRANKED, else ERR_OK.
 */
MUST_CHECK err_t mutex_init(struct mutex *mutex, struct mutex_dispatcher *dispatcher,
                            const struct mutex_config *config, void *resource);

void mutex_owner_init(struct mutex_owner *owner, const char *name);
void mutex_waiter_init(struct mutex_waiter *waiter, struct mutex_owner *owner,
                       const struct mutex_waiter_ops *ops);

/**
 * Queue `waiter` at the tail of `mutex`'s FIFO. Kernel loop only.
 * Returns ERR_OK: ready() follows exactly once, from the dispatcher (never inside this call),
 * unless mutex_cancel removes the request first. ERR_ALREADY: the waiter is queued or holding.
 * ERR_INVAL: `mode` is not a mutex_mode, or the request would climb down: the owner requests or
 * holds a rank at or above the mutex's, has reserved one at or below it, or mixes an unranked
 * mutex with any other (reported as MUTEX_VIOLATION_RANK_ORDER). Nothing changes and no
 * callback follows an error. Never ERR_BUSY.
 */
MUST_CHECK err_t mutex_request(struct mutex *mutex, struct mutex_waiter *waiter,
                               enum mutex_mode mode);

/**
 * Withdraw a queued request; no callback follows. Returns ERR_OK, or ERR_ALREADY when the waiter
 * is not queued (idle, or holding: a holder ends its hold with mutex_release).
 */
MUST_CHECK err_t mutex_cancel(struct mutex_waiter *waiter);

/**
 * Give back one guard and empty *guard. The hold ends with its last guard; the next grantable
 * waiter is then called back from the dispatcher, never inside this call. An invalid guard is
 * reported (DOUBLE_RELEASE or NOT_HELD) and changes nothing. Safe inside ready().
 */
void mutex_release(struct mutex_guard *guard);

/**
 * The resource, as the type `type` (the downcast). NULL, with a report, if the guard's hold has
 * ended (USE_AFTER_RELEASE) or `type` is not the mutex's type (WRONG_TYPE).
 */
void *mutex_guard_resource(const struct mutex_guard *guard, const struct mutex_type *type);

/**
 * Another guard for the same hold, for a sub-component that will release it on its own.
 * Returns ERR_OK (*share written), ERR_SIZE (MUTEX_SHARES_MAX guards are out) or ERR_INVAL (the
 * guard's hold has ended; reported as USE_AFTER_RELEASE).
 */
MUST_CHECK err_t mutex_guard_share(const struct mutex_guard *guard, struct mutex_guard *share);

/* True when the guard names a hold that has not ended (no report). */
bool mutex_guard_is_held(const struct mutex_guard *guard);

/* The mutex the guard was granted by (which mutex fired), or NULL if it was never granted. */
struct mutex *mutex_guard_mutex(const struct mutex_guard *guard);

/**
 * Report every hold that has outlived its mutex's budget (once per hold). Does nothing unless
 * the dispatcher is_debug. Boards call it from a periodic alarm; holds are also checked when
 * they end and when someone requests their mutex.
 */
void mutex_dispatcher_check_budgets(struct mutex_dispatcher *dispatcher);

/**
 * The strict uphill rule for a climb through ranks lowest..highest (both MUTEX_UNRANKED for one
 * unranked mutex): MUTEX_RANK_OK when every rank the owner uses is below `lowest`, every rank it
 * has reserved is above `highest` and it uses no unranked mutex (an unranked climb: it uses and
 * reserves nothing); else the rank in the way (struct mutex_violation's detail). No report.
 */
#define MUTEX_RANK_OK 0x100u
uint32_t mutex_owner_check_climb(const struct mutex_owner *owner, uint32_t lowest,
                                 uint32_t highest);

/* For mutex sets: mark ranks (a bit mask) as reserved by, or no longer reserved by, a set of
 * `owner` that will request them later. Reserving never requests anything. */
void mutex_owner_reserve(struct mutex_owner *owner, uint32_t ranks);
void mutex_owner_unreserve(struct mutex_owner *owner, uint32_t ranks);

/* Count and pass on a violation found by a layer built on mutexes (capsules/support/mutex_set.c). */
void mutex_dispatcher_report(struct mutex_dispatcher *dispatcher,
                             const struct mutex_violation *violation);

/* "DOUBLE_RELEASE", ...; "?" for a value outside the enum. */
const char *mutex_violation_name(enum mutex_violation_kind kind);
