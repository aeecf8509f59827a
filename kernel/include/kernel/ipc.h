/* SPDX-License-Identifier: Apache-2.0 OR MIT */
/*
 * Tock-compatible IPC, driver 0x10000 (spec §5.9): discovery by package name, service and
 * client notifications, and a buffer the notifier shared with the receiver, mapped into the
 * receiver's memory protection.
 *
 * Fixes over Tock, without changing the API: a shared buffer the MPU cannot map is refused when
 * it is allowed (INVAL), not silently accepted; a mapping is withdrawn from every process as soon
 * as the process that shared it exits, restarts or faults; notifications are ordinary upcalls,
 * so Yield-WaitFor(0x10000, slot) works.
 *
 * Usage: static struct ipc ipc; boot_check(ipc_init(&ipc, &kernel), "ipc");
 *        driver table: { KERNEL_IPC_DRIVER_NUM, &ipc.driver }
 *
 * Invariants: upcall slot i and read-write slot i of a process's IPC grant refer to the process
 * in slot i; a receiver holds mappings only into processes that are alive.
 */
#pragma once

#include "kernel/grant.h"
#include "kernel/kernel.h"
#include "kernel/syscall_driver.h"

#define KERNEL_IPC_DRIVER_NUM 0x10000u

struct ipc {
    struct syscall_driver driver;
    struct grant grant;
    struct kernel *kernel;
    struct process_exit_hook exit_hook;
};

/* Boot only, after kernel_init: creates the grant and registers the exit hook. */
MUST_CHECK err_t ipc_init(struct ipc *ipc, struct kernel *k);
