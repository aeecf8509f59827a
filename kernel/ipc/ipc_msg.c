/* SPDX-License-Identifier: Apache-2.0 OR MIT */
/*
 * IPC messaging (see ipc_msg.h), the driver: SEND, CANCEL, SERVE, RECV, REPLY_RECV, command
 * dispatch, and the reaping of calls whose server died. It builds on ipc_msg_core.c (buffers,
 * events as latched upcalls, exactly-once completion, the receive-side choice of the next
 * event).
 * Operations on a received call (REPLY, BORROW_*, CLIENT_INFO) are in ipc_msg_token.c;
 * notifications, timers and the alarm in ipc_msg_notify.c. Neither calls back into this file.
 *
 * Per-process state lives in the process's IPC_MSG grant (struct ipc_msg_app): its own
 * outstanding call (client side), its receive state and notification word (server side). The
 * queue of calls waiting for a server is implicit: the QUEUED calls whose `server` is that
 * server, in ticket order. Nothing is allocated per message.
 *
 * Grant discipline: grant_each never runs inside grant_enter (it would re-enter), so a command
 * that must scan first copies what it needs out of the grants, then scans, then acts in nested
 * entries of *different* processes (client inside server or the reverse), never the same one
 * twice. The message path needs no scan: SEND enters the client, then the server inside it, and
 * hands the call over at once when the server is armed and nothing else is queued for it
 * (queued_for 0); REPLY_RECV enters the server, then the client inside it, and re-arms the
 * server in the same entry. Each scans (after its entries) only when calls may be queued.
 *
 * Usage: see ipc_msg.h.
 *
 * Invariants: see ipc_msg.h; in addition, a server has no RECV event pending whenever it is
 * armed, and a client no REPLY event pending whenever its call is QUEUED or RECEIVED.
 */
#include "ipc/ipc_msg.h"

#include "container.h"
#include "ipc_msg_core.h"
#include "kernel/debug.h"
#include "kernel/grant_internal.h"

#include <stddef.h>

/* ---- SEND / CANCEL ---- */

struct outstanding {
    bool has_call;
    struct process_id server;
    bool is_serving;
};

static err_t read_outstanding(void *data, struct grant_kernel_data *kd, void *ctx)
{
    (void)kd;
    const struct ipc_msg_app *app = data;
    struct outstanding *o = ctx;
    o->has_call = app->call.state != CALL_IDLE;
    o->server = app->call.server;
    o->is_serving = app->is_serving;
    return ERR_OK;
}

/* Would `caller` waiting for `server` close a cycle in the waits-for relation? Each process has
 * at most one outstanding call, so the relation is a function: follow it at most N steps.
 * at_server is what read_outstanding found in the server (the first step, already taken). */
static bool would_deadlock(struct ipc_msg *m, struct process_id caller, struct process_id server,
                           const struct outstanding *at_server)
{
    if (process_id_equal(server, caller)) {
        return true;
    }
    struct outstanding o = *at_server;
    for (uint32_t step = 1; step <= m->kernel->config.process_count; step++) {
        if (!o.has_call) {
            return false;
        }
        struct process_id current = o.server;
        if (process_id_equal(current, caller)) {
            return true;
        }
        o.has_call = false;
        if (ipc_msg_enter_existing(m, current, read_outstanding, &o) != ERR_OK) {
            return false;
        }
    }
    return false;
}

static uint32_t take_seq(struct ipc_msg_slot *s)
{
    uint32_t seq = s->next_seq;
    s->next_seq = (seq + 1u) & IPC_MSG_SEQ_MASK;
    if (s->next_seq == 0) {
        s->next_seq = 1;
        s->has_wrapped = true;
    }
    return seq;
}

_Static_assert(IPC_MSG_ALLOW_REQUEST == 0 && IPC_MSG_ALLOW_SLOTS >= IPC_LEASES + 1u,
               "the request and lease allows 1..IPC_LEASES are RO slots 0..IPC_LEASES");

/* What a SEND found, in the order it checks (each step changes nothing it did not say). */
enum send_step {
    SEND_FAILED,      /* err, and reason unless IPC_REASON_NONE: nothing changed */
    SEND_CHECK_CYCLE, /* valid so far, but the server waits for a call of its own: follow the
                       * waits-for chain outside the grant entries, then record the call */
    SEND_QUEUED,      /* recorded QUEUED: a scan chooses the server's next event */
    SEND_DELIVERED,   /* recorded and delivered at once: the server was armed, none queued */
};

