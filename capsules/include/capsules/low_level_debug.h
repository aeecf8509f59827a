/* SPDX-License-Identifier: Apache-2.0 OR MIT */
/*
 * Low-level debug syscall driver (0x8): processes print codes and numbers.
 *
 * Commands (ABI §5.6): 0 exists, 1 alert code, 2 print one number, 3 print two numbers; each
 * prints one line through kernel debug output, e.g. "LowLevelDebug: App 0x2 prints 0x2a".
 * Command-only: no grant, so subscribe and allow fail with NOMEM.
 *
 * Usage (board):
 *     static struct low_level_debug low_level_debug;
 *     low_level_debug_init(&low_level_debug);
 *     drivers: { LOW_LEVEL_DEBUG_DRIVER_NUM, &low_level_debug.driver }
 *
 * Invariants: none beyond kernel debug output's (kernel/debug.h).
 */
#pragma once

#include "kernel/syscall_driver.h"

#define LOW_LEVEL_DEBUG_CMD_EXISTS 0u
#define LOW_LEVEL_DEBUG_CMD_ALERT 1u
#define LOW_LEVEL_DEBUG_CMD_PRINT1 2u
#define LOW_LEVEL_DEBUG_CMD_PRINT2 3u

/* Alert codes (Tock's). */
#define LOW_LEVEL_DEBUG_ALERT_PANIC 0x01u
#define LOW_LEVEL_DEBUG_ALERT_WRONG_LOCATION 0x02u

struct low_level_debug {
    struct syscall_driver driver;
};

void low_level_debug_init(struct low_level_debug *lld);
