/* SPDX-License-Identifier: Apache-2.0 OR MIT */
/*
 * IPC messaging (see ipc_msg.h), the driver: SEND, CANCEL, SERVE, RECV, REPLY_RECV, command
 * dispatch, and the reaping of calls whose server died. It builds on ipc_msg_core.c (buffers,
 * latched events, exactly-once completion, the receive-side choice of the next event).
 * Operations on a received call (REPLY, BORROW_*, CLIENT_INFO) are in ipc_msg_token.c;
 * notifications, timers and the alarm in ipc_msg_notify.c. Neither calls back into this file.
 *
 * Per-process state lives in the process's IPC_MSG grant (struct ipc_msg_app): its own
 * outstanding call (client side), its receive state and notification word (server side). The
 * queue of calls waiting for a server is implicit: the QUEUED calls whose `server` is that
 * server, in ticket order. Nothing is allocated per message.
 *
 * Grant discipline: grant_each never runs inside grant_enter (it would re-enter), so every
 * command first copies what it needs out of the grants, then scans, then acts in nested entries
 * of *different* processes (client inside server or the reverse), never the same one twice.
 *
 * Usage: see ipc_msg.h.
 *
 * Invariants: see ipc_msg.h; in addition, a server's RECV latch is EMPTY whenever it is armed,
 * and a client's REPLY latch is EMPTY whenever its call is QUEUED or RECEIVED.
 */
#include "ipc/ipc_msg.h"

#include "container.h"
#include "ipc_msg_core.h"
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

struct send_args {
    struct ipc_msg *m;
    struct ipc_peer peer;
    uint32_t opcode;
    uint32_t timeout_ms;
    bool is_check_only;
};

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

_Static_assert(IPC_MSG_ALLOW_SLOTS >= IPC_LEASES + 1u, "lease allows 1..IPC_LEASES are declared");

/* The client's lease allows 1..IPC_LEASES of kind, read from its grant in one go. */
static void snapshot_leases(const struct grant_kernel_data *kd, enum grant_slot_kind kind,
                            struct ipc_allow *leases)
{
    const uint32_t *slots = grant_slots_of(kd, kind, 1u, IPC_LEASES);
    for (uint32_t i = 0; i < IPC_LEASES; i++) {
        leases[i] = slots == NULL ? (struct ipc_allow){ 0, 0 }
                                  : (struct ipc_allow){ slots[2u * i], slots[2u * i + 1u] };
    }
}

static err_t send_in_client(void *data, struct grant_kernel_data *kd, void *ctx)
{
    struct ipc_msg_app *app = data;
    struct send_args *args = ctx;
    struct ipc_msg *m = args->m;
    struct process *p = grant_entered_process(kd);
    if (args->is_check_only) {
        if (app->call.state != CALL_IDLE || app->latch[IPC_MSG_SUB_REPLY] != LATCH_EMPTY) {
            return ERR_ALREADY;
        }
        return grant_ro_len(kd, IPC_MSG_ALLOW_REQUEST) > IPC_MAX_MSG ? ERR_SIZE : ERR_OK;
    }
    /* Every field written in place (no zeroed copy of the whole call). */
    struct call *call = &app->call;
    call->state = CALL_QUEUED;
    call->endpoint = (uint8_t)args->peer.endpoint;
    call->opcode = (uint16_t)args->opcode;
    call->server = args->peer.pid;
    uint32_t *queued_for = &m->slots[args->peer.pid.index].queued_for;
    if (*queued_for != UINT32_MAX) {
        (*queued_for)++; /* saturates: wrapping to 0 would hide queued calls */
    }
    call->seq = take_seq(&m->slots[p->pid.index]);
    call->ticket = m->next_ticket++;
    call->has_deadline = args->timeout_ms != 0;
    call->deadline_ref = 0;
    call->deadline_dt = 0;
    if (call->has_deadline) {
        call->deadline_ref = hil_alarm_now(m->alarm);
        call->deadline_dt = ipc_msg_ms_to_ticks(m, args->timeout_ms);
        m->is_timer_dirty = true;
    }
    snapshot_leases(kd, GRANT_SLOT_READ_ONLY, call->read_leases);
    snapshot_leases(kd, GRANT_SLOT_READ_WRITE, call->write_leases);
    call->done_seq = 0;
    call->done_reason = 0;
    return ERR_OK;
}

static struct syscall_return peer_failure(struct kernel *k, struct process_id peer)
{
    enum ipc_desc_state state = ipc_peer_state(k, peer);
    if (state == IPC_DESC_LIVE) {
        return syscall_failure_u32(ERR_UNINSTALLED, IPC_NOT_SERVING);
    }
    return syscall_failure_u32(ERR_UNINSTALLED, state == IPC_DESC_RESTARTED ? IPC_PEER_RESTARTED
                                                                              : IPC_PEER_DEAD);
}

