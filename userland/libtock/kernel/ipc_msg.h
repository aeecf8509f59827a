/* SPDX-License-Identifier: Apache-2.0 OR MIT */
/*
 * tockc's new IPC: the name registry (driver 0xA8000) and messaging (driver 0xA8001).
 *
 * Servers register a name and serve calls; clients look the name up, which gives them a
 * *descriptor* (a small number meaningful only to them), and call through it. A call copies at
 * most IPC_MAX_MSG bytes each way; larger data moves through *leases* (client buffers the server
 * may copy from or into while the call lasts). Processes can also post each other notification
 * bits, if the receiver granted them. Every blocking function here is a command plus
 * yield_wait_for(): no callback runs while it waits, and other drivers' events stay queued.
 *
 * Usage (client):
 *     uint32_t svc, code; size_t len; char answer[32];
 *     ipc_name_lookup_wait("upper", &svc);
 *     int rc = ipc_call(svc, 1, "hi", 2, answer, sizeof answer, 100, &len, &code);
 *     // rc 0: answer[0..len) is the reply, code the server's response code;
 *     // rc < 0: code is the reason (IPC_PEER_RESTARTED, IPC_TIMEOUT, ...)
 * Usage (server):
 *     ipc_name_register("upper", 0); ipc_serve(true);
 *     struct ipc_message msg; ipc_recv(buf, sizeof buf, 0, 0, &msg);
 *     for (;;) { ipc_reply_recv(msg.token, 0, buf, msg.len, NULL, buf, sizeof buf, &msg); }
 *
 * Return values: RETURNCODE_SUCCESS or a negative returncode_t. Where a `reason` out-parameter
 * exists it receives an enum ipc_reason on failure (IPC_REASON_NONE if the kernel gave none).
 *
 * Invariants: a process has at most one call outstanding (a second ipc_send fails with
 * RETURNCODE_EALREADY until ipc_wait_reply has collected the first one's reply); buffers passed
 * to ipc_send must stay untouched until ipc_wait_reply returns.
 */
#pragma once

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "../tock.h"

