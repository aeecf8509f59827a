/* SPDX-License-Identifier: Apache-2.0 OR MIT */
/*
 * Fake alarm (see fake_alarm.h): a settable 32-bit counter with one compare.
 *
 * Usage: see fake_alarm.h.
 *
 * Invariants: is_armed is cleared before the client's fired() runs.
 */
#include "fake_alarm.h"

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>

#include <cmocka.h>

#include "container.h"

static ticks_t fake_now(struct hil_alarm *a)
{
    return CONTAINER_OF(a, struct fake_alarm, alarm)->now;
}

static uint32_t fake_frequency(struct hil_alarm *a)
{
    return CONTAINER_OF(a, struct fake_alarm, alarm)->frequency;
}

static void fake_set_alarm(struct hil_alarm *a, ticks_t reference, ticks_t dt)
{
    struct fake_alarm *alarm = CONTAINER_OF(a, struct fake_alarm, alarm);
    alarm->reference = reference;
    alarm->dt = dt;
    alarm->deadline = hil_alarm_has_expired(reference, dt, alarm->now) ? alarm->now
                                                                       : reference + dt;
    alarm->is_armed = true;
    alarm->set_calls++;
}

static ticks_t fake_get_alarm(struct hil_alarm *a)
{
    struct fake_alarm *alarm = CONTAINER_OF(a, struct fake_alarm, alarm);
    return (ticks_t)(alarm->reference + alarm->dt);
}

static err_t fake_disarm(struct hil_alarm *a)
{
    CONTAINER_OF(a, struct fake_alarm, alarm)->is_armed = false;
    return ERR_OK;
}

static bool fake_is_armed(struct hil_alarm *a)
{
    return CONTAINER_OF(a, struct fake_alarm, alarm)->is_armed;
}

static ticks_t fake_minimum_dt(struct hil_alarm *a)
{
    return CONTAINER_OF(a, struct fake_alarm, alarm)->minimum_dt;
}

static const struct hil_alarm_ops fake_alarm_ops = {
    .now = fake_now,
    .frequency = fake_frequency,
    .set_alarm = fake_set_alarm,
    .get_alarm = fake_get_alarm,
    .disarm = fake_disarm,
    .is_armed = fake_is_armed,
    .minimum_dt = fake_minimum_dt,
};

void fake_alarm_init(struct fake_alarm *alarm, uint32_t frequency, ticks_t now)
{
    *alarm = (struct fake_alarm){
        .alarm = { .ops = &fake_alarm_ops, .client = NULL },
        .now = now,
        .frequency = frequency,
        .minimum_dt = 1,
    };
}

void fake_alarm_set_now(struct fake_alarm *alarm, ticks_t now)
{
    alarm->now = now;
}

static void fire(struct fake_alarm *alarm)
{
    if (alarm->is_in_callback) {
        fail_msg("fake_alarm: fired while its callback is running (re-entrant)");
    }
    alarm->is_armed = false;
    alarm->fire_count++;
    alarm->is_in_callback = true;
    hil_alarm_fire(&alarm->alarm);
    alarm->is_in_callback = false;
}

bool fake_alarm_fire_if_due(struct fake_alarm *alarm)
{
    if (!alarm->is_armed || !hil_alarm_has_expired(alarm->reference, alarm->dt, alarm->now)) {
        return false;
    }
    fire(alarm);
    return true;
}

bool fake_alarm_fire_late(struct fake_alarm *alarm, ticks_t late)
{
    if (!alarm->is_armed) {
        return false;
    }
    alarm->now = alarm->deadline + late;
    fire(alarm);
    return true;
}

bool fake_alarm_advance(struct fake_alarm *alarm, ticks_t ticks)
{
    alarm->now += ticks;
    return fake_alarm_fire_if_due(alarm);
}
