/* SPDX-License-Identifier: Apache-2.0 OR MIT */
/*
 * Tock-compatible IPC, driver 0x10000 (ABI §5.9): discovery by package name, service and
 * client notifications, and a buffer the notifier shared with the receiver, mapped into the
 * receiver's memory protection.
 *
 * Fixes over Tock, without changing the API: a shared buffer the MPU cannot map is refused when
 * it is allowed (INVAL), not silently accepted; a mapping is withdrawn from every process as soon
 * as the process that shared it exits, restarts or faults; notifications are ordinary upcalls,
 * so Yield-WaitFor(0x10000, slot) works; a notification that reaches a process which cannot take
 * it yet (no function subscribed on the slot and not waiting for it) is held, one bit per
 * (sender, receiver, direction), and queued when the receiver subscribes or waits for the slot;
 * a sender has at most one notification per direction queued in a receiver at a time (repeated
 * notifications coalesce, as interrupts do).
 *
 * Usage: static struct ipc ipc; boot_check(ipc_init(&ipc, &kernel), "ipc");
 *        driver table: { KERNEL_IPC_DRIVER_NUM, &ipc.driver }
 *
 * Invariants: upcall slot i and read-write slot i of a process's IPC grant refer to the process
 * in slot i; a receiver holds mappings only into processes that are alive; held[d][r] and
 * mapped[r] have bit s set only while processes r and s are both alive (the exit hook clears
 * row and column), mapped[r] bit s only while s's current share with r is mapped into r.
 */
#pragma once

#include "kernel/grant.h"
#include "kernel/kernel.h"
#include "kernel/syscall_driver.h"

#define KERNEL_IPC_DRIVER_NUM 0x10000u
#define IPC_MAX_PROCESSES 32u /* one bit per sender in a held-notification word */

enum ipc_direction {
    IPC_TO_SERVICE = 0, /* notify service: the receiver's upcall slot [its own index] */
    IPC_TO_CLIENT = 1,  /* notify client: the receiver's upcall slot [the sender's index] */
};

struct ipc {
    struct syscall_driver driver;
    struct grant grant;
    struct kernel *kernel;
    struct process_exit_hook exit_hook;
    struct upcall_ready_hook ready_hook;
    /* held[direction][receiver] bit s: s notified receiver, which could not take it yet. */
    uint32_t held[2][IPC_MAX_PROCESSES];
    /* mapped[receiver] bit s: the buffer s shares with receiver now (its read-write slot
     * [receiver], non-empty) is exposed in receiver's memory protection, so a notify need not
     * map it again. Set only after arch_mpu_add_shared succeeded for that buffer; cleared when
     * the share is replaced or cleared (rw_allow_withdrawn) and when either process ends (the
     * exit hook: process_end removes the receiver's shared regions, the hook the sender's). */
    uint32_t mapped[IPC_MAX_PROCESSES];
};

/* Boot only, after kernel_init: creates the grant and registers the exit and ready hooks.
 * ERR_SIZE when the kernel has more than IPC_MAX_PROCESSES process slots. */
MUST_CHECK err_t ipc_init(struct ipc *ipc, struct kernel *k);
