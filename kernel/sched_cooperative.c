/* SPDX-License-Identifier: Apache-2.0 OR MIT */
/*
 * Cooperative scheduling (sched.h): no timeslice. A process runs until it blocks (yields,
 * exits or faults); kernel work interrupts it but it goes on afterwards, whatever else is
 * ready. The next process is picked round-robin from the one that ran last. A process that
 * never yields therefore keeps the CPU for good (record 027 shows it on purpose): this policy
 * is for boards whose apps all cooperate.
 *
 * Invariants: a running process is never replaced while it is ready; no state of its own.
 */
#include "kernel/kernel.h"
#include "kernel/sched.h"
#include "kernel/sched_walk.h"

struct process *sched_pick(struct kernel *k)
{
    return sched_walk(k, sched_any_ready, 0);
}

uint32_t sched_slice_us(const struct kernel *k, const struct process *p)
{
    (void)k;
    (void)p;
    return 0; /* until it blocks */
}

bool sched_keeps(struct kernel *k, const struct process *running, uint32_t left_us)
{
    (void)k;
    (void)running;
    (void)left_us;
    return true;
}

bool sched_outranked(struct kernel *k, const struct process *running)
{
    (void)k;
    (void)running;
    return false;
}

void sched_stopped(struct kernel *k, struct process *p, enum sched_stop why)
{
    (void)k;
    (void)p;
    (void)why;
}

void sched_started(struct kernel *k, struct process *p)
{
    (void)k;
    (void)p;
}
