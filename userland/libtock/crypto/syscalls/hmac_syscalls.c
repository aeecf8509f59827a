/* SPDX-License-Identifier: Apache-2.0 OR MIT */
/*
 * HMAC (driver 0x40003) system calls.
 *
 * Usage: see hmac_syscalls.h.
 *
 * Invariants: none.
 */
#include "hmac_syscalls.h"

enum {
    HMAC_UPCALL = 0,
    HMAC_ALLOW_RO_KEY = 0,
    HMAC_ALLOW_RO_DATA = 1,
    HMAC_ALLOW_RW_DEST = 2,
    HMAC_CMD_SET_ALGORITHM = 0,
    HMAC_CMD_RUN = 1,
    HMAC_CMD_UPDATE = 2,
    HMAC_CMD_FINISH = 3,
};

bool libtock_hmac_driver_exists(void)
{
    return driver_exists(DRIVER_NUM_HMAC);
}

returncode_t libtock_hmac_set_upcall(subscribe_upcall callback, void *opaque)
{
    return tock_subscribe_return_to_returncode(
        subscribe(DRIVER_NUM_HMAC, HMAC_UPCALL, callback, opaque));
}

returncode_t libtock_hmac_set_readonly_allow_key_buffer(const uint8_t *buffer, uint32_t len)
{
    return tock_allow_ro_return_to_returncode(
        allow_readonly(DRIVER_NUM_HMAC, HMAC_ALLOW_RO_KEY, buffer, len));
}

returncode_t libtock_hmac_set_readonly_allow_data_buffer(const uint8_t *buffer, uint32_t len)
{
    return tock_allow_ro_return_to_returncode(
        allow_readonly(DRIVER_NUM_HMAC, HMAC_ALLOW_RO_DATA, buffer, len));
}

returncode_t libtock_hmac_set_readwrite_allow_destination_buffer(uint8_t *buffer, uint32_t len)
{
    return tock_allow_rw_return_to_returncode(
        allow_readwrite(DRIVER_NUM_HMAC, HMAC_ALLOW_RW_DEST, buffer, len));
}

returncode_t libtock_hmac_command_set_algorithm(uint32_t hash)
{
    return tock_command_return_novalue_to_returncode(
        command(DRIVER_NUM_HMAC, HMAC_CMD_SET_ALGORITHM, (int)hash, 0));
}

returncode_t libtock_hmac_command_run(void)
{
    return tock_command_return_novalue_to_returncode(
        command(DRIVER_NUM_HMAC, HMAC_CMD_RUN, 0, 0));
}

returncode_t libtock_hmac_command_update(void)
{
    return tock_command_return_novalue_to_returncode(
        command(DRIVER_NUM_HMAC, HMAC_CMD_UPDATE, 0, 0));
}

returncode_t libtock_hmac_command_finish(void)
{
    return tock_command_return_novalue_to_returncode(
        command(DRIVER_NUM_HMAC, HMAC_CMD_FINISH, 0, 0));
}
