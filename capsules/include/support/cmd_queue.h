/* SPDX-License-Identifier: Apache-2.0 OR MIT */
/*
 * Driver command queue: several processes share one driver, one request each, in arrival order.
 *
 * A syscall driver whose hardware can run one operation at a time hands each operation command
 * to cmd_queue_submit instead of answering BUSY. The queue keeps at most one outstanding request
 * per process, starts requests one at a time in the order they arrived (tickets, not slot order,
 * so no process can starve another), and calls the driver's start() from the kernel loop --
 * never inside submit, so a driver may submit from inside grant_enter and start() may enter the
 * grant of the process it starts. The driver calls cmd_queue_done when that operation is over
 * and its hardware is idle; the next request starts in a later kernel-loop round.
 *
 * Sessions: a multi-command protocol (HMAC update ... finish, an SPI transaction with chip select
 * held) may keep the driver for its process between commands. While the session is open, only
 * that process's commands start. When the session has been idle (no operation running) for
 * session_idle_ticks it is cancelled: the driver's abort() drops the session state, the driver
 * goes to the next process, and the cancelled process's next submit gets ERR_CANCEL. Idleness
 * is checked by cmd_queue_tick (the board calls it from a periodic alarm) and whenever the queue
 * runs, for example because another process submitted.
 *
 * Process death: the queue's exit hook, which the board registers with kernel_add_exit_hook,
 * forgets a dead process's queued request and, if the process owned the driver, calls abort().
 * If an operation was running, the next request starts only after the driver's cmd_queue_done
 * for it, so the hardware is idle before another process's request begins; the result of the
 * dead request is the driver's to discard (grant_enter for the dead identity fails).
 *
 * Per-process state lives in a caller-declared array in kernel RAM, indexed by process slot
 * (doc/reference/002-kernel-mutex-and-command-queue.md gives the reasons it is not in a grant).
 *
 * Usage (board):
 *     static const struct cmd_queue_config hmac_queue_config = {
 *         .now = board_ticks, .session_idle_ticks = 5 * BOARD_TICKS_PER_SECOND};
 *     static struct cmd_queue_entry hmac_queue_entries[ARRAY_LEN(processes)];
 *     boot_check(hmac_init(&hmac, ..., &hmac_queue_config, hmac_queue_entries,
 *                          ARRAY_LEN(hmac_queue_entries)), "hmac");  // calls cmd_queue_init
 *     kernel_add_exit_hook(&kernel, &hmac.queue.exit_hook);  // after kernel_init
 * Usage (driver): embed `struct cmd_queue queue`; in command(): return cmd_queue_submit(...)'s
 *     result; in start(): begin the operation (cmd_queue_session_begin for a protocol's first
 *     command); on completion: upcall, then cmd_queue_done(&drv->queue).
 *
 * Invariants: kernel loop only. owner != CMD_QUEUE_NO_OWNER exactly when a live process has the
 * driver: its entry is RUNNING (is_running), SESSION_IDLE or QUEUED (a session's next command,
 * is_session). is_running with no owner means the owner died mid-operation and done() is due.
 * No entry other than the owner's is RUNNING or SESSION_IDLE. A QUEUED entry's ticket is unique
 * among QUEUED entries and they were submitted in ticket order.
 */
#pragma once

#include <stdbool.h>
#include <stdint.h>

#include "errorcode.h"
#include "kernel/deferred_call.h"
#include "kernel/exit_hook.h"
#include "kernel/process_id.h"

#define CMD_QUEUE_NO_OWNER UINT32_MAX

/* The arguments of the Command syscall that asked for the operation. */
struct cmd_queue_command {
    uint32_t command_num;
    uint32_t arg0;
    uint32_t arg1;
};

enum cmd_queue_entry_state {
    CMD_QUEUE_IDLE,
    CMD_QUEUE_QUEUED,       /* waiting to start */
    CMD_QUEUE_RUNNING,      /* start() called; cmd_queue_done() due */
    CMD_QUEUE_SESSION_IDLE, /* holds the driver between the commands of its session */
    CMD_QUEUE_CANCELLED,    /* its session expired; its next submit gets ERR_CANCEL */
};

/* One per process slot, in kernel RAM. */
struct cmd_queue_entry {
    struct process_id pid;
    struct cmd_queue_command command;
    uint32_t ticket;
    enum cmd_queue_entry_state state;
};