#ifdef __cplusplus
extern "C" {
#endif

#define IPC_NAME_DRIVER_NUM 0xA8000
#define IPC_MSG_DRIVER_NUM 0xA8001
#define IPC_MAX_MSG 256u
#define IPC_NAME_LEN 32u
#define IPC_LEASES 4u

/* Why a call or an operation on a peer failed. */
enum ipc_reason {
    IPC_REASON_NONE = 0,
    IPC_PEER_DEAD = 1,       /* the peer exited (status UNINSTALLED) */
    IPC_PEER_RESTARTED = 2,  /* the peer is a newer instance: ipc_name_reopen (UNINSTALLED) */
    IPC_NOT_SERVING = 3,     /* the peer does not serve (UNINSTALLED) */
    IPC_WOULD_DEADLOCK = 4,  /* the call would close a cycle of calls (FAIL) */
    IPC_TIMEOUT = 5,         /* the call's deadline passed (CANCEL) */
    IPC_CANCELLED = 6,       /* cancelled, or the lease changed (CANCEL) */
};

/* What ipc_name_status says about a descriptor's peer. */
enum ipc_desc_state { IPC_DESC_LIVE = 0, IPC_DESC_RESTARTED = 1, IPC_DESC_DEAD = 2 };

/* "PEER_DEAD", "TIMEOUT", ... ("NONE" for 0, "?" for unknown values). */
const char *ipc_reason_name(uint32_t reason);

/* Any message IPC family command's result (IPC_NAME, IPC_MSG, IPC_SHARE, IPC_QUEUE): a
 * returncode; values[0..1] (may be NULL) from a success, *reason (may be NULL; IPC_REASON_NONE
 * otherwise) from a failure_u32. */
int ipc_command_result(syscall_return_t r, uint32_t values[2], uint32_t *reason);

/* ---- name registry ---- */

/* Bind `name` (1..IPC_NAME_LEN bytes) to endpoint 0 or 1 of this process. EALREADY: taken by a
 * live process (or the endpoint is bound); ENOSUPPORT: the board's policy refuses. */
int ipc_name_register(const char *name, uint32_t endpoint);
/* The same with this process's TBF package name. */
int ipc_name_register_package(uint32_t endpoint);
int ipc_name_unregister(uint32_t endpoint);
/* A descriptor for `name`; ENODEVICE if nobody registered it. */
int ipc_name_lookup(const char *name, uint32_t *desc);
/* The same, waiting for the registration if needed. */
int ipc_name_lookup_wait(const char *name, uint32_t *desc);
/* Re-resolve desc's name (after its peer restarted). ENODEVICE: not registered right now. */
int ipc_name_reopen(uint32_t desc);
int ipc_name_close(uint32_t desc);
int ipc_name_self_badge(uint32_t *badge);
/* *state: enum ipc_desc_state; *badge: the badge of the instance now in the peer's slot. */
int ipc_name_status(uint32_t desc, uint32_t *state, uint32_t *badge);

/* ---- client ---- */

struct ipc_reply {
    size_t len;     /* reply bytes copied into the reply buffer */
    bool is_truncated; /* the reply was longer than the buffer */
    uint32_t code;  /* success: the server's response code; failure: enum ipc_reason */
};

/* Start a call (opcode < 2^14; timeout_ms 0 = none). On success exactly one reply follows:
 * collect it with ipc_wait_reply. On failure *reason (may be NULL) says why. */
int ipc_send(uint32_t desc, uint32_t opcode, const void *req, size_t req_len, void *rep,
             size_t rep_len, uint32_t timeout_ms, uint32_t *reason);
/* Wait for the outstanding call's reply. Returns the call's status (0 = replied). */
int ipc_wait_reply(struct ipc_reply *out);
/* ipc_send + ipc_wait_reply. *len = reply bytes; *code = response code, or the reason. */
int ipc_call(uint32_t desc, uint32_t opcode, const void *req, size_t req_len, void *rep,
             size_t rep_len, uint32_t timeout_ms, size_t *len, uint32_t *code);
/* Complete the outstanding call now with (CANCEL, IPC_CANCELLED). EINVAL: none. */
int ipc_cancel(void);
/* Lease slot 1..IPC_LEASES for the next ipc_send: a buffer the server may read / write. */
int ipc_lease_read(uint32_t lease, const void *buf, size_t len);
int ipc_lease_write(uint32_t lease, void *buf, size_t len);
void ipc_lease_clear(uint32_t lease);

/* ---- server ---- */

struct ipc_message {
    bool is_notification;
    uint32_t bits;     /* notification bits */
    uint32_t token;    /* the call's handle for ipc_reply and ipc_borrow_* */
    uint32_t endpoint;
    uint32_t opcode;
    size_t len;        /* request bytes in the buffer */
    bool is_truncated;    /* the request was longer than the buffer */
    uint32_t badge;    /* the caller's identity (changes when it restarts) */
};

/* Start (true) or stop serving. Stopping fails every queued and received call (NOT_SERVING). */
int ipc_serve(bool on);
/* Wait for the next call (into buf) or notification matching `mask`; badge != 0 receives only
 * from that client. Not serving: only notifications arrive. */
int ipc_recv(void *buf, size_t buf_len, uint32_t mask, uint32_t badge, struct ipc_message *out);
/* Answer the call `token` with `code` and rep[0..len). *delivered (may be NULL) is false when
 * the client is gone (cancelled, timed out, died): the reply is dropped, never an error. */
int ipc_reply(uint32_t token, uint32_t code, const void *rep, size_t len, bool *delivered);
/* ipc_reply, then ipc_recv into buf with the mask and badge of the last ipc_recv, in one system
 * call (the server loop's step: seL4's ReplyRecv). A failed reply (EINVAL: a bad token; ESIZE)
 * receives nothing. */
int ipc_reply_recv(uint32_t token, uint32_t code, const void *rep, size_t len, bool *delivered,
                   void *buf, size_t buf_len, struct ipc_message *out);
/* Copy from the client's read lease at `offset` into dst (*copied bytes), or from src into its
 * write lease. ECANCEL + *reason: the call is gone or the lease changed; ESIZE: offset beyond
 * the lease; EINVAL: no such lease (or a bad token). */
int ipc_borrow_read(uint32_t token, uint32_t lease, uint32_t offset, void *dst, size_t len,
                    size_t *copied, uint32_t *reason);
int ipc_borrow_write(uint32_t token, uint32_t lease, uint32_t offset, const void *src,
                     size_t len, size_t *copied, uint32_t *reason);
/* *attrs: 1 = readable, 2 = writable; *len: the read lease's length, else the write lease's. */
int ipc_borrow_info(uint32_t token, uint32_t lease, uint32_t *attrs, uint32_t *len);
/* The caller's badge and endpoint; its TBF package name into name[0..name_len) if given. */
int ipc_client_info(uint32_t token, uint32_t *badge, uint32_t *endpoint, char *name,
                    size_t name_len);

/* ---- notifications ---- */

/* OR bits into desc's peer's notification word (ENOSUPPORT unless it granted them to us). */
int ipc_post(uint32_t desc, uint32_t bits, uint32_t *reason);
int ipc_post_badge(uint32_t badge, uint32_t bits, uint32_t *reason);
/* Let desc's peer (desc 0: anyone) post `bits` to us (0 revokes). */
int ipc_grant_post(uint32_t desc, uint32_t bits);
/* Post `bits` to ourselves `ms` from now (one timer; ms 0 cancels). */
int ipc_set_timer(uint32_t ms, uint32_t bits);
/* Post `bits` to ourselves when desc's peer instance exits or restarts. */
int ipc_watch(uint32_t desc, uint32_t bits);
/* Wait for notification bits matching mask (for processes that do not serve). */
int ipc_wait_notification(uint32_t mask, uint32_t *bits);

#ifdef __cplusplus
}
#endif
