/* SPDX-License-Identifier: Apache-2.0 OR MIT */
/*
 * Fault policy decisions (fault_policy.h).
 *
 * Invariants: a streak counts faults in a row; the kernel sets it back to 0 after a healthy run
 * or a clean exit, so the next fault is number 1; the back-off doubles per fault of the streak
 * and never exceeds PROCESS_FAULT_BACKOFF_MAX_MS; a RESTART policy restarts at most
 * max_restarts faults of one streak.
 */
#include "kernel/fault_policy.h"

#include "kernel/kernel.h"
#include "text_equal.h"

struct process_fault_policy fault_policy_for(const struct kernel_config *config,
                                             const char *name)
{
    for (uint32_t i = 0; i < config->fault_override_count; i++) {
        const struct process_fault_override *o = &config->fault_overrides[i];
        if (text_equal(o->name, name)) {
            return o->policy;
        }
    }
    return config->fault_policy;
}

/* first_ms * 2^(streak - 1), at most PROCESS_FAULT_BACKOFF_MAX_MS (streak >= 1; a first_ms
 * below the cap is below 2^15, so a shift of up to 15 cannot overflow). */
static uint32_t backoff(uint32_t first_ms, uint32_t streak)
{
    if (first_ms >= PROCESS_FAULT_BACKOFF_MAX_MS) {
        return PROCESS_FAULT_BACKOFF_MAX_MS;
    }
    uint32_t shift = streak - 1u < 15u ? streak - 1u : 15u;
    uint32_t delay = first_ms << shift;
    return delay < PROCESS_FAULT_BACKOFF_MAX_MS ? delay : PROCESS_FAULT_BACKOFF_MAX_MS;
}

struct fault_decision fault_policy_decide(const struct process_fault_policy *policy,
                                          uint32_t streak, bool has_clock)
{
    struct fault_decision d = { .streak = streak + 1u };
    switch (policy->action) {
    case PROCESS_FAULT_STOP:
        d.action = FAULT_DECISION_STOP;
        break;
    case PROCESS_FAULT_HOLD:
        d.action = FAULT_DECISION_HOLD;
        break;
    case PROCESS_FAULT_RESTART:
        if (d.streak > policy->max_restarts) {
            d.action = FAULT_DECISION_GIVE_UP;
        } else {
            d.action = FAULT_DECISION_RESTART;
            d.delay_ms = has_clock ? backoff(policy->backoff_ms, d.streak) : 0u;
        }
        break;
    }
    return d;
}
