/* SPDX-License-Identifier: Apache-2.0 OR MIT */
/*
 * Low-level debug (driver 0x8): print alert codes and numbers with one command each (ABI §5.6).
 *
 * The kernel prints `LowLevelDebug: App 0x<id> alert code 0x<code>`, `... prints 0x<a>` or
 * `... prints 0x<a> 0x<b>` on its debug UART. Nothing is allowed or subscribed, so it works
 * before crt0 has set up memory and from hand-written assembly. libtock-c has no wrapper for
 * this driver; the names follow libtock-c's guide.
 *
 * Usage: libtock_low_level_debug_print2(1, value);
 *
 * Invariants: none; every call is one command system call.
 */
#pragma once

#include "../tock.h"

#ifdef __cplusplus
extern "C" {
#endif

#define DRIVER_NUM_LOW_LEVEL_DEBUG 0x8

/* Alert codes the kernel knows: 0x01 app panic, 0x02 app at the wrong address. */
#define LIBTOCK_LOW_LEVEL_DEBUG_ALERT_PANIC 0x01
#define LIBTOCK_LOW_LEVEL_DEBUG_ALERT_WRONG_LOCATION 0x02

bool libtock_low_level_debug_exists(void);

/* Command 1: print an alert code. */
returncode_t libtock_low_level_debug_alert_code(uint32_t code);

/* Command 2: print one number. */
returncode_t libtock_low_level_debug_print1(uint32_t value);

/* Command 3: print two numbers. */
returncode_t libtock_low_level_debug_print2(uint32_t first, uint32_t second);

#ifdef __cplusplus
}
#endif
