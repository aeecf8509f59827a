/* SPDX-License-Identifier: Apache-2.0 OR MIT */
/*
 * IPC messaging, server-side operations on one received call (see ipc_msg.h): REPLY,
 * BORROW_READ, BORROW_WRITE, BORROW_INFO and CLIENT_INFO, all addressed by token.
 *
 * A token is checked against the live call state on every use: the slot's last issued call
 * (kept in struct ipc_msg_slot, which outlives the client's restarts) must have been issued to
 * the caller, and the client instance that made it must still hold it in state RECEIVED with
 * the same sequence number. Anything else is "gone" (the reply is dropped, a borrow fails with
 * CANCEL and a reason) or, for a token that was never issued to the caller, INVAL. None of
 * these operations waits for the client: they copy between allowed buffers and return.
 *
 * Usage: linked with ipc_msg.c; see ipc_msg.h.
 *
 * Invariants: a copy into or out of a client happens only while its call is RECEIVED by the
 * caller, and for leases only while the client still allows exactly the buffer it allowed at
 * SEND; every copy is bounded by both sides' allow lengths (and IPC_MAX_MSG for replies).
 */
#include "ipc_msg_core.h"

#include <stddef.h>

/* ---- tokens: the server side's handle on one received call ---- */

enum token_status { TOKEN_LIVE, TOKEN_GONE, TOKEN_FORGED };

typedef err_t (*call_op)(struct ipc_msg *m, struct ipc_msg_app *client,
                         struct grant_kernel_data *kd, void *ctx);

struct call_ref {
    struct ipc_msg *m;
    struct process_id server;
    uint32_t seq;
    call_op op;
    void *ctx;
    enum token_status status; /* out */
    uint32_t reason;          /* out, TOKEN_GONE */
    err_t result;             /* out, TOKEN_LIVE: op's result */
};

/* Is the client's call the RECEIVED call `seq` of `server`? */
static inline __attribute__((always_inline)) bool call_is_live(const struct ipc_msg_app *client,
                                                               struct process_id server,
                                                               uint32_t seq)
{
    return client->call.state == CALL_RECEIVED && client->call.seq == seq &&
           process_id_equal(client->call.server, server);
}

static err_t call_in_client(void *data, struct grant_kernel_data *kd, void *ctx)
{
    struct ipc_msg_app *client = data;
    struct call_ref *r = ctx;
    if (!call_is_live(client, r->server, r->seq)) {
        r->status = TOKEN_GONE;
        r->reason = client->call.done_seq == r->seq ? client->call.done_reason : IPC_CANCELLED;
        return ERR_OK;
    }
    r->status = TOKEN_LIVE;
    r->result = r->op(r->m, client, kd, r->ctx);
    return ERR_OK;
}

/* Was `seq` handed out by this slot's counter already? Exact until the counter wraps, then
 * "within the last 2^23 calls". */
static bool seq_was_issued(const struct ipc_msg_slot *s, uint32_t seq)
{
    if (!s->has_wrapped) {
        return seq < s->next_seq;
    }
    uint32_t age = (s->next_seq - seq) & IPC_MSG_SEQ_MASK;
    return age != 0 && age < (IPC_MSG_SEQ_MASK + 1u) / 2u;
}

/* The first half of every token check, in the caller's slots only: TOKEN_LIVE when `token`
 * (seq = token >> 8) was the last call issued from its slot, to `server` (*slot: that slot;
 * whether the call is still RECEIVED is for the client's entry to say); else whether the call
 * is gone (TOKEN_GONE) or the token was never issued to server (TOKEN_FORGED). */
static inline __attribute__((always_inline)) enum token_status
find_call(const struct ipc_msg *m, struct process_id server, uint32_t token,
          const struct ipc_msg_slot **slot)
{
    uint32_t seq = token >> 8;
    uint32_t index = (token & 0xFFu) - 1u; /* slot + 1 in the token: 0 wraps, out of range */
    if (index >= m->kernel->config.process_count || seq == 0) {
        return TOKEN_FORGED;
    }
    const struct ipc_msg_slot *s = &m->slots[index];
    if (!s->is_issued || seq != s->issued_seq) {
        return seq_was_issued(s, seq) ? TOKEN_GONE : TOKEN_FORGED;
    }
    if (!process_id_equal(s->issued_server, server)) {
        return TOKEN_FORGED;
    }
    *slot = s;
    return TOKEN_LIVE;
}

