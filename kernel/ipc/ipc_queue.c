/* SPDX-License-Identifier: Apache-2.0 OR MIT */
/*
 * IPC message queues (see ipc_queue.h): CREATE, DESTROY, GRANT_SEND, NOTIFY, SEND, CANCEL,
 * RECV, held SENDs and their refill in ticket order, deadlines on the message IPC's alarm, and
 * the reaping of SENDs held for an owner that died.
 *
 * Per-process state lives in the process's IPC_QUEUE grant (struct queue_app): its held SEND
 * (sender side), its ring, receive state and send rights (owner side). The list of SENDs held
 * for a queue is implicit: the held SENDs naming that owner, in ticket order. held_for in the
 * owner counts them from above (a sender that died or timed out leaves it too high); every
 * refill scan sets it exactly, and a SEND that finds room but held_for > 0 refills first, so a
 * new SEND never overtakes a held one and a stale count never keeps room unused.
 *
 * Grant discipline (as in ipc_msg.c): grant_each never runs inside grant_enter; SEND enters the
 * sender, then the owner inside it (two different processes; a process cannot send to its own
 * queue); the refill enters the oldest held sender, then the owner inside it. Upcalls go
 * through grant_schedule_upcall; IPC_MSG notification bits are posted after leaving every
 * entry.
 *
 * Usage: see ipc_queue.h.
 *
 * Invariants: see ipc_queue.h; count <= depth, head < depth, and depth * stride fits the ring.
 */
#include "ipc/ipc_queue.h"

#include "container.h"
#include "ipc/ipc_copy.h"
#include "kernel/grant_internal.h"
#include "kernel/process.h"
#include "kernel/upcall_queue.h"

#include <stddef.h>

enum queue_command {
    QUEUE_CMD_EXISTS = 0,
    QUEUE_CMD_CREATE = 1,
    QUEUE_CMD_DESTROY = 2,
    QUEUE_CMD_GRANT_SEND = 3,
    QUEUE_CMD_NOTIFY = 4,
    QUEUE_CMD_SEND = 10,
    QUEUE_CMD_CANCEL = 11,
    QUEUE_CMD_RECV = 20,
};

enum { QUEUE_SUB_SENT = 0, QUEUE_SUB_RECEIVED = 1, QUEUE_SUBSCRIBES = 2 };
enum { QUEUE_ALLOW_MESSAGE = 0, QUEUE_ALLOW_RECV_BUF = 0, QUEUE_ALLOW_SLOTS = 1 };

#define RING_WORDS (IPC_QUEUE_STORAGE / 4u)

/* The identities first: 8-byte aligned (process_id.h), so the smaller fields pack after them. */
struct sender_right {
    struct process_id pid;
    bool is_used;
    bool is_any; /* anyone holding a descriptor for the queue */
};

struct held_send {
    struct process_id owner;
    uint32_t ticket;
    ticks_t deadline_ref;
    ticks_t deadline_dt;
    uint8_t endpoint;
    bool is_held;
    bool has_deadline;
};

struct queue_app {
    struct held_send send; /* sender side */
    /* Owner side. */
    struct sender_right rights[IPC_QUEUE_MAX_SENDERS];
    ticks_t recv_ref;
    ticks_t recv_dt;
    uint32_t notify_bits;
    uint16_t msg_size;
    uint8_t endpoint;
    uint8_t depth;
    uint8_t head;
    uint8_t count;
    uint8_t held_for; /* never below the SENDs held for this queue (set exactly by refill) */
    bool has_queue;
    bool is_armed;
    bool recv_has_deadline;
    /* depth messages of `stride` words each: the sender's badge, then msg_size bytes. */
    uint32_t ring[RING_WORDS];
};

static uint32_t stride_words(uint32_t msg_size)
{
    return 1u + (msg_size + 3u) / 4u;
}

static bool ticket_before(uint32_t a, uint32_t b)
{
    return (int32_t)(a - b) < 0;
}

