/* SPDX-License-Identifier: Apache-2.0 OR MIT */
/*
 * Kernel mutex (see mutex.h): FIFO queue, exclusive and shared holds, one shared dispatcher.
 *
 * A request or release only changes queue state and, when the mutex's head waiter has become
 * grantable, puts the mutex on its dispatcher's pending list. The dispatcher's deferred call
 * takes the whole list, and for each mutex grants the waiters that may hold it now: one exclusive
 * waiter, or a run of shared waiters. It grants at most the waiters that were queued when it
 * started on that mutex, so a client that releases and requests again from its own ready() is
 * served in a later round, behind the others; hand-overs are loops, never recursion, so the
 * stack depth stays constant however long the chain of releases inside ready().
 *
 * Usage: see mutex.h.
 *
 * Invariants:
 *  - queued is the length of waiters; holder_count the length of holders.
 *  - holder_count == 0 implies !is_exclusive; is_exclusive implies holder_count == 1.
 *  - A waiter's owner has bit `rank` set (or has_unranked) exactly while the waiter is QUEUED or
 *    HOLDING a mutex of that rank. An owner's reserved ranks are all above its ranks in use
 *    (mutex_owner_check_climb admits no request that would break this).
 *  - is_pending is true exactly while the mutex is linked in its dispatcher's pending list, or
 *    in the list a running dispatch has taken and not reached yet.
 *  - A HOLDING waiter's shares >= 1; generation == the value its ready() guard carried, unique
 *    among the dispatcher's grants (until 2^32 grants) and never 0.
 */
#include "support/mutex.h"

#include "container.h"

#include <stddef.h>

static struct mutex_waiter *waiter_of(struct list_node *node)
{
    return CONTAINER_OF(node, struct mutex_waiter, node);
}

/* ---------------------------------------------------------------- reports */

void mutex_dispatcher_report(struct mutex_dispatcher *d, const struct mutex_violation *violation)
{
    d->violations++;
    d->config->on_violation(violation, d->config->violation_ctx);
}

static void report(struct mutex_dispatcher *d, enum mutex_violation_kind kind,
                   const struct mutex *m, const struct mutex_owner *owner, uint32_t detail)
{
    struct mutex_violation v = {
        .kind = kind,
        .mutex_name = m != NULL ? m->config->name : NULL,
        .owner_name = owner != NULL ? owner->name : NULL,
        .detail = detail,
    };
    mutex_dispatcher_report(d, &v);
}

/* A never-granted guard names no mutex, hence no dispatcher: its misuse is reported here. */
static struct mutex_dispatcher *last_dispatcher;

/* Report misuse of a guard, through its mutex's dispatcher when it names one. */
static void report_guard(const struct mutex_guard *guard, enum mutex_violation_kind kind)
{
    const struct mutex_waiter *w = guard->waiter;
    if (w != NULL && w->mutex != NULL) {
        report(w->mutex->dispatcher, kind, w->mutex, w->owner, 0);
    } else if (last_dispatcher != NULL) {
        report(last_dispatcher, kind, NULL, NULL, 0);
    }
}

const char *mutex_violation_name(enum mutex_violation_kind kind)
{
    switch (kind) {
    case MUTEX_VIOLATION_DOUBLE_RELEASE:
        return "DOUBLE_RELEASE";
    case MUTEX_VIOLATION_NOT_HELD:
        return "NOT_HELD";
    case MUTEX_VIOLATION_USE_AFTER_RELEASE:
        return "USE_AFTER_RELEASE";
    case MUTEX_VIOLATION_WRONG_TYPE:
        return "WRONG_TYPE";
    case MUTEX_VIOLATION_OVER_BUDGET:
        return "OVER_BUDGET";
    case MUTEX_VIOLATION_RANK_ORDER:
        return "RANK_ORDER";
    }
    return "?";
}

/* ---------------------------------------------------------------- hold budgets */

static void check_budget(struct mutex *m, struct mutex_waiter *w, uint32_t now)
{
    uint32_t held = now - w->granted_at;
    if (m->config->hold_budget == 0 || w->is_budget_reported || held <= m->config->hold_budget) {
        return;
    }
    w->is_budget_reported = true;
    report(m->dispatcher, MUTEX_VIOLATION_OVER_BUDGET, m, w->owner, held);
}

