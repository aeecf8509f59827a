/* SPDX-License-Identifier: Apache-2.0 OR MIT */
/*
 * IPC messaging, driver 0xA8001 (record 003): synchronous call / receive / reply with one
 * bounded copy, copy-based leases, notification bits with posting rights, per-call timeouts,
 * restart detection through generations, and cycle refusal.
 *
 * A client SENDs on a descriptor (ipc_name.h) and waits with Yield-WaitFor on subscribe 0
 * (REPLY). A server enables SERVE once, RECVs, then loops Yield-WaitFor on subscribe 1 and
 * REPLY_RECV (the reply and the next receive in one syscall, as seL4's ReplyRecv). Message
 * bytes move directly from the client's RO allow 0 into the server's RW allow 5 when the server
 * receives, and from the server's RO allow 5 into the client's RW allow 0 when it replies: no
 * kernel message buffers, at most IPC_MAX_MSG bytes each way. Larger data moves by BORROW from
 * the client's lease allows (RO/RW 1..4) through the server's window allows (RW/RO 6).
 *
 * ABI:
 *   allow_ro 0 request, allow_rw 0 reply buffer, allow_ro/rw 1..4 leases      (client)
 *   allow_rw 5 receive buffer, allow_ro 5 reply, allow_rw 6 / allow_ro 6 borrow window (server)
 *   subscribe 0 REPLY (status, reply_len | truncated << 31, response code or reason)
 *   subscribe 1 RECV  message (token, endpoint << 30 | opcode << 16 | len, client badge)
 *                     notification (0, bits, 0)
 *   commands 1 SEND(desc | opcode << 16, timeout_ms), 2 CANCEL, 10 SERVE(on), 11 RECV(mask,
 *   badge), 12 REPLY(token, code), 13 BORROW_READ / 14 BORROW_WRITE(token, lease << 24 |
 *   offset), 15 BORROW_INFO(token, lease), 16 CLIENT_INFO(token), 17 REPLY_RECV(token, code:
 *   REPLY, then RECV with the last RECV's mask and badge; success_2u32(delivered, ready)),
 *   20 POST(desc, bits),
 *   21 POST_BADGE(badge, bits), 22 GRANT_POST(desc or 0, bits), 23 SET_TIMER(ms, bits),
 *   24 WATCH(desc, bits).
 *
 * Latched upcalls: REPLY and RECV are latched subscribes (doc/reference/030-latched-upcalls.md),
 * so each event takes the process's latched slot for that subscribe instead of an upcall-ring
 * entry: another driver filling the ring cannot delay or drop it, Yield-WaitFor finds it, and a
 * re-subscribe keeps it (delivered to the new function). The driver still has at most one event
 * pending per (process, subscribe), since a newer one would overwrite it: a client cannot SEND
 * again before it has collected the previous REPLY, a server is disarmed from the moment a RECV
 * event is scheduled until its next RECV, and notifications coalesce as bits.
 *
 * Other differences from the design note it was built from (record 003): the per-slot
 * generation is the kernel's process id + 1 (a kernel-wide counter, so it also changes on every
 * restart and is never reused within a boot); cycle detection is always on; a waiting LOOKUP's
 * completion (ipc_name.c) is an ordinary upcall. Not implemented: the board's uphill-rank mode.
 * IPC_SHARE (0xA8002) is its own driver: ipc_share.h.
 *
 * Files: ipc_msg.c (SEND, CANCEL, SERVE, RECV, REPLY_RECV, completion, reaping),
 * ipc_msg_token.c (REPLY, BORROW_*, CLIENT_INFO), ipc_msg_notify.c (POST*, GRANT_POST,
 * SET_TIMER, WATCH, the alarm) and, for the message queues (ipc_queue.h,
 * record 029), the shared alarm and kernel posts).
 *
 * Usage: static struct virtual_alarm ipc_alarm; static struct ipc_msg ipc_msg;
 *        virtual_alarm_init(&ipc_alarm, &core.alarm_mux);
 *        boot_check(ipc_msg_init(&ipc_msg, &kernel, &ipc_name, &ipc_alarm.alarm), "ipc msg");
 *        driver table: { IPC_MSG_DRIVER_NUM, &ipc_msg.driver }
 *
 * Invariants:
 *  - A process has at most one outstanding call (state QUEUED or RECEIVED, in its own grant).
 *  - Every successful SEND ends in exactly one REPLY event: from REPLY, CANCEL, timeout, the
 *    server's exit/restart or SERVE 0. ipc_msg_complete_call() (kernel/ipc/ipc_msg.c) is the only
 *    place a call leaves QUEUED/RECEIVED.
 *  - No server operation waits for a client: REPLY and BORROW complete or fail at once.
 *  - The "waits for" relation over outstanding calls has no cycle (checked at SEND).
 *  - A token names one call: (client slot + 1) | (seq << 8), seq from a per-slot 24-bit counter
 *    kept here (it survives the client's restarts); it is honoured only while that client
 *    instance's call with that seq is RECEIVED by the caller.
 */