/* ---- the ring, inside the owner's entry ---- */

/* Append the first msg_size bytes of the sender's RO allow 0 (the caller checked the room). */
static err_t push(struct queue_app *o, const struct grant_kernel_data *sender_kd,
                  struct process_id sender)
{
    uint32_t at = ((uint32_t)(o->head + o->count) % o->depth) * stride_words(o->msg_size);
    if (grant_ro_read(sender_kd, QUEUE_ALLOW_MESSAGE, 0, &o->ring[at + 1u], o->msg_size) !=
        ERR_OK) {
        return ERR_SIZE; /* the sender's allow is shorter than a message: nothing changed */
    }
    o->ring[at] = ipc_badge(sender);
    o->count++;
    return ERR_OK;
}

/* Move the oldest message into the owner's RW allow 0; *badge is its sender's. */
static err_t pop(struct queue_app *o, struct grant_kernel_data *owner_kd, uint32_t *badge)
{
    uint32_t at = (uint32_t)o->head * stride_words(o->msg_size);
    if (grant_rw_write(owner_kd, QUEUE_ALLOW_RECV_BUF, 0, &o->ring[at + 1u], o->msg_size) !=
        ERR_OK) {
        return ERR_SIZE;
    }
    *badge = o->ring[at];
    o->head = (uint8_t)((o->head + 1u) % o->depth);
    o->count--;
    return ERR_OK;
}

/* The only place an armed RECV ends: exactly one RECEIVED event. */
static void finish_recv(struct queue_app *o, struct grant_kernel_data *kd, err_t status,
                        uint32_t badge, uint32_t arg)
{
    o->is_armed = false;
    o->recv_has_deadline = false;
    /* A full upcall queue drops the event (record 029, known limits). */
    err_t dropped = grant_schedule_upcall(kd, QUEUE_SUB_RECEIVED, (uint32_t)status, badge, arg);
    (void)dropped;
}

/* The only place a held SEND ends: exactly one SENT event. */
static void finish_send(struct queue_app *s, struct grant_kernel_data *kd, err_t status,
                        uint32_t reason)
{
    s->send.is_held = false;
    s->send.has_deadline = false;
    err_t dropped = grant_schedule_upcall(kd, QUEUE_SUB_SENT, (uint32_t)status, 0, reason);
    (void)dropped; /* as in finish_recv */
}

/* An armed owner with a message queued takes it now. */
static void deliver_if_armed(struct queue_app *o, struct grant_kernel_data *kd)
{
    if (!o->is_armed || o->count == 0) {
        return;
    }
    uint32_t badge = 0;
    if (pop(o, kd, &badge) != ERR_OK) {
        finish_recv(o, kd, ERR_SIZE, 0, 0); /* its buffer shrank since RECV: the message stays */
        return;
    }
    finish_recv(o, kd, ERR_OK, badge, o->count);
}

/* An armed owner with an empty ring and nothing held takes the message straight from the
 * sender's allow (no trip through the ring). False, nothing done, when its buffer is too short
 * (then the message goes through the ring and deliver_if_armed reports SIZE). */
static bool hand_over(struct queue_app *o, struct grant_kernel_data *owner_kd,
                      const struct grant_kernel_data *sender_kd, struct process_id sender)
{
    const uint32_t *to = grant_slots_of(owner_kd, GRANT_SLOT_READ_WRITE, QUEUE_ALLOW_RECV_BUF, 1);
    const uint32_t *from = grant_slots_of(sender_kd, GRANT_SLOT_READ_ONLY, QUEUE_ALLOW_MESSAGE, 1);
    if (to == NULL || from == NULL || to[1] < o->msg_size || from[1] < o->msg_size) {
        return false;
    }
    ipc_copy_message(to[0], from[0], o->msg_size); /* both allows checked above */
    finish_recv(o, owner_kd, ERR_OK, ipc_badge(sender), 0);
    return true;
}

