/* SPDX-License-Identifier: Apache-2.0 OR MIT */
/*
 * Multilevel feedback queue scheduling (sched.h): three levels, 0 the highest. A process starts
 * at level 0; one that uses a whole slice drops a level (interactive processes, which block
 * before their slice ends, stay high); the ready process at the highest level runs, round-robin
 * among equals, with the slice of its level (10, 20, 40 ms: lower levels run less often but
 * longer). A process that becomes ready at a higher level than the running one preempts it at
 * once, as under fixed priority. Every MLFQ_BOOST_US of process run time all processes go back
 * to level 0, so demoted processes cannot starve.
 *
 * Run time is counted from the slices themselves (a used slice, or the part of one a process
 * used before it blocked), so the boost needs no clock of its own; idle time does not count.
 *
 * Invariants: sched_pick returns a ready process of the smallest level among the ready ones;
 * every level is below MLFQ_LEVELS.
 */
#include "kernel/arch.h"
#include "kernel/kernel.h"
#include "kernel/sched.h"
#include "kernel/sched_walk.h"

#include <stddef.h>

#define MLFQ_LEVELS 3u
#define MLFQ_BOOST_US 1000000u

static const uint32_t level_slice_us[MLFQ_LEVELS] = { 10000u, 20000u, 40000u };

static bool ready_at(const struct process *p, uint32_t level)
{
    return p->sched_level == level && process_is_ready(p);
}

/* The smallest level of a ready process, or MLFQ_LEVELS when none is ready. */
static uint32_t top_ready_level(const struct kernel *k)
{
    uint32_t top = MLFQ_LEVELS;
    const struct process *end = k->config.processes + k->slot_limit;
    for (const struct process *p = k->config.processes; p < end; p++) {
        if (p->sched_level < top && process_is_ready(p)) {
            top = p->sched_level;
        }
    }
    return top;
}

struct process *sched_pick(struct kernel *k)
{
    uint32_t top = top_ready_level(k);
    return top == MLFQ_LEVELS ? NULL : sched_walk(k, ready_at, top);
}

uint32_t sched_slice_us(const struct kernel *k, const struct process *p)
{
    (void)k;
    return level_slice_us[p->sched_level];
}

bool sched_outranked(struct kernel *k, const struct process *running)
{
    return top_ready_level(k) < running->sched_level;
}

bool sched_keeps(struct kernel *k, const struct process *running, uint32_t left_us)
{
    (void)k;
    (void)running;
    return left_us >= KERNEL_MIN_QUANTUM_US;
}

static void account(struct kernel *k, uint32_t used_us)
{
    k->sched_run_us += used_us;
    if (k->sched_run_us < MLFQ_BOOST_US) {
        return;
    }
    k->sched_run_us = 0;
    struct process *end = k->config.processes + k->slot_limit;
    for (struct process *p = k->config.processes; p < end; p++) {
        p->sched_level = 0;
    }
}

void sched_stopped(struct kernel *k, struct process *p, enum sched_stop why)
{
    uint32_t slice = level_slice_us[p->sched_level];
    if (why == SCHED_EXPIRED) {
        if (p->sched_level + 1u < MLFQ_LEVELS) {
            p->sched_level++;
        }
        account(k, slice);
        return;
    }
    /* Blocked: the slice timer still runs for it (the caller stops it afterwards). */
    uint32_t left = arch_timeslice_remaining_us();
    account(k, left < slice ? slice - left : 0u);
}

void sched_started(struct kernel *k, struct process *p)
{
    (void)k;
    p->sched_level = 0;
}