#pragma once

#include <stdbool.h>
#include <stdint.h>

#include "hil/alarm.h"
#include "kernel/deferred_call.h"
#include "kernel/grant.h"
#include "ipc/ipc_name.h"
#include "kernel/kernel.h"
#include "kernel/syscall_driver.h"

#define KERNEL_IPC_MSG_DRIVER_NUM 0xA8001u
#define IPC_MAX_MSG 256u
#define IPC_LEASES 4u         /* lease allows 1..IPC_LEASES */
#define IPC_MAX_POSTERS 4u    /* GRANT_POST entries per process */
#define IPC_MAX_WATCHES 4u    /* WATCH entries per process */
#define IPC_MSG_MAX_PROCESSES 16u

/* Reasons: the u32 of a failure_u32 result, or arg 2 of a failed REPLY event. */
enum ipc_reason {
    IPC_REASON_NONE = 0,      /* (borrow after the call was replied to) */
    IPC_PEER_DEAD = 1,        /* UNINSTALLED: slot empty / peer exited during the call */
    IPC_PEER_RESTARTED = 2,   /* UNINSTALLED: slot holds a newer instance */
    IPC_NOT_SERVING = 3,      /* UNINSTALLED: peer has not enabled SERVE, or disabled it */
    IPC_WOULD_DEADLOCK = 4,   /* FAIL: SEND would close a wait-for cycle */
    IPC_TIMEOUT = 5,          /* CANCEL: the call's deadline passed */
    IPC_CANCELLED = 6,        /* CANCEL: client cancelled, or a lease was re-allowed */
};

/* Per process slot; survives restarts of the slot's process. */
struct ipc_msg_slot {
    uint32_t next_seq;               /* next call sequence for a client in this slot (24 bit) */
    bool has_wrapped;                /* next_seq has wrapped past 2^24 - 1 */
    uint8_t peer_endpoint;           /* (the descriptor cache below) */
    uint16_t peer_desc;
    uint32_t issued_seq;             /* seq of the last call received from this slot ... */
    struct process_id issued_client; /* ... by which client instance ... */
    struct process_id issued_server; /* ... and which server */
    bool is_issued;
    uint8_t peer_index;              /* (the descriptor cache below) */
    /* Never below the number of QUEUED calls to the server in this slot: raised by every SEND
     * (saturating), set to the exact count by each scan for that server, so a server with none
     * is not scanned for (calls that leave QUEUED otherwise only leave it too high). */
    uint32_t queued_for;
    /* SEND's cache of the descriptor it resolved last for the slot's process: instance
     * peer_caller_id's descriptor peer_desc named {{peer_index, peer_id}, peer_endpoint} at
     * IPC_NAME epoch peer_epoch (0: nothing cached). Used only by that instance at that same
     * epoch, when no descriptor table can have changed (ipc_name.h), so it answers as
     * ipc_name_peer would. */
    uint32_t peer_epoch;
    uint32_t peer_caller_id;
    uint32_t peer_id;
};

/* Deadlines of another IPC service (the message queues, ipc_queue.h) served by this driver's one
 * alarm. Both run in the kernel loop, outside every IPC_MSG grant entry. */