/* The process of kd has not yet collected its last `sub` event: a new SEND / RECV waits until it
 * has (EALREADY), so at most one event of each kind is ever pending for it. Both are latched
 * upcalls (record 030), so a ring that other drivers filled cannot drop one, and the rule keeps
 * a newer event from overwriting an uncollected one. */
static bool has_uncollected(const struct grant_kernel_data *kd, uint32_t sub)
{
    return grant_upcall_is_pending(kd, sub);
}

static bool may_send(const struct queue_app *o, struct process_id sender)
{
    for (uint32_t i = 0; i < IPC_QUEUE_MAX_SENDERS; i++) {
        const struct sender_right *r = &o->rights[i];
        if (r->is_used && (r->is_any || process_id_equal(r->pid, sender))) {
            return true;
        }
    }
    return false;
}

/* Post the owner's NOTIFY bits for a message that entered its queue. Outside every entry. */
static void notify_owner(struct ipc_queue *q, struct process_id owner, uint32_t bits)
{
    if (bits != 0) {
        /* ERR_NODEVICE: the owner never used IPC_MSG, so it cannot be waiting for the bits. */
        err_t ignored = ipc_msg_post_from_kernel(q->msg, owner, bits);
        (void)ignored;
    }
}

/* ---- refill: held SENDs move in, oldest ticket first ---- */

struct oldest {
    struct process_id owner;
    uint32_t held;
    bool has_best;
    struct process_id best;
    uint32_t best_ticket;
};

static void find_oldest(struct process_id pid, void *data, struct grant_kernel_data *kd,
                        void *ctx)
{
    (void)kd;
    const struct queue_app *app = data;
    struct oldest *f = ctx;
    if (!app->send.is_held || !process_id_equal(app->send.owner, f->owner)) {
        return;
    }
    f->held++;
    if (!f->has_best || ticket_before(app->send.ticket, f->best_ticket)) {
        f->has_best = true;
        f->best = pid;
        f->best_ticket = app->send.ticket;
    }
}

struct move_args {
    struct ipc_queue *q;
    struct process_id sender;
    uint32_t held;         /* held SENDs for the owner, the sender's included */
    struct grant_kernel_data *sender_kd;
    bool has_moved;
    bool has_room_left;
    uint32_t notify_bits;
};

static err_t move_in_owner(void *data, struct grant_kernel_data *kd, void *ctx)
{
    struct queue_app *o = data;
    struct move_args *a = ctx;
    o->held_for = (uint8_t)a->held;
    if (a->held == 0 || !o->has_queue || o->count >= o->depth) {
        return ERR_OK;
    }
    if (push(o, a->sender_kd, a->sender) != ERR_OK) {
        a->has_moved = true; /* it leaves the hold (with SIZE), so the next one can move */
        o->held_for--;
        a->has_room_left = true;
        return ERR_SIZE;
    }
    o->held_for--;
    a->has_moved = true;
    a->has_room_left = o->count < o->depth;
    a->notify_bits = o->notify_bits;
    deliver_if_armed(o, kd);
    return ERR_OK;
}

static err_t move_in_sender(void *data, struct grant_kernel_data *kd, void *ctx)
{
    struct queue_app *s = data;
    struct move_args *a = ctx;
    a->sender_kd = kd;
    err_t err = grant_enter_existing(&a->q->grant, s->send.owner, move_in_owner, a);
    if (a->has_moved) {
        finish_send(s, kd, err == ERR_OK ? ERR_OK : ERR_SIZE, IPC_REASON_NONE);
    }
    return ERR_OK;
}

/* Move held SENDs for `owner` into its queue while it has room; then set its held_for exactly.
 * Not inside any IPC_QUEUE entry (it scans). */
