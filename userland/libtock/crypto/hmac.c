/* SPDX-License-Identifier: Apache-2.0 OR MIT */
/*
 * Asynchronous HMAC over the HMAC system calls.
 *
 * Usage: see hmac.h.
 *
 * Invariants: the user's callback waits in `callback` (ISO C cannot pass a function pointer as
 * the upcall's opaque pointer); the driver allows one outstanding request per process, so one
 * slot is enough.
 */
#include "hmac.h"

static libtock_hmac_callback_hmac callback;

static void hmac_upcall(int status, int unused1, int unused2, void *opaque)
{
    (void)unused1;
    (void)unused2;
    (void)opaque;
    callback(tock_status_to_returncode((statuscode_t)status));
}

bool libtock_hmac_exists(void)
{
    return libtock_hmac_driver_exists();
}

returncode_t libtock_hmac_simple(libtock_hmac_algorithm_t hmac_type, uint8_t *key_buffer,
                                 uint32_t key_length, uint8_t *input_buffer,
                                 uint32_t input_length, uint8_t *hash_buffer,
                                 uint32_t hash_length, libtock_hmac_callback_hmac cb)
{
    returncode_t ret = libtock_hmac_command_set_algorithm((uint32_t)hmac_type);
    if (ret != RETURNCODE_SUCCESS) {
        return ret;
    }
    ret = libtock_hmac_set_readonly_allow_key_buffer(key_buffer, key_length);
    if (ret != RETURNCODE_SUCCESS) {
        return ret;
    }
    ret = libtock_hmac_set_readonly_allow_data_buffer(input_buffer, input_length);
    if (ret != RETURNCODE_SUCCESS) {
        return ret;
    }
    ret = libtock_hmac_set_readwrite_allow_destination_buffer(hash_buffer, hash_length);
    if (ret != RETURNCODE_SUCCESS) {
        return ret;
    }
    callback = cb;
    ret = libtock_hmac_set_upcall(hmac_upcall, NULL);
    if (ret != RETURNCODE_SUCCESS) {
        return ret;
    }
    return libtock_hmac_command_run();
}
