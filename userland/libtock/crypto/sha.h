/* SPDX-License-Identifier: Apache-2.0 OR MIT */
/*
 * Asynchronous SHA (libtock-c's libtock/crypto/sha.h): hash a buffer, get a callback.
 *
 * Usage:
 *     static void done(returncode_t ret) { ... }
 *     libtock_sha_simple_hash(LIBTOCK_SHA256, data, len, digest, 32, done);
 *
 * Invariants: the buffers stay allowed after the callback; take them back with the syscalls
 * layer (or use libtock-sync/crypto/sha.h, which does).
 */
#pragma once

#include "../tock.h"
#include "sha_types.h"
#include "syscalls/sha_syscalls.h"

#ifdef __cplusplus
extern "C" {
#endif

/* The hash is done: RETURNCODE_SUCCESS or the driver's error. */
typedef void (*libtock_sha_callback_hash)(returncode_t);

bool libtock_sha_exists(void);

/* Hash input_length bytes of input_buffer into hash_buffer (32 bytes for SHA-256). Returns the
 * first error met setting up; on RETURNCODE_SUCCESS `cb` follows exactly once. */
returncode_t libtock_sha_simple_hash(libtock_sha_algorithm_t hash_type, uint8_t *input_buffer,
                                     uint32_t input_length, uint8_t *hash_buffer,
                                     uint32_t hash_length, libtock_sha_callback_hash cb);

#ifdef __cplusplus
}
#endif