static struct syscall_return do_send(struct ipc_msg *m, struct process_id caller, uint32_t arg0,
                                     uint32_t timeout_ms)
{
    struct send_args args; /* member by member (no memset); peer is ipc_name_peer's out */
    args.m = m;
    args.opcode = (arg0 >> 16) & IPC_MSG_OPCODE_MASK;
    args.timeout_ms = timeout_ms;
    args.is_check_only = true;
    if (ipc_name_peer(m->names, caller, arg0 & 0xFFFFu, &args.peer) != ERR_OK) {
        return syscall_failure(ERR_INVAL);
    }
    err_t err = grant_enter(&m->grant, caller, send_in_client, &args);
    if (err != ERR_OK) {
        return syscall_failure(err);
    }
    struct outstanding peer;
    peer.is_serving = false; /* set only (no memset): read_outstanding fills the rest */
    if (ipc_peer_state(m->kernel, args.peer.pid) != IPC_DESC_LIVE ||
        ipc_msg_enter_existing(m, args.peer.pid, read_outstanding, &peer) != ERR_OK ||
        !peer.is_serving) {
        return peer_failure(m->kernel, args.peer.pid);
    }
    if (would_deadlock(m, caller, args.peer.pid, &peer)) {
        return syscall_failure_u32(ERR_FAIL, IPC_WOULD_DEADLOCK);
    }
    args.is_check_only = false;
    err = grant_enter(&m->grant, caller, send_in_client, &args);
    if (err != ERR_OK) {
        return syscall_failure(err);
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

struct recv_args {
    uint32_t mask;
    uint32_t badge;
    bool is_same_filter; /* REPLY_RECV: keep the last RECV's mask and badge */
    bool is_latched;     /* out */
};

static err_t arm_receive(void *data, struct grant_kernel_data *kd, void *ctx)
{
    (void)kd;
    struct ipc_msg_app *app = data;
    struct recv_args *args = ctx;
    args->is_latched = app->latch[IPC_MSG_SUB_RECV] != LATCH_EMPTY;
    if (!args->is_latched) {
        app->is_armed = true;
        if (!args->is_same_filter) {
            app->recv_mask = args->mask;
            app->recv_badge = args->badge;
        }
    }
    return ERR_OK;
}

/* Arm the server's receive; 1 if an event is ready at once (latched or delivered now). */
static struct syscall_return receive(struct ipc_msg *m, struct process_id server,
                                     struct recv_args *args)
{
    err_t err = grant_enter(&m->grant, server, arm_receive, args);
    if (err != ERR_OK) {
        return syscall_failure(err);
    }
    if (args->is_latched) {
        return syscall_success_u32(1);
    }
    return syscall_success_u32(ipc_msg_service_receiver(m, server) ? 1u : 0u);
}

static struct syscall_return do_recv(struct ipc_msg *m, struct process_id server, uint32_t mask,
                                     uint32_t badge)
{
    struct recv_args args;
    args.mask = mask;
    args.badge = badge;
    args.is_same_filter = false;
    return receive(m, server, &args);
}

/* REPLY, then RECV with the filter of the server's last RECV (mask 0 and any badge if it never
 * received): a server's loop in one syscall per call. A REPLY that fails (a token that was
 * never issued, a reply over IPC_MAX_MSG) changes nothing and arms nothing. Success returns
 * REPLY's value (1 delivered, 0 the client is gone) and RECV's (1 an event is ready). */
static struct syscall_return
do_reply_recv(struct ipc_msg *m, struct process_id server, uint32_t token, uint32_t code)
{
    struct syscall_return replied =
        ipc_msg_token_command(m, IPC_MSG_CMD_REPLY, token, code, server);
    if (replied.variant != SYSCALL_SUCCESS_U32) {
        return replied;
    }
    struct recv_args args;
    args.is_same_filter = true;
    struct syscall_return received = receive(m, server, &args);
    if (received.variant != SYSCALL_SUCCESS_U32) {
        return received;
    }
    return syscall_success_2u32(replied.values[0], received.values[0]);
}

/* ---- dispatch ---- */

static err_t refresh_caller(void *data, struct grant_kernel_data *kd, void *ctx)
{
    ipc_msg_latch_refresh(ctx, data, kd);
    return ERR_OK;
}

static struct syscall_return dispatch(struct ipc_msg *m, uint32_t command, uint32_t arg0,
                                      uint32_t arg1, struct process_id pid)
{
    switch (command) {
    case IPC_MSG_CMD_SEND:
        return do_send(m, pid, arg0, arg1);
    case IPC_MSG_CMD_CANCEL:
        return syscall_from_err(grant_enter(&m->grant, pid, cancel_in_client, m));
    case IPC_MSG_CMD_SERVE:
        return do_serve(m, pid, arg0);
    case IPC_MSG_CMD_RECV:
        return do_recv(m, pid, arg0, arg1);
    case IPC_MSG_CMD_REPLY_RECV:
        return do_reply_recv(m, pid, arg0, arg1);
    case IPC_MSG_CMD_REPLY:
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

static struct syscall_return
ipc_msg_command_result(struct syscall_driver *driver, uint32_t command_num, uint32_t arg0,
                       uint32_t arg1, struct process_id pid)
{
    struct ipc_msg *m = CONTAINER_OF(driver, struct ipc_msg, driver);
    if (command_num == IPC_MSG_CMD_EXISTS) {
        return syscall_success();
    }
    /* Allocates the caller's grant on first use, so a later Yield-WaitFor has somewhere to be
     * woken from, and collects events the caller has consumed since its last command. */
    err_t err = grant_enter(&m->grant, pid, refresh_caller, m);
    if (err != ERR_OK) {
        return syscall_failure(err);
    }
    struct syscall_return ret = dispatch(m, command_num, arg0, arg1, pid);
    ipc_msg_rearm_if_dirty(m);
    return ret;
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

static void ipc_msg_command(struct syscall_driver *driver, uint32_t *regs, struct process_id pid)
{
    syscall_command_run(ipc_msg_command_result, driver, regs, pid);
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
        .read_only = IPC_MSG_ALLOW_SLOTS,
        .read_write = IPC_MSG_ALLOW_SLOTS,
        .userspace_readable = 0,
    };
    err_t err = grant_create(&m->grant, k, &config);
    if (err != ERR_OK) {
        return err;
    }
    err = deferred_call_register(&m->deaths, reap, m);
    if (err != ERR_OK) {
        return err;
    }
    hil_alarm_set_client(alarm, &m->alarm_client);
    kernel_add_exit_hook(k, &m->exit_hook);
    return ERR_OK;
}
