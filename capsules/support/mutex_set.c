/* SPDX-License-Identifier: Apache-2.0 OR MIT */
/*
 * Mutex sets (see mutex_set.h): sorted, one-at-a-time acquisition over capsules/support/mutex.c.
 *
 * The whole request is validated before anything is queued (check, then act), so the only
 * failure after mutex_set_acquire returns ERR_OK is the owner breaking its own rank order in
 * the meantime; that unwinds the members already held and reports through acquired().
 *
 * Usage: see mutex_set.h.
 *
 * Invariants: see mutex_set.h. Each member's waiter belongs to the set's owner and uses
 * member_ops, so CONTAINER_OF(waiter) is always a member of a set.
 */
#include "support/mutex_set.h"

#include "container.h"

static void member_ready(struct mutex_waiter *waiter, struct mutex_guard guard);

static const struct mutex_waiter_ops member_ops = {.ready = member_ready};

static uint32_t rank_of(const struct mutex *m)
{
    return m->config->rank;
}

/* The ranks of members[from..count): requested later, so reserved by the owner meanwhile. */
static uint32_t ranks_from(const struct mutex_set *set, uint32_t from)
{
    uint32_t ranks = 0;
    for (uint32_t i = from; i < set->count; i++) {
        ranks |= 1u << rank_of(set->members[i].mutex);
    }
    return ranks;
}

/* Release members[0..held) highest rank first, and give up the reservation of the rest. */
static void release_held(struct mutex_set *set)
{
    mutex_owner_unreserve(set->owner, ranks_from(set, set->held + 1u));
    while (set->held > 0) {
        set->held--;
        mutex_release(&set->members[set->held].guard);
    }
}

static void finish(struct mutex_set *set, err_t status)
{
    set->state = status == ERR_OK ? MUTEX_SET_HELD : MUTEX_SET_IDLE;
    set->ops->acquired(set, status);
}

static void member_ready(struct mutex_waiter *waiter, struct mutex_guard guard)
{
    struct mutex_set_member *member = CONTAINER_OF(waiter, struct mutex_set_member, waiter);
    struct mutex_set *set = member->set;
    member->guard = guard;
    set->held++;
    if (set->held == set->count) {
        finish(set, ERR_OK);
        return;
    }
    struct mutex_set_member *next = &set->members[set->held];
    mutex_owner_unreserve(set->owner, 1u << rank_of(next->mutex));
    /* Cannot fail: the reservation kept every other request of the owner out of the way. */
    err_t err = mutex_request(next->mutex, &next->waiter, next->mode);
    if (err != ERR_OK) {
        release_held(set);
        finish(set, err);
    }
}

void mutex_set_init(struct mutex_set *set, struct mutex_owner *owner,
                    const struct mutex_set_ops *ops)
{
    *set = (struct mutex_set){.ops = ops, .owner = owner, .count = 0, .held = 0,
                              .state = MUTEX_SET_IDLE};
    for (uint32_t i = 0; i < MUTEX_SET_MAX; i++) {
        struct mutex_set_member *member = &set->members[i];
        mutex_waiter_init(&member->waiter, owner, &member_ops);
        member->guard = (struct mutex_guard){.waiter = NULL, .generation = 0};
        member->set = set;
        member->mutex = NULL;
        member->mode = MUTEX_EXCLUSIVE;
        set->order[i] = (uint8_t)i;
    }
}

/* Sort request indices by rank (insertion sort: at most MUTEX_SET_MAX entries). */
static void sort_by_rank(const struct mutex_set_request *requests, size_t count, uint8_t *sorted)
{
    for (size_t i = 0; i < count; i++) {
        size_t j = i;
        while (j > 0 && rank_of(requests[sorted[j - 1]].mutex) > rank_of(requests[i].mutex)) {
            sorted[j] = sorted[j - 1];
            j--;
        }
        sorted[j] = (uint8_t)i;
    }
}

/* The rank order of a sorted request: strictly ascending ranks, unranked only alone. Returns
 * the index (in sorted order) of the first member that breaks it, or count. */
