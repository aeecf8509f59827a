/* SPDX-License-Identifier: Apache-2.0 OR MIT */
/*
 * Restarting a process the fault policy decided to restart (doc/reference/023-fault-reports.md
 * §3). A board links one of two files: kernel/fault_restart_timed.c, which waits out the
 * back-off on the kernel clock and then keeps the new instance on probation until it has run
 * healthy_ms (ending the streak), or kernel/fault_restart_now.c for kernels without a clock
 * (CONFIG=core), which restarts at once.
 */
#pragma once

#include "kernel/fault_policy.h"
#include "kernel/kernel.h"

/* p has faulted and been detached; d is the policy's RESTART decision. Ends the console line
 * process_fault began ("... restarting after fault (N of M)") with " in D ms" or nothing. */
void fault_restart(struct kernel *k, struct process *p, const struct fault_decision *d);
