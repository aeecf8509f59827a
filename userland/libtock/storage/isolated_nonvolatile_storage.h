/* SPDX-License-Identifier: Apache-2.0 OR MIT */
/*
 * Isolated nonvolatile storage, callback style (libtock-c's
 * libtock/storage/isolated_nonvolatile_storage.h): the app's own region of flash.
 *
 * Usage: libtock_isolated_nonvolatile_storage_read(0, buf, len, read_cb); ... yield ...
 *
 * Invariants: one request at a time per app (the driver answers EBUSY otherwise).
 */
#pragma once

#include "../tock.h"

#ifdef __cplusplus
extern "C" {
#endif

typedef void (*libtock_isolated_nonvolatile_storage_callback_get_number_bytes)(returncode_t,
                                                                              uint64_t);
typedef void (*libtock_isolated_nonvolatile_storage_callback_write)(returncode_t);
typedef void (*libtock_isolated_nonvolatile_storage_callback_read)(returncode_t);

bool libtock_isolated_nonvolatile_storage_exists(void);
returncode_t libtock_isolated_nonvolatile_storage_get_number_bytes(
    libtock_isolated_nonvolatile_storage_callback_get_number_bytes cb);
returncode_t libtock_isolated_nonvolatile_storage_write(
    uint64_t offset, uint8_t *buffer, size_t buffer_length,
    libtock_isolated_nonvolatile_storage_callback_write cb);
returncode_t libtock_isolated_nonvolatile_storage_read(
    uint64_t offset, uint8_t *buffer, size_t buffer_length,
    libtock_isolated_nonvolatile_storage_callback_read cb);

#ifdef __cplusplus
}
#endif