struct send_args {
    struct ipc_msg *m;
    uint32_t desc;
    uint32_t opcode;
    uint32_t timeout_ms;
    struct ipc_peer peer;
    enum send_step step;               /* out */
    err_t err;                         /* out, SEND_FAILED */
    uint32_t reason;                   /* out, SEND_FAILED */
    struct process_id server_waits_for; /* out, SEND_CHECK_CYCLE */
    /* Valid only inside the client's entry: its RO allows as {addr, len} word pairs, and its
     * data (pair.client). pair.client_pid is the caller, pair.server_pid the peer. */
    const uint32_t *ro;
    struct ipc_msg_pair pair;
};

/* Leases from IPC_LEASES consecutive allow slots ({address, length} word pairs), unrolled: a
 * dozen loads and stores, where a loop or a struct copy (memcpy on RV32) costs three times
 * that. */
static inline __attribute__((always_inline)) void snapshot_leases(struct ipc_leases *to,
                                                                  const uint32_t *slots)
{
#pragma GCC unroll 4
    for (uint32_t i = 0; i < IPC_LEASES; i++) {
        to->lease[i] = (struct ipc_allow){ slots[2u * i], slots[2u * i + 1u] };
    }
}

/* Write the client's call QUEUED for args->peer: every field in place (no zeroed copy), the
 * leases from its allows as they are now (ro: its RO allows; args->pair.client its data). */
static void record_call(struct ipc_msg *m, struct call *call, const struct send_args *args,
                        const uint32_t *ro)
{
    const uint32_t *rw = ipc_msg_allows(m, args->pair.client, GRANT_SLOT_READ_WRITE);
    call->state = CALL_QUEUED;
    call->endpoint = (uint8_t)args->peer.endpoint;
    call->opcode = (uint16_t)args->opcode;
    call->server = args->peer.pid;
    call->seq = take_seq(&m->slots[args->pair.client_pid.index]);
    call->ticket = m->next_ticket++;
    call->has_deadline = args->timeout_ms != 0;
    call->deadline_ref = 0;
    call->deadline_dt = 0;
    if (call->has_deadline) {
        call->deadline_ref = hil_alarm_now(m->alarm);
        call->deadline_dt = ipc_msg_ms_to_ticks(m, args->timeout_ms);
        m->is_timer_dirty = true;
    }
    snapshot_leases(&call->read_leases, &ro[2u * IPC_MSG_ALLOW_REQUEST + 2u]);
    snapshot_leases(&call->write_leases, &rw[2u]);
    call->done_seq = 0;
    call->done_reason = 0;
}

/* Count a QUEUED call in its server's queued_for (saturating: wrapping to 0 would hide it). */
static void count_queued(struct ipc_msg *m, struct process_id server)
{
    uint32_t *queued_for = &m->slots[server.index].queued_for;
    if (*queued_for != UINT32_MAX) {
        (*queued_for)++;
    }
}

static uint32_t gone_reason(struct kernel *k, struct process_id peer)
{
    if (ipc_peer_state(k, peer) == IPC_DESC_LIVE) {
        return IPC_NOT_SERVING; /* live, but it never entered IPC_MSG */
    }
    return ipc_gone_reason(k, peer);
}

_Static_assert(IPC_MSG_MAX_PROCESSES <= 256u, "a slot index fits peer_index");

/* ipc_name_peer for a 16-bit desc, answered from the caller's slot when nothing can have
 * changed since the slot cached it (struct ipc_msg_slot). */
