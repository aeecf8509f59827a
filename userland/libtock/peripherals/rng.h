/* SPDX-License-Identifier: Apache-2.0 OR MIT */
/*
 * Asynchronous random bytes (libtock-c's libtock/peripherals/rng.h).
 *
 * Usage:
 *     static void got(returncode_t ret, int received) { ... }
 *     libtock_rng_get_random_bytes(buf, sizeof buf, 16, got);   then yield until `got` runs.
 *
 * Invariants: the buffer stays allowed to the kernel after the callback; the next request
 * replaces it.
 */
#pragma once

#include "../tock.h"

#ifdef __cplusplus
extern "C" {
#endif

/* Called with RETURNCODE_SUCCESS and how many bytes were written to the buffer. */
typedef void (*libtock_rng_callback)(returncode_t, int);

bool libtock_rng_exists(void);

/* Register cb, allow buf[0..len) and ask for num bytes (at most len are written). */
returncode_t libtock_rng_get_random_bytes(uint8_t *buf, uint32_t len, uint32_t num,
                                          libtock_rng_callback cb);

#ifdef __cplusplus
}
#endif
