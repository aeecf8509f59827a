/* SPDX-License-Identifier: Apache-2.0 OR MIT */
/*
 * The fault policy's decisions (doc/reference/023-fault-reports.md §3): which policy an app
 * runs under (the board's default, or its override by name), and what happens after a fault:
 * stop, hold, or restart after a back-off while the streak of unhealthy runs is within budget.
 * Pure functions over the policy and the process's counters, so the host tests can drive every
 * case; process_fault applies the decision.
 */
#pragma once

#include <stdbool.h>
#include <stdint.h>

#include "kernel/process.h"

struct kernel_config;

enum fault_decision_action {
    FAULT_DECISION_STOP,
    FAULT_DECISION_HOLD,
    FAULT_DECISION_RESTART,
    FAULT_DECISION_GIVE_UP, /* RESTART policy, but the streak spent its budget: stop */
};

struct fault_decision {
    enum fault_decision_action action;
    uint32_t streak;   /* the process's new fault streak */
    uint32_t delay_ms; /* RESTART: back-off before the restart */
};

/* The policy of the app called `name`: the first override with exactly that name, else the
 * board's default. */
struct process_fault_policy fault_policy_for(const struct kernel_config *config,
                                             const char *name);

/* After a fault with `streak` faults in a row before it (the kernel ends a streak when an
 * instance restarted within it runs healthy_ms, or on a clean exit); has_clock: back-offs can
 * be timed (else restarts follow at once). */
struct fault_decision fault_policy_decide(const struct process_fault_policy *policy,
                                          uint32_t streak, bool has_clock);
