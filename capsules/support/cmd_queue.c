/* SPDX-License-Identifier: Apache-2.0 OR MIT */
/*
 * Driver command queue (see cmd_queue.h): per-slot entries, FIFO tickets, one deferred call.
 *
 * Every transition that may let a request start (submit, done, session end or expiry, a death)
 * sets the queue's deferred call; the deferred call starts at most one request per round, so a
 * driver that finishes inside start() does not recurse. The oldest request is found by scanning
 * the entries for the smallest ticket (at most one per process slot, so the scan is short and a
 * dead process cannot leave a dangling link behind).
 *
 * Usage: see cmd_queue.h.
 *
 * Invariants: see cmd_queue.h. Tickets are compared by serial-number arithmetic; at most
 * entry_count are outstanding, so the comparison is exact across the 32-bit wrap.
 */
#include "support/cmd_queue.h"

#include "container.h"

static uint32_t now(const struct cmd_queue *q)
{
    return q->config->now(q->config->clock_ctx);
}

/* True when ticket a was issued before ticket b (both outstanding). */
static bool is_earlier(uint32_t a, uint32_t b)
{
    return a != b && (uint32_t)(b - a) < 0x80000000u;
}

static uint32_t oldest_queued(const struct cmd_queue *q)
{
    uint32_t oldest = CMD_QUEUE_NO_OWNER;
    for (uint32_t i = 0; i < q->entry_count; i++) {
        const struct cmd_queue_entry *e = &q->entries[i];
        if (e->state == CMD_QUEUE_QUEUED &&
            (oldest == CMD_QUEUE_NO_OWNER || is_earlier(e->ticket, q->entries[oldest].ticket))) {
            oldest = i;
        }
    }
    return oldest;
}

/* The entry of the owning process, or NULL when the driver is free. */
static struct cmd_queue_entry *owner_entry(struct cmd_queue *q)
{
    return q->owner != CMD_QUEUE_NO_OWNER ? &q->entries[q->owner] : NULL;
}

static bool is_owner(struct cmd_queue *q, struct process_id pid)
{
    const struct cmd_queue_entry *e = owner_entry(q);
    return e != NULL && process_id_equal(e->pid, pid);
}

static void free_driver(struct cmd_queue *q)
{
    q->owner = CMD_QUEUE_NO_OWNER;
    q->is_session = false;
    deferred_call_set(&q->kick);
}

static void expire_idle_session(struct cmd_queue *q)
{
    struct cmd_queue_entry *e = owner_entry(q);
    if (e == NULL || e->state != CMD_QUEUE_SESSION_IDLE ||
        now(q) - q->idle_since < q->config->session_idle_ticks) {
        return;
    }
    e->state = CMD_QUEUE_CANCELLED;
    q->sessions_expired++;
    free_driver(q);
    q->ops->abort(q, e->pid, CMD_QUEUE_ABORT_SESSION_EXPIRED);
}

static void start_next(void *ctx)
{
    struct cmd_queue *q = ctx;
    expire_idle_session(q);
    if (q->is_running) {
        return;
    }
    uint32_t next = q->owner;
    if (next == CMD_QUEUE_NO_OWNER) {
        next = oldest_queued(q);
    } else if (q->entries[next].state != CMD_QUEUE_QUEUED) {
        return; /* the owner's session is between commands */
    }
    if (next == CMD_QUEUE_NO_OWNER) {
        return;
    }
    struct cmd_queue_entry *e = &q->entries[next];
    q->owner = next;
    q->is_running = true;
    q->started++;
    e->state = CMD_QUEUE_RUNNING;
    q->ops->start(q, e->pid, &e->command);
}

static void on_process_exit(struct process_exit_hook *hook, struct process_id pid)
{
    struct cmd_queue *q = CONTAINER_OF(hook, struct cmd_queue, exit_hook);
    if (pid.index >= q->entry_count) {
        return;
    }
    struct cmd_queue_entry *e = &q->entries[pid.index];
    if (e->state == CMD_QUEUE_IDLE || !process_id_equal(e->pid, pid)) {
        return;
    }
    e->state = CMD_QUEUE_IDLE;
    if (q->owner != pid.index) {
        return; /* queued or cancelled: nothing reached the driver */
    }
    free_driver(q); /* is_running stays set until the driver's done() */
    q->ops->abort(q, pid, CMD_QUEUE_ABORT_EXITED);
}

