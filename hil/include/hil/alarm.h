/* SPDX-License-Identifier: Apache-2.0 OR MIT */
/*
 * Alarm HIL: a free-running 32-bit tick counter with one compare, wrap-safe.
 *
 * An alarm set with (reference, dt) fires once when now is no longer inside the window
 * [reference, reference + dt) computed modulo 2^32; so a window already passed fires at once
 * (from the interrupt or a deferred path, never inside set_alarm). Whether the window has ended
 * is decided when the alarm is set; after that the alarm is due from reference + dt on, however
 * late its interrupt is served (within 2^31 ticks), so any dt up to 2^32 - 1 is honoured.
 *
 * Usage: the chip timer embeds `struct hil_alarm alarm`; the alarm mux is its only client.
 */
#pragma once

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "errorcode.h"

typedef uint32_t ticks_t;

struct hil_alarm;
struct hil_alarm_client;

struct hil_alarm_ops {
    ticks_t (*now)(struct hil_alarm *alarm);
    uint32_t (*frequency)(struct hil_alarm *alarm); /* ticks per second */
    void (*set_alarm)(struct hil_alarm *alarm, ticks_t reference, ticks_t dt);
    ticks_t (*get_alarm)(struct hil_alarm *alarm); /* reference + dt of the last set */
    err_t (*disarm)(struct hil_alarm *alarm);      /* ERR_OK; the alarm will not fire */
    bool (*is_armed)(struct hil_alarm *alarm);
    ticks_t (*minimum_dt)(struct hil_alarm *alarm); /* smallest dt that is honoured exactly */
};
struct hil_alarm {
    const struct hil_alarm_ops *ops;
    struct hil_alarm_client *client;
};
struct hil_alarm_client_ops {
    void (*fired)(struct hil_alarm_client *client);
};
struct hil_alarm_client {
    const struct hil_alarm_client_ops *ops;
};

static inline ticks_t hil_alarm_now(struct hil_alarm *a) { return a->ops->now(a); }
static inline uint32_t hil_alarm_frequency(struct hil_alarm *a) { return a->ops->frequency(a); }
static inline void hil_alarm_set(struct hil_alarm *a, ticks_t reference, ticks_t dt)
{
    a->ops->set_alarm(a, reference, dt);
}
static inline ticks_t hil_alarm_get(struct hil_alarm *a) { return a->ops->get_alarm(a); }
MUST_CHECK static inline err_t hil_alarm_disarm(struct hil_alarm *a) { return a->ops->disarm(a); }
static inline bool hil_alarm_is_armed(struct hil_alarm *a) { return a->ops->is_armed(a); }
static inline ticks_t hil_alarm_minimum_dt(struct hil_alarm *a) { return a->ops->minimum_dt(a); }
static inline void hil_alarm_set_client(struct hil_alarm *a, struct hil_alarm_client *c)
{
    a->client = c;
}
static inline void hil_alarm_fire(struct hil_alarm *a)
{
    if (a->client != NULL) {
        a->client->ops->fired(a->client);
    }
}

/*
 * True when `now` is outside [reference, reference + dt) modulo 2^32 (the alarm is due).
 *
 * Decide this once, when the alarm is set: asked again later it turns false once now has moved
 * 2^32 - dt ticks past the expiration, so an alarm handled that late would look far in the
 * future. Layers that keep (reference, dt) pairs turn them into deadlines on a
 * hil_alarm_clock instead (below).
 */
static inline bool hil_alarm_has_expired(ticks_t reference, ticks_t dt, ticks_t now)
{
    return (ticks_t)(now - reference) >= dt;
}

/*
 * A 64-bit tick count that never wraps and never goes backwards, kept from one 32-bit counter's
 * readings by whoever reads them (hil_alarm_clock_read): it advances by the distance from the
 * reading it last accepted. That is true time only while the counter is read at least once
 * every 2^32 - HIL_ALARM_CLOCK_GLITCH ticks, so a layer that keeps deadlines on a clock never
 * arms its alarm more than HIL_ALARM_MAX_WAIT ticks ahead while a deadline is pending, and
 * stops the clock (hil_alarm_clock_stop) when none is: the next reading then restarts it
 * without advancing, whatever time has passed.
 *
 * A reading up to HIL_ALARM_CLOCK_GLITCH ticks behind the accepted one is taken as the counter
 * stepping back (QEMU's counters do, for a moment, after its -icount sleep=off time warps),
 * never as a wrap: the clock holds until the counter has caught up, so nothing fires early.
 *
 * Usage:
 *     ticks_t now = hil_alarm_now(hw);
 *     uint64_t count = hil_alarm_clock_read(&clock, now);
 *     deadline = hil_alarm_deadline(count, now, reference, dt);     // when set
 *     if (deadline <= count) ...                                    // due, however late
 *     hil_alarm_set(hw, now, hil_alarm_wait(count, deadline));      // arm for it
 */
struct hil_alarm_clock {
    ticks_t last;    /* the reading `count` stands for */
    uint64_t count;
    bool is_running; /* false: the next reading restarts the clock */
};

#define HIL_ALARM_MAX_WAIT 0x40000000u
#define HIL_ALARM_CLOCK_GLITCH 0x01000000u

static inline uint64_t hil_alarm_clock_read(struct hil_alarm_clock *clock, ticks_t now)
{
    ticks_t delta = now - clock->last;
    if (!clock->is_running) {
        clock->is_running = true;
        clock->last = now;
    } else if (delta <= (ticks_t)(0u - HIL_ALARM_CLOCK_GLITCH)) {
        clock->count += delta;
        clock->last = now;
    }
    return clock->count;
}

static inline void hil_alarm_clock_stop(struct hil_alarm_clock *clock)
{
    clock->is_running = false;
}

/*
 * The deadline on a clock of an alarm (reference, dt) set when the clock read `count` and the
 * counter `now`: `count` itself if the window has already ended (due at once), else its end.
 * Once the clock has reached it, the alarm is due however late anyone looks.
 */
static inline uint64_t hil_alarm_deadline(uint64_t count, ticks_t now, ticks_t reference,
                                          ticks_t dt)
{
    if (hil_alarm_has_expired(reference, dt, now)) {
        return count;
    }
    return count + (ticks_t)(reference + dt - now);
}

/* The dt to arm an alarm with, from `count`, for `deadline` (at most HIL_ALARM_MAX_WAIT). */
static inline ticks_t hil_alarm_wait(uint64_t count, uint64_t deadline)
{
    uint64_t wait = deadline > count ? deadline - count : 0;
    return wait > HIL_ALARM_MAX_WAIT ? HIL_ALARM_MAX_WAIT : (ticks_t)wait;
}
