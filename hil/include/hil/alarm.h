/* SPDX-License-Identifier: Apache-2.0 OR MIT */
/*
 * Alarm HIL: a free-running 32-bit tick counter with one compare, wrap-safe.
 *
 * An alarm set with (reference, dt) fires once when now is no longer inside the window
 * [reference, reference + dt) computed modulo 2^32; so a window already passed fires at once
 * (from the interrupt or a deferred path, never inside set_alarm).
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

/* True when `now` is outside [reference, reference + dt) modulo 2^32 (the alarm is due). */
static inline bool hil_alarm_has_expired(ticks_t reference, ticks_t dt, ticks_t now)
{
    return (ticks_t)(now - reference) >= dt;
}
