/* SPDX-License-Identifier: Apache-2.0 OR MIT */
/*
 * Fixed-priority scheduling (sched.h): the highest-priority ready process always runs. The
 * board assigns the order (kernel_set_sched_order: app names, highest first); apps it does not
 * name come after, in slot order (the order they were installed in flash). Every process thus
 * has its own priority: (rank, slot), smaller first. A higher-priority process that becomes
 * ready preempts at once: after an interrupt (the loop does not resume the preempted process)
 * and after a syscall the trap finished (sched_outranked stops the fast path). A process keeps
 * the CPU through its slices while no higher one is ready, so a high-priority spinner starves
 * the rest, as fixed priority means.
 *
 * Invariants: sched_pick returns the ready process with the smallest (rank, slot).
 */
#include "kernel/kernel.h"
#include "kernel/sched.h"
#include "kernel/sched_walk.h"
#include "text_equal.h"

#include <stddef.h>

#define UNLISTED_RANK 255u

static uint32_t key_of(const struct process *p)
{
    return (uint32_t)p->sched_rank << 16 | p->pid.index;
}

/* The ready process with the smallest key below `limit` (UINT32_MAX: any), or NULL. */
static struct process *best_ready(struct kernel *k, uint32_t limit)
{
    struct process *best = NULL;
    uint32_t best_key = limit;
    struct process *end = k->config.processes + k->slot_limit;
    for (struct process *p = k->config.processes; p < end; p++) {
        if (process_is_ready(p) && key_of(p) < best_key) {
            best = p;
            best_key = key_of(p);
        }
    }
    return best;
}

struct process *sched_pick(struct kernel *k)
{
    return best_ready(k, UINT32_MAX);
}

uint32_t sched_slice_us(const struct kernel *k, const struct process *p)
{
    (void)k;
    (void)p;
    return KERNEL_TIMESLICE_US;
}

bool sched_outranked(struct kernel *k, const struct process *running)
{
    return best_ready(k, key_of(running)) != NULL;
}

bool sched_keeps(struct kernel *k, const struct process *running, uint32_t left_us)
{
    (void)k;
    (void)running;
    (void)left_us; /* unless outranked, a fresh pick would choose it again anyway */
    return true;
}

void sched_stopped(struct kernel *k, struct process *p, enum sched_stop why)
{
    (void)k;
    (void)p;
    (void)why;
}

void sched_started(struct kernel *k, struct process *p)
{
    p->sched_rank = UNLISTED_RANK;
    for (uint32_t i = 0; i < k->config.sched_order_count && i < UNLISTED_RANK; i++) {
        if (text_equal(k->config.sched_order[i], p->name)) {
            p->sched_rank = (uint8_t)i;
            return;
        }
    }
}
