/* SPDX-License-Identifier: Apache-2.0 OR MIT */
/*
 * Isolated nonvolatile storage, synchronous (libtock-c's
 * libtock-sync/storage/isolated_nonvolatile_storage.h): the app's own region of flash.
 *
 * Usage: uint64_t n; libtocksync_isolated_nonvolatile_storage_get_number_bytes(&n);
 *        libtocksync_isolated_nonvolatile_storage_write(0, buf, len);
 *
 * Invariants: the allow is taken back after each call.
 */
#pragma once

#include <libtock/storage/isolated_nonvolatile_storage.h>
#include <libtock/tock.h>

#ifdef __cplusplus
extern "C" {
#endif

bool libtocksync_isolated_nonvolatile_storage_exists(void);
returncode_t libtocksync_isolated_nonvolatile_storage_get_number_bytes(uint64_t *number_bytes);
returncode_t libtocksync_isolated_nonvolatile_storage_write(uint64_t offset, uint8_t *buffer,
                                                            uint32_t buffer_length);
returncode_t libtocksync_isolated_nonvolatile_storage_read(uint64_t offset, uint8_t *buffer,
                                                           uint32_t buffer_length);

#ifdef __cplusplus
}
#endif