static void refill(struct ipc_queue *q, struct process_id owner)
{
    for (uint32_t round = 0; round <= q->kernel->config.process_count; round++) {
        struct oldest f = { .owner = owner };
        grant_each(&q->grant, find_oldest, &f);
        struct move_args a = { .q = q, .sender = f.best, .held = f.held };
        if (!f.has_best) {
            /* Nothing held: only the count is set. */
            err_t ignored = grant_enter_existing(&q->grant, owner, move_in_owner, &a);
            (void)ignored; /* (an owner without a grant has nothing to count) */
            return;
        }
        err_t ignored = grant_enter_existing(&q->grant, f.best, move_in_sender, &a);
        (void)ignored; /* f.best was live with a grant during the scan: always ERR_OK */
        notify_owner(q, owner, a.notify_bits);
        if (!a.has_moved || !a.has_room_left) {
            return;
        }
    }
}

/* ---- SEND / CANCEL ---- */

struct send_args {
    struct ipc_queue *q;
    struct process_id sender;
    struct ipc_peer peer;
    uint32_t wait;
    struct grant_kernel_data *sender_kd;
    uint32_t reason;       /* with ERR_UNINSTALLED */
    bool is_held;          /* the SEND waits for room */
    bool must_refill;      /* room, but SENDs (maybe stale) are held: refill, then retry */
    uint32_t notify_bits;  /* to post to the owner */
};

static err_t send_in_owner(void *data, struct grant_kernel_data *kd, void *ctx)
{
    struct queue_app *o = data;
    struct send_args *a = ctx;
    if (!o->has_queue || o->endpoint != a->peer.endpoint) {
        a->reason = IPC_NOT_SERVING;
        return ERR_UNINSTALLED;
    }
    if (!may_send(o, a->sender)) {
        return ERR_NOSUPPORT;
    }
    if (grant_ro_len(a->sender_kd, QUEUE_ALLOW_MESSAGE) < o->msg_size) {
        return ERR_SIZE;
    }
    if (o->count < o->depth) {
        if (o->held_for != 0) {
            a->must_refill = true;
            return ERR_OK;
        }
        a->notify_bits = o->notify_bits;
        if (o->is_armed && o->count == 0 && hand_over(o, kd, a->sender_kd, a->sender)) {
            return ERR_OK;
        }
        err_t err = push(o, a->sender_kd, a->sender);
        if (err != ERR_OK) {
            a->notify_bits = 0;
            return err;
        }
        deliver_if_armed(o, kd);
        return ERR_OK;
    }
    if (a->wait == 0) {
        return ERR_NOMEM; /* full */
    }
    if (o->held_for != UINT8_MAX) {
        o->held_for++;
    }
    a->is_held = true;
    return ERR_OK;
}

static err_t send_in_sender(void *data, struct grant_kernel_data *kd, void *ctx)
{
    struct queue_app *s = data;
    struct send_args *a = ctx;
    if (s->send.is_held || has_uncollected(kd, QUEUE_SUB_SENT)) {
        return ERR_ALREADY;
    }
    a->sender_kd = kd;
    err_t err = grant_enter_existing(&a->q->grant, a->peer.pid, send_in_owner, a);
    if (err == ERR_NODEVICE) {
        a->reason = IPC_NOT_SERVING; /* live, but it never created anything */
        return ERR_UNINSTALLED;
    }
    if (err != ERR_OK || !a->is_held) {
        return err;
    }
    struct ipc_queue *q = a->q;
    s->send = (struct held_send){ .owner = a->peer.pid, .ticket = q->next_ticket++,
                                  .endpoint = (uint8_t)a->peer.endpoint, .is_held = true,
                                  .has_deadline = a->wait != IPC_QUEUE_FOREVER };
    if (s->send.has_deadline) {
        s->send.deadline_ref = ipc_msg_now(q->msg);
        s->send.deadline_dt = ipc_msg_ms_to_ticks(q->msg, a->wait);
    }
    return ERR_OK;
}

