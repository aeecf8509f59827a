/* SPDX-License-Identifier: Apache-2.0 OR MIT */
/*
 * The kernel clock over a virtual alarm (capsules/kernel_clock_alarm.h).
 *
 * Invariants: while is_running, ms * ticks_per_ms + rest ticks have passed (since init, less
 * the stopped times) up to the reading `last` (rest < ticks_per_ms); while a wake-up is pending
 * the alarm is armed for it, at most HIL_ALARM_MAX_WAIT ticks ahead, and the clock runs; with
 * none pending the alarm stays idle and the clock is stopped.
 */
#include "capsules/kernel_clock_alarm.h"

#include "container.h"

/* Milliseconds since init: the ticks since the last reading, added to the sub-millisecond
 * rest (32-bit arithmetic: the alarm is re-armed at most HIL_ALARM_MAX_WAIT ticks ahead, so
 * readings are never 2^32 ticks apart). A reading up to HIL_ALARM_CLOCK_GLITCH ticks behind
 * the last is the counter stepping back (hil/alarm.h), not a wrap: time holds. */
static uint32_t read_ms(struct kernel_clock_alarm *c, ticks_t *now)
{
    *now = hil_alarm_now(c->alarm);
    ticks_t delta = *now - c->last;
    if (!c->is_running) {
        c->is_running = true; /* restart from this reading, without advancing */
        c->last = *now;
    } else if (delta <= (ticks_t)(0u - HIL_ALARM_CLOCK_GLITCH)) {
        uint32_t ticks = c->rest + delta;
        c->ms += ticks / c->ticks_per_ms;
        c->rest = ticks % c->ticks_per_ms;
        c->last = *now;
    }
    return c->ms;
}

/* Arm for the pending wake-up (at most HIL_ALARM_MAX_WAIT ticks ahead, so the count stays
 * true), or stop the clock when none is pending. */
static void arm(struct kernel_clock_alarm *c)
{
    if (!c->is_wake_pending) {
        c->is_running = false;
        return;
    }
    ticks_t now;
    uint32_t ms = read_ms(c, &now);
    ticks_t dt = HIL_ALARM_MAX_WAIT;
    int32_t left_ms = (int32_t)(c->wake_ms - ms);
    uint32_t left = left_ms > 0 ? (uint32_t)left_ms : 0u;
    if (left < HIL_ALARM_MAX_WAIT / c->ticks_per_ms) {
        dt = left * c->ticks_per_ms;
    }
    hil_alarm_set(c->alarm, now, dt);
}

static uint32_t clock_now_ms(struct kernel_clock *clock)
{
    struct kernel_clock_alarm *c = CONTAINER_OF(clock, struct kernel_clock_alarm, clock);
    ticks_t now;
    uint32_t ms = read_ms(c, &now);
    c->is_running = c->is_wake_pending; /* idle: the next reading starts again from here */
    return ms;
}

static void clock_wake_at(struct kernel_clock *clock, uint32_t at_ms)
{
    struct kernel_clock_alarm *c = CONTAINER_OF(clock, struct kernel_clock_alarm, clock);
    if (c->is_wake_pending && (int32_t)(at_ms - c->wake_ms) >= 0) {
        return; /* an earlier wake-up is pending: kernel_clock_fired asks again */
    }
    c->wake_ms = at_ms;
    c->is_wake_pending = true;
    arm(c);
}

static void alarm_fired(struct hil_alarm_client *client)
{
    struct kernel_clock_alarm *c = CONTAINER_OF(client, struct kernel_clock_alarm, client);
    ticks_t now;
    uint32_t ms = read_ms(c, &now);
    if (c->is_wake_pending && (int32_t)(ms - c->wake_ms) >= 0) {
        c->is_wake_pending = false;
        kernel_clock_fired(c->kernel); /* may call clock_wake_at again */
    }
    arm(c);
}

static const struct kernel_clock_ops clock_ops = {
    .now_ms = clock_now_ms,
    .wake_at = clock_wake_at,
};

static const struct hil_alarm_client_ops client_ops = { .fired = alarm_fired };

void kernel_clock_alarm_init(struct kernel_clock_alarm *c, struct hil_alarm *alarm,
                             struct kernel *k)
{
    uint32_t per_ms = hil_alarm_frequency(alarm) / 1000u;
    *c = (struct kernel_clock_alarm){
        .clock = { &clock_ops },
        .client = { &client_ops },
        .alarm = alarm,
        .kernel = k,
        .ticks_per_ms = per_ms != 0 ? per_ms : 1u,
    };
    hil_alarm_set_client(alarm, &c->client);
    kernel_set_clock(k, &c->clock);
}
