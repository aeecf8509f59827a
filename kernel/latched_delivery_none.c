/* SPDX-License-Identifier: Apache-2.0 OR MIT */
/*
 * Latched upcalls left out, the kernel's side (latched_delivery.c): for images whose drivers
 * declare no latched subscribes (CONFIG=core). Every event takes the ring; nothing is ever
 * latched, so a Yield-WaitFor never finds one.
 *
 * Usage: linked instead of latched_delivery.c, with upcall_latched_none.c (boards/boards.mk).
 *
 * Invariants: none beyond kernel_enqueue_upcall's.
 */
#include "kernel/kernel.h"

#include <stddef.h>

err_t kernel_enqueue_upcall_above_ring(struct kernel *k, struct process *p,
                                       const struct upcall_task *task, bool is_latched)
{
    (void)is_latched; /* no latched slots: every event takes the ring */
    return kernel_enqueue_upcall(k, p, task);
}

bool process_wait_takes_latched(struct process *p)
{
    (void)p; /* nothing is ever latched */
    return false;
}