static struct syscall_return do_send(struct ipc_queue *q, struct process_id sender, uint32_t desc,
                                     uint32_t wait)
{
    struct send_args a = { .q = q, .sender = sender, .wait = wait };
    if (ipc_name_peer(q->names, sender, desc, &a.peer) != ERR_OK ||
        process_id_equal(a.peer.pid, sender)) {
        return syscall_failure(ERR_INVAL); /* (a process does not send to its own queue) */
    }
    if (ipc_peer_state(q->kernel, a.peer.pid) != IPC_DESC_LIVE) {
        return syscall_failure_u32(ERR_UNINSTALLED, ipc_gone_reason(q->kernel, a.peer.pid));
    }
    err_t err = grant_enter(&q->grant, sender, send_in_sender, &a);
    if (err == ERR_OK && a.must_refill) {
        refill(q, a.peer.pid);
        a.must_refill = false;
        err = grant_enter(&q->grant, sender, send_in_sender, &a);
    }
    if (err == ERR_UNINSTALLED) {
        return syscall_failure_u32(err, a.reason);
    }
    if (err != ERR_OK) {
        return syscall_failure(err);
    }
    if (a.must_refill) {
        /* Still stale after a refill (cannot happen: refill leaves held_for exact or the
         * queue full); refuse rather than loop. */
        return syscall_failure(ERR_BUSY);
    }
    notify_owner(q, a.peer.pid, a.notify_bits);
    if (a.is_held && wait != IPC_QUEUE_FOREVER) {
        ipc_msg_deadlines_changed(q->msg);
    }
    return syscall_success_u32(a.is_held ? 1u : 0u);
}

static err_t cancel_in_sender(void *data, struct grant_kernel_data *kd, void *ctx)
{
    (void)ctx;
    struct queue_app *s = data;
    if (!s->send.is_held) {
        return ERR_INVAL;
    }
    finish_send(s, kd, ERR_CANCEL, IPC_CANCELLED);
    return ERR_OK;
}

/* ---- the owner: CREATE, DESTROY, GRANT_SEND, NOTIFY, RECV ---- */

struct owner_args {
    struct ipc_queue *q;
    uint32_t arg0;
    uint32_t arg1;
    struct process_id pid;   /* GRANT_SEND: the peer */
    bool is_any;
    uint32_t badge;          /* RECV results */
    uint32_t left;
    bool must_refill;
    bool has_deadline;
};

static err_t create_in(void *data, struct grant_kernel_data *kd, void *ctx)
{
    (void)kd;
    struct queue_app *o = data;
    const struct owner_args *a = ctx;
    uint32_t msg_size = a->arg1 & 0xFFFFu;
    uint32_t depth = a->arg1 >> 16;
    if (a->arg0 >= IPC_MAX_ENDPOINTS || msg_size == 0 || depth == 0) {
        return ERR_INVAL;
    }
    if (o->has_queue) {
        return ERR_ALREADY;
    }
    if (depth > UINT8_MAX || depth * stride_words(msg_size) > RING_WORDS) {
        return ERR_NOMEM; /* the ring in the grant is IPC_QUEUE_STORAGE bytes */
    }
    o->has_queue = true;
    o->endpoint = (uint8_t)a->arg0;
    o->msg_size = (uint16_t)msg_size;
    o->depth = (uint8_t)depth;
    o->head = 0;
    o->count = 0;
    o->held_for = 0;
    return ERR_OK;
}

static err_t destroy_in(void *data, struct grant_kernel_data *kd, void *ctx)
{
    (void)ctx;
    struct queue_app *o = data;
    if (!o->has_queue) {
        return ERR_INVAL;
    }
    if (o->is_armed) {
        finish_recv(o, kd, ERR_CANCEL, 0, IPC_CANCELLED);
    }
    o->has_queue = false;
    o->count = 0;
    o->held_for = 0;
    return ERR_OK;
}

struct fail_args {
    struct process_id owner;
    err_t status;
    uint32_t reason;
};

