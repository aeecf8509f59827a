/* SPDX-License-Identifier: Apache-2.0 OR MIT */
/*
 * RNG Yield-WaitFor helper.
 *
 * Usage: see rng_syscalls.h.
 *
 * Invariants: none.
 */
#include "rng_syscalls.h"

returncode_t libtocksync_rng_yield_wait_for(int *received)
{
    yield_waitfor_return_t event = yield_wait_for(DRIVER_NUM_RNG, 0);
    *received = (int)event.data1;
    return RETURNCODE_SUCCESS;
}
