/* SPDX-License-Identifier: Apache-2.0 OR MIT */
/*
 * Process exit hooks: how a service learns that a process died. Apart from kernel.h so that
 * services (the capsule-support library) need only process ids, not the whole kernel.
 */
#pragma once

#include "kernel/process_id.h"
#include "list.h"

/* Notified after a process stops being alive (exit, fault, restart), before its memory is
 * reused; must not schedule upcalls to it. Board-registered only (kernel_add_exit_hook). */
struct process_exit_hook {
    void (*on_exit)(struct process_exit_hook *hook, struct process_id pid);
    struct list_node node; /* in kernel.exit_hooks */
};