static err_t resolve(struct ipc_msg *m, struct process_id caller, uint32_t desc,
                     struct ipc_peer *peer)
{
    struct ipc_msg_slot *s = &m->slots[caller.index];
    uint32_t epoch = m->names->epoch;
    if (s->peer_epoch == epoch && s->peer_caller_id == caller.id && s->peer_desc == desc) {
        *peer = (struct ipc_peer){ .pid = { s->peer_index, s->peer_id },
                                   .endpoint = s->peer_endpoint };
        return ERR_OK;
    }
    err_t err = ipc_name_peer(m->names, caller, desc, peer);
    if (err != ERR_OK || epoch == UINT32_MAX) {
        return err; /* (a failure is not cached; at UINT32_MAX the epoch no longer advances) */
    }
    s->peer_epoch = epoch;
    s->peer_caller_id = caller.id;
    s->peer_desc = (uint16_t)desc;
    s->peer_endpoint = (uint8_t)peer->endpoint;
    s->peer_index = (uint8_t)peer->pid.index; /* a slot of a live peer: < process_count */
    s->peer_id = peer->pid.id;
    return ERR_OK;
}

/* Inside the server's entry, inside the client's: the server's half of the checks; then, if
 * the SEND is valid, record the call and hand it over at once if the server is armed for it
 * and nothing else is queued for it (queued_for 0: the scan would find this call only). */
static err_t send_in_server(void *data, struct grant_kernel_data *kd, void *ctx)
{
    struct ipc_msg_app *server = data;
    struct send_args *args = ctx;
    struct ipc_msg *m = args->m;
    if (!server->is_serving) {
        args->err = ERR_UNINSTALLED;
        args->reason = IPC_NOT_SERVING;
        return ERR_OK;
    }
    if (server->call.state != CALL_IDLE) {
        args->step = SEND_CHECK_CYCLE;
        args->server_waits_for = server->call.server;
        return ERR_OK;
    }
    /* The server waits for no one: no cycle. */
    record_call(m, &args->pair.client->call, args, args->ro);
    uint32_t badge = server->recv_badge;
    bool has_notification = (server->notifications & server->recv_mask) != 0;
    if (server->is_armed && m->slots[args->peer.pid.index].queued_for == 0 &&
        (badge == 0 || ipc_badge(args->pair.client_pid) == badge) &&
        !(has_notification && server->prefers_notifications)) {
        args->pair.server = server;
        args->pair.server_kd = kd;
        ipc_msg_deliver_call(m, &args->pair);
        args->step = SEND_DELIVERED;
        return ERR_OK;
    }
    count_queued(m, args->peer.pid);
    args->step = SEND_QUEUED;
    return ERR_OK;
}

/* The caller's entry: collect consumed events, resolve the descriptor, check the client's
 * half, then the server's inside its own entry (a process never serves itself: refused here,
 * so the two entries are of different processes). */
static err_t send_in_client(void *data, struct grant_kernel_data *kd, void *ctx)
{
    struct ipc_msg_app *app = data;
    struct send_args *args = ctx;
    struct ipc_msg *m = args->m;
    args->step = SEND_FAILED;
    args->reason = IPC_REASON_NONE;
    if (resolve(m, args->pair.client_pid, args->desc, &args->peer) != ERR_OK) {
        args->err = ERR_INVAL;
        return ERR_OK;
    }
    if (app->call.state != CALL_IDLE || grant_upcall_is_pending(kd, IPC_MSG_SUB_REPLY)) {
        args->err = ERR_ALREADY;
        return ERR_OK;
    }
    const uint32_t *ro = ipc_msg_allows(m, app, GRANT_SLOT_READ_ONLY);
    if (ro[1] > IPC_MAX_MSG) {
        args->err = ERR_SIZE;
        return ERR_OK;
    }
    if (process_id_equal(args->peer.pid, args->pair.client_pid)) {
        args->err = app->is_serving ? ERR_FAIL : ERR_UNINSTALLED;
        args->reason = app->is_serving ? IPC_WOULD_DEADLOCK : IPC_NOT_SERVING;
        return ERR_OK;
    }
    args->ro = ro;
    args->pair.client = app;
    args->pair.server_pid = args->peer.pid;
    args->pair.request = (struct ipc_allow){ ro[0], ro[1] };
    if (ipc_msg_enter_existing(m, args->peer.pid, send_in_server, args) != ERR_OK) {
        args->err = ERR_UNINSTALLED; /* gone, or never entered IPC_MSG */
        args->reason = gone_reason(m->kernel, args->peer.pid);
    }
    return ERR_OK;
}

