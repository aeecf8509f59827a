/* SPDX-License-Identifier: Apache-2.0 OR MIT */
/*
 * Alarm virtualizer: one hardware compare shared by many one-shot alarms.
 *
 * Time here is the hardware counter extended to 64 bits (mux->clock, see hil/alarm.h). When a
 * virtual alarm is set, its window (reference, dt) is turned into a deadline on that clock: the
 * set time if the window has already ended, else its end. From then on the alarm is due exactly
 * when the clock has reached its deadline, so a due alarm never looks far in the future because
 * it was handled late, whatever its dt. The hardware is never armed more than
 * HIL_ALARM_MAX_WAIT ticks ahead, which keeps the clock read often enough while any alarm is
 * pending (and keeps each hardware window short enough to survive a late interrupt); with no
 * alarm pending the clock is stopped, and the next set restarts it.
 *
 * Only armed alarms are on the mux's list (linked when set, dropped by the next walk once
 * disarmed or fired), so an idle virtual alarm costs the interrupt path nothing.
 * process() runs from the hardware interrupt and from the deferred call: it walks the list
 * once, fires each virtual alarm that is due (so all expired alarms fire on one interrupt, and
 * a client that re-arms from its callback cannot starve the others), then re-arms.
 *
 * Usage: see capsules/virtual_alarm.h.
 *
 * Invariants:
 *  - Outside process() (is_firing false), the hardware is armed for the pending virtual alarm
 *    that expires first (or HIL_ALARM_MAX_WAIT ticks, if that is sooner), or the deferred call
 *    is set because one is already due, or no virtual alarm is armed.
 *  - A client's fired() runs only from process(), never inside set_alarm or disarm.
 */
#include "capsules/virtual_alarm.h"

#include <stddef.h>

#include "container.h"

static struct virtual_alarm *alarm_of(struct list_node *node)
{
    return CONTAINER_OF(node, struct virtual_alarm, node);
}

static uint64_t mux_count(struct mux_alarm *mux)
{
    return hil_alarm_clock_read(&mux->clock, hil_alarm_now(mux->hw));
}

/* Unlink n (predecessor `previous`) from the armed list: it was disarmed or has fired. */
static void unlink(struct mux_alarm *mux, struct list_node *previous, struct list_node *n)
{
    list_remove_after(&mux->armed, previous, n);
    alarm_of(n)->is_linked = false;
}

/* Arm the hardware for the earliest pending alarm; an alarm already due goes to the deferred
 * call so that it fires from process(), never inside the caller. Drops disarmed alarms from
 * the armed list on the way. */
static void rearm(struct mux_alarm *mux)
{
    ticks_t reading = hil_alarm_now(mux->hw);
    uint64_t now = hil_alarm_clock_read(&mux->clock, reading);
    bool has_earliest = false;
    uint64_t earliest = 0;
    bool is_any_due = false;
    struct list_node *previous = NULL;
    for (struct list_node *n = mux->armed.head; n != NULL;) {
        struct list_node *next = n->next;
        const struct virtual_alarm *v = alarm_of(n);
        if (!v->is_armed) {
            unlink(mux, previous, n);
            n = next;
            continue;
        }
        if (v->deadline <= now) {
            is_any_due = true;
        } else if (!has_earliest || v->deadline < earliest) {
            has_earliest = true;
            earliest = v->deadline;
        }
        previous = n;
        n = next;
    }
    if (is_any_due) {
        deferred_call_set(&mux->expired);
    }
    if (has_earliest) {
        hil_alarm_set(mux->hw, reading, hil_alarm_wait(now, earliest));
        return;
    }
    if (!is_any_due) {
        hil_alarm_clock_stop(&mux->clock); /* no deadline is kept on it */
    }
    if (hil_alarm_is_armed(mux->hw)) {
        err_t ignored = hil_alarm_disarm(mux->hw); /* always ERR_OK (hil/alarm.h) */
        (void)ignored;
    }
}

/* One pass over the alarms armed when it starts (up to the list's tail then): each one due is
 * unlinked and fired once. Callbacks may set or disarm any alarm: a set appends behind the
 * pass's last node (fired by a later pass, so a client that re-arms at once cannot starve
 * the others), a disarm only clears is_armed (the walks drop the node), so `next` stays valid. */