static size_t first_out_of_order(const struct mutex_set_request *requests, size_t count,
                                 const uint8_t *sorted)
{
    if (count == 1) {
        return count;
    }
    for (size_t i = 0; i < count; i++) {
        if (rank_of(requests[sorted[i]].mutex) == MUTEX_UNRANKED) {
            return i;
        }
        if (i > 0 && rank_of(requests[sorted[i - 1]].mutex) >= rank_of(requests[sorted[i]].mutex)) {
            return i;
        }
    }
    return count;
}

static void report_order(const struct mutex_set *set, const struct mutex *m, uint32_t in_the_way)
{
    struct mutex_violation v = {
        .kind = MUTEX_VIOLATION_RANK_ORDER,
        .mutex_name = m->config->name,
        .owner_name = set->owner->name,
        .detail = in_the_way,
    };
    mutex_dispatcher_report(m->dispatcher, &v);
}

err_t mutex_set_acquire(struct mutex_set *set, const struct mutex_set_request *requests,
                        size_t count)
{
    if (set->state != MUTEX_SET_IDLE) {
        return ERR_ALREADY;
    }
    if (count == 0 || count > MUTEX_SET_MAX) {
        return ERR_SIZE;
    }
    for (size_t i = 0; i < count; i++) {
        if (requests[i].mode != MUTEX_EXCLUSIVE && requests[i].mode != MUTEX_SHARED) {
            return ERR_INVAL;
        }
    }
    uint8_t sorted[MUTEX_SET_MAX];
    sort_by_rank(requests, count, sorted);
    size_t bad = first_out_of_order(requests, count, sorted);
    if (bad < count) {
        report_order(set, requests[sorted[bad]].mutex, rank_of(requests[sorted[bad]].mutex));
        return ERR_INVAL;
    }
    struct mutex *lowest = requests[sorted[0]].mutex;
    /* The whole climb must fit the owner now: its ranks in use below the lowest member, the
     * ranks its other sets reserved above the highest. */
    uint32_t in_the_way = mutex_owner_check_climb(set->owner, rank_of(lowest),
                                                  rank_of(requests[sorted[count - 1]].mutex));
    if (in_the_way != MUTEX_RANK_OK) {
        report_order(set, lowest, in_the_way);
        return ERR_INVAL;
    }
    for (size_t i = 0; i < count; i++) {
        struct mutex_set_member *member = &set->members[i];
        member->mutex = requests[sorted[i]].mutex;
        member->mode = requests[sorted[i]].mode;
        member->guard = (struct mutex_guard){.waiter = NULL, .generation = 0};
        set->order[sorted[i]] = (uint8_t)i;
    }
    set->count = (uint8_t)count;
    set->held = 0;
    err_t err = mutex_request(lowest, &set->members[0].waiter, set->members[0].mode);
    if (err != ERR_OK) {
        return err; /* cannot happen after the checks above; nothing was queued */
    }
    mutex_owner_reserve(set->owner, ranks_from(set, 1));
    set->state = MUTEX_SET_ACQUIRING;
    return ERR_OK;
}

void *mutex_set_resource(const struct mutex_set *set, size_t index, const struct mutex_type *type)
{
    const struct mutex_guard *guard = mutex_set_guard(set, index);
    return guard != NULL ? mutex_guard_resource(guard, type) : NULL;
}

const struct mutex_guard *mutex_set_guard(const struct mutex_set *set, size_t index)
{
    if (index >= set->count) {
        return NULL;
    }
    return &set->members[set->order[index]].guard;
}

void mutex_set_release(struct mutex_set *set)
{
    if (set->state != MUTEX_SET_HELD) {
        return;
    }
    release_held(set);
    set->state = MUTEX_SET_IDLE;
}

err_t mutex_set_cancel(struct mutex_set *set)
{
    if (set->state != MUTEX_SET_ACQUIRING) {
        return ERR_ALREADY;
    }
    err_t err = mutex_cancel(&set->members[set->held].waiter);
    (void)err; /* ERR_ALREADY only if held == count, which ends the acquisition first */
    release_held(set);
    set->state = MUTEX_SET_IDLE;
    return ERR_OK;
}
