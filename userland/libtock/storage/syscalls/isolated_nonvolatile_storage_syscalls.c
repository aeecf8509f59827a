/* SPDX-License-Identifier: Apache-2.0 OR MIT */
/* Isolated nonvolatile storage system calls (see isolated_nonvolatile_storage_syscalls.h). */
#include "isolated_nonvolatile_storage_syscalls.h"

#define INVS DRIVER_NUM_ISOLATED_NONVOLATILE_STORAGE

bool libtock_isolated_nonvolatile_storage_driver_exists(void)
{
    return driver_exists(INVS);
}

returncode_t libtock_isolated_nonvolatile_storage_set_upcall_get_number_bytes_done(
    subscribe_upcall cb, void *opaque)
{
    return tock_subscribe_return_to_returncode(subscribe(INVS, 0, cb, opaque));
}

returncode_t libtock_isolated_nonvolatile_storage_set_upcall_read_done(subscribe_upcall cb,
                                                                       void *opaque)
{
    return tock_subscribe_return_to_returncode(subscribe(INVS, 1, cb, opaque));
}

returncode_t libtock_isolated_nonvolatile_storage_set_upcall_write_done(subscribe_upcall cb,
                                                                        void *opaque)
{
    return tock_subscribe_return_to_returncode(subscribe(INVS, 2, cb, opaque));
}

returncode_t libtock_isolated_nonvolatile_storage_set_allow_readwrite_read_buffer(
    uint8_t *buffer, size_t len)
{
    return tock_allow_rw_return_to_returncode(allow_readwrite(INVS, 0, buffer, len));
}

returncode_t libtock_isolated_nonvolatile_storage_set_allow_readonly_write_buffer(
    uint8_t *buffer, size_t len)
{
    return tock_allow_ro_return_to_returncode(allow_readonly(INVS, 0, buffer, len));
}

returncode_t libtock_isolated_nonvolatile_storage_command_get_number_bytes(void)
{
    return tock_command_return_novalue_to_returncode(command(INVS, 1, 0, 0));
}

returncode_t libtock_isolated_nonvolatile_storage_command_read(uint64_t offset)
{
    return tock_command_return_novalue_to_returncode(
        command(INVS, 2, (uint32_t)offset, (uint32_t)(offset >> 32)));
}

returncode_t libtock_isolated_nonvolatile_storage_command_write(uint64_t offset)
{
    return tock_command_return_novalue_to_returncode(
        command(INVS, 3, (uint32_t)offset, (uint32_t)(offset >> 32)));
}
