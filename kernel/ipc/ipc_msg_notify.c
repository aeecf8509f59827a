/* SPDX-License-Identifier: Apache-2.0 OR MIT */
/*
 * IPC messaging, notification half (see ipc_msg.h): POST, POST_BADGE, GRANT_POST, SET_TIMER,
 * WATCH, and the one alarm that serves every call deadline, timer and delivery retry.
 *
 * A process's notification word lives in its own grant. POST ORs bits into it, only bits the
 * target granted to the poster (or to everyone); delivery is the target's RECV event
 * (0, bits, 0) when it is armed with a matching mask, so any number of posts costs the target
 * at most one queued upcall. Kernel-originated bits (timers, watches) skip the rights check.
 *
 * Usage: linked with ipc_msg.c; see ipc_msg.h.
 *
 * Invariants: after every command, alarm callback and reap, the alarm is armed for the earliest
 * of outstanding calls' deadlines and timers, or disarmed when there is none (rescanned
 * whenever one was added).
 */
#include "ipc_msg_core.h"

#include "container.h"

#include <stddef.h>

ticks_t ipc_msg_ms_to_ticks(struct ipc_msg *m, uint32_t ms)
{
    uint64_t ticks = (uint64_t)ms * hil_alarm_frequency(m->alarm) / 1000u;
    if (ticks == 0) {
        ticks = 1;
    }
    return ticks > 0xFFFFFFFEu ? 0xFFFFFFFEu : (ticks_t)ticks;
}

/* ---- POST / POST_BADGE ---- */

struct post_args {
    struct process_id poster;
    uint32_t bits;
    bool is_kernel; /* timers and watches: no rights needed */
};

static err_t post_in_target(void *data, struct grant_kernel_data *kd, void *ctx)
{
    (void)kd;
    struct ipc_msg_app *app = data;
    const struct post_args *args = ctx;
    if (!args->is_kernel) {
        uint32_t allowed = 0;
        for (uint32_t i = 0; i < IPC_MAX_POSTERS; i++) {
            const struct poster *p = &app->posters[i];
            if (p->is_used && (p->is_any || process_id_equal(p->pid, args->poster))) {
                allowed |= p->bits;
            }
        }
        if ((args->bits & ~allowed) != 0) {
            return ERR_NOSUPPORT; /* the target is left exactly as it was */
        }
    }
    app->notifications |= args->bits;
    return ERR_OK;
}

static struct syscall_return post_to(struct ipc_msg *m, struct post_args args,
                                     struct process_id target)
{
    err_t err = ipc_msg_enter_existing(m, target, post_in_target, &args);
    if (err == ERR_NODEVICE) {
        return syscall_failure(ERR_NOSUPPORT); /* the target never granted anything */
    }
    if (err != ERR_OK) {
        return syscall_failure(err);
    }
    (void)ipc_msg_service_receiver(m, target);
    return syscall_success();
}

uint32_t ipc_gone_reason(struct kernel *k, struct process_id pid)
{
    return ipc_peer_state(k, pid) == IPC_DESC_RESTARTED ? IPC_PEER_RESTARTED : IPC_PEER_DEAD;
}

static struct syscall_return gone(struct kernel *k, struct process_id pid)
{
    return syscall_failure_u32(ERR_UNINSTALLED, ipc_gone_reason(k, pid));
}

static struct syscall_return do_post(struct ipc_msg *m, struct process_id poster, uint32_t desc,
                                     uint32_t bits)
{
    struct ipc_peer peer;
    if (ipc_name_peer(m->names, poster, desc, &peer) != ERR_OK) {
        return syscall_failure(ERR_INVAL);
    }
    if (ipc_peer_state(m->kernel, peer.pid) != IPC_DESC_LIVE) {
        return gone(m->kernel, peer.pid);
    }
    return post_to(m, (struct post_args){ .poster = poster, .bits = bits }, peer.pid);
}

static struct syscall_return do_post_badge(struct ipc_msg *m, struct process_id poster,
                                           uint32_t badge, uint32_t bits)
{
    uint32_t slot = badge & 0xFFu;
    if (badge == 0 || slot >= m->kernel->config.process_count) {
        return syscall_failure(ERR_INVAL);
    }
    const struct process *p = &m->kernel->config.processes[slot];
    if (!process_is_alive(p)) {
        return syscall_failure_u32(ERR_UNINSTALLED, IPC_PEER_DEAD);
    }
    if (ipc_badge(p->pid) != badge) {
        return syscall_failure_u32(ERR_UNINSTALLED, IPC_PEER_RESTARTED);
    }
    return post_to(m, (struct post_args){ .poster = poster, .bits = bits }, p->pid);
}

/* ---- GRANT_POST / WATCH: small tables in the caller's grant ---- */

struct entry_args {
    bool is_any;
    struct process_id pid;
    uint32_t bits;
};

