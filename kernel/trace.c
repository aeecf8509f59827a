/* SPDX-License-Identifier: Apache-2.0 OR MIT */
/*
 * Tracing for kernels with a tracer (trace.h): processes marked with process_set_traced are
 * reported to the kernel's tracer, if one is set.
 *
 * Usage: linked by the full kernel (boards/boards.mk); the process console is the tracer.
 *
 * Invariants: is_traced and PROCESS_AFTER_UPCALL_TRACE are set and cleared together, only by
 * process_set_traced.
 */
#include "kernel/trace.h"

#include <stddef.h>

void kernel_set_tracer(struct kernel *k, struct kernel_tracer *tracer)
{
    k->tracer = tracer;
}

void process_set_traced(struct process *p, bool is_traced)
{
    p->is_traced = is_traced;
    if (is_traced) {
        p->after_upcall |= PROCESS_AFTER_UPCALL_TRACE;
    } else {
        p->after_upcall &= (uint8_t)~PROCESS_AFTER_UPCALL_TRACE;
    }
}

bool trace_takes_syscall(const struct process *p)
{
    return p->is_traced;
}

void trace_syscall_entered(struct kernel *k, struct process *p, const struct arch_syscall *sc)
{
    if (p->is_traced && k->tracer != NULL) {
        k->tracer->ops->syscall_entered(k->tracer, p, sc);
    }
}

void trace_syscall_returned(struct kernel *k, struct process *p, const struct arch_syscall *sc)
{
    if (p->is_traced && k->tracer != NULL) {
        k->tracer->ops->syscall_returned(k->tracer, p, sc);
    }
}

void trace_upcall_coming(struct kernel *k, struct process *p)
{
    if ((p->after_upcall & PROCESS_AFTER_UPCALL_TRACE) != 0 && k->tracer != NULL) {
        k->tracer->ops->upcall_coming(k->tracer, p);
    }
}

void trace_upcall_delivered(struct kernel *k, struct process *p)
{
    if ((p->after_upcall & PROCESS_AFTER_UPCALL_TRACE) != 0 && k->tracer != NULL) {
        k->tracer->ops->upcall_delivered(k->tracer, p);
    }
}