static void fail_held_for(struct process_id pid, void *data, struct grant_kernel_data *kd,
                          void *ctx)
{
    (void)pid;
    struct queue_app *s = data;
    const struct fail_args *f = ctx;
    if (s->send.is_held && process_id_equal(s->send.owner, f->owner)) {
        finish_send(s, kd, f->status, f->reason);
    }
}

static err_t grant_send_in(void *data, struct grant_kernel_data *kd, void *ctx)
{
    (void)kd;
    struct queue_app *o = data;
    const struct owner_args *a = ctx;
    bool on = a->arg1 != 0;
    struct sender_right *free_entry = NULL;
    for (uint32_t i = 0; i < IPC_QUEUE_MAX_SENDERS; i++) {
        struct sender_right *r = &o->rights[i];
        if (r->is_used && r->is_any == a->is_any &&
            (a->is_any || process_id_equal(r->pid, a->pid))) {
            r->is_used = on;
            return ERR_OK;
        }
        if (r->is_used && !r->is_any && ipc_peer_state(a->q->kernel, r->pid) != IPC_DESC_LIVE) {
            r->is_used = false; /* a gone instance's right can never be used again */
        }
        if (!r->is_used && free_entry == NULL) {
            free_entry = r;
        }
    }
    if (!on) {
        return ERR_OK;
    }
    if (free_entry == NULL) {
        return ERR_NOMEM;
    }
    *free_entry = (struct sender_right){ .pid = a->pid, .is_used = true, .is_any = a->is_any };
    return ERR_OK;
}

static err_t notify_in(void *data, struct grant_kernel_data *kd, void *ctx)
{
    (void)kd;
    struct queue_app *o = data;
    const struct owner_args *a = ctx;
    o->notify_bits = a->arg0;
    return ERR_OK;
}

static err_t recv_in(void *data, struct grant_kernel_data *kd, void *ctx)
{
    struct queue_app *o = data;
    struct owner_args *a = ctx;
    uint32_t wait = a->arg0;
    if (!o->has_queue) {
        return ERR_INVAL;
    }
    if (o->is_armed || has_uncollected(kd, QUEUE_SUB_RECEIVED)) {
        return ERR_ALREADY;
    }
    if (grant_rw_len(kd, QUEUE_ALLOW_RECV_BUF) < o->msg_size) {
        return ERR_SIZE;
    }
    a->must_refill = o->held_for != 0;
    if (o->count > 0) {
        err_t err = pop(o, kd, &a->badge);
        a->left = o->count;
        return err;
    }
    if (wait == 0) {
        return ERR_BUSY; /* empty */
    }
    o->is_armed = true;
    o->recv_has_deadline = wait != IPC_QUEUE_FOREVER;
    if (o->recv_has_deadline) {
        o->recv_ref = ipc_msg_now(a->q->msg);
        o->recv_dt = ipc_msg_ms_to_ticks(a->q->msg, wait);
        a->has_deadline = true;
    }
    a->badge = 0;
    a->left = 0;
    return ERR_OK;
}

static struct syscall_return do_recv(struct ipc_queue *q, struct process_id owner, uint32_t wait)
{
    struct owner_args a = { .q = q, .arg0 = wait };
    err_t err = grant_enter(&q->grant, owner, recv_in, &a);
    if (err != ERR_OK) {
        return syscall_failure(err);
    }
    if (a.must_refill) {
        refill(q, owner); /* room now: the oldest held SEND moves in (and to an armed owner) */
    }
    if (a.has_deadline) {
        ipc_msg_deadlines_changed(q->msg);
    }
    return syscall_success_2u32(a.badge, a.left);
}

