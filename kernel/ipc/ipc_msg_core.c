/* SPDX-License-Identifier: Apache-2.0 OR MIT */
/*
 * IPC messaging, the layer every command builds on (ipc_msg_core.h): process buffers and their
 * copy, events (latched upcalls), exactly-once completion of a call, and the receive side's
 * choice of the next event for an armed server (a queued call or notification bits). The commands
 * (ipc_msg.c, ipc_msg_token.c, ipc_msg_notify.c) call down into it; it calls none of them.
 *
 * Invariants: see ipc_msg.h and ipc_msg.c.
 */
#include "ipc_msg_core.h"

#include "container.h"
#include "kernel/grant_internal.h"

#include <stddef.h>

/* ---- small helpers ---- */

struct ipc_allow ipc_msg_allow(struct ipc_msg *m, struct process *p, enum grant_slot_kind kind,
                               uint32_t n)
{
    uint32_t *words;
    if (p == NULL || grant_slot(m->kernel, p, &m->grant, kind, n, &words) != ERR_OK) {
        return (struct ipc_allow){ 0, 0 };
    }
    return (struct ipc_allow){ words[0], words[1] };
}

/* SAFETY: callers pass ranges inside buffers that the owning (live) processes currently allow:
 * each was checked at allow time to lie in that process's RAM (or flash, for a source), and the
 * allow high-water mark keeps the process break above it. The kernel is single-threaded and no
 * process runs during the copy. */
void ipc_msg_copy(uint32_t dst, uint32_t src, uint32_t len)
{
    /* The two ranges are in different processes' memory (a process never calls itself), so
     * they cannot overlap; memcpy moves whole words when both ends are aligned. */
    if (len != 0) { /* an empty copy may come with no buffer (address 0) */
        __builtin_memcpy((void *)(uintptr_t)dst, (const void *)(uintptr_t)src, len);
    }
}

err_t ipc_msg_enter_existing(struct ipc_msg *m, struct process_id pid, grant_fn fn, void *ctx)
{
    return grant_enter_existing(&m->grant, pid, fn, ctx);
}

/* ---- events: the kernel's latched upcalls (record 030) ---- */

void ipc_msg_upcall(struct grant_kernel_data *kd, uint32_t sub, uint32_t arg0, uint32_t arg1,
                    uint32_t arg2)
{
    /* Both subscribes are latched (ipc_msg_init): the event takes the process's latched slot,
     * which a full upcall ring cannot refuse. Only if all of its latched slots hold other
     * drivers' events and its ring is full too is it lost (counted as dropped). */
    err_t ignored = grant_schedule_upcall(kd, sub, arg0, arg1, arg2);
    (void)ignored;
}

/* ---- completion: the only way out of QUEUED / RECEIVED ---- */

void ipc_msg_complete_call(struct ipc_msg *m, struct ipc_msg_app *client,
                           struct grant_kernel_data *kd, err_t status, uint32_t arg1,
                           uint32_t arg2, uint32_t reason)
{
    (void)m; /* kept for the callers' symmetry: the event needs only the client's entry */
    client->call.state = CALL_IDLE;
    client->call.has_deadline = false;
    client->call.done_seq = client->call.seq;
    client->call.done_reason = reason;
    ipc_msg_upcall(kd, IPC_MSG_SUB_REPLY, (uint32_t)status, arg1, arg2);
}

void ipc_msg_fail_call(struct ipc_msg *m, struct ipc_msg_app *client, struct grant_kernel_data *kd,
                       uint32_t reason)
{
    err_t status = ERR_UNINSTALLED;
    if (reason == IPC_TIMEOUT || reason == IPC_CANCELLED) {
        status = ERR_CANCEL;
    }
    ipc_msg_complete_call(m, client, kd, status, 0, reason, reason);
}

/* ---- receiving: which event a server gets next ---- */

struct candidate {
    struct process_id server;
    uint32_t badge; /* 0: open receive */
    uint32_t queued; /* out: every QUEUED call to server, whatever its badge */
    bool is_found;
    struct process_id client;
    uint32_t ticket;
};

static void consider_call(struct process_id pid, void *data, struct grant_kernel_data *kd,
                          void *ctx)
{
    (void)kd;
    const struct ipc_msg_app *app = data;
    struct candidate *c = ctx;
    if (app->call.state != CALL_QUEUED || !process_id_equal(app->call.server, c->server)) {
        return;
    }
    c->queued++;
    if (c->badge != 0 && ipc_badge(pid) != c->badge) {
        return;
    }
    if (!c->is_found || (int32_t)(app->call.ticket - c->ticket) < 0) {
        c->is_found = true;
        c->client = pid;
        c->ticket = app->call.ticket;
    }
}

