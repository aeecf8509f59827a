/* SPDX-License-Identifier: Apache-2.0 OR MIT */
/*
 * Fake alarm for host tests: a hil_alarm whose counter the test sets.
 *
 * Time moves only when the test says so. fake_alarm_set_now() moves the counter without
 * firing; fake_alarm_advance() moves it and then fires if the armed window has been left (the
 * hardware's interrupt); fake_alarm_fire_if_due() fires without moving time;
 * fake_alarm_fire_late() serves the compare's interrupt `late` ticks after the deadline fixed
 * when the alarm was set (the window test of fire_if_due cannot see that far past a long dt).
 * Firing disarms first (one-shot), never happens inside set_alarm, and fails the test if
 * re-entered.
 *
 * Usage:
 *     static struct fake_alarm hw;
 *     fake_alarm_init(&hw, 1000000, 0xfffffff0u);   // 1 MHz, just before the wrap
 *     fake_alarm_advance(&hw, 0x20);               // crosses 2^32; fires what is due
 *
 * Invariants: fired() runs only from fake_alarm_advance / fake_alarm_fire_if_due.
 */
#pragma once

#include <stdbool.h>
#include <stdint.h>

#include "hil/alarm.h"

struct fake_alarm {
    struct hil_alarm alarm;
    ticks_t now;
    uint32_t frequency;
    ticks_t minimum_dt;
    ticks_t reference; /* of the last set_alarm */
    ticks_t dt;
    ticks_t deadline; /* the count the compare matches: set time if the window had ended */
    bool is_armed;
    unsigned set_calls;
    unsigned fire_count;
    bool is_in_callback;
};

void fake_alarm_init(struct fake_alarm *alarm, uint32_t frequency, ticks_t now);
void fake_alarm_set_now(struct fake_alarm *alarm, ticks_t now);
/* Move time forward by `ticks` and fire if due. Returns true if it fired. */
bool fake_alarm_advance(struct fake_alarm *alarm, ticks_t ticks);
bool fake_alarm_fire_if_due(struct fake_alarm *alarm);
/* Armed: move time to `late` ticks after the deadline, fire, and return true. Else false. */
bool fake_alarm_fire_late(struct fake_alarm *alarm, ticks_t late);
