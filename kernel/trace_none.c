/* SPDX-License-Identifier: Apache-2.0 OR MIT */
/*
 * Tracing for kernels with nothing that traces (trace.h): no process is ever marked traced
 * (process_set_traced and kernel_set_tracer are not linked), so every hook does nothing and
 * link-time optimisation removes its calls.
 *
 * Usage: linked by CONFIG=core (boards/boards.mk).
 */
#include "kernel/trace.h"

bool trace_takes_syscall(const struct process *p)
{
    (void)p;
    return false;
}

void trace_syscall_entered(struct kernel *k, struct process *p, const struct arch_syscall *sc)
{
    (void)k;
    (void)p;
    (void)sc;
}

void trace_syscall_returned(struct kernel *k, struct process *p, const struct arch_syscall *sc)
{
    (void)k;
    (void)p;
    (void)sc;
}

void trace_upcall_coming(struct kernel *k, struct process *p)
{
    (void)k;
    (void)p;
}

void trace_upcall_delivered(struct kernel *k, struct process *p)
{
    (void)k;
    (void)p;
}
