/* SPDX-License-Identifier: Apache-2.0 OR MIT */
/*
 * Synchronous SHA (libtock-c's libtock-sync/crypto/sha.h): returns when the digest is written.
 *
 * Built on Yield-WaitFor, so no upcall (of this or any other driver) runs while it blocks. When
 * other processes are using the driver the request waits its turn in the kernel; it is never
 * refused as busy.
 *
 * Usage: libtocksync_sha_simple_hash(LIBTOCK_SHA256, data, len, digest, 32);
 *
 * Invariants: the buffers are allowed only for the duration of the call.
 */
#pragma once

#include <libtock/crypto/sha_types.h>
#include <libtock/tock.h>

#include "syscalls/sha_syscalls.h"

#ifdef __cplusplus
extern "C" {
#endif

bool libtocksync_sha_exists(void);

/* Hash input_length bytes of input_buffer into hash_buffer. Returns the first error met. */
returncode_t libtocksync_sha_simple_hash(libtock_sha_algorithm_t hash_type,
                                         uint8_t *input_buffer, uint32_t input_length,
                                         uint8_t *hash_buffer, uint32_t hash_length);

#ifdef __cplusplus
}
#endif
