/* SPDX-License-Identifier: Apache-2.0 OR MIT */
/*
 * Synchronous random bytes over the RNG system calls and Yield-WaitFor.
 *
 * Usage: see rng.h.
 *
 * Invariants: every successful allow is undone before returning.
 */
#include "rng.h"

#include "syscalls/rng_syscalls.h"

bool libtocksync_rng_exists(void)
{
    return libtock_rng_driver_exists();
}

returncode_t libtocksync_rng_get_random_bytes(uint8_t *buf, uint32_t len, uint32_t num,
                                              int *num_received)
{
    returncode_t ret = libtock_rng_set_allow_readwrite(buf, len);
    if (ret != RETURNCODE_SUCCESS) {
        return ret;
    }
    ret = libtock_rng_command_get_random(num);
    if (ret == RETURNCODE_SUCCESS) {
        ret = libtocksync_rng_yield_wait_for(num_received);
    }
    (void)libtock_rng_set_allow_readwrite(NULL, 0);
    return ret;
}