/* SEND_CHECK_CYCLE, second entry: the chain was followed and closes no cycle. */
static err_t record_in_client(void *data, struct grant_kernel_data *kd, void *ctx)
{
    struct ipc_msg_app *app = data;
    struct send_args *args = ctx;
    (void)kd;
    args->pair.client = app;
    record_call(args->m, &app->call, args, ipc_msg_allows(args->m, app, GRANT_SLOT_READ_ONLY));
    count_queued(args->m, args->peer.pid);
    return ERR_OK;
}

static struct syscall_return do_send(struct ipc_msg *m, struct process_id caller, uint32_t arg0,
                                     uint32_t timeout_ms)
{
    struct send_args args; /* member by member (no memset); the entries fill the rest */
    args.m = m;
    args.desc = arg0 & 0xFFFFu;
    args.opcode = (arg0 >> 16) & IPC_MSG_OPCODE_MASK;
    args.timeout_ms = timeout_ms;
    args.pair.client_pid = caller;
    err_t err = grant_enter(&m->grant, caller, send_in_client, &args);
    if (err != ERR_OK) {
        return syscall_failure(err);
    }
    if (args.step == SEND_DELIVERED) {
        return syscall_success();
    }
    if (args.step == SEND_FAILED) {
        return args.reason == IPC_REASON_NONE ? syscall_failure(args.err)
                                              : syscall_failure_u32(args.err, args.reason);
    }
    if (args.step == SEND_CHECK_CYCLE) {
        struct outstanding at_server = { .has_call = true, .server = args.server_waits_for,
                                         .is_serving = true };
        if (would_deadlock(m, caller, args.peer.pid, &at_server)) {
            return syscall_failure_u32(ERR_FAIL, IPC_WOULD_DEADLOCK);
        }
        err = grant_enter(&m->grant, caller, record_in_client, &args);
        if (err != ERR_OK) {
            return syscall_failure(err);
        }
    }
    (void)ipc_msg_service_receiver(m, args.peer.pid);
    return syscall_success();
}

static err_t cancel_in_client(void *data, struct grant_kernel_data *kd, void *ctx)
{
    struct ipc_msg_app *app = data;
    struct ipc_msg *m = ctx;
    if (app->call.state == CALL_IDLE) {
        return ERR_INVAL;
    }
    ipc_msg_fail_call(m, app, kd, IPC_CANCELLED);
    return ERR_OK;
}

/* ---- SERVE / RECV ---- */

struct serve_args {
    struct ipc_msg *m;
    struct process_id server;
    uint32_t reason;
};

static void fail_calls_to(struct process_id pid, void *data, struct grant_kernel_data *kd,
                          void *ctx)
{
    (void)pid;
    struct ipc_msg_app *app = data;
    struct serve_args *args = ctx;
    if (app->call.state != CALL_IDLE && process_id_equal(app->call.server, args->server)) {
        ipc_msg_fail_call(args->m, app, kd, args->reason);
    }
}

static err_t set_serving(void *data, struct grant_kernel_data *kd, void *ctx)
{
    (void)kd;
    struct ipc_msg_app *app = data;
    app->is_serving = *(const bool *)ctx;
    return ERR_OK;
}

static struct syscall_return do_serve(struct ipc_msg *m, struct process_id server, uint32_t on)
{
    bool is_serving = on != 0;
    err_t err = grant_enter(&m->grant, server, set_serving, &is_serving);
    if (err != ERR_OK) {
        return syscall_failure(err);
    }
    if (!is_serving) {
        struct serve_args args = { .m = m, .server = server, .reason = IPC_NOT_SERVING };
        grant_each(&m->grant, fail_calls_to, &args);
    }
    return syscall_success();
}

/* One entry of the server for RECV(mask, badge), REPLY(token, code) and REPLY_RECV(token,
 * code). */
struct serve_step {
    struct ipc_msg *m;
    struct process_id server;
    uint32_t command;
    uint32_t arg0;
    uint32_t arg1;
    err_t replied;      /* out: REPLY's error (ERR_OK for RECV) */
    uint32_t delivered; /* out: REPLY's value, when replied is ERR_OK */
    uint8_t ready;      /* out: RECV_READY, RECV_WAITING or RECV_SCAN */
};

enum {
    RECV_WAITING, /* armed, nothing ready */
    RECV_READY,   /* an event is ready: still pending, or delivered now */
    RECV_SCAN,    /* armed, and calls may be queued for it: the caller scans after the entry */
};

