/* SPDX-License-Identifier: Apache-2.0 OR MIT */
/*
 * LED (driver 0x2) system calls (ABI §5.3). Command 0 returns Success-u32 = number of LEDs.
 *
 * Usage: apps normally use interface/led.h.
 *
 * Invariants: none.
 */
#pragma once

#include "../../tock.h"

#ifdef __cplusplus
extern "C" {
#endif

#define DRIVER_NUM_LED 0x2

/* True when command 0 reports at least one LED. */
bool libtock_led_driver_exists(void);

/* Command 0: *count = number of LEDs (written only on success). */
returncode_t libtock_led_command_count(int *count);

/* Commands 1/2/3: on/off/toggle LED `led_num`; RETURNCODE_EINVAL if it does not exist. */
returncode_t libtock_led_command_on(int led_num);
returncode_t libtock_led_command_off(int led_num);
returncode_t libtock_led_command_toggle(int led_num);

/* Command 4: *is_on = 1 if LED `led_num` is on, 0 if off. A tockc addition to libtock-c's set. */
returncode_t libtock_led_command_read(int led_num, int *is_on);

#ifdef __cplusplus
}
#endif