static struct syscall_return do_grant_send(struct ipc_queue *q, struct process_id owner,
                                           uint32_t desc, uint32_t on)
{
    struct owner_args a = { .q = q, .arg1 = on, .is_any = desc == 0 };
    if (desc != 0) {
        struct ipc_peer peer;
        if (ipc_name_peer(q->names, owner, desc, &peer) != ERR_OK) {
            return syscall_failure(ERR_INVAL);
        }
        a.pid = peer.pid;
    }
    return syscall_from_err(grant_enter(&q->grant, owner, grant_send_in, &a));
}

static struct syscall_return do_destroy(struct ipc_queue *q, struct process_id owner)
{
    err_t err = grant_enter(&q->grant, owner, destroy_in, NULL);
    if (err != ERR_OK) {
        return syscall_failure(err);
    }
    struct fail_args f = { .owner = owner, .status = ERR_UNINSTALLED, .reason = IPC_NOT_SERVING };
    grant_each(&q->grant, fail_held_for, &f);
    return syscall_success();
}

/* The owner's commands other than RECV. */
static struct syscall_return owner_command(struct ipc_queue *q, uint32_t command, uint32_t arg0,
                                           uint32_t arg1, struct process_id pid)
{
    struct owner_args a = { .q = q, .arg0 = arg0, .arg1 = arg1 };
    switch (command) {
    case QUEUE_CMD_EXISTS:
        return syscall_success();
    case QUEUE_CMD_CANCEL:
        return syscall_from_err(grant_enter(&q->grant, pid, cancel_in_sender, NULL));
    case QUEUE_CMD_CREATE:
        return syscall_from_err(grant_enter(&q->grant, pid, create_in, &a));
    case QUEUE_CMD_DESTROY:
        return do_destroy(q, pid);
    case QUEUE_CMD_GRANT_SEND:
        return do_grant_send(q, pid, arg0, arg1);
    case QUEUE_CMD_NOTIFY:
        return syscall_from_err(grant_enter(&q->grant, pid, notify_in, &a));
    default:
        return syscall_failure(ERR_NOSUPPORT);
    }
}

/* SEND and RECV, the message path, reply from their own functions (no argument struct built for
 * the others). */
static void ipc_queue_command(struct syscall_driver *driver, uint32_t *regs, struct process_id pid)
{
    struct ipc_queue *q = CONTAINER_OF(driver, struct ipc_queue, driver);
    uint32_t command = regs[1];
    if (command == QUEUE_CMD_SEND) {
        syscall_reply(regs, do_send(q, pid, regs[2], regs[3]));
    } else if (command == QUEUE_CMD_RECV) {
        syscall_reply(regs, do_recv(q, pid, regs[2]));
    } else {
        syscall_reply(regs, owner_command(q, command, regs[2], regs[3], pid));
    }
}

/* ---- deadlines, on the message IPC's alarm ---- */

static void scan_app(struct process_id pid, void *data, struct grant_kernel_data *kd, void *ctx)
{
    (void)pid;
    (void)kd;
    const struct queue_app *app = data;
    struct ipc_deadline_scan *s = ctx;
    if (app->send.is_held && app->send.has_deadline) {
        ipc_deadline_consider(s, app->send.deadline_ref, app->send.deadline_dt);
    }
    if (app->is_armed && app->recv_has_deadline) {
        ipc_deadline_consider(s, app->recv_ref, app->recv_dt);
    }
}

static bool deadlines_next(struct ipc_msg_deadlines *d, ticks_t now, ticks_t *remaining)
{
    struct ipc_queue *q = CONTAINER_OF(d, struct ipc_queue, deadlines);
    struct ipc_deadline_scan s = { .now = now };
    grant_each(&q->grant, scan_app, &s);
    *remaining = s.next;
    return s.has_next;
}

static void expire_app(struct process_id pid, void *data, struct grant_kernel_data *kd,
                       void *ctx)
{
    (void)pid;
    struct queue_app *app = data;
    const struct ipc_deadline_scan *s = ctx;
    if (app->send.is_held && app->send.has_deadline &&
        hil_alarm_has_expired(app->send.deadline_ref, app->send.deadline_dt, s->now)) {
        finish_send(app, kd, ERR_CANCEL, IPC_TIMEOUT);
    }
    if (app->is_armed && app->recv_has_deadline &&
        hil_alarm_has_expired(app->recv_ref, app->recv_dt, s->now)) {
        finish_recv(app, kd, ERR_CANCEL, 0, IPC_TIMEOUT);
    }
}

