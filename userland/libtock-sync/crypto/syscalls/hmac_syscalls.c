/* SPDX-License-Identifier: Apache-2.0 OR MIT */
/*
 * HMAC Yield-WaitFor helper.
 *
 * Usage: see hmac_syscalls.h.
 *
 * Invariants: none.
 */
#include "hmac_syscalls.h"

returncode_t libtocksync_hmac_yield_wait_for(void)
{
    yield_waitfor_return_t event = yield_wait_for(DRIVER_NUM_HMAC, 0);
    return tock_status_to_returncode((statuscode_t)event.data0);
}
