/* SPDX-License-Identifier: Apache-2.0 OR MIT */
/*
 * Fake LED for host tests: a hil_led that remembers its state and counts calls.
 *
 * Usage: static struct fake_led led0; fake_led_init(&led0, true);  assert_false(led0.is_on);
 *
 * Invariants: is_on is the state the last on/off/toggle left.
 */
#pragma once

#include <stdbool.h>

#include "hil/led.h"

struct fake_led {
    struct hil_led led;
    bool is_on;
    unsigned calls; /* on + off + toggle */
};

void fake_led_init(struct fake_led *led, bool is_on);
