/* SPDX-License-Identifier: Apache-2.0 OR MIT */
/*
 * LED HIL: one LED, synchronous (setting an LED is a register write).
 */
#pragma once

#include <stdbool.h>

struct hil_led;
struct hil_led_ops {
    void (*on)(struct hil_led *led);
    void (*off)(struct hil_led *led);
    void (*toggle)(struct hil_led *led);
    bool (*read)(struct hil_led *led);
};
struct hil_led {
    const struct hil_led_ops *ops;
};

static inline void hil_led_on(struct hil_led *l) { l->ops->on(l); }
static inline void hil_led_off(struct hil_led *l) { l->ops->off(l); }
static inline void hil_led_toggle(struct hil_led *l) { l->ops->toggle(l); }
static inline bool hil_led_read(struct hil_led *l) { return l->ops->read(l); }
