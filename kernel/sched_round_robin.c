/* SPDX-License-Identifier: Apache-2.0 OR MIT */
/*
 * Round-robin scheduling (sched.h), the default: the ready processes take turns in slot order
 * from the cursor (the slot that ran last), each for a full slice; one preempted by kernel
 * work goes on with the rest of its slice when at least KERNEL_MIN_QUANTUM_US is left.
 *
 * Invariants: every ready process runs within one round of slices; no process state of its own.
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
    return KERNEL_TIMESLICE_US;
}

bool sched_keeps(struct kernel *k, const struct process *running, uint32_t left_us)
{
    (void)k;
    (void)running;
    return left_us >= KERNEL_MIN_QUANTUM_US;
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
