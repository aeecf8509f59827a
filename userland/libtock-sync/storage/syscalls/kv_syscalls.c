/* SPDX-License-Identifier: Apache-2.0 OR MIT */
/*
 * Key-value Yield-WaitFor helpers.
 *
 * Usage: see kv_syscalls.h.
 *
 * Invariants: none.
 */
#include "kv_syscalls.h"

returncode_t libtocksync_kv_yield_wait_for_get(int *length)
{
    yield_waitfor_return_t event = yield_wait_for(DRIVER_NUM_KV, 0);
    returncode_t ret = tock_status_to_returncode((statuscode_t)event.data0);
    if (ret == RETURNCODE_SUCCESS || ret == RETURNCODE_ESIZE) {
        *length = (int)event.data1;
    }
    return ret;
}

returncode_t libtocksync_kv_yield_wait_for_done(void)
{
    yield_waitfor_return_t event = yield_wait_for(DRIVER_NUM_KV, 0);
    return tock_status_to_returncode((statuscode_t)event.data0);
}
