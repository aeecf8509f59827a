/* SPDX-License-Identifier: Apache-2.0 OR MIT */
/*
 * Synchronous random bytes (libtock-c's libtock-sync/peripherals/rng.h).
 *
 * Usage:
 *     int received;
 *     libtocksync_rng_get_random_bytes(buf, sizeof buf, 32, &received);
 *
 * Invariants: the buffer is allowed only for the duration of the call.
 */
#pragma once

#include <libtock/tock.h>

#ifdef __cplusplus
extern "C" {
#endif

bool libtocksync_rng_exists(void);

/* Ask for num random bytes into buf[0..len) and wait; *num_received = bytes written. */
returncode_t libtocksync_rng_get_random_bytes(uint8_t *buf, uint32_t len, uint32_t num,
                                              int *num_received);

#ifdef __cplusplus
}
#endif
