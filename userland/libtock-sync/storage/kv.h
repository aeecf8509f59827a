/* SPDX-License-Identifier: Apache-2.0 OR MIT */
/*
 * Synchronous key-value storage (libtock-c's libtock-sync/storage/kv.h): each call returns when
 * the operation is over, with its status (see libtock/storage/kv.h for the outcomes).
 *
 * Built on Yield-WaitFor, so no upcall (of this or any other driver) runs while it blocks. When
 * other processes are using the store the request waits its turn in the kernel; it is never
 * refused as busy.
 *
 * Usage:
 *     uint32_t len;
 *     returncode_t ret = libtocksync_kv_set((const uint8_t *)"k", 1, (const uint8_t *)"v", 1);
 *     ret = libtocksync_kv_get((const uint8_t *)"k", 1, buf, sizeof buf, &len);
 *
 * Invariants: the buffers are allowed only for the duration of the call.
 */
#pragma once

#include <libtock/storage/kv.h>
#include <libtock/tock.h>

#include "syscalls/kv_syscalls.h"

#ifdef __cplusplus
extern "C" {
#endif

bool libtocksync_kv_exists(void);

/* Copy the key's value into ret_buffer; *value_len gets its full length on RETURNCODE_SUCCESS
 * and on RETURNCODE_ESIZE (ret_buffer was too short and holds the value's first ret_len
 * bytes). */
returncode_t libtocksync_kv_get(const uint8_t *key_buffer, uint32_t key_len, uint8_t *ret_buffer,
                                uint32_t ret_len, uint32_t *value_len);

returncode_t libtocksync_kv_set(const uint8_t *key_buffer, uint32_t key_len,
                                const uint8_t *val_buffer, uint32_t val_len);

returncode_t libtocksync_kv_add(const uint8_t *key_buffer, uint32_t key_len,
                                const uint8_t *val_buffer, uint32_t val_len);

returncode_t libtocksync_kv_update(const uint8_t *key_buffer, uint32_t key_len,
                                   const uint8_t *val_buffer, uint32_t val_len);

returncode_t libtocksync_kv_delete(const uint8_t *key_buffer, uint32_t key_len);

returncode_t libtocksync_kv_garbage_collect(void);

#ifdef __cplusplus
}
#endif