/* Inside the server's entry: arm its receive, unless its RECV event is still pending. With no call
 * queued for it (queued_for 0, or not serving: the scan would look for none) its next event can
 * only be notification bits, delivered here. REPLY_RECV keeps the last RECV's mask and badge. */
static uint8_t arm_in(struct ipc_msg_app *app, struct grant_kernel_data *kd,
                      const struct serve_step *step)
{
    if (grant_upcall_is_pending(kd, IPC_MSG_SUB_RECV)) {
        return RECV_READY;
    }
    app->is_armed = true;
    if (step->command == IPC_MSG_CMD_RECV) {
        app->recv_mask = step->arg0;
        app->recv_badge = step->arg1;
    }
    if (app->is_serving && step->m->slots[step->server.index].queued_for != 0) {
        return RECV_SCAN;
    }
    if ((app->notifications & app->recv_mask) == 0) {
        return RECV_WAITING; /* (what ipc_msg_notify_in would find) */
    }
    return ipc_msg_notify_in(step->m, app, kd) ? RECV_READY : RECV_WAITING;
}

static err_t serve_in_server(void *data, struct grant_kernel_data *kd, void *ctx)
{
    struct ipc_msg_app *app = data;
    struct serve_step *step = ctx;
    if (step->command != IPC_MSG_CMD_RECV) {
        step->replied = ipc_msg_reply_in(step->m, step->server, app, step->arg0, step->arg1,
                                         &step->delivered);
        if (step->command == IPC_MSG_CMD_REPLY || step->replied != ERR_OK) {
            return ERR_OK;
        }
    }
    step->ready = arm_in(app, kd, step);
    return ERR_OK;
}

/* RECV(mask, badge): arm the server's receive; success_u32(1) if an event is ready at once.
 * REPLY(token, code): success_u32(1) delivered, success_u32(0) the call is gone (see
 * ipc_msg_token.c). REPLY_RECV(token, code): REPLY, then RECV with the filter of the server's
 * last RECV (mask 0 and any badge if it never received): a server's loop in one syscall per
 * call. A REPLY that fails (a token that was never issued, a reply over IPC_MAX_MSG) changes
 * nothing and arms nothing. Success returns REPLY's value and RECV's. */
static struct syscall_return serve(struct ipc_msg *m, struct process_id server, uint32_t command,
                                   uint32_t arg0, uint32_t arg1)
{
    struct serve_step step; /* member by member (no memset); the outs are written before use */
    step.m = m;
    step.server = server;
    step.command = command;
    step.arg0 = arg0;
    step.arg1 = arg1;
    step.replied = ERR_OK;
    err_t err = grant_enter(&m->grant, server, serve_in_server, &step);
    if (err != ERR_OK) {
        return syscall_failure(err);
    }
    if (step.replied != ERR_OK) {
        return syscall_failure(step.replied);
    }
    if (command == IPC_MSG_CMD_REPLY) {
        return syscall_success_u32(step.delivered);
    }
    if (step.ready == RECV_SCAN) {
        step.ready = ipc_msg_service_receiver(m, server) ? RECV_READY : RECV_WAITING;
    }
    uint32_t ready = step.ready == RECV_READY ? 1u : 0u;
    if (command == IPC_MSG_CMD_RECV) {
        return syscall_success_u32(ready);
    }
    return syscall_success_2u32(step.delivered, ready);
}

/* ---- dispatch ---- */

static err_t refresh_caller(void *data, struct grant_kernel_data *kd, void *ctx)
{
    struct ipc_msg *m = ctx;
    /* Off the message path: the slots ipc_msg_allows finds are the grant's. Every server's
     * SERVE comes here, so a grant layout that no longer matches panics before a message moves
     * (the offsets are the same for every instance of the grant). */
    if (ipc_msg_allows(m, data, GRANT_SLOT_READ_ONLY) !=
            grant_slots_of(kd, GRANT_SLOT_READ_ONLY, 0, IPC_MSG_ALLOW_SLOTS) ||
        ipc_msg_allows(m, data, GRANT_SLOT_READ_WRITE) !=
            grant_slots_of(kd, GRANT_SLOT_READ_WRITE, 0, IPC_MSG_ALLOW_SLOTS)) {
        kernel_panic("ipc_msg: grant layout");
    }
    return ERR_OK;
}

