/* SPDX-License-Identifier: Apache-2.0 OR MIT */
/*
 * Asynchronous SHA over the SHA system calls.
 *
 * Usage: see sha.h.
 *
 * Invariants: the user's callback waits in `callback` (ISO C cannot pass a function pointer as
 * the upcall's opaque pointer); the driver allows one outstanding request per process, so one
 * slot is enough.
 */
#include "sha.h"

static libtock_sha_callback_hash callback;

static void sha_upcall(int status, int unused1, int unused2, void *opaque)
{
    (void)unused1;
    (void)unused2;
    (void)opaque;
    callback(tock_status_to_returncode((statuscode_t)status));
}

bool libtock_sha_exists(void)
{
    return libtock_sha_driver_exists();
}

returncode_t libtock_sha_simple_hash(libtock_sha_algorithm_t hash_type, uint8_t *input_buffer,
                                     uint32_t input_length, uint8_t *hash_buffer,
                                     uint32_t hash_length, libtock_sha_callback_hash cb)
{
    returncode_t ret = libtock_sha_command_set_algorithm((uint8_t)hash_type);
    if (ret != RETURNCODE_SUCCESS) {
        return ret;
    }
    ret = libtock_sha_set_readonly_allow_data_buffer(input_buffer, input_length);
    if (ret != RETURNCODE_SUCCESS) {
        return ret;
    }
    ret = libtock_sha_set_readwrite_allow_destination_buffer(hash_buffer, hash_length);
    if (ret != RETURNCODE_SUCCESS) {
        return ret;
    }
    callback = cb;
    ret = libtock_sha_set_hash_upcall(sha_upcall, NULL);
    if (ret != RETURNCODE_SUCCESS) {
        return ret;
    }
    return libtock_sha_command_hash();
}