static void check_holders_budgets(struct mutex *m, uint32_t now)
{
    for (struct list_node *n = m->holders.head; n != NULL; n = n->next) {
        check_budget(m, waiter_of(n), now);
    }
}

static uint32_t read_clock(const struct mutex_dispatcher *d)
{
    return d->config->now(d->config->clock_ctx);
}

void mutex_dispatcher_check_budgets(struct mutex_dispatcher *d)
{
    if (!d->config->is_debug) {
        return;
    }
    uint32_t now = read_clock(d);
    for (struct list_node *n = d->mutexes.head; n != NULL; n = n->next) {
        check_holders_budgets(CONTAINER_OF(n, struct mutex, node), now);
    }
}

/* ---------------------------------------------------------------- ranks */

static bool is_unranked(const struct mutex *m)
{
    return m->config->rank == MUTEX_UNRANKED;
}

/* Highest rank in `mask` (not 0). */
static uint32_t highest_bit(uint32_t mask)
{
    uint32_t rank = 0;
    while ((mask >> rank) > 1u) {
        rank++;
    }
    return rank;
}

/* Lowest rank in `mask` (not 0). */
static uint32_t lowest_bit(uint32_t mask)
{
    uint32_t rank = 0;
    while ((mask & (1u << rank)) == 0) {
        rank++;
    }
    return rank;
}

uint32_t mutex_owner_check_climb(const struct mutex_owner *o, uint32_t lowest, uint32_t highest)
{
    if (o->has_unranked) {
        return MUTEX_UNRANKED; /* an unranked mutex is only ever used alone */
    }
    if (lowest == MUTEX_UNRANKED) {
        if (o->ranks != 0) {
            return highest_bit(o->ranks);
        }
        return o->reserved != 0 ? lowest_bit(o->reserved) : MUTEX_RANK_OK;
    }
    if ((o->ranks >> lowest) != 0) {
        return highest_bit(o->ranks); /* a rank in use is not strictly lower */
    }
    uint32_t top = highest > MUTEX_RANK_MAX ? MUTEX_RANK_MAX : highest;
    uint32_t at_or_below = (2u << top) - 1u; /* bits 0..highest; all 32 when highest is 31 */
    if ((o->reserved & at_or_below) != 0) {
        return lowest_bit(o->reserved); /* a set would have to climb down to it later */
    }
    return MUTEX_RANK_OK;
}

void mutex_owner_reserve(struct mutex_owner *o, uint32_t ranks)
{
    o->reserved |= ranks;
}

void mutex_owner_unreserve(struct mutex_owner *o, uint32_t ranks)
{
    o->reserved &= ~ranks;
}

static void mark_in_use(struct mutex_owner *o, const struct mutex *m)
{
    if (is_unranked(m)) {
        o->has_unranked = true;
    } else {
        o->ranks |= 1u << m->config->rank;
    }
}

static void mark_unused(struct mutex_owner *o, const struct mutex *m)
{
    if (is_unranked(m)) {
        o->has_unranked = false;
    } else {
        o->ranks &= ~(1u << m->config->rank);
    }
}

/* ---------------------------------------------------------------- queue and dispatch */

static bool can_grant_head(const struct mutex *m)
{
    if (list_is_empty(&m->waiters)) {
        return false;
    }
    const struct mutex_waiter *w = waiter_of(m->waiters.head);
    if (m->holder_count == 0) {
        return true;
    }
    return !m->is_exclusive && w->mode == MUTEX_SHARED;
}

/* Put m on the pending list if its head could be granted now. Never calls back. */
static void schedule(struct mutex *m)
{
    if (m->is_pending || !can_grant_head(m)) {
        return;
    }
    struct mutex_dispatcher *d = m->dispatcher;
    m->is_pending = true;
    list_append(&d->pending, &m->pending_node);
    deferred_call_set(&d->call);
}

static struct mutex_waiter *pop_head(struct mutex *m)
{
    m->queued--;
    return waiter_of(list_pop_front(&m->waiters));
}

