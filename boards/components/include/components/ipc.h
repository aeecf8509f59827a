/* SPDX-License-Identifier: Apache-2.0 OR MIT */
/*
 * The IPC wiring every tockc board shares: Tock-compatible IPC (0x10000) and the message IPC
 * (IPC_NAME 0xA8000, IPC_MSG 0xA8001) with its own virtual alarm for call timeouts, and the
 * message IPC's mapped shares (IPC_SHARE 0xA8002), and message queues (IPC_QUEUE 0xA8004),
 * which share the message IPC's alarm.
 *
 * Usage: static struct ipc_component ipc;   (a board static)
 *        ipc_component_setup(&ipc, &kernel, &core.alarm_mux, BOARD_IPC_SHARE_MAX_MAPPED);
 *        its drivers (IPC, IPC_NAME, IPC_MSG, IPC_SHARE, IPC_QUEUE): FULL_DRIVER_SLOTS
 *        (components/driver_table.h)
 * Invariants: set up once at boot, after kernel_init and before processes load.
 */
#pragma once

#include "capsules/virtual_alarm.h"
#include "ipc/ipc.h"
#include "ipc/ipc_msg.h"
#include "ipc/ipc_name.h"
#include "ipc/ipc_share.h"
#include "ipc/ipc_queue.h"
#include "kernel/kernel.h"

struct ipc_component {
    struct ipc compat;
    struct ipc_name name;
    struct ipc_msg msg;
    struct virtual_alarm msg_alarm;
    struct ipc_share share;
    struct ipc_queue queue; /* message queues: IPC_MSG's alarm and notification bits */
};

/* share_max_mapped: IPC_SHARE offers one process may have mapped at once (the board's part of
 * the budget; the MPU/PMP regions left after the compatible IPC's mappings are the other). */
void ipc_component_setup(struct ipc_component *c, struct kernel *k, struct mux_alarm *alarm_mux,
                         uint32_t share_max_mapped);
