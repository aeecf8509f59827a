/* SPDX-License-Identifier: Apache-2.0 OR MIT */
/*
 * SHA Yield-WaitFor helper.
 *
 * Usage: see sha_syscalls.h.
 *
 * Invariants: none.
 */
#include "sha_syscalls.h"

returncode_t libtocksync_sha_yield_wait_for_hash(void)
{
    yield_waitfor_return_t event = yield_wait_for(DRIVER_NUM_SHA, 0);
    return tock_status_to_returncode((statuscode_t)event.data0);
}
