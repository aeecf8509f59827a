/* SPDX-License-Identifier: Apache-2.0 OR MIT */
/*
 * Fake LED (see fake_led.h).
 *
 * Usage: see fake_led.h.
 *
 * Invariants: none beyond the HIL contract it implements.
 */
#include "fake_led.h"

#include <stddef.h>

#include "container.h"

static void fake_on(struct hil_led *l)
{
    struct fake_led *led = CONTAINER_OF(l, struct fake_led, led);
    led->is_on = true;
    led->calls++;
}

static void fake_off(struct hil_led *l)
{
    struct fake_led *led = CONTAINER_OF(l, struct fake_led, led);
    led->is_on = false;
    led->calls++;
}

static void fake_toggle(struct hil_led *l)
{
    struct fake_led *led = CONTAINER_OF(l, struct fake_led, led);
    led->is_on = !led->is_on;
    led->calls++;
}

static bool fake_read(struct hil_led *l)
{
    return CONTAINER_OF(l, struct fake_led, led)->is_on;
}

static const struct hil_led_ops fake_led_ops = {
    .on = fake_on,
    .off = fake_off,
    .toggle = fake_toggle,
    .read = fake_read,
};

void fake_led_init(struct fake_led *led, bool is_on)
{
    *led = (struct fake_led){ .led = { .ops = &fake_led_ops }, .is_on = is_on, .calls = 0 };
}
