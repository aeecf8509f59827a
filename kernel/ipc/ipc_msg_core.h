/* SPDX-License-Identifier: Apache-2.0 OR MIT */
/*
 * Private to the IPC_MSG driver (kernel/ipc/ipc_msg*.c): the ABI numbers, the per-process grant
 * record, the shared layer (ipc_msg_core.c) and the command halves the driver dispatches to.
 *
 * Usage: #include "ipc_msg_core.h" from those files only.
 *
 * Invariants: see ipc_msg.h and ipc_msg.c.
 */
#pragma once

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "ipc/ipc_copy.h"
#include "ipc/ipc_msg.h"
#include "kernel/grant_internal.h"

enum ipc_msg_command {
    IPC_MSG_CMD_EXISTS = 0,
    IPC_MSG_CMD_SEND = 1,
    IPC_MSG_CMD_CANCEL = 2,
    IPC_MSG_CMD_SERVE = 10,
    IPC_MSG_CMD_RECV = 11,
    IPC_MSG_CMD_REPLY = 12,
    IPC_MSG_CMD_BORROW_READ = 13,
    IPC_MSG_CMD_BORROW_WRITE = 14,
    IPC_MSG_CMD_BORROW_INFO = 15,
    IPC_MSG_CMD_CLIENT_INFO = 16,
    IPC_MSG_CMD_REPLY_RECV = 17,
    IPC_MSG_CMD_POST = 20,
    IPC_MSG_CMD_POST_BADGE = 21,
    IPC_MSG_CMD_GRANT_POST = 22,
    IPC_MSG_CMD_SET_TIMER = 23,
    IPC_MSG_CMD_WATCH = 24,
};

enum ipc_msg_allow_slot {
    IPC_MSG_ALLOW_REQUEST = 0,   /* RO, client */
    IPC_MSG_ALLOW_REPLY_BUF = 0, /* RW, client */
    IPC_MSG_ALLOW_RECV_BUF = 5,  /* RW, server */
    IPC_MSG_ALLOW_REPLY_MSG = 5, /* RO, server */
    IPC_MSG_ALLOW_WINDOW = 6,    /* RW: BORROW_READ destination; RO: BORROW_WRITE source */
    IPC_MSG_ALLOW_SLOTS = 7,
};

#define IPC_MSG_SEQ_MASK 0xFFFFFFu
#define IPC_MSG_OPCODE_MASK 0x3FFFu
#define IPC_MSG_TRUNCATED 0x80000000u /* in REPLY's arg 1 */

enum call_state { CALL_IDLE = 0, CALL_QUEUED, CALL_RECEIVED };

enum { IPC_MSG_SUB_REPLY = 0, IPC_MSG_SUB_RECV = 1, IPC_MSG_SUBSCRIBES = 2 };

/* An allow slot's (address, length) as the process set it. Kept in grants only to compare with
 * the current slot (lease snapshots); the kernel copies through it only after that check. */
struct ipc_allow {
    uint32_t addr;
    uint32_t len;
};

/* Lease allows 1..IPC_LEASES of one kind, as consecutive grant slots hold them (a struct, so a
 * snapshot is one copy of whole words). */
struct ipc_leases {
    struct ipc_allow lease[IPC_LEASES];
};
_Static_assert(sizeof(struct ipc_leases) == 8u * IPC_LEASES, "leases are {address, length} pairs");

struct call {
    uint8_t state; /* enum call_state */
    uint8_t endpoint;
    uint16_t opcode;
    bool has_deadline;
    struct process_id server;
    uint32_t seq;
    uint32_t ticket;
    ticks_t deadline_ref;
    ticks_t deadline_dt;
    struct ipc_leases read_leases;  /* RO 1..4 at SEND */
    struct ipc_leases write_leases; /* RW 1..4 at SEND */
    uint32_t done_seq;    /* the last call that completed ... */
    uint32_t done_reason; /* ... and why (for BORROW on its token) */
};

/* The identities first: 8-byte aligned (process_id.h), so the smaller fields pack after them. */
struct poster {
    struct process_id pid;
    uint32_t bits;
    bool is_used;
    bool is_any; /* doorbell: anyone may post these bits */
};

struct watch {
    struct process_id pid;
    uint32_t bits;
    bool is_used;
};

struct ipc_msg_app {
    struct call call; /* client side */
    /* Server side. */
    bool is_serving;
    bool is_armed; /* a RECV is waiting for an event */
    bool prefers_notifications; /* alternate calls and notifications when both are ready */
    uint32_t recv_mask;
    uint32_t recv_badge; /* 0: open receive */
    uint32_t notifications;
    struct poster posters[IPC_MAX_POSTERS];
    struct watch watches[IPC_MAX_WATCHES];
    bool has_timer;
    ticks_t timer_ref;
    ticks_t timer_dt;
    uint32_t timer_bits;
};

static inline uint32_t ipc_msg_min(uint32_t a, uint32_t b)
{
    return a < b ? a : b;
}

/* Copy len bytes between process buffers (see the SAFETY note in ipc_msg_core.c). */
void ipc_msg_copy(uint32_t dst, uint32_t src, uint32_t len);

/* Allow slot `n` of `kind` of p's IPC_MSG grant ({0, 0} if p is NULL or no such slot). */
struct ipc_allow ipc_msg_allow(struct ipc_msg *m, struct process *p, enum grant_slot_kind kind,
                               uint32_t n);
