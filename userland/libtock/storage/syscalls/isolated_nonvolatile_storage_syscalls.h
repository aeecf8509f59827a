/* SPDX-License-Identifier: Apache-2.0 OR MIT */
/*
 * Isolated nonvolatile storage (driver 0x50004) system calls with libtock-c's names
 * (libtock/storage/syscalls/isolated_nonvolatile_storage_syscalls.h).
 *
 * Protocol (capsules/isolated_nonvolatile_storage.h): each app has its own region; command 1
 * asks its size (subscribe 0: (status, bytes, 0)); command 2 (offset) reads into read-write
 * allow 0 (subscribe 1); command 3 (offset) writes read-only allow 0 (subscribe 2); offsets are
 * 64-bit, passed as (low, high) halves. Refusals at the command: ENOSUPPORT (no storage
 * identity or right), EINVAL (outside the region), ERESERVE (an empty buffer), EBUSY (a request
 * is pending).
 *
 * Usage: async layer storage/isolated_nonvolatile_storage.h; sync layer in libtock-sync.
 *
 * Invariants: none beyond the kernel's; these are thin wrappers.
 */
#pragma once

#include "../../tock.h"

#ifdef __cplusplus
extern "C" {
#endif

#define DRIVER_NUM_ISOLATED_NONVOLATILE_STORAGE 0x50004

bool libtock_isolated_nonvolatile_storage_driver_exists(void);
returncode_t libtock_isolated_nonvolatile_storage_set_upcall_get_number_bytes_done(
    subscribe_upcall cb, void *opaque);
returncode_t libtock_isolated_nonvolatile_storage_set_upcall_read_done(subscribe_upcall cb,
                                                                       void *opaque);
returncode_t libtock_isolated_nonvolatile_storage_set_upcall_write_done(subscribe_upcall cb,
                                                                        void *opaque);
returncode_t libtock_isolated_nonvolatile_storage_set_allow_readwrite_read_buffer(
    uint8_t *buffer, size_t len);
returncode_t libtock_isolated_nonvolatile_storage_set_allow_readonly_write_buffer(
    uint8_t *buffer, size_t len);
returncode_t libtock_isolated_nonvolatile_storage_command_get_number_bytes(void);
returncode_t libtock_isolated_nonvolatile_storage_command_read(uint64_t offset);
returncode_t libtock_isolated_nonvolatile_storage_command_write(uint64_t offset);

#ifdef __cplusplus
}
#endif
