/* SPDX-License-Identifier: Apache-2.0 OR MIT */
/*
 * SHA (driver 0x40005) system calls.
 *
 * Usage: see sha_syscalls.h.
 *
 * Invariants: none.
 */
#include "sha_syscalls.h"

enum {
    SHA_UPCALL_HASH = 0,
    SHA_ALLOW_RO_DATA = 0,
    SHA_ALLOW_RW_DEST = 0,
    SHA_CMD_SET_ALGORITHM = 1,
    SHA_CMD_HASH = 2,
};

bool libtock_sha_driver_exists(void)
{
    return driver_exists(DRIVER_NUM_SHA);
}

returncode_t libtock_sha_set_hash_upcall(subscribe_upcall callback, void *opaque)
{
    return tock_subscribe_return_to_returncode(
        subscribe(DRIVER_NUM_SHA, SHA_UPCALL_HASH, callback, opaque));
}

returncode_t libtock_sha_set_readonly_allow_data_buffer(const uint8_t *buffer, uint32_t len)
{
    return tock_allow_ro_return_to_returncode(
        allow_readonly(DRIVER_NUM_SHA, SHA_ALLOW_RO_DATA, buffer, len));
}

returncode_t libtock_sha_set_readwrite_allow_destination_buffer(uint8_t *buffer, uint32_t len)
{
    return tock_allow_rw_return_to_returncode(
        allow_readwrite(DRIVER_NUM_SHA, SHA_ALLOW_RW_DEST, buffer, len));
}

returncode_t libtock_sha_command_set_algorithm(uint8_t hash)
{
    return tock_command_return_novalue_to_returncode(
        command(DRIVER_NUM_SHA, SHA_CMD_SET_ALGORITHM, hash, 0));
}

returncode_t libtock_sha_command_hash(void)
{
    return tock_command_return_novalue_to_returncode(command(DRIVER_NUM_SHA, SHA_CMD_HASH, 0, 0));
}
