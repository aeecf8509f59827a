/* SPDX-License-Identifier: Apache-2.0 OR MIT */
/* App state system calls (see app_state_syscalls.h). */
#include "app_state_syscalls.h"

bool libtock_app_state_driver_exists(void)
{
    return driver_exists(DRIVER_NUM_APP_STATE);
}

returncode_t libtock_app_state_set_upcall(subscribe_upcall cb, void *opaque)
{
    return tock_subscribe_return_to_returncode(subscribe(DRIVER_NUM_APP_STATE, 0, cb, opaque));
}

returncode_t libtock_app_state_set_readonly_allow(const uint8_t *buf, uint32_t len)
{
    return tock_allow_ro_return_to_returncode(
        allow_readonly(DRIVER_NUM_APP_STATE, 0, (const void *)buf, len));
}

returncode_t libtock_app_state_command_save(uint32_t flash_pointer)
{
    return tock_command_return_novalue_to_returncode(
        command(DRIVER_NUM_APP_STATE, 1, flash_pointer, 0));
}
