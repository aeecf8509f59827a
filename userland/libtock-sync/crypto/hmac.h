/* SPDX-License-Identifier: Apache-2.0 OR MIT */
/*
 * Synchronous HMAC (libtock-c's libtock-sync/crypto/hmac.h): returns when the MAC is written.
 *
 * Built on Yield-WaitFor, so no upcall (of this or any other driver) runs while it blocks. When
 * other processes are using the driver the request waits its turn in the kernel; it is never
 * refused as busy.
 *
 * Usage: libtocksync_hmac_simple(LIBTOCK_HMAC_SHA256, key, key_len, data, len, mac, 32);
 *
 * Invariants: the buffers are allowed only for the duration of the call.
 */
#pragma once

#include <libtock/crypto/hmac_types.h>
#include <libtock/tock.h>

#include "syscalls/hmac_syscalls.h"

#ifdef __cplusplus
extern "C" {
#endif

bool libtocksync_hmac_exists(void);

/* MAC input_length bytes of input_buffer with the key into hmac_buffer. Returns the first
 * error met. */
returncode_t libtocksync_hmac_simple(libtock_hmac_algorithm_t hmac_type, uint8_t *key_buffer,
                                     uint32_t key_length, uint8_t *input_buffer,
                                     uint32_t input_length, uint8_t *hmac_buffer,
                                     uint32_t hmac_length);

#ifdef __cplusplus
}
#endif
