/* SPDX-License-Identifier: Apache-2.0 OR MIT */
/*
 * QEMU virt has no LEDs. These LEDs keep their state in kernel RAM behind the LED HIL, so apps
 * that use the LED driver (blink, and tests that keep a flag across a restart in an LED) run
 * unchanged; their state survives process restarts exactly like a real LED's.
 */
#include "container.h"
#include "qemu_virt/virt.h"

static struct ram_led *of(struct hil_led *l)
{
    return CONTAINER_OF(l, struct ram_led, led);
}

static void on(struct hil_led *l)
{
    of(l)->is_on = true;
}

static void off(struct hil_led *l)
{
    of(l)->is_on = false;
}

static void toggle(struct hil_led *l)
{
    of(l)->is_on = !of(l)->is_on;
}

static bool read(struct hil_led *l)
{
    return of(l)->is_on;
}

static const struct hil_led_ops ops = { .on = on, .off = off, .toggle = toggle, .read = read };

void ram_led_init(struct ram_led *led)
{
    *led = (struct ram_led){ .led = { .ops = &ops }, .is_on = false };
}
