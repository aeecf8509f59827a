/* SPDX-License-Identifier: Apache-2.0 OR MIT */
/*
 * Key-value Yield-WaitFor helpers (libtock-c's libtock-sync/storage/syscalls/kv_syscalls.h):
 * block for the key-value driver's completion event (subscribe 0) without running any upcall.
 *
 * Usage: after a libtock_kv_command_*() succeeded.
 *
 * Invariants: none.
 */
#pragma once

#include <libtock/storage/syscalls/kv_syscalls.h>
#include <libtock/tock.h>

#ifdef __cplusplus
extern "C" {
#endif

/* Wait for a get: returns its status; *length gets the value's full length on success and on
 * RETURNCODE_ESIZE (the value did not fit the output buffer). */
returncode_t libtocksync_kv_yield_wait_for_get(int *length);

/* Wait for set/add/update/delete/garbage-collect: returns its status. */
returncode_t libtocksync_kv_yield_wait_for_done(void);

#ifdef __cplusplus
}
#endif