enum cmd_queue_abort_reason {
    CMD_QUEUE_ABORT_EXITED,          /* the process died or restarted */
    CMD_QUEUE_ABORT_SESSION_EXPIRED, /* its session was idle too long (no operation running) */
};

struct cmd_queue;

struct cmd_queue_ops {
    /**
     * Begin `command` for `pid`. Kernel loop, never inside a cmd_queue call. The driver now owns
     * the request: it reports the outcome to the process (success or failure) and then calls
     * cmd_queue_done() exactly once, possibly inside this call. `command` stays valid until then.
     */
    void (*start)(struct cmd_queue *queue, struct process_id pid,
                  const struct cmd_queue_command *command);
    /**
     * `pid` no longer owns the driver. EXITED: stop or let finish any operation on the hardware
     * for it, discard its result, and call cmd_queue_done() once the hardware is idle (possibly
     * inside this call); it runs inside the exit hook, so it must not schedule upcalls to pid.
     * Both reasons: forget pid's session state. No cmd_queue_done() is due when nothing was
     * running (a session between commands).
     */
    void (*abort)(struct cmd_queue *queue, struct process_id pid,
                  enum cmd_queue_abort_reason reason);
};

struct cmd_queue_config {
    uint32_t (*now)(void *ctx); /* mandatory: free-running ticks, wrapping modulo 2^32 */
    void *clock_ctx;
    uint32_t session_idle_ticks; /* 0: the driver has no sessions */
};

struct cmd_queue {
    const struct cmd_queue_ops *ops;
    const struct cmd_queue_config *config;
    struct cmd_queue_entry *entries; /* [process slot] */
    uint32_t entry_count;
    struct process_exit_hook exit_hook; /* the board registers it */
    struct deferred_call kick;          /* starts the next request */
    uint32_t next_ticket;
    uint32_t owner;      /* entry index, or CMD_QUEUE_NO_OWNER */
    uint32_t idle_since; /* clock when the owner's session last went idle */
    bool is_running;     /* start() called, cmd_queue_done() due */
    bool is_session;     /* the owner keeps the driver between commands */
    uint32_t started;          /* statistics */
    uint32_t sessions_expired; /* statistics */
};

/**
 * Boot: set up `queue` with `entry_count` entries (the board's process slot count) and register
 * its deferred call. The board must then pass &queue->exit_hook to kernel_add_exit_hook.
 * Returns ERR_NOMEM (no deferred-call slot), ERR_INVAL (entry_count is 0) or ERR_OK.
 */
MUST_CHECK err_t cmd_queue_init(struct cmd_queue *queue, const struct cmd_queue_ops *ops,
                                const struct cmd_queue_config *config,
                                struct cmd_queue_entry *entries, uint32_t entry_count);

/**
 * Queue `command` for `pid`. Kernel loop only; never calls back (start() comes later).
 * Returns ERR_OK: start() follows, in arrival order (at once after the current owner's session
 * command, if pid owns the driver). ERR_ALREADY: pid has a request queued or running.
 * ERR_CANCEL: pid's session expired since its last command; nothing is queued (reported once;
 * the next submit is queued normally). ERR_INVAL: `pid` is not the identity its slot's request
 * belongs to (a stale identity). ERR_NOMEM: pid's slot is beyond the entry array.
 * Never ERR_BUSY.
 */
MUST_CHECK err_t cmd_queue_submit(struct cmd_queue *queue, struct process_id pid,
                                  const struct cmd_queue_command *command);

/**
 * The running operation is over and the hardware is idle. The owner keeps the driver if it has
 * a session, else the next request starts from the kernel loop. A call with nothing running is
 * ignored.
 */
void cmd_queue_done(struct cmd_queue *queue);

/**
 * Keep the driver for `pid` after its running operation, until cmd_queue_session_end or an idle
 * gap longer than session_idle_ticks. Returns ERR_OK, ERR_ALREADY (a session is open),
 * ERR_INVAL (pid does not own the driver) or ERR_NOSUPPORT (session_idle_ticks is 0).
 */
MUST_CHECK err_t cmd_queue_session_begin(struct cmd_queue *queue, struct process_id pid);

/* Close pid's session; the driver goes to the next request once pid's operation is done.
 * Ignored unless pid owns the driver. */
void cmd_queue_session_end(struct cmd_queue *queue, struct process_id pid);

/* Cancel the session if it has been idle too long (calls abort(SESSION_EXPIRED)). Boards call
 * this from a periodic alarm; the timeout is honoured to within that period. */
void cmd_queue_tick(struct cmd_queue *queue);
