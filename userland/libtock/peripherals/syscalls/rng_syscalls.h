/* SPDX-License-Identifier: Apache-2.0 OR MIT */
/*
 * RNG (driver 0x40001) system calls, as libtock-c names them.
 *
 * Command 1 (n) asks for n random bytes into the read-write allow 0 buffer; upcall 0 then
 * carries (0, bytes written, 0): fewer than n when the buffer is shorter. One request per
 * process at a time (a second one while the first is outstanding fails with BUSY).
 *
 * Usage: apps use peripherals/rng.h or libtock-sync/peripherals/rng.h.
 *
 * Invariants: none (thin wrappers).
 */
#pragma once

#include "../../tock.h"

#ifdef __cplusplus
extern "C" {
#endif

#define DRIVER_NUM_RNG 0x40001

/* True when the RNG driver answers command 0. */
bool libtock_rng_driver_exists(void);
/* Read-write allow 0: where the random bytes go (NULL, 0 to withdraw it). */
returncode_t libtock_rng_set_allow_readwrite(uint8_t *buf, uint32_t len);
/* Subscribe 0: upcall (0, bytes written, 0, opaque) when a request completes. */
returncode_t libtock_rng_set_upcall(subscribe_upcall callback, void *opaque);
/* Command 1: ask for num_bytes random bytes. */
returncode_t libtock_rng_command_get_random(uint32_t num_bytes);

#ifdef __cplusplus
}
#endif
