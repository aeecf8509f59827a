/* SPDX-License-Identifier: Apache-2.0 OR MIT */
/*
 * Queued-driver glue: the command-queue session alarm the crypto syscall drivers share.
 *
 * A syscall driver that runs one hardware operation at a time from a cmd_queue
 * (capsules/support/cmd_queue.h) and lets a process keep the driver between commands (a session) needs the
 * same few steps around its own logic: a session that goes idle must expire after the queue's
 * session_idle_ticks even when nothing else happens, so an alarm is armed for that moment while
 * the session is idle, and cmd_queue_tick runs when it fires; a finished command hands the queue
 * on and re-arms that alarm; a protocol's first command opens the session, and one already open
 * is fine. struct queued_driver holds that alarm and the driver's queue and does those steps, so
 * aes.c and digest_driver.c keep only what differs (their commands, grants and hardware).
 *
 * Usage (driver; aes.c and digest_driver.c do this):
 *     struct foo_driver { ...; struct cmd_queue queue; struct queued_driver queued; ... };
 *     in _init:  err = queued_driver_init(&d->queued, session_alarm, &d->queue, &foo_queue_ops,
 *                                          queue_config, entries, entry_count);
 *     in start(), for the first command of a session:
 *                err = queued_driver_session_begin(&d->queued, pid);
 *     on completion (upcall sent, unit idle): queued_driver_done(&d->queued);
 *     after copying secrets through a staging buffer: queued_driver_wipe(buf, sizeof buf);
 *
 * Invariants: kernel loop only. While the queue's owner has an idle session, session_alarm is set
 * for idle_since + session_idle_ticks (re-armed by queued_driver_done and by the alarm itself); it
 * may also fire after the session ended or resumed, which is harmless (cmd_queue_tick re-checks).
 */
#pragma once

#include <stddef.h>
#include <stdint.h>

#include "errorcode.h"
#include "hil/alarm.h"
#include "support/cmd_queue.h"
#include "kernel/process_id.h"

struct queued_driver {
    struct hil_alarm_client session_alarm_client;
    struct hil_alarm *session_alarm; /* armed while a session is idle */
    struct cmd_queue *queue;         /* the driver's own queue, embedded beside this */
};

/**
 * Boot only: become the client of `session_alarm` (a virtual alarm of the driver's own, counting
 * the same ticks as queue_config->now) and set up `queue` (cmd_queue_init with `ops`,
 * `queue_config` and `entries`, one per process slot). The board then registers
 * &queue->exit_hook with kernel_add_exit_hook.
 * Returns ERR_OK or cmd_queue_init's error (ERR_NOMEM: no deferred-call slot; ERR_INVAL: no
 * entries).
 */
MUST_CHECK err_t queued_driver_init(struct queued_driver *queued, struct hil_alarm *session_alarm,
                                    struct cmd_queue *queue, const struct cmd_queue_ops *ops,
                                    const struct cmd_queue_config *queue_config,
                                    struct cmd_queue_entry *entries, uint32_t entry_count);

/**
 * From start(): keep the driver for `pid` (the process being started) between commands.
 * Returns ERR_OK (the session is open, now or already) or cmd_queue_session_begin's other errors
 * (ERR_NOSUPPORT: the board configured no sessions).
 */
MUST_CHECK err_t queued_driver_session_begin(struct queued_driver *queued, struct process_id pid);

/**
 * The running command is over (its upcall sent) and the hardware idle: cmd_queue_done, then, if
 * the owner's session is now idle, set the session alarm for the moment it would expire.
 */
void queued_driver_done(struct queued_driver *queued);

/* Zero len bytes at p, with stores the compiler may not drop: for staging buffers that held a
 * process's keys or data. */
void queued_driver_wipe(void *p, size_t len);
