/* SPDX-License-Identifier: Apache-2.0 OR MIT */
/*
 * Timed fault restarts (fault_restart.h) on the kernel clock (kernel_clock.h): a restart waits
 * for its back-off while the process stays faulted; the new instance of a streak is on
 * probation until it has run healthy_ms, when the streak ends.
 *
 * Invariants: a process is restart_pending only while FAULTED and on_probation only while
 * alive (detach clears it); policy_due_ms is when either ends; the clock is asked for the
 * earliest pending one after every change (its wake_at keeps the earliest it was asked for).
 */
#include "kernel/fault_restart.h"

#include "kernel/debug.h"

static uint32_t clock_now(const struct kernel *k)
{
    return k->clock != NULL ? k->clock->ops->now_ms(k->clock) : 0u;
}

/* Ask the clock for the earliest policy time still pending (a back-off's end, a probation's
 * end), if any. */
static void arm_next_policy_time(struct kernel *k)
{
    uint32_t now = clock_now(k);
    bool any = false;
    uint32_t soonest = 0;
    for (uint32_t i = 0; i < k->slot_limit; i++) {
        const struct process *p = &k->config.processes[i];
        if ((p->restart_pending || p->on_probation) &&
            (!any || (int32_t)(p->policy_due_ms - now) < (int32_t)(soonest - now))) {
            soonest = p->policy_due_ms;
            any = true;
        }
    }
    if (any) {
        k->clock->ops->wake_at(k->clock, soonest);
    }
}

/* p was just restarted within a fault streak: it is on probation until it has run healthy_ms,
 * when the streak ends (fault_policy.h). Only then does its run time matter: a fault with no
 * streak behind it starts streak 1 whatever the run time. */
static void restart_within_streak(struct kernel *k, struct process *p, uint32_t streak)
{
    process_restart(k, p);
    p->fault_streak = streak;
    if (k->clock != NULL && p->fault_policy.healthy_ms != 0 && process_is_alive(p)) {
        p->on_probation = true;
        p->policy_due_ms = clock_now(k) + p->fault_policy.healthy_ms;
        k->clock->ops->wake_at(k->clock, p->policy_due_ms);
    }
}

void kernel_set_clock(struct kernel *k, struct kernel_clock *clock)
{
    k->clock = clock;
}

void kernel_clock_fired(struct kernel *k)
{
    uint32_t now = clock_now(k);
    for (uint32_t i = 0; i < k->slot_limit; i++) {
        struct process *p = &k->config.processes[i];
        if (!(p->restart_pending || p->on_probation) || (int32_t)(now - p->policy_due_ms) < 0) {
            continue;
        }
        if (p->restart_pending) {
            restart_within_streak(k, p, p->fault_streak);
        } else {
            p->on_probation = false; /* a healthy run: the streak is over */
            p->fault_streak = 0;
        }
    }
    arm_next_policy_time(k);
}

void fault_restart(struct kernel *k, struct process *p, const struct fault_decision *d)
{
    if (d->delay_ms == 0) {
        debug_printf("\n");
        restart_within_streak(k, p, d->streak);
        return;
    }
    debug_printf(" in %u ms\n", (unsigned)d->delay_ms);
    p->fault_streak = d->streak;
    p->restart_pending = true;
    p->policy_due_ms = clock_now(k) + d->delay_ms;
    arm_next_policy_time(k);
}
