/* SPDX-License-Identifier: Apache-2.0 OR MIT */
/*
 * Queued-driver glue (see capsules/queued_driver.h): the session alarm around a cmd_queue.
 *
 * Usage: see capsules/queued_driver.h.
 *
 * Invariants: see capsules/queued_driver.h.
 */
#include "capsules/queued_driver.h"

#include "container.h"

/* While the session is idle, keep the alarm set for the moment it would expire. */
static void arm_session_alarm(struct queued_driver *queued)
{
    const struct cmd_queue *q = queued->queue;
    if (q->is_session && !q->is_running && q->owner != CMD_QUEUE_NO_OWNER) {
        hil_alarm_set(queued->session_alarm, q->idle_since, q->config->session_idle_ticks);
    }
}

/* An idle session may have expired: the queue checks, and aborts it if so. */
static void session_alarm_fired(struct hil_alarm_client *client)
{
    struct queued_driver *queued = CONTAINER_OF(client, struct queued_driver,
                                                session_alarm_client);
    cmd_queue_tick(queued->queue);
    arm_session_alarm(queued); /* the session went idle again later: its new deadline */
}

static const struct hil_alarm_client_ops session_alarm_ops = { .fired = session_alarm_fired };

err_t queued_driver_init(struct queued_driver *queued, struct hil_alarm *session_alarm,
                         struct cmd_queue *queue, const struct cmd_queue_ops *ops,
                         const struct cmd_queue_config *queue_config,
                         struct cmd_queue_entry *entries, uint32_t entry_count)
{
    *queued = (struct queued_driver){
        .session_alarm_client = { .ops = &session_alarm_ops },
        .session_alarm = session_alarm,
        .queue = queue,
    };
    hil_alarm_set_client(session_alarm, &queued->session_alarm_client);
    return cmd_queue_init(queue, ops, queue_config, entries, entry_count);
}

err_t queued_driver_session_begin(struct queued_driver *queued, struct process_id pid)
{
    err_t err = cmd_queue_session_begin(queued->queue, pid);
    return err == ERR_ALREADY ? ERR_OK : err;
}

void queued_driver_done(struct queued_driver *queued)
{
    cmd_queue_done(queued->queue);
    arm_session_alarm(queued);
}

void queued_driver_wipe(void *p, size_t len)
{
    volatile uint8_t *bytes = p; /* volatile: these stores must not be optimized away */
    for (size_t i = 0; i < len; i++) {
        bytes[i] = 0;
    }
}
