/* SPDX-License-Identifier: Apache-2.0 OR MIT */
/*
 * The round-robin walk the scheduling policies share (kernel/sched_*.c): the slots in use,
 * starting after the one that ran last and wrapping around. Inline: it is each policy's pick.
 */
#pragma once

#include <stddef.h>

#include "kernel/kernel.h"

/* The first process after the cursor, in round-robin order, for which accept(p, ctx) holds,
 * or NULL. Only slots below slot_limit are visited (the rest are empty). */
static inline struct process *sched_walk(struct kernel *k,
                                         bool (*accept)(const struct process *p, uint32_t ctx),
                                         uint32_t ctx)
{
    uint32_t n = k->slot_limit;
    struct process *first = k->config.processes;
    struct process *end = first + n;
    struct process *p = first + k->last_scheduled; /* inside the table, maybe at or past end */
    for (uint32_t step = 0; step < n; step++) {
        p = p + 1 < end ? p + 1 : first;
        if (accept(p, ctx)) {
            return p;
        }
    }
    return NULL;
}

/* sched_walk's test for "any ready process". */
static inline bool sched_any_ready(const struct process *p, uint32_t ctx)
{
    (void)ctx;
    return process_is_ready(p);
}
