/* SPDX-License-Identifier: Apache-2.0 OR MIT */
/*
 * Isolated nonvolatile storage, synchronous waits (libtock-c's
 * libtock-sync/storage/syscalls/isolated_nonvolatile_storage_syscalls.h). Each returns the
 * upcall's status word as it is, as libtock-c does (0 on success; a refusal reported in the
 * upcall comes back as the kernel's positive status code).
 */
#pragma once

#include <libtock/tock.h>

#ifdef __cplusplus
extern "C" {
#endif

returncode_t libtocksync_isolated_nonvolatile_storage_yield_wait_for_get_number_bytes(
    uint64_t *number_bytes);
returncode_t libtocksync_isolated_nonvolatile_storage_yield_wait_for_read(void);
returncode_t libtocksync_isolated_nonvolatile_storage_yield_wait_for_write(void);

#ifdef __cplusplus
}
#endif
