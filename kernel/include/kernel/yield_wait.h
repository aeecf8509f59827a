/* SPDX-License-Identifier: Apache-2.0 OR MIT */
/*
 * Ending a Yield-WaitFor: the test and the completion the scheduler's delivery, the ring's
 * enqueue (upcall.c) and the latched enqueue (latched_delivery.c) share. Inline: the first two
 * are hot paths.
 */
#pragma once

#include <stdbool.h>

#include "kernel/arch.h"
#include "kernel/process.h"

/* p waits in Yield-WaitFor for exactly this task's (driver, subscribe). */
static inline bool process_waits_for(const struct process *p, const struct upcall_task *task)
{
    return p->state == PROCESS_YIELDED_FOR && p->yield_driver == task->driver_num &&
           p->yield_subscribe == task->subscribe_num;
}

/* End p's Yield-WaitFor with the task's three arguments as the syscall's return values (no
 * upcall runs). */
static inline void process_complete_wait(struct process *p, const struct upcall_task *task)
{
    struct syscall_registers regs = {
        .regs = { task->args[0], task->args[1], task->args[2], 0 },
        .count = 3,
    };
    arch_set_syscall_return(&p->context, &regs);
    p->state = PROCESS_RUNNING;
}