err_t cmd_queue_init(struct cmd_queue *q, const struct cmd_queue_ops *ops,
                     const struct cmd_queue_config *config, struct cmd_queue_entry *entries,
                     uint32_t entry_count)
{
    if (entry_count == 0 || entry_count == CMD_QUEUE_NO_OWNER) {
        return ERR_INVAL;
    }
    *q = (struct cmd_queue){
        .ops = ops,
        .config = config,
        .entries = entries,
        .entry_count = entry_count,
        .exit_hook = {.on_exit = on_process_exit, .node = {.next = NULL}},
        .next_ticket = 0,
        .owner = CMD_QUEUE_NO_OWNER,
        .idle_since = 0,
        .is_running = false,
        .is_session = false,
        .started = 0,
        .sessions_expired = 0,
    };
    for (uint32_t i = 0; i < entry_count; i++) {
        entries[i] = (struct cmd_queue_entry){.pid = {.index = i, .id = 0},
                                              .command = {0, 0, 0},
                                              .ticket = 0,
                                              .state = CMD_QUEUE_IDLE};
    }
    return deferred_call_register(&q->kick, start_next, q);
}

err_t cmd_queue_submit(struct cmd_queue *q, struct process_id pid,
                       const struct cmd_queue_command *command)
{
    if (pid.index >= q->entry_count) {
        return ERR_NOMEM;
    }
    struct cmd_queue_entry *e = &q->entries[pid.index];
    if (e->state != CMD_QUEUE_IDLE && !process_id_equal(e->pid, pid)) {
        return ERR_INVAL; /* the exit hook clears a dead instance's entry: pid is the stale one */
    }
    switch (e->state) {
    case CMD_QUEUE_CANCELLED:
        e->state = CMD_QUEUE_IDLE;
        return ERR_CANCEL;
    case CMD_QUEUE_QUEUED:
    case CMD_QUEUE_RUNNING:
        return ERR_ALREADY;
    case CMD_QUEUE_SESSION_IDLE:
        e->command = *command; /* the session's next command: starts before any ticket */
        e->state = CMD_QUEUE_QUEUED;
        deferred_call_set(&q->kick);
        return ERR_OK;
    case CMD_QUEUE_IDLE:
    default:
        e->pid = pid;
        e->command = *command;
        e->ticket = q->next_ticket++;
        e->state = CMD_QUEUE_QUEUED;
        deferred_call_set(&q->kick);
        return ERR_OK;
    }
}

void cmd_queue_done(struct cmd_queue *q)
{
    if (!q->is_running) {
        return;
    }
    q->is_running = false;
    struct cmd_queue_entry *e = owner_entry(q);
    if (e != NULL && q->is_session) {
        e->state = CMD_QUEUE_SESSION_IDLE;
        q->idle_since = now(q);
        return;
    }
    if (e != NULL) {
        e->state = CMD_QUEUE_IDLE;
    }
    free_driver(q);
}

err_t cmd_queue_session_begin(struct cmd_queue *q, struct process_id pid)
{
    if (q->config->session_idle_ticks == 0) {
        return ERR_NOSUPPORT;
    }
    if (!is_owner(q, pid)) {
        return ERR_INVAL;
    }
    if (q->is_session) {
        return ERR_ALREADY;
    }
    q->is_session = true;
    return ERR_OK;
}

void cmd_queue_session_end(struct cmd_queue *q, struct process_id pid)
{
    if (!is_owner(q, pid) || !q->is_session) {
        return;
    }
    q->is_session = false;
    struct cmd_queue_entry *e = owner_entry(q);
    if (e->state == CMD_QUEUE_SESSION_IDLE) {
        e->state = CMD_QUEUE_IDLE;
        free_driver(q);
    }
}

void cmd_queue_tick(struct cmd_queue *q)
{
    expire_idle_session(q);
}