/* Inside an entry of an IPC_MSG instance whose data is `app`: its IPC_MSG_ALLOW_SLOTS allow
 * slots of kind (GRANT_SLOT_READ_ONLY or GRANT_SLOT_READ_WRITE) as consecutive {address, length}
 * word pairs, found from the data with the offsets ipc_msg_init computed from struct grant
 * (grant_internal.h's layout: the slot header precedes the data). What grant_slots_of(kd, kind,
 * 0, IPC_MSG_ALLOW_SLOTS) returns, without the call; refresh_caller (ipc_msg.c) checks that. */
static inline __attribute__((always_inline)) const uint32_t *
ipc_msg_allows(const struct ipc_msg *m, const struct ipc_msg_app *app, enum grant_slot_kind kind)
{
    int32_t offset = kind == GRANT_SLOT_READ_ONLY ? m->ro_from_data : m->rw_from_data;
    /* SAFETY: inside the instance's entry its slot header, kernel-owned memory above the
     * process's break, lies at these offsets before the data, word-aligned. */
    return (const uint32_t *)((uintptr_t)app + (uintptr_t)(intptr_t)offset);
}

/* Allow slot n (below IPC_MSG_ALLOW_SLOTS) of kind of the instance whose data is app. */
static inline __attribute__((always_inline)) struct ipc_allow
ipc_msg_allow_in(const struct ipc_msg *m, const struct ipc_msg_app *app, enum grant_slot_kind kind,
                 uint32_t n)
{
    const uint32_t *slot = &ipc_msg_allows(m, app, kind)[2u * n];
    return (struct ipc_allow){ slot[0], slot[1] };
}
/* grant_enter without allocating: ERR_NODEVICE when pid has no IPC_MSG grant (or is gone). */
MUST_CHECK err_t ipc_msg_enter_existing(struct ipc_msg *m, struct process_id pid, grant_fn fn,
                                        void *ctx);

/* The event (arg0, arg1, arg2) on `sub` for kd's process: a latched upcall (record 030), so
 * at most one per subscribe is pending and none is refused for lack of ring room. Callers
 * schedule one only when none is pending (grant_upcall_is_pending): a newer one would
 * overwrite it. */
void ipc_msg_upcall(struct grant_kernel_data *kd, uint32_t sub, uint32_t arg0, uint32_t arg1,
                    uint32_t arg2);

/* The only exits from QUEUED / RECEIVED: a REPLY event (status, arg1, arg2). */
void ipc_msg_complete_call(struct ipc_msg *m, struct ipc_msg_app *client,
                           struct grant_kernel_data *kd, err_t status, uint32_t arg1,
                           uint32_t arg2, uint32_t reason);
/* ... with (UNINSTALLED or CANCEL, 0, reason). */
void ipc_msg_fail_call(struct ipc_msg *m, struct ipc_msg_app *client,
                       struct grant_kernel_data *kd, uint32_t reason);

/* A call on its way from a client to an armed server; client and server are each inside
 * their grant entry (nested: one inside the other) for as long as the pair is used. */
struct ipc_msg_pair {
    struct ipc_msg_app *client;
    struct ipc_msg_app *server;
    struct grant_kernel_data *server_kd;
    struct process_id client_pid;
    struct process_id server_pid;
    struct ipc_allow request; /* the client's RO allow 0 */
};

/* Deliver the client's QUEUED call to the server, which is armed and whose filter it passes:
 * copy the request into the server's receive buffer, latch its RECV event, disarm it, mark
 * the call RECEIVED and issue its token. The caller keeps queued_for (the call leaves
 * QUEUED here). */
void ipc_msg_deliver_call(struct ipc_msg *m, const struct ipc_msg_pair *pair);

/* If `server` is armed, give it its next event (a queued call or notification bits). Returns
 * true if one was delivered. Not inside any IPC_MSG grant entry (it scans). */
bool ipc_msg_service_receiver(struct ipc_msg *m, struct process_id server);
/* Inside app's own grant: if armed and a notification matches, deliver it. */
bool ipc_msg_notify_in(struct ipc_msg *m, struct ipc_msg_app *app, struct grant_kernel_data *kd);
/* Fire (and drop) app's watches on instances that are gone; drop posting rights granted to
 * them. */
void ipc_msg_reap_gone_peers(struct ipc_msg *m, struct ipc_msg_app *app,
                             struct grant_kernel_data *kd);

/* REPLY(token, code) for `server`, inside its own entry (its data app; ipc_msg_token.c): copy its RO allow
 * 5 into the client's reply buffer and complete the call. ERR_OK with *delivered 1, or 0 when
 * the call is gone (nothing copied); ERR_SIZE (a reply over IPC_MAX_MSG) and ERR_INVAL (a token
 * never issued to server) change nothing. */
MUST_CHECK err_t ipc_msg_reply_in(struct ipc_msg *m, struct process_id server,
                                  const struct ipc_msg_app *app, uint32_t token, uint32_t code,
                                  uint32_t *delivered);
/* BORROW_READ, BORROW_WRITE, BORROW_INFO, CLIENT_INFO (ipc_msg_token.c). */
struct syscall_return ipc_msg_token_command(struct ipc_msg *m, uint32_t command, uint32_t arg0,
                                            uint32_t arg1, struct process_id pid);
/* POST, POST_BADGE, GRANT_POST, SET_TIMER, WATCH (ipc_msg_notify.c). */
struct syscall_return ipc_msg_notify_command(struct ipc_msg *m, uint32_t command, uint32_t arg0,
                                             uint32_t arg1, struct process_id pid);

void ipc_msg_alarm_fired(struct hil_alarm_client *client);
/* Re-arm the alarm for the earliest deadline if something changed. Not inside a grant entry. */
void ipc_msg_rearm_if_dirty(struct ipc_msg *m);
