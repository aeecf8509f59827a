/* SPDX-License-Identifier: Apache-2.0 OR MIT */
/*
 * Mutex sets: one client acquires several mutexes, of different resource types, in rank order.
 *
 * A capsule that needs several resources at once (a software CCM needing the ECB engine and the
 * crypto RAM, a sensor needing a bus and a GPIO expander) names them in any order; the set sorts
 * them by rank, requests them one at a time in ascending rank -- each request only after the
 * previous grant, so the owner never waits for a lower rank while holding a higher one -- and
 * calls acquired() once, when every guard is held. Members may be exclusive or shared. Access goes
 * through typed downcasts by the caller's own index; release gives the mutexes back in descending
 * rank order. Partial holdings delay other clients but cannot deadlock them: every owner climbs
 * the same rank order (capsules/support/mutex.h).
 *
 * Usage:
 *     struct ccm { struct mutex_owner owner; struct mutex_set locks; ... };
 *     static const struct mutex_set_ops ccm_locks_ops = {.acquired = ccm_locks_acquired};
 *     mutex_owner_init(&ccm->owner, "ccm");
 *     mutex_set_init(&ccm->locks, &ccm->owner, &ccm_locks_ops);
 *     const struct mutex_set_request want[] = {{&ram_mutex, MUTEX_EXCLUSIVE},
 *                                              {&ecb_mutex, MUTEX_EXCLUSIVE}};
 *     err = mutex_set_acquire(&ccm->locks, want, ARRAY_LEN(want));
 *     ... in ccm_locks_acquired(set, ERR_OK):
 *     struct aes_ecb *ecb = mutex_set_resource(set, 1, &aes_ecb_type);
 *     ... when done: mutex_set_release(&ccm->locks);
 *
 * Invariants: members[0..count) are sorted by strictly ascending rank (or count == 1);
 * members[0..held) hold their mutex; while acquiring, members[held] is queued (or held == count)
 * and the ranks of members[held+1..count) are reserved in the owner.
 * order[i] is the member of the caller's i-th request.
 */
#pragma once

#include <stddef.h>
#include <stdint.h>

#include "errorcode.h"
#include "support/mutex.h"

#define MUTEX_SET_MAX 4u

struct mutex_set;

struct mutex_set_ops {
    /* The acquisition is over: ERR_OK, every member is held. From the mutex dispatcher only.
     * While the set acquires, the ranks it will still request are reserved for it
     * (mutex_owner_reserve), so any request of the owner's that would make a member climb down
     * is refused when it is made; a later member's request therefore cannot fail, and a status
     * other than ERR_OK (none held) would mean a bug in the mutex layer. */
    void (*acquired)(struct mutex_set *set, err_t status);
};

struct mutex_set_request {
    struct mutex *mutex;
    enum mutex_mode mode;
};

struct mutex_set_member {
    struct mutex_waiter waiter;
    struct mutex_guard guard;
    struct mutex_set *set;
    struct mutex *mutex;
    enum mutex_mode mode;
};

enum mutex_set_state {
    MUTEX_SET_IDLE,
    MUTEX_SET_ACQUIRING,
    MUTEX_SET_HELD,
};

struct mutex_set {
    const struct mutex_set_ops *ops;
    struct mutex_owner *owner;
    struct mutex_set_member members[MUTEX_SET_MAX]; /* ascending rank */
    uint8_t order[MUTEX_SET_MAX];
    uint8_t count;
    uint8_t held;
    enum mutex_set_state state;
};

void mutex_set_init(struct mutex_set *set, struct mutex_owner *owner,
                    const struct mutex_set_ops *ops);

/**
 * Acquire `count` mutexes, given in any order, in ascending rank. Kernel loop only.
 * Returns ERR_OK: acquired() follows exactly once, never inside this call (unless mutex_set_cancel
 * comes first). ERR_ALREADY: the set is acquiring or held. ERR_SIZE: count is 0 or more than
 * MUTEX_SET_MAX. ERR_INVAL: a mode is not a mutex_mode, or the order is impossible -- a mutex
 * twice, two equal ranks, an unranked mutex among several, the owner already uses a rank at or
 * above the lowest one (or any mutex, for one unranked member), or another set of the owner's
 * has reserved a rank at or below the highest one (all but the first are reported as
 * MUTEX_VIOLATION_RANK_ORDER). No callback follows an error; nothing is requested or reserved.
 * On ERR_OK the ranks above the lowest are reserved for the set until it holds them, so the
 * owner's other requests must fit strictly between what it holds and what the set still needs.
 */
MUST_CHECK err_t mutex_set_acquire(struct mutex_set *set, const struct mutex_set_request *requests,
                                   size_t count);

/**
 * The resource of the caller's `index`-th request, as `type`. NULL when index is out of range,
 * or (reported) when that member is not held or `type` is not its mutex's type.
 */
void *mutex_set_resource(const struct mutex_set *set, size_t index, const struct mutex_type *type);

/* The guard of the caller's `index`-th request (to share it), or NULL when out of range. */
const struct mutex_guard *mutex_set_guard(const struct mutex_set *set, size_t index);

/* Release every member, highest rank first. Does nothing unless the set is held. */
void mutex_set_release(struct mutex_set *set);

/**
 * Abandon an acquisition: release what is held, withdraw what is queued; no callback follows.
 * Returns ERR_OK, or ERR_ALREADY when the set is not acquiring.
 */
MUST_CHECK err_t mutex_set_cancel(struct mutex_set *set);