static err_t grant_post_in(void *data, struct grant_kernel_data *kd, void *ctx)
{
    (void)kd;
    struct ipc_msg_app *app = data;
    const struct entry_args *args = ctx;
    struct poster *free_entry = NULL;
    for (uint32_t i = 0; i < IPC_MAX_POSTERS; i++) {
        struct poster *p = &app->posters[i];
        if (p->is_used && p->is_any == args->is_any &&
            (args->is_any || process_id_equal(p->pid, args->pid))) {
            p->bits = args->bits;
            p->is_used = args->bits != 0;
            return ERR_OK;
        }
        if (!p->is_used && free_entry == NULL) {
            free_entry = p;
        }
    }
    if (args->bits == 0) {
        return ERR_OK;
    }
    if (free_entry == NULL) {
        return ERR_NOMEM;
    }
    *free_entry = (struct poster){ .is_used = true, .is_any = args->is_any, .pid = args->pid,
                                   .bits = args->bits };
    return ERR_OK;
}

static err_t watch_in(void *data, struct grant_kernel_data *kd, void *ctx)
{
    (void)kd;
    struct ipc_msg_app *app = data;
    const struct entry_args *args = ctx;
    struct watch *free_entry = NULL;
    for (uint32_t i = 0; i < IPC_MAX_WATCHES; i++) {
        struct watch *w = &app->watches[i];
        if (w->is_used && process_id_equal(w->pid, args->pid)) {
            w->bits = args->bits;
            w->is_used = args->bits != 0;
            return ERR_OK;
        }
        if (!w->is_used && free_entry == NULL) {
            free_entry = w;
        }
    }
    if (args->bits == 0) {
        return ERR_OK;
    }
    if (free_entry == NULL) {
        return ERR_NOMEM;
    }
    *free_entry = (struct watch){ .is_used = true, .pid = args->pid, .bits = args->bits };
    return ERR_OK;
}

static struct syscall_return do_grant_post(struct ipc_msg *m, struct process_id caller,
                                           uint32_t desc, uint32_t bits)
{
    struct entry_args args = { .is_any = desc == 0, .bits = bits };
    if (desc != 0) {
        struct ipc_peer peer;
        if (ipc_name_peer(m->names, caller, desc, &peer) != ERR_OK) {
            return syscall_failure(ERR_INVAL);
        }
        args.pid = peer.pid;
    }
    return syscall_from_err(grant_enter(&m->grant, caller, grant_post_in, &args));
}

static struct syscall_return do_watch(struct ipc_msg *m, struct process_id caller, uint32_t desc,
                                      uint32_t bits)
{
    struct ipc_peer peer;
    if (ipc_name_peer(m->names, caller, desc, &peer) != ERR_OK) {
        return syscall_failure(ERR_INVAL);
    }
    if (bits != 0 && ipc_peer_state(m->kernel, peer.pid) != IPC_DESC_LIVE) {
        /* Already gone: the watch fires at once. */
        return post_to(m, (struct post_args){ .poster = caller, .bits = bits, .is_kernel = true },
                       caller);
    }
    struct entry_args args = { .pid = peer.pid, .bits = bits };
    return syscall_from_err(grant_enter(&m->grant, caller, watch_in, &args));
}

void ipc_msg_reap_gone_peers(struct ipc_msg *m, struct ipc_msg_app *app,
                             struct grant_kernel_data *kd)
{
    /* Posting rights of a gone instance can never be used again (ids are not reused) and,
     * once the granter's descriptor is re-resolved, never revoked either: drop them. */
    for (uint32_t i = 0; i < IPC_MAX_POSTERS; i++) {
        struct poster *p = &app->posters[i];
        if (p->is_used && !p->is_any && ipc_peer_state(m->kernel, p->pid) != IPC_DESC_LIVE) {
            p->is_used = false;
        }
    }
    bool fired = false;
    for (uint32_t i = 0; i < IPC_MAX_WATCHES; i++) {
        struct watch *w = &app->watches[i];
        if (w->is_used && ipc_peer_state(m->kernel, w->pid) != IPC_DESC_LIVE) {
            app->notifications |= w->bits;
            w->is_used = false;
            fired = true;
        }
    }
    if (fired) {
        (void)ipc_msg_notify_in(m, app, kd);
    }
}

/* ---- SET_TIMER ---- */

struct timer_args {
    struct ipc_msg *m;
    uint32_t ms;
    uint32_t bits;
};

static err_t set_timer_in(void *data, struct grant_kernel_data *kd, void *ctx)
{
    (void)kd;
    struct ipc_msg_app *app = data;
    const struct timer_args *args = ctx;
    app->has_timer = args->ms != 0 && args->bits != 0;
    if (app->has_timer) {
        app->timer_ref = hil_alarm_now(args->m->alarm);
        app->timer_dt = ipc_msg_ms_to_ticks(args->m, args->ms);
        app->timer_bits = args->bits;
        args->m->is_timer_dirty = true;
    }
    return ERR_OK;
}

