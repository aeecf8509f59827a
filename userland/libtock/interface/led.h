/* SPDX-License-Identifier: Apache-2.0 OR MIT */
/*
 * LEDs: count, on, off, toggle (libtock-c's API).
 *
 * Usage: `libtock_led_count(&n); libtock_led_toggle(0);`
 *
 * Invariants: none; every call is one command system call.
 */
#pragma once

#include "../tock.h"
#include "syscalls/led_syscalls.h"

#ifdef __cplusplus
extern "C" {
#endif

/* True when the board has at least one LED. */
bool libtock_led_exists(void);

/* *count = number of LEDs (written only on success). */
returncode_t libtock_led_count(int *count);

/* RETURNCODE_SUCCESS, or RETURNCODE_EINVAL for a bad index / RETURNCODE_ENODEVICE without LEDs. */
returncode_t libtock_led_on(int led_num);
returncode_t libtock_led_off(int led_num);
returncode_t libtock_led_toggle(int led_num);

#ifdef __cplusplus
}
#endif
