/* SPDX-License-Identifier: Apache-2.0 OR MIT */
/*
 * Console (driver 0x1) system calls.
 *
 * Usage: see console_syscalls.h.
 *
 * Invariants: none.
 */
#include "console_syscalls.h"

bool libtock_console_driver_exists(void)
{
    return driver_exists(DRIVER_NUM_CONSOLE);
}

returncode_t libtock_console_write_done_set_upcall(subscribe_upcall callback, void *opaque)
{
    return tock_subscribe_return_to_returncode(subscribe(DRIVER_NUM_CONSOLE, 1, callback, opaque));
}

returncode_t libtock_console_read_done_set_upcall(subscribe_upcall callback, void *opaque)
{
    return tock_subscribe_return_to_returncode(subscribe(DRIVER_NUM_CONSOLE, 2, callback, opaque));
}

returncode_t libtock_console_set_read_allow(const uint8_t *buffer, uint32_t len)
{
    return tock_allow_ro_return_to_returncode(allow_readonly(DRIVER_NUM_CONSOLE, 1, buffer, len));
}

returncode_t libtock_console_set_readwrite_allow(uint8_t *buffer, uint32_t len)
{
    return tock_allow_rw_return_to_returncode(allow_readwrite(DRIVER_NUM_CONSOLE, 1, buffer, len));
}

returncode_t libtock_console_command_write(int length)
{
    return tock_command_return_novalue_to_returncode(command(DRIVER_NUM_CONSOLE, 1, length, 0));
}

returncode_t libtock_console_command_read(int length)
{
    return tock_command_return_novalue_to_returncode(command(DRIVER_NUM_CONSOLE, 2, length, 0));
}

returncode_t libtock_console_command_abort_read(void)
{
    return tock_command_return_novalue_to_returncode(command(DRIVER_NUM_CONSOLE, 3, 0, 0));
}
