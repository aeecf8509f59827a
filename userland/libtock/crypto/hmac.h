/* SPDX-License-Identifier: Apache-2.0 OR MIT */
/*
 * Asynchronous HMAC (libtock-c's libtock/crypto/hmac.h): MAC a buffer, get a callback.
 *
 * Usage:
 *     static void done(returncode_t ret) { ... }
 *     libtock_hmac_simple(LIBTOCK_HMAC_SHA256, key, key_len, data, len, mac, 32, done);
 *
 * Invariants: the buffers stay allowed after the callback (libtock-sync/crypto/hmac.h takes
 * them back).
 */
#pragma once

#include "../tock.h"
#include "hmac_types.h"
#include "syscalls/hmac_syscalls.h"

#ifdef __cplusplus
extern "C" {
#endif

/* The MAC is done: RETURNCODE_SUCCESS or the driver's error. */
typedef void (*libtock_hmac_callback_hmac)(returncode_t);

bool libtock_hmac_exists(void);

/* MAC input_length bytes of input_buffer with the key into hash_buffer (min(32, hash_length)
 * bytes). Returns the first error met setting up; on RETURNCODE_SUCCESS `cb` follows once. */
returncode_t libtock_hmac_simple(libtock_hmac_algorithm_t hmac_type, uint8_t *key_buffer,
                                 uint32_t key_length, uint8_t *input_buffer,
                                 uint32_t input_length, uint8_t *hash_buffer,
                                 uint32_t hash_length, libtock_hmac_callback_hmac cb);

#ifdef __cplusplus
}
#endif