static void process(struct mux_alarm *mux)
{
    mux->is_firing = true;
    struct list_node *last = mux->armed.tail;
    struct list_node *previous = NULL;
    for (struct list_node *n = mux->armed.head; n != NULL;) {
        struct list_node *next = n->next;
        struct virtual_alarm *v = alarm_of(n);
        /* Read now for every alarm: an earlier callback may have taken time. A disarmed one
         * stays for rearm() to drop. */
        if (!v->is_armed || v->deadline > mux_count(mux)) {
            previous = n;
        } else {
            unlink(mux, previous, n);
            v->is_armed = false;
            hil_alarm_fire(&v->alarm); /* may set this or any other virtual alarm again */
        }
        if (n == last) {
            break;
        }
        n = next;
    }
    mux->is_firing = false;
    rearm(mux);
}

static void mux_alarm_fired(struct hil_alarm_client *client)
{
    process(CONTAINER_OF(client, struct mux_alarm, hw_client));
}

static void mux_alarm_expired(void *ctx)
{
    process(ctx);
}

static ticks_t virtual_alarm_now(struct hil_alarm *alarm)
{
    struct virtual_alarm *v = CONTAINER_OF(alarm, struct virtual_alarm, alarm);
    return hil_alarm_now(v->mux->hw);
}

static uint32_t virtual_alarm_frequency(struct hil_alarm *alarm)
{
    struct virtual_alarm *v = CONTAINER_OF(alarm, struct virtual_alarm, alarm);
    return hil_alarm_frequency(v->mux->hw);
}

static ticks_t virtual_alarm_minimum_dt(struct hil_alarm *alarm)
{
    struct virtual_alarm *v = CONTAINER_OF(alarm, struct virtual_alarm, alarm);
    return hil_alarm_minimum_dt(v->mux->hw);
}

static void virtual_alarm_set(struct hil_alarm *alarm, ticks_t reference, ticks_t dt)
{
    struct virtual_alarm *v = CONTAINER_OF(alarm, struct virtual_alarm, alarm);
    struct mux_alarm *mux = v->mux;
    ticks_t reading = hil_alarm_now(mux->hw);
    uint64_t now = hil_alarm_clock_read(&mux->clock, reading);
    v->reference = reference;
    v->dt = dt;
    v->deadline = hil_alarm_deadline(now, reading, reference, dt);
    v->is_armed = true;
    if (!v->is_linked) {
        v->is_linked = true;
        list_append(&mux->armed, &v->node);
    }
    if (!mux->is_firing) {
        rearm(mux); /* process() re-arms once its callbacks have returned */
    }
}

static ticks_t virtual_alarm_get(struct hil_alarm *alarm)
{
    struct virtual_alarm *v = CONTAINER_OF(alarm, struct virtual_alarm, alarm);
    return (ticks_t)(v->reference + v->dt);
}

static err_t virtual_alarm_disarm(struct hil_alarm *alarm)
{
    struct virtual_alarm *v = CONTAINER_OF(alarm, struct virtual_alarm, alarm);
    v->is_armed = false;
    if (!v->mux->is_firing) {
        rearm(v->mux);
    }
    return ERR_OK;
}

static bool virtual_alarm_is_armed(struct hil_alarm *alarm)
{
    return CONTAINER_OF(alarm, struct virtual_alarm, alarm)->is_armed;
}

static const struct hil_alarm_ops virtual_alarm_ops = {
    .now = virtual_alarm_now,
    .frequency = virtual_alarm_frequency,
    .set_alarm = virtual_alarm_set,
    .get_alarm = virtual_alarm_get,
    .disarm = virtual_alarm_disarm,
    .is_armed = virtual_alarm_is_armed,
    .minimum_dt = virtual_alarm_minimum_dt,
};
static const struct hil_alarm_client_ops mux_alarm_client_ops = {
    .fired = mux_alarm_fired,
};

err_t mux_alarm_init(struct mux_alarm *mux, struct hil_alarm *hw)
{
    *mux = (struct mux_alarm){
        .hw_client = { .ops = &mux_alarm_client_ops },
        .hw = hw,
        .armed = { NULL, NULL, NULL },
        .clock = { .last = 0, .count = 0, .is_running = false },
        .is_firing = false,
    };
    hil_alarm_set_client(hw, &mux->hw_client);
    return deferred_call_register(&mux->expired, mux_alarm_expired, mux);
}

void virtual_alarm_init(struct virtual_alarm *v, struct mux_alarm *mux)
{
    *v = (struct virtual_alarm){
        .alarm = { .ops = &virtual_alarm_ops, .client = NULL },
        .node = { NULL },
        .mux = mux,
        .is_armed = false,
        .is_linked = false,
    };
}
