/* SPDX-License-Identifier: Apache-2.0 OR MIT */
/*
 * Where the kernel tells the tracer about a traced process (process_set_traced, struct
 * kernel_tracer; doc/reference/024-process-console.md). A board links one of two files:
 * kernel/trace.c, which calls the tracer for processes marked traced, or kernel/trace_none.c
 * for kernels with nothing that traces (CONFIG=core: no process console), whose functions do
 * nothing, so link-time optimisation leaves no trace of tracing in them.
 *
 * Invariants: each function runs where the kernel handles the event (see kernel_tracer_ops),
 * never changes p, and costs an untraced process one byte test at most.
 */
#pragma once

#include <stdbool.h>

#include "kernel/arch.h"
#include "kernel/kernel.h"

/* The trap's fast path leaves p's syscall to the loop (KERNEL_FAST_DEFER): p is traced. */
bool trace_takes_syscall(const struct process *p);

/* syscall_handle, before and after it handles sc for p. */
void trace_syscall_entered(struct kernel *k, struct process *p, const struct arch_syscall *sc);
void trace_syscall_returned(struct kernel *k, struct process *p, const struct arch_syscall *sc);

/* Upcall delivery to p (after_upcall has PROCESS_AFTER_UPCALL_TRACE), before and after. */
void trace_upcall_coming(struct kernel *k, struct process *p);
void trace_upcall_delivered(struct kernel *k, struct process *p);
