/* SPDX-License-Identifier: Apache-2.0 OR MIT */
/*
 * LED syscall driver (0x2): processes switch the board's LEDs by index.
 *
 * Commands (ABI §5.3): 0 returns Success-u32 with the number of LEDs (libtock-c requires it),
 * 1 on, 2 off, 3 toggle, 4 read (Success-u32 1 on / 0 off); an index >= count fails INVAL.
 * No grant: subscribe and allow on this driver fail with NOMEM.
 *
 * Usage (board):
 *     static struct hil_led *const board_leds[] = { &led0.led, &led1.led };
 *     static struct led_driver led_driver;
 *     led_driver_init(&led_driver, board_leds, ARRAY_LEN(board_leds));
 *     drivers: { LED_DRIVER_NUM, &led_driver.driver }
 *
 * Invariants: leds[0..count) are valid for the life of the kernel.
 */
#pragma once

#include <stddef.h>
#include <stdint.h>

#include "hil/led.h"
#include "kernel/syscall_driver.h"

#define LED_CMD_COUNT 0u
#define LED_CMD_ON 1u
#define LED_CMD_OFF 2u
#define LED_CMD_TOGGLE 3u
#define LED_CMD_READ 4u

struct led_driver {
    struct syscall_driver driver;
    struct hil_led *const *leds; /* a board const array */
    uint32_t count;
};

/* Boot only: take the board's LED array and turn every LED off (as Tock does). */
void led_driver_init(struct led_driver *driver, struct hil_led *const *leds, size_t count);
