/* SPDX-License-Identifier: Apache-2.0 OR MIT */
/*
 * IPC message queues, driver 0xA8004 (record 029): bounded queues of fixed-size messages, the
 * ThreadX-queue / bounded-mpsc case of the IPC discussion, built on the message IPC's
 * descriptors, name service, generations, alarm and notification bits (ipc_name.h, ipc_msg.h).
 *
 * A process (the owner) CREATEs one queue bound to one of its IPC_NAME endpoints and registers
 * a name for that endpoint as a server would; senders look the name up into a descriptor. The
 * queue's ring lives in the owner's own grant (charged to the owner, gone with it). The owner
 * decides who may send (GRANT_SEND: one descriptor's process, or anyone). A sender SENDs the
 * msg_size bytes of its RO allow 0: copied into the ring at once when there is room; when the
 * queue is full, refused (no-wait) or held by the kernel (wait forever, or up to a timeout) and
 * completed later by a SENT event. The owner RECEIVEs into its RW allow 0: at once when a
 * message is queued; when empty, refused (no-wait) or armed (forever or up to a timeout) and
 * completed by a RECEIVED event. Only the owner can receive: RECV acts on the caller's own
 * queue, there is no way to name another's.
 *
 * ABI (driver 0xA8004):
 *   allow_ro 0  the message to send (at least msg_size bytes; the first msg_size are sent)
 *   allow_rw 0  the owner's receive buffer (at least msg_size bytes)
 *   subscribe 0 SENT     (status, 0, reason): a held SEND finished
 *   subscribe 1 RECEIVED (status, sender badge, messages left | reason): an armed RECV finished
 *   commands 0 exists
 *            1 CREATE(endpoint, msg_size | depth << 16)    2 DESTROY
 *            3 GRANT_SEND(desc or 0 = anyone, 1 grant / 0 revoke)
 *            4 NOTIFY(bits): post these IPC_MSG notification bits to me on every send (0: off)
 *           10 SEND(desc, wait)  wait: 0 no-wait, IPC_QUEUE_FOREVER, else a timeout in ms
 *              -> success_u32(0) queued, success_u32(1) held (a SENT event follows)
 *           11 CANCEL: withdraw the held SEND (its SENT event is (CANCEL, 0, CANCELLED))
 *           20 RECV(wait) -> success_2u32(badge, messages left) with the message in RW allow 0,
 *              or success_2u32(0, 0) armed (a RECEIVED event follows)
 *   Errors: INVAL bad descriptor or arguments; NOSUPPORT no send right; SIZE allow too short;
 *   ALREADY a SEND held / RECV armed / queue exists, or the caller's last SENT / RECEIVED
 *   event not collected yet; NOMEM queue full (no-wait, or the ring is
 *   too small at CREATE); BUSY queue empty (no-wait); UNINSTALLED with reason PEER_DEAD,
 *   PEER_RESTARTED or NOT_SERVING (no queue on that endpoint); CANCEL with reason TIMEOUT or
 *   CANCELLED in events. Reasons are enum ipc_reason's.
 *
 * Usage: after ipc_msg_init,
 *        static struct ipc_queue ipc_queue;
 *        boot_check(ipc_queue_init(&ipc_queue, &kernel, &ipc_name, &ipc_msg), "ipc queue");
 *        driver table: { IPC_QUEUE_DRIVER_NUM, &ipc_queue.driver }
 *
 * Invariants:
 *  - At most one SENT and one RECEIVED event per process is queued at a time.
 *  - A process holds at most one SEND, and every held SEND ends in exactly one SENT event
 *    (room, timeout, CANCEL, the owner's death/restart or DESTROY); finish_send (ipc_queue.c) is
 *    the only place a SEND stops being held. Likewise an armed RECV ends in exactly one
 *    RECEIVED event (a message, or its timeout); finish_recv is the only place it disarms.
 *  - Messages leave the ring in the order they entered it; held SENDs enter it in the order
 *    they were held (ticket order), and a new SEND never overtakes a held one.
 *  - No kernel memory per message or per queue: the ring is in the owner's grant, a held SEND
 *    in its sender's grant (the bytes stay in the sender's allow until they move).
 */
#pragma once

#include <stdbool.h>
#include <stdint.h>

#include "ipc/ipc_msg.h"
#include "ipc/ipc_name.h"
#include "kernel/deferred_call.h"
#include "kernel/grant.h"
#include "kernel/kernel.h"
#include "kernel/syscall_driver.h"

#define KERNEL_IPC_QUEUE_DRIVER_NUM 0xA8004u
#define IPC_QUEUE_STORAGE 128u    /* ring bytes in every IPC_QUEUE grant: depth * stride */
#define IPC_QUEUE_MAX_SENDERS 4u  /* GRANT_SEND entries per queue */
#define IPC_QUEUE_FOREVER 0xFFFFFFFFu

/* A message's place in the ring: the sender's badge, then msg_size bytes rounded up to 4. */
struct ipc_queue {
    struct syscall_driver driver;
    struct grant grant;
    struct kernel *kernel;
    struct ipc_name *names;
    struct ipc_msg *msg;               /* its alarm and notification bits */
    struct ipc_msg_deadlines deadlines; /* this driver's side of that alarm */
    struct process_exit_hook exit_hook;
    struct deferred_call deaths;
    uint32_t next_ticket; /* order of held SENDs, wrap-safe comparisons */
};

/* Boot only, after ipc_msg_init: create the grant, share msg's alarm, register the exit hook and
 * the deferred call. Returns grant_create's or deferred_call_register's error. */
MUST_CHECK err_t ipc_queue_init(struct ipc_queue *q, struct kernel *k, struct ipc_name *names,
                                struct ipc_msg *msg);

/* Read-only, for tests and the restart soak: the SENDs held by live processes for instance
 * `owner`'s queue (0 once the owner is gone and the reaper has run). Kernel loop only. */
uint32_t ipc_queue_held_for(struct ipc_queue *q, struct process_id owner);