struct ipc_msg_deadlines;
struct ipc_msg_deadlines_ops {
    /* The ticks from `now` to the user's earliest deadline; false when it has none. */
    bool (*next)(struct ipc_msg_deadlines *d, ticks_t now, ticks_t *remaining);
    /* Complete everything of the user's whose deadline has passed by `now`. */
    void (*expire)(struct ipc_msg_deadlines *d, ticks_t now);
};
struct ipc_msg_deadlines {
    const struct ipc_msg_deadlines_ops *ops;
};

struct ipc_msg {
    struct syscall_driver driver;
    struct grant grant;
    struct kernel *kernel;
    struct ipc_name *names;
    struct hil_alarm *alarm;
    struct hil_alarm_client alarm_client;
    struct process_exit_hook exit_hook;
    struct deferred_call deaths;
    uint32_t next_ticket; /* FIFO order of SENDs, wrap-safe comparisons */
    bool is_timer_dirty;  /* a deadline or timer was added: re-arm before returning */
    /* Bytes from an instance's data to its first RO / RW allow slot (negative: the slot header
     * precedes the data), from the grant's slot_words and header_bytes, set once at init. */
    int32_t ro_from_data;
    int32_t rw_from_data;
    struct ipc_msg_slot slots[IPC_MSG_MAX_PROCESSES];
    /* NULL, or the one other user of the alarm (last: the message path's offsets stay). */
    struct ipc_msg_deadlines *other_deadlines;
};

/**
 * Boot only, after kernel_init and ipc_name_init: create the grant, take `alarm` (a virtual
 * alarm no one else uses) as the one timer for every deadline, register the exit hook and the
 * deferred call. Returns ERR_NOMEM (more processes than IPC_MSG_MAX_PROCESSES, no grant or
 * deferred-call slot) or grant_create's error.
 */
MUST_CHECK err_t ipc_msg_init(struct ipc_msg *m, struct kernel *k, struct ipc_name *names,
                              struct hil_alarm *alarm);

/**
 * Read-only: how many records in live processes' IPC_MSG grants name instance `pid` -- calls
 * waiting for it as their server, posting rights granted to it and watches on it. Once an
 * instance is gone and the reaper (a deferred call after its exit) has run, this is 0. For
 * diagnostics and the restart soak (doc/reference/016-restart-soak.md). Kernel loop only, not
 * inside an IPC_MSG grant entry.
 */
uint32_t ipc_msg_references(struct ipc_msg *m, struct process_id pid);

/* Boot only: let `d` (one user at most, e.g. the message queues) share this driver's alarm. */
void ipc_msg_share_alarm(struct ipc_msg *m, struct ipc_msg_deadlines *d);

/* The shared alarm's user added or removed a deadline: re-arm for the earliest one now. Kernel
 * loop, outside every IPC_MSG grant entry. */
void ipc_msg_deadlines_changed(struct ipc_msg *m);

/* The earliest of a set of deadlines (each `dt` ticks after its `reference`) as ticks from
 * `now`, 0 for one already passed: start with {.now = now}, consider each; has_next stays false
 * while there is none. The message IPC's and the queues' alarm scans share it. */
struct ipc_deadline_scan {
    ticks_t now;
    bool has_next;
    ticks_t next;
};
void ipc_deadline_consider(struct ipc_deadline_scan *s, ticks_t reference, ticks_t dt);

/* Now on the shared alarm, and `ms` milliseconds in its ticks (at least 1, at most 2^32 - 2). */
ticks_t ipc_msg_now(struct ipc_msg *m);
ticks_t ipc_msg_ms_to_ticks(struct ipc_msg *m, uint32_t ms);

/* Why a peer that is not live is gone, for a failure_u32: IPC_PEER_RESTARTED when a new
 * instance of it runs, else IPC_PEER_DEAD. */
uint32_t ipc_gone_reason(struct kernel *k, struct process_id pid);

/* Kernel-originated notification: OR `bits` into `target`'s notification word (no posting right
 * needed) and deliver them if it is armed for them. ERR_NODEVICE when the target never used
 * IPC_MSG. Kernel loop, outside every IPC_MSG grant entry. */
MUST_CHECK err_t ipc_msg_post_from_kernel(struct ipc_msg *m, struct process_id target,
                                          uint32_t bits);