/* The commands that do not enter the caller's grant themselves (after refresh_caller). */
static struct syscall_return dispatch(struct ipc_msg *m, uint32_t command, uint32_t arg0,
                                      uint32_t arg1, struct process_id pid)
{
    switch (command) {
    case IPC_MSG_CMD_CANCEL:
        return syscall_from_err(grant_enter(&m->grant, pid, cancel_in_client, m));
    case IPC_MSG_CMD_SERVE:
        return do_serve(m, pid, arg0);
    case IPC_MSG_CMD_BORROW_READ:
    case IPC_MSG_CMD_BORROW_WRITE:
    case IPC_MSG_CMD_BORROW_INFO:
    case IPC_MSG_CMD_CLIENT_INFO:
        return ipc_msg_token_command(m, command, arg0, arg1, pid);
    case IPC_MSG_CMD_POST:
    case IPC_MSG_CMD_POST_BADGE:
    case IPC_MSG_CMD_GRANT_POST:
    case IPC_MSG_CMD_SET_TIMER:
    case IPC_MSG_CMD_WATCH:
        return ipc_msg_notify_command(m, command, arg0, arg1, pid);
    default:
        return syscall_failure(ERR_NOSUPPORT);
    }
}

/* The commands other than SEND, RECV, REPLY and REPLY_RECV, which enter the caller's grant in
 * their own first step. */
static struct syscall_return
ipc_msg_command_result(struct syscall_driver *driver, uint32_t command_num, uint32_t arg0,
                       uint32_t arg1, struct process_id pid)
{
    struct ipc_msg *m = CONTAINER_OF(driver, struct ipc_msg, driver);
    if (command_num == IPC_MSG_CMD_EXISTS) {
        return syscall_success();
    }
    err_t err = grant_enter(&m->grant, pid, refresh_caller, m);
    if (err != ERR_OK) {
        return syscall_failure(err);
    }
    return dispatch(m, command_num, arg0, arg1, pid);
}

/* Every command but EXISTS first enters the caller's grant, which allocates it on first use
 * (so a later Yield-WaitFor has somewhere to be woken from) and collects the events it has
 * consumed since its last command. SEND and the server's commands reply in place, each from
 * its own function (the message path: no result struct through memory). The alarm is re-armed
 * after every command if a deadline or retry changed (after EXISTS too: harmless, the re-arm
 * is exact whenever it runs). */
static void ipc_msg_command(struct syscall_driver *driver, uint32_t *regs, struct process_id pid)
{
    struct ipc_msg *m = CONTAINER_OF(driver, struct ipc_msg, driver);
    uint32_t command = regs[1];
    if (command == IPC_MSG_CMD_SEND) {
        syscall_reply(regs, do_send(m, pid, regs[2], regs[3]));
    } else if (command == IPC_MSG_CMD_REPLY_RECV || command == IPC_MSG_CMD_REPLY ||
               command == IPC_MSG_CMD_RECV) {
        syscall_reply(regs, serve(m, pid, command, regs[2], regs[3]));
    } else {
        syscall_command_run(ipc_msg_command_result, driver, regs, pid);
    }
    ipc_msg_rearm_if_dirty(m);
}

/* ---- process exit: the hook only records; the reaper runs as a deferred call ---- */

static void reap_app(struct process_id pid, void *data, struct grant_kernel_data *kd, void *ctx)
{
    (void)pid;
    struct ipc_msg_app *app = data;
    struct ipc_msg *m = ctx;
    if (app->call.state != CALL_IDLE) {
        enum ipc_desc_state state = ipc_peer_state(m->kernel, app->call.server);
        if (state != IPC_DESC_LIVE) {
            ipc_msg_fail_call(m, app, kd, state == IPC_DESC_RESTARTED ? IPC_PEER_RESTARTED
                                                                    : IPC_PEER_DEAD);
        }
    }
    ipc_msg_reap_gone_peers(m, app, kd);
}

/* Complete every call whose server instance is gone, and fire watches on gone instances. By the
 * time this runs, a restarting server is already running again, which tells RESTARTED from
 * DEAD; reaping by liveness (not by a recorded id) also covers several deaths at once. */