/* Run r->op inside the client's grant if `token` names a call r->server has received and that
 * is still RECEIVED (r->status TOKEN_LIVE, r->result its result); otherwise say whether the
 * call is gone (TOKEN_GONE, r->reason why) or the token was never issued (TOKEN_FORGED). */
static void with_call(struct call_ref *r, uint32_t token)
{
    const struct ipc_msg_slot *s;
    r->seq = token >> 8;
    r->reason = IPC_CANCELLED;
    r->status = find_call(r->m, r->server, token, &s);
    if (r->status == TOKEN_LIVE &&
        ipc_msg_enter_existing(r->m, s->issued_client, call_in_client, r) != ERR_OK) {
        r->status = TOKEN_GONE;
        r->reason = IPC_PEER_DEAD;
    }
}

/* ---- REPLY ---- */

struct reply_args {
    struct ipc_msg *m;
    struct process_id server;
    uint32_t seq;
    struct ipc_allow message;
    uint32_t code;
    bool is_delivered; /* out */
};

static err_t reply_in_client(void *data, struct grant_kernel_data *kd, void *ctx)
{
    struct ipc_msg_app *client = data;
    struct reply_args *args = ctx;
    args->is_delivered = call_is_live(client, args->server, args->seq);
    if (!args->is_delivered) {
        return ERR_OK; /* gone: the reply is dropped */
    }
    struct ipc_msg *m = args->m;
    struct ipc_allow buf =
        ipc_msg_allow_in(m, client, GRANT_SLOT_READ_WRITE, IPC_MSG_ALLOW_REPLY_BUF);
    uint32_t len = ipc_msg_min(args->message.len, buf.len);
    ipc_copy_message(buf.addr, args->message.addr, len);
    uint32_t truncated_bit = args->message.len > buf.len ? IPC_MSG_TRUNCATED : 0;
    ipc_msg_complete_call(m, client, kd, ERR_OK, len | truncated_bit, args->code,
                          IPC_REASON_NONE);
    return ERR_OK;
}

err_t ipc_msg_reply_in(struct ipc_msg *m, struct process_id server,
                       const struct ipc_msg_app *app, uint32_t token, uint32_t code,
                       uint32_t *delivered)
{
    struct reply_args args; /* member by member (no memset) */
    args.message = ipc_msg_allow_in(m, app, GRANT_SLOT_READ_ONLY, IPC_MSG_ALLOW_REPLY_MSG);
    if (args.message.len > IPC_MAX_MSG) {
        return ERR_SIZE;
    }
    const struct ipc_msg_slot *s;
    enum token_status status = find_call(m, server, token, &s);
    if (status == TOKEN_FORGED) {
        return ERR_INVAL;
    }
    args.is_delivered = false;
    if (status == TOKEN_LIVE) {
        args.m = m;
        args.server = server;
        args.seq = token >> 8;
        args.code = code;
        /* The client's entry inside the server's: a different process, since the call was
         * issued to this server and SEND refuses a call to oneself. A client that is gone
         * (not entered) gets nothing. */
        err_t gone = ipc_msg_enter_existing(m, s->issued_client, reply_in_client, &args);
        (void)gone;
    }
    *delivered = args.is_delivered ? 1u : 0u;
    return ERR_OK;
}

/* ---- leases: BORROW_READ / BORROW_WRITE / BORROW_INFO / CLIENT_INFO ---- */

struct borrow_args {
    bool is_write;
    uint32_t lease;  /* 1..IPC_LEASES; 0 for CLIENT_INFO */
    uint32_t offset;
    struct ipc_allow window; /* the server's RW 6 (read) or RO 6 (write) */
    uint32_t values[2];      /* out */
};

static bool same_allow(struct ipc_allow a, struct ipc_allow b)
{
    return a.addr == b.addr && a.len == b.len;
}

