/* SPDX-License-Identifier: Apache-2.0 OR MIT */
/*
 * A process's fault (kernel.h, process_fault): the report, the end of the instance, and what
 * the fault policy decided (doc/reference/023-fault-reports.md).
 *
 * Invariants: the report is printed while the instance is intact (its memory, registers and
 * grants as they were at the fault); the instance then always ends (exit hooks release what it
 * held) before the policy acts. Above process.c, fault_report.c, fault_policy.c and the
 * board's fault_restart file, which call none of this.
 */
#include "kernel/debug.h"
#include "kernel/fault_policy.h"
#include "kernel/fault_report.h"
#include "kernel/fault_restart.h"
#include "kernel/kernel.h"

void process_fault(struct kernel *k, struct process *p, const char *reason)
{
    p->fault_count++;
    fault_report(k, p, reason);
    const struct process_fault_policy *policy = &p->fault_policy;
    struct fault_decision d = fault_policy_decide(policy, p->fault_streak, k->clock != NULL);
    process_end(k, p, PROCESS_FAULTED);
    debug_printf("[kernel] process %s: ", p->name);
    switch (d.action) {
    case FAULT_DECISION_STOP:
    case FAULT_DECISION_GIVE_UP:
        process_clear_ram(p);
        debug_printf("stopped (fault %u in a row)\n", (unsigned)d.streak);
        break;
    case FAULT_DECISION_HOLD:
        debug_printf("held for inspection\n");
        break;
    case FAULT_DECISION_RESTART:
        debug_printf("restarting after fault (%u of %u)", (unsigned)d.streak,
                     (unsigned)policy->max_restarts);
        fault_restart(k, p, &d);
        return;
    }
    p->fault_streak = d.streak;
}
