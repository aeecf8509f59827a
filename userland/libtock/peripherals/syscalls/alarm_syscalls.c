/* SPDX-License-Identifier: Apache-2.0 OR MIT */
/*
 * Alarm (driver 0x0) system calls.
 *
 * Usage: see alarm_syscalls.h.
 *
 * Invariants: none.
 */
#include "alarm_syscalls.h"

bool libtock_alarm_driver_exists(void)
{
    return driver_exists(DRIVER_NUM_ALARM);
}

bool libtock_alarm_exists(void)
{
    return libtock_alarm_driver_exists();
}

returncode_t libtock_alarm_set_upcall(subscribe_upcall callback, void *opaque)
{
    return tock_subscribe_return_to_returncode(subscribe(DRIVER_NUM_ALARM, 0, callback, opaque));
}

returncode_t libtock_alarm_command_get_frequency(uint32_t *frequency)
{
    return tock_command_return_u32_to_returncode(command(DRIVER_NUM_ALARM, 1, 0, 0), frequency);
}

returncode_t libtock_alarm_command_read(uint32_t *time)
{
    return tock_command_return_u32_to_returncode(command(DRIVER_NUM_ALARM, 2, 0, 0), time);
}

returncode_t libtock_alarm_command_stop(void)
{
    return tock_command_return_novalue_to_returncode(command(DRIVER_NUM_ALARM, 3, 0, 0));
}

returncode_t libtock_alarm_command_set_relative(uint32_t dt, uint32_t *actual)
{
    return tock_command_return_u32_to_returncode(command(DRIVER_NUM_ALARM, 5, (int)dt, 0), actual);
}

returncode_t libtock_alarm_command_set_absolute(uint32_t reference, uint32_t dt)
{
    uint32_t expiration = 0;
    return tock_command_return_u32_to_returncode(
        command(DRIVER_NUM_ALARM, 6, (int)reference, (int)dt), &expiration);
}