static void unlink_holder(struct mutex *m, struct mutex_waiter *w)
{
    list_remove(&m->holders, &w->node);
    m->holder_count--;
    if (m->holder_count == 0) {
        m->is_exclusive = false;
    }
}

/*
 * One round for m: grant either one exclusive waiter or a run of shared ones, at most the
 * waiters queued on entry. A waiter that becomes grantable because a holder released inside
 * ready() is granted in a later round.
 */
static void grant(struct mutex *m)
{
    m->is_pending = false;
    uint32_t budget = m->queued;
    const struct mutex_dispatcher_config *config = m->dispatcher->config;
    bool is_first = true;
    while (budget > 0 && can_grant_head(m) && (is_first || waiter_of(m->waiters.head)->mode == MUTEX_SHARED)) {
        budget--;
        is_first = false;
        struct mutex_waiter *w = pop_head(m);
        bool is_exclusive = w->mode == MUTEX_EXCLUSIVE;
        struct mutex_dispatcher *d = m->dispatcher;
        d->generation = d->generation == UINT32_MAX ? 1 : d->generation + 1;
        m->grants++;
        w->generation = d->generation;
        w->state = MUTEX_WAITER_HOLDING;
        w->shares = 1;
        w->is_budget_reported = false;
        w->granted_at = config->is_debug ? read_clock(m->dispatcher) : 0;
        list_prepend(&m->holders, &w->node);
        m->holder_count++;
        m->is_exclusive = is_exclusive;
        w->ops->ready(w, (struct mutex_guard){.waiter = w, .generation = w->generation});
        if (is_exclusive) {
            break;
        }
    }
}

static void dispatch(void *ctx)
{
    struct mutex_dispatcher *d = ctx;
    struct list_node *n = d->pending.head; /* take the list: grant() may start a new one */
    list_init(&d->pending);
    while (n != NULL) {
        struct list_node *next = n->next;
        n->next = NULL;
        grant(CONTAINER_OF(n, struct mutex, pending_node));
        n = next;
    }
}

/* ---------------------------------------------------------------- public API */

err_t mutex_dispatcher_init(struct mutex_dispatcher *d, const struct mutex_dispatcher_config *config)
{
    *d = (struct mutex_dispatcher){
        .config = config,
        .pending = { NULL, NULL, NULL },
        .mutexes = { NULL, NULL, NULL },
        .generation = 0,
        .violations = 0,
    };
    last_dispatcher = d;
    return deferred_call_register(&d->call, dispatch, d);
}

err_t mutex_init(struct mutex *m, struct mutex_dispatcher *d, const struct mutex_config *config,
                 void *resource)
{
    if (config->rank > MUTEX_RANK_MAX && config->rank != MUTEX_UNRANKED) {
        return ERR_INVAL;
    }
    *m = (struct mutex){
        .config = config,
        .dispatcher = d,
        .resource = resource,
        .waiters = { NULL, NULL, NULL },
        .holders = { NULL, NULL, NULL },
        .queued = 0,
        .holder_count = 0,
        .grants = 0,
        .pending_node = { NULL },
        .node = { NULL },
        .is_exclusive = false,
        .is_pending = false,
    };
    list_prepend(&d->mutexes, &m->node);
    return ERR_OK;
}

void mutex_owner_init(struct mutex_owner *owner, const char *name)
{
    *owner = (struct mutex_owner){.name = name, .ranks = 0, .reserved = 0, .has_unranked = false};
}

void mutex_waiter_init(struct mutex_waiter *w, struct mutex_owner *owner,
                       const struct mutex_waiter_ops *ops)
{
    *w = (struct mutex_waiter){
        .ops = ops,
        .owner = owner,
        .mutex = NULL,
        .node = { NULL },
        .generation = 0,
        .granted_at = 0,
        .state = MUTEX_WAITER_IDLE,
        .mode = MUTEX_EXCLUSIVE,
        .shares = 0,
        .is_budget_reported = false,
    };
}

