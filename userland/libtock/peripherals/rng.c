/* SPDX-License-Identifier: Apache-2.0 OR MIT */
/*
 * Asynchronous random bytes over the RNG system calls.
 *
 * Usage: see rng.h.
 *
 * Invariants: `callback` is the callback of the latest request (ISO C cannot carry a function
 * pointer through the upcall's void * opaque argument, so it is kept here).
 */
#include "rng.h"

#include "syscalls/rng_syscalls.h"

static libtock_rng_callback callback;

static void rng_upcall(int unused, int received, int unused2, void *opaque)
{
    (void)unused;
    (void)unused2;
    (void)opaque;
    callback(RETURNCODE_SUCCESS, received);
}

bool libtock_rng_exists(void)
{
    return libtock_rng_driver_exists();
}

returncode_t libtock_rng_get_random_bytes(uint8_t *buf, uint32_t len, uint32_t num,
                                          libtock_rng_callback cb)
{
    callback = cb;
    returncode_t ret = libtock_rng_set_upcall(rng_upcall, NULL);
    if (ret != RETURNCODE_SUCCESS) {
        return ret;
    }
    ret = libtock_rng_set_allow_readwrite(buf, len);
    if (ret != RETURNCODE_SUCCESS) {
        return ret;
    }
    return libtock_rng_command_get_random(num);
}
