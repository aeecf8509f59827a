/* SPDX-License-Identifier: Apache-2.0 OR MIT */
/*
 * SHA Yield-WaitFor helper (libtock-c's libtock-sync/crypto/syscalls/sha_syscalls.h): block for
 * the SHA driver's done event (subscribe 0) without running any upcall.
 *
 * Usage: after libtock_sha_command_hash() succeeded.
 *
 * Invariants: none.
 */
#pragma once

#include <libtock/crypto/syscalls/sha_syscalls.h>
#include <libtock/tock.h>

#ifdef __cplusplus
extern "C" {
#endif

/* Wait for the hash's upcall; returns its status. */
returncode_t libtocksync_sha_yield_wait_for_hash(void);

#ifdef __cplusplus
}
#endif