void ipc_msg_deliver_call(struct ipc_msg *m, const struct ipc_msg_pair *pair)
{
    struct ipc_msg_app *server = pair->server;
    struct call *call = &pair->client->call;
    struct ipc_allow buf =
        ipc_msg_allow_in(m, server, GRANT_SLOT_READ_WRITE, IPC_MSG_ALLOW_RECV_BUF);
    uint32_t len = ipc_msg_min(pair->request.len, IPC_MAX_MSG);
    ipc_copy_message(buf.addr, pair->request.addr, ipc_msg_min(len, buf.len));
    call->state = CALL_RECEIVED;
    struct ipc_msg_slot *s = &m->slots[pair->client_pid.index];
    s->issued_seq = call->seq;
    s->issued_client = pair->client_pid;
    s->issued_server = pair->server_pid;
    s->is_issued = true;
    server->is_armed = false;
    server->prefers_notifications = true;
    uint32_t token = (pair->client_pid.index + 1u) | (call->seq << 8);
    uint32_t info = ((uint32_t)call->endpoint << 30) | ((uint32_t)call->opcode << 16) | len;
    ipc_msg_upcall(pair->server_kd, IPC_MSG_SUB_RECV, token, info, ipc_badge(pair->client_pid));
}

/* The scan's way to a chosen call: the client's entry, then the server's inside it. */
struct delivery {
    struct ipc_msg *m;
    struct ipc_msg_pair pair;
};

static err_t deliver_to_server(void *data, struct grant_kernel_data *kd, void *ctx)
{
    struct delivery *d = ctx;
    d->pair.server = data;
    d->pair.server_kd = kd;
    ipc_msg_deliver_call(d->m, &d->pair);
    return ERR_OK;
}

static err_t deliver_from_client(void *data, struct grant_kernel_data *kd, void *ctx)
{
    (void)kd;
    struct ipc_msg_app *client = data;
    struct delivery *d = ctx;
    if (client->call.state != CALL_QUEUED ||
        !process_id_equal(client->call.server, d->pair.server_pid)) {
        return ERR_FAIL;
    }
    d->pair.client = client;
    d->pair.request = ipc_msg_allow_in(d->m, client, GRANT_SLOT_READ_ONLY, IPC_MSG_ALLOW_REQUEST);
    return grant_enter(&d->m->grant, d->pair.server_pid, deliver_to_server, d);
}

static err_t deliver_notification(void *data, struct grant_kernel_data *kd, void *ctx)
{
    struct ipc_msg *m = ctx;
    return ipc_msg_notify_in(m, data, kd) ? ERR_OK : ERR_FAIL;
}

struct receiver {
    bool is_armed;
    bool is_serving;
    bool prefers_notifications;
    bool has_notification;
    uint32_t badge;
};

static err_t read_receiver(void *data, struct grant_kernel_data *kd, void *ctx)
{
    (void)kd;
    const struct ipc_msg_app *app = data;
    struct receiver *r = ctx;
    *r = (struct receiver){
        .is_armed = app->is_armed,
        .is_serving = app->is_serving,
        .prefers_notifications = app->prefers_notifications,
        .has_notification = (app->notifications & app->recv_mask) != 0,
        .badge = app->recv_badge,
    };
    return ERR_OK;
}

bool ipc_msg_service_receiver(struct ipc_msg *m, struct process_id server)
{
    struct receiver r;
    if (ipc_msg_enter_existing(m, server, read_receiver, &r) != ERR_OK || !r.is_armed) {
        return false;
    }
    /* Member by member here and below (the message path): an initializer would zero the
     * rest through memset. client/ticket are read only once is_found; the rest of the
     * delivery's pair is written by deliver_from_client and deliver_to_server. */
    struct candidate c;
    c.server = server;
    c.badge = r.badge;
    c.queued = 0;
    c.is_found = false;
    uint32_t *queued_for = &m->slots[server.index].queued_for;
    if (r.is_serving && *queued_for != 0) {
        grant_each(&m->grant, consider_call, &c);
        *queued_for = c.queued;
    }
    if (r.has_notification && (!c.is_found || r.prefers_notifications)) {
        return grant_enter(&m->grant, server, deliver_notification, m) == ERR_OK;
    }
    if (c.is_found) {
        struct delivery d;
        d.m = m;
        d.pair.server_pid = server;
        d.pair.client_pid = c.client;
        if (grant_enter(&m->grant, c.client, deliver_from_client, &d) != ERR_OK) {
            return false;
        }
        (*queued_for)--; /* that call is RECEIVED now */
        return true;
    }
    return false;
}

bool ipc_msg_notify_in(struct ipc_msg *m, struct ipc_msg_app *app, struct grant_kernel_data *kd)
{
    (void)m;
    uint32_t bits = app->notifications & app->recv_mask;
    if (!app->is_armed || bits == 0) {
        return false;
    }
    app->notifications &= ~bits;
    app->is_armed = false;
    app->prefers_notifications = false;
    ipc_msg_upcall(kd, IPC_MSG_SUB_RECV, 0, bits, 0);
    return true;
}