static err_t borrow_op(struct ipc_msg *m, struct ipc_msg_app *client,
                       struct grant_kernel_data *kd, void *ctx)
{
    (void)kd;
    struct borrow_args *args = ctx;
    uint32_t i = args->lease - 1u;
    struct ipc_allow lease = args->is_write ? client->call.write_leases.lease[i]
                                            : client->call.read_leases.lease[i];
    enum grant_slot_kind kind = args->is_write ? GRANT_SLOT_READ_WRITE : GRANT_SLOT_READ_ONLY;
    if (lease.len == 0) {
        return ERR_INVAL; /* no lease of this kind in this slot at SEND */
    }
    if (!same_allow(lease, ipc_msg_allow_in(m, client, kind, args->lease))) {
        return ERR_CANCEL; /* the client re-allowed it since SEND */
    }
    if (args->offset > lease.len) {
        return ERR_SIZE;
    }
    uint32_t len = ipc_msg_min(lease.len - args->offset, args->window.len);
    if (args->is_write) {
        ipc_msg_copy(lease.addr + args->offset, args->window.addr, len);
    } else {
        ipc_msg_copy(args->window.addr, lease.addr + args->offset, len);
    }
    args->values[0] = len;
    return ERR_OK;
}

static err_t info_op(struct ipc_msg *m, struct ipc_msg_app *client, struct grant_kernel_data *kd,
                     void *ctx)
{
    (void)m;
    struct borrow_args *args = ctx;
    struct process *p = grant_entered_process(kd);
    if (args->lease == 0) { /* CLIENT_INFO: badge, endpoint, package name into the window */
        args->values[0] = ipc_badge(p->pid);
        args->values[1] = client->call.endpoint;
        uint32_t len = ipc_msg_min(p->package_name_len, args->window.len);
        ipc_msg_copy(args->window.addr, (uint32_t)(uintptr_t)p->package_name, len);
        return ERR_OK;
    }
    struct ipc_allow read = client->call.read_leases.lease[args->lease - 1u];
    struct ipc_allow write = client->call.write_leases.lease[args->lease - 1u];
    args->values[0] = (read.len != 0 ? 1u : 0u) | (write.len != 0 ? 2u : 0u);
    args->values[1] = read.len != 0 ? read.len : write.len;
    return ERR_OK;
}

static struct syscall_return do_borrow(struct ipc_msg *m, struct process_id server,
                                       uint32_t command, uint32_t token, uint32_t arg1)
{
    struct borrow_args args = { .is_write = command == IPC_MSG_CMD_BORROW_WRITE };
    call_op op = borrow_op;
    struct process *p = kernel_process(m->kernel, server);
    switch (command) {
    case IPC_MSG_CMD_BORROW_READ:
    case IPC_MSG_CMD_BORROW_WRITE:
        args.lease = arg1 >> 24;
        args.offset = arg1 & 0xFFFFFFu;
        args.window = ipc_msg_allow(m, p,
                                    args.is_write ? GRANT_SLOT_READ_ONLY : GRANT_SLOT_READ_WRITE,
                                    IPC_MSG_ALLOW_WINDOW);
        break;
    case IPC_MSG_CMD_BORROW_INFO:
        args.lease = arg1;
        op = info_op;
        break;
    default: /* IPC_MSG_CMD_CLIENT_INFO */
        args.lease = 0;
        args.window = ipc_msg_allow(m, p, GRANT_SLOT_READ_WRITE, IPC_MSG_ALLOW_WINDOW);
        op = info_op;
        break;
    }
    if (command != IPC_MSG_CMD_CLIENT_INFO && (args.lease == 0 || args.lease > IPC_LEASES)) {
        return syscall_failure(ERR_INVAL);
    }
    struct call_ref r = { .m = m, .server = server, .op = op, .ctx = &args };
    with_call(&r, token);
    if (r.status == TOKEN_FORGED) {
        return syscall_failure(ERR_INVAL);
    }
    if (r.status == TOKEN_GONE) {
        return syscall_failure_u32(ERR_CANCEL, r.reason);
    }
    if (r.result == ERR_CANCEL) {
        return syscall_failure_u32(ERR_CANCEL, IPC_CANCELLED);
    }
    if (r.result != ERR_OK) {
        return syscall_failure(r.result);
    }
    if (command == IPC_MSG_CMD_BORROW_READ || command == IPC_MSG_CMD_BORROW_WRITE) {
        return syscall_success_u32(args.values[0]);
    }
    return syscall_success_2u32(args.values[0], args.values[1]);
}

struct syscall_return ipc_msg_token_command(struct ipc_msg *m, uint32_t command, uint32_t arg0,
                                            uint32_t arg1, struct process_id pid)
{
    return do_borrow(m, pid, command, arg0, arg1);
}
