/* SPDX-License-Identifier: Apache-2.0 OR MIT */
/*
 * Low-level debug (driver 0x8) commands.
 *
 * Usage: see low_level_debug.h.
 *
 * Invariants: none.
 */
#include "low_level_debug.h"

bool libtock_low_level_debug_exists(void)
{
    return driver_exists(DRIVER_NUM_LOW_LEVEL_DEBUG);
}

returncode_t libtock_low_level_debug_alert_code(uint32_t code)
{
    return tock_command_return_novalue_to_returncode(
        command(DRIVER_NUM_LOW_LEVEL_DEBUG, 1, (int)code, 0));
}

returncode_t libtock_low_level_debug_print1(uint32_t value)
{
    return tock_command_return_novalue_to_returncode(
        command(DRIVER_NUM_LOW_LEVEL_DEBUG, 2, (int)value, 0));
}

returncode_t libtock_low_level_debug_print2(uint32_t first, uint32_t second)
{
    return tock_command_return_novalue_to_returncode(
        command(DRIVER_NUM_LOW_LEVEL_DEBUG, 3, (int)first, (int)second));
}