static void reap(void *ctx)
{
    struct ipc_msg *m = ctx;
    grant_each(&m->grant, reap_app, m);
    ipc_msg_rearm_if_dirty(m);
}

static void process_exited(struct process_exit_hook *hook, struct process_id pid)
{
    (void)pid; /* its grant is already gone: its own call and receive state vanished with it */
    struct ipc_msg *m = CONTAINER_OF(hook, struct ipc_msg, exit_hook);
    m->is_timer_dirty = true; /* its deadlines and timers went with its grant: re-arm */
    deferred_call_set(&m->deaths);
}

/* ---- diagnostics ---- */

struct reference_count {
    struct process_id pid;
    uint32_t count;
};

static void count_references(struct process_id owner, void *data, struct grant_kernel_data *kd,
                             void *ctx)
{
    (void)owner;
    (void)kd;
    const struct ipc_msg_app *app = data;
    struct reference_count *r = ctx;
    if (app->call.state != CALL_IDLE && process_id_equal(app->call.server, r->pid)) {
        r->count++;
    }
    for (uint32_t i = 0; i < IPC_MAX_POSTERS; i++) {
        const struct poster *p = &app->posters[i];
        r->count += p->is_used && !p->is_any && process_id_equal(p->pid, r->pid) ? 1u : 0u;
    }
    for (uint32_t i = 0; i < IPC_MAX_WATCHES; i++) {
        const struct watch *w = &app->watches[i];
        r->count += w->is_used && process_id_equal(w->pid, r->pid) ? 1u : 0u;
    }
}

uint32_t ipc_msg_references(struct ipc_msg *m, struct process_id pid)
{
    struct reference_count r = { .pid = pid, .count = 0 };
    grant_each(&m->grant, count_references, &r);
    return r.count;
}

static const struct syscall_driver_ops ipc_msg_ops = { .command = ipc_msg_command };
static const struct hil_alarm_client_ops ipc_msg_alarm_ops = { .fired = ipc_msg_alarm_fired };

err_t ipc_msg_init(struct ipc_msg *m, struct kernel *k, struct ipc_name *names,
                   struct hil_alarm *alarm)
{
    if (k->config.process_count > IPC_MSG_MAX_PROCESSES) {
        return ERR_NOMEM;
    }
    *m = (struct ipc_msg){
        .driver = { .ops = &ipc_msg_ops, .grant = &m->grant, .shares_read_write = false },
        .kernel = k,
        .names = names,
        .alarm = alarm,
        .alarm_client = { .ops = &ipc_msg_alarm_ops },
        .exit_hook = { .on_exit = process_exited, .node = { .next = NULL } },
        .next_ticket = 0,
    };
    for (uint32_t i = 0; i < IPC_MSG_MAX_PROCESSES; i++) {
        m->slots[i].next_seq = 1;
    }
    const struct grant_config config = {
        .driver_num = KERNEL_IPC_MSG_DRIVER_NUM,
        .data_size = sizeof(struct ipc_msg_app),
        .data_align = 4,
        .upcalls = IPC_MSG_SUBSCRIBES,
        /* REPLY and RECV events are latched upcalls (record 030). */
        .latched_upcalls = (1u << IPC_MSG_SUB_REPLY) | (1u << IPC_MSG_SUB_RECV),
        .read_only = IPC_MSG_ALLOW_SLOTS,
        .read_write = IPC_MSG_ALLOW_SLOTS,
        .userspace_readable = 0,
    };
    err_t err = grant_create(&m->grant, k, &config);
    if (err != ERR_OK) {
        return err;
    }
    int32_t header = (int32_t)m->grant.header_bytes;
    m->ro_from_data = 4 * (int32_t)m->grant.slot_words[GRANT_SLOT_READ_ONLY] - header;
    m->rw_from_data = 4 * (int32_t)m->grant.slot_words[GRANT_SLOT_READ_WRITE] - header;
    err = deferred_call_register(&m->deaths, reap, m);
    if (err != ERR_OK) {
        return err;
    }
    hil_alarm_set_client(alarm, &m->alarm_client);
    kernel_add_exit_hook(k, &m->exit_hook);
    return ERR_OK;
}