static void deadlines_expire(struct ipc_msg_deadlines *d, ticks_t now)
{
    struct ipc_queue *q = CONTAINER_OF(d, struct ipc_queue, deadlines);
    struct ipc_deadline_scan s = { .now = now };
    grant_each(&q->grant, expire_app, &s);
}

/* ---- process exit: SENDs held for a gone owner end with UNINSTALLED ---- */

static void reap_app(struct process_id pid, void *data, struct grant_kernel_data *kd, void *ctx)
{
    (void)pid;
    struct queue_app *s = data;
    struct ipc_queue *q = ctx;
    if (s->send.is_held && ipc_peer_state(q->kernel, s->send.owner) != IPC_DESC_LIVE) {
        finish_send(s, kd, ERR_UNINSTALLED, ipc_gone_reason(q->kernel, s->send.owner));
    }
}

/* By the time this runs a restarting owner runs again, which tells RESTARTED from DEAD. */
static void reap(void *ctx)
{
    struct ipc_queue *q = ctx;
    grant_each(&q->grant, reap_app, q);
}

static void process_exited(struct process_exit_hook *hook, struct process_id pid)
{
    (void)pid; /* its grant is gone: its ring, its held SEND and its armed RECV went with it */
    struct ipc_queue *q = CONTAINER_OF(hook, struct ipc_queue, exit_hook);
    deferred_call_set(&q->deaths);
}

/* ---- diagnostics ---- */

uint32_t ipc_queue_held_for(struct ipc_queue *q, struct process_id owner)
{
    struct oldest f = { .owner = owner };
    grant_each(&q->grant, find_oldest, &f);
    return f.held;
}

static const struct syscall_driver_ops ipc_queue_ops = { .command = ipc_queue_command };
static const struct ipc_msg_deadlines_ops ipc_queue_deadline_ops = {
    .next = deadlines_next,
    .expire = deadlines_expire,
};

err_t ipc_queue_init(struct ipc_queue *q, struct kernel *k, struct ipc_name *names,
                     struct ipc_msg *msg)
{
    /* Field by field, not a compound literal: q is a board static (zero from reset), and
     * boot is a measured figure (a literal of this size costs a memset of it). */
    q->driver.ops = &ipc_queue_ops;
    q->driver.grant = &q->grant;
    q->driver.shares_read_write = false;
    q->kernel = k;
    q->names = names;
    q->msg = msg;
    q->deadlines.ops = &ipc_queue_deadline_ops;
    q->exit_hook.on_exit = process_exited;
    q->exit_hook.node.next = NULL;
    q->next_ticket = 0;
    const struct grant_config config = {
        .driver_num = KERNEL_IPC_QUEUE_DRIVER_NUM,
        .data_size = sizeof(struct queue_app),
        .data_align = _Alignof(struct queue_app),
        .upcalls = QUEUE_SUBSCRIBES,
        .latched_upcalls = (1u << QUEUE_SUBSCRIBES) - 1u, /* SENT and RECEIVED: exactly once */
        .read_only = QUEUE_ALLOW_SLOTS,
        .read_write = QUEUE_ALLOW_SLOTS,
        .userspace_readable = 0,
    };
    err_t err = grant_create(&q->grant, k, &config);
    if (err != ERR_OK) {
        return err;
    }
    err = deferred_call_register(&q->deaths, reap, q);
    if (err != ERR_OK) {
        return err;
    }
    ipc_msg_share_alarm(msg, &q->deadlines);
    kernel_add_exit_hook(k, &q->exit_hook);
    return ERR_OK;
}
