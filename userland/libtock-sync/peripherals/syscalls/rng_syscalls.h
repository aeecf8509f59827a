/* SPDX-License-Identifier: Apache-2.0 OR MIT */
/*
 * RNG Yield-WaitFor helper (libtock-c's libtock-sync/peripherals/syscalls/rng_syscalls.h):
 * block for the RNG driver's completion (subscribe 0) without running any upcall.
 *
 * Usage: after libtock_rng_command_get_random() succeeded.
 *
 * Invariants: none.
 */
#pragma once

#include <libtock/peripherals/syscalls/rng_syscalls.h>
#include <libtock/tock.h>

#ifdef __cplusplus
extern "C" {
#endif

/* Wait for the request to complete; *received = the bytes written. */
returncode_t libtocksync_rng_yield_wait_for(int *received);

#ifdef __cplusplus
}
#endif