err_t mutex_request(struct mutex *m, struct mutex_waiter *w, enum mutex_mode mode)
{
    if (w->state != MUTEX_WAITER_IDLE) {
        return ERR_ALREADY;
    }
    if (mode != MUTEX_EXCLUSIVE && mode != MUTEX_SHARED) {
        return ERR_INVAL;
    }
    uint32_t in_the_way = mutex_owner_check_climb(w->owner, m->config->rank, m->config->rank);
    if (in_the_way != MUTEX_RANK_OK) {
        report(m->dispatcher, MUTEX_VIOLATION_RANK_ORDER, m, w->owner, in_the_way);
        return ERR_INVAL;
    }
    w->mutex = m;
    w->mode = mode;
    w->state = MUTEX_WAITER_QUEUED;
    list_append(&m->waiters, &w->node);
    m->queued++;
    mark_in_use(w->owner, m);
    if (m->dispatcher->config->is_debug) {
        check_holders_budgets(m, read_clock(m->dispatcher));
    }
    schedule(m);
    return ERR_OK;
}

err_t mutex_cancel(struct mutex_waiter *w)
{
    if (w->state != MUTEX_WAITER_QUEUED) {
        return ERR_ALREADY;
    }
    struct mutex *m = w->mutex;
    list_remove(&m->waiters, &w->node);
    m->queued--;
    w->state = MUTEX_WAITER_IDLE;
    mark_unused(w->owner, m);
    schedule(m); /* a shared waiter behind a cancelled exclusive one may now join the readers */
    return ERR_OK;
}

bool mutex_guard_is_held(const struct mutex_guard *guard)
{
    const struct mutex_waiter *w = guard->waiter;
    return w != NULL && guard->generation != 0 && w->state == MUTEX_WAITER_HOLDING &&
           w->generation == guard->generation;
}

struct mutex *mutex_guard_mutex(const struct mutex_guard *guard)
{
    return guard->waiter != NULL ? guard->waiter->mutex : NULL;
}

/*
 * Why a release through `guard` is refused (it does not name a current hold): empty, or the
 * waiter's latest hold and already ended -> released twice; an older hold -> not held.
 */
static enum mutex_violation_kind invalid_release_kind(const struct mutex_guard *guard)
{
    const struct mutex_waiter *w = guard->waiter;
    if (w == NULL || guard->generation == 0 || w->generation == guard->generation) {
        return MUTEX_VIOLATION_DOUBLE_RELEASE;
    }
    return MUTEX_VIOLATION_NOT_HELD;
}

void mutex_release(struct mutex_guard *guard)
{
    if (!mutex_guard_is_held(guard)) {
        report_guard(guard, invalid_release_kind(guard));
        return;
    }
    struct mutex_waiter *w = guard->waiter;
    struct mutex *m = w->mutex;
    guard->generation = 0; /* empty; `waiter` stays so a second release names the mutex */
    w->shares--;
    if (w->shares > 0) {
        return;
    }
    if (m->dispatcher->config->is_debug) {
        check_budget(m, w, read_clock(m->dispatcher));
    }
    unlink_holder(m, w);
    w->state = MUTEX_WAITER_IDLE;
    mark_unused(w->owner, m);
    schedule(m);
}

void *mutex_guard_resource(const struct mutex_guard *guard, const struct mutex_type *type)
{
    if (!mutex_guard_is_held(guard)) {
        report_guard(guard, MUTEX_VIOLATION_USE_AFTER_RELEASE);
        return NULL;
    }
    const struct mutex_waiter *w = guard->waiter;
    if (w->mutex->config->type != type) {
        report(w->mutex->dispatcher, MUTEX_VIOLATION_WRONG_TYPE, w->mutex, w->owner, 0);
        return NULL;
    }
    return w->mutex->resource;
}

err_t mutex_guard_share(const struct mutex_guard *guard, struct mutex_guard *share)
{
    if (!mutex_guard_is_held(guard)) {
        report_guard(guard, MUTEX_VIOLATION_USE_AFTER_RELEASE);
        return ERR_INVAL;
    }
    struct mutex_waiter *w = guard->waiter;
    if (w->shares >= MUTEX_SHARES_MAX) {
        return ERR_SIZE;
    }
    w->shares++;
    *share = *guard;
    return ERR_OK;
}
