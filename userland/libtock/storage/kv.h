/* SPDX-License-Identifier: Apache-2.0 OR MIT */
/*
 * Asynchronous key-value storage (libtock-c's libtock/storage/kv.h): each call sets up the
 * allows, starts the operation and returns; the callback reports the outcome.
 *
 * Access is governed by the app's storage permissions (elf2tab/tbfpack --write-id, --read-ids,
 * --access-ids): an app without them gets RETURNCODE_EINVAL from every call. Outcomes in the
 * callback: RETURNCODE_SUCCESS; RETURNCODE_ENOSUPPORT (no such key, or not this app's to read or
 * change; add: the key exists); RETURNCODE_ENOMEM (the store is full); RETURNCODE_ESIZE (get: the
 * value was longer than ret_len -- `length` is its full length, ret_buffer holds its start);
 * RETURNCODE_FAIL (the flash failed).
 *
 * Usage:
 *     static void got(returncode_t ret, int length) { ... }
 *     libtock_kv_get((const uint8_t *)"name", 4, buf, sizeof buf, got);
 *
 * Invariants: one operation at a time per app (a second before the first's callback is
 * RETURNCODE_ENOMEM); the buffers stay allowed after the callback (libtock-sync/storage/kv.h
 * takes them back).
 */
#pragma once

#include "../tock.h"
#include "syscalls/kv_syscalls.h"

#ifdef __cplusplus
extern "C" {
#endif

/* A get is done: its status and the value's full length (0 on errors other than ESIZE). */
typedef void (*libtock_kv_callback_get)(returncode_t, int);

/* Any other operation is done: its status. */
typedef void (*libtock_kv_callback_done)(returncode_t);

bool libtock_kv_exists(void);

/* Each returns the first error met setting up; on RETURNCODE_SUCCESS `cb` follows once. */
returncode_t libtock_kv_get(const uint8_t *key_buffer, uint32_t key_len, uint8_t *ret_buffer,
                            uint32_t ret_len, libtock_kv_callback_get cb);

/* Add the key or overwrite its value. */
returncode_t libtock_kv_set(const uint8_t *key_buffer, uint32_t key_len,
                            const uint8_t *val_buffer, uint32_t val_len,
                            libtock_kv_callback_done cb);

/* Add the key; fails (ENOSUPPORT) if it exists. */
returncode_t libtock_kv_add(const uint8_t *key_buffer, uint32_t key_len,
                            const uint8_t *val_buffer, uint32_t val_len,
                            libtock_kv_callback_done cb);

/* Overwrite the key's value; fails (ENOSUPPORT) if it does not exist. */
returncode_t libtock_kv_update(const uint8_t *key_buffer, uint32_t key_len,
                               const uint8_t *val_buffer, uint32_t val_len,
                               libtock_kv_callback_done cb);

returncode_t libtock_kv_delete(const uint8_t *key_buffer, uint32_t key_len,
                               libtock_kv_callback_done cb);

/* Compact the store, reclaiming the room of overwritten and deleted values. */
returncode_t libtock_kv_garbage_collect(libtock_kv_callback_done cb);

#ifdef __cplusplus
}
#endif