struct syscall_return ipc_msg_notify_command(struct ipc_msg *m, uint32_t command, uint32_t arg0,
                                             uint32_t arg1, struct process_id pid)
{
    switch (command) {
    case IPC_MSG_CMD_POST:
        return do_post(m, pid, arg0, arg1);
    case IPC_MSG_CMD_POST_BADGE:
        return do_post_badge(m, pid, arg0, arg1);
    case IPC_MSG_CMD_GRANT_POST:
        return do_grant_post(m, pid, arg0, arg1);
    case IPC_MSG_CMD_SET_TIMER: {
        struct timer_args args = { .m = m, .ms = arg0, .bits = arg1 };
        return syscall_from_err(grant_enter(&m->grant, pid, set_timer_in, &args));
    }
    case IPC_MSG_CMD_WATCH:
        return do_watch(m, pid, arg0, arg1);
    default:
        return syscall_failure(ERR_NOSUPPORT);
    }
}

/* ---- the alarm ---- */

struct scan {
    struct ipc_msg *m;
    struct ipc_deadline_scan d;
};

void ipc_deadline_consider(struct ipc_deadline_scan *s, ticks_t reference, ticks_t dt)
{
    ticks_t elapsed = s->now - reference;
    ticks_t remaining = elapsed >= dt ? 0 : dt - elapsed;
    if (!s->has_next || remaining < s->next) {
        s->has_next = true;
        s->next = remaining;
    }
}

static void scan_app(struct process_id pid, void *data, struct grant_kernel_data *kd, void *ctx)
{
    (void)pid;
    (void)kd;
    const struct ipc_msg_app *app = data;
    struct scan *s = ctx;
    if (app->call.state != CALL_IDLE && app->call.has_deadline) {
        ipc_deadline_consider(&s->d, app->call.deadline_ref, app->call.deadline_dt);
    }
    if (app->has_timer) {
        ipc_deadline_consider(&s->d, app->timer_ref, app->timer_dt);
    }
}

static void rearm(struct ipc_msg *m)
{
    m->is_timer_dirty = false;
    struct scan s = { .m = m, .d = { .now = hil_alarm_now(m->alarm), .has_next = false } };
    grant_each(&m->grant, scan_app, &s);
    ticks_t other = 0;
    if (m->other_deadlines != NULL &&
        m->other_deadlines->ops->next(m->other_deadlines, s.d.now, &other)) {
        ipc_deadline_consider(&s.d, s.d.now, other);
    }
    if (!s.d.has_next) {
        err_t ignored = hil_alarm_disarm(m->alarm); /* always ERR_OK for a virtual alarm */
        (void)ignored;
        return;
    }
    hil_alarm_set(m->alarm, s.d.now, s.d.next);
}

void ipc_msg_rearm_if_dirty(struct ipc_msg *m)
{
    if (m->is_timer_dirty) {
        rearm(m);
    }
}

static void expire_app(struct process_id pid, void *data, struct grant_kernel_data *kd,
                       void *ctx)
{
    (void)pid;
    struct ipc_msg_app *app = data;
    struct scan *s = ctx;
    if (app->call.state != CALL_IDLE && app->call.has_deadline &&
        hil_alarm_has_expired(app->call.deadline_ref, app->call.deadline_dt, s->d.now)) {
        ipc_msg_fail_call(s->m, app, kd, IPC_TIMEOUT);
    }
    if (app->has_timer && hil_alarm_has_expired(app->timer_ref, app->timer_dt, s->d.now)) {
        app->has_timer = false;
        app->notifications |= app->timer_bits;
        (void)ipc_msg_notify_in(s->m, app, kd);
    }
}

void ipc_msg_alarm_fired(struct hil_alarm_client *client)
{
    struct ipc_msg *m = CONTAINER_OF(client, struct ipc_msg, alarm_client);
    struct scan s = { .m = m, .d = { .now = hil_alarm_now(m->alarm) } };
    grant_each(&m->grant, expire_app, &s);
    if (m->other_deadlines != NULL) {
        m->other_deadlines->ops->expire(m->other_deadlines, s.d.now);
    }
    rearm(m);
}

/* ---- the alarm and notifications, for the message queues (ipc_msg.h) ---- */

void ipc_msg_share_alarm(struct ipc_msg *m, struct ipc_msg_deadlines *d)
{
    m->other_deadlines = d;
}

void ipc_msg_deadlines_changed(struct ipc_msg *m)
{
    rearm(m);
}

ticks_t ipc_msg_now(struct ipc_msg *m)
{
    return hil_alarm_now(m->alarm);
}


err_t ipc_msg_post_from_kernel(struct ipc_msg *m, struct process_id target, uint32_t bits)
{
    struct post_args args = { .poster = target, .bits = bits, .is_kernel = true };
    err_t err = ipc_msg_enter_existing(m, target, post_in_target, &args);
    if (err == ERR_OK) {
        (void)ipc_msg_service_receiver(m, target);
        if (m->is_timer_dirty) { /* a delivery the full upcall queue refused needs a retry */
            rearm(m); /* (not ipc_msg_rearm_if_dirty: the commands keep it inlined) */
        }
    }
    return err;
}
