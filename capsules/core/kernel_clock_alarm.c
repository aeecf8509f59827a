/* SPDX-License-Identifier: Apache-2.0 OR MIT */
/*
 * The kernel clock over a virtual alarm (capsules/kernel_clock_alarm.h).
 *
 * Invariants: ms * ticks_per_ms + rest ticks have passed from init to the reading `last`
 * (rest < ticks_per_ms); the alarm is re-armed on every fire
 * and every wake_at, for the wake-up if one is pending and nearer than HIL_ALARM_MAX_WAIT
 * ticks, else for HIL_ALARM_MAX_WAIT ticks ahead.
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
    if (delta <= (ticks_t)(0u - HIL_ALARM_CLOCK_GLITCH)) {
        uint32_t ticks = c->rest + delta;
        c->ms += ticks / c->ticks_per_ms;
        c->rest = ticks % c->ticks_per_ms;
        c->last = *now;
    }
    return c->ms;
}

static void arm(struct kernel_clock_alarm *c)
{
    ticks_t now;
    uint32_t ms = read_ms(c, &now);
    ticks_t dt = HIL_ALARM_MAX_WAIT;
    if (c->is_wake_pending) {
        int32_t left_ms = (int32_t)(c->wake_ms - ms);
        uint32_t left = left_ms > 0 ? (uint32_t)left_ms : 0u;
        if (left < HIL_ALARM_MAX_WAIT / c->ticks_per_ms) {
            dt = left * c->ticks_per_ms;
        }
    }
    hil_alarm_set(c->alarm, now, dt);
}

static uint32_t clock_now_ms(struct kernel_clock *clock)
{
    struct kernel_clock_alarm *c = CONTAINER_OF(clock, struct kernel_clock_alarm, clock);
    ticks_t now;
    return read_ms(c, &now);
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
        .last = hil_alarm_now(alarm),
    };
    hil_alarm_set_client(alarm, &c->client);
    arm(c);
    kernel_set_clock(k, &c->clock);
}
