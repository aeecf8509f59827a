/* SPDX-License-Identifier: Apache-2.0 OR MIT */
/*
 * Fault restarts without a clock (fault_restart.h): at once. The streak then ends only with a
 * clean exit, since no run can be timed.
 */
#include "kernel/fault_restart.h"

#include "kernel/debug.h"

void fault_restart(struct kernel *k, struct process *p, const struct fault_decision *d)
{
    debug_printf("\n");
    process_restart(k, p);
    p->fault_streak = d->streak;
}
