/* SPDX-License-Identifier: Apache-2.0 OR MIT */
/*
 * LED (driver 0x2) system calls.
 *
 * Usage: see led_syscalls.h.
 *
 * Invariants: none.
 */
#include "led_syscalls.h"

bool libtock_led_driver_exists(void)
{
    int count = 0;
    return libtock_led_command_count(&count) == RETURNCODE_SUCCESS && count > 0;
}

returncode_t libtock_led_command_count(int *count)
{
    uint32_t value = 0;
    returncode_t ret = tock_command_return_u32_to_returncode(command(DRIVER_NUM_LED, 0, 0, 0),
                                                             &value);
    if (ret == RETURNCODE_SUCCESS) {
        *count = (int)value;
    }
    return ret;
}

returncode_t libtock_led_command_on(int led_num)
{
    return tock_command_return_novalue_to_returncode(command(DRIVER_NUM_LED, 1, led_num, 0));
}

returncode_t libtock_led_command_off(int led_num)
{
    return tock_command_return_novalue_to_returncode(command(DRIVER_NUM_LED, 2, led_num, 0));
}

returncode_t libtock_led_command_toggle(int led_num)
{
    return tock_command_return_novalue_to_returncode(command(DRIVER_NUM_LED, 3, led_num, 0));
}

returncode_t libtock_led_command_read(int led_num, int *is_on)
{
    uint32_t value = 0;
    returncode_t ret = tock_command_return_u32_to_returncode(command(DRIVER_NUM_LED, 4, led_num, 0),
                                                             &value);
    if (ret == RETURNCODE_SUCCESS) {
        *is_on = (int)value;
    }
    return ret;
}
