/* SPDX-License-Identifier: Apache-2.0 OR MIT */
/*
 * Synchronous HMAC over the HMAC system calls and Yield-WaitFor.
 *
 * Usage: see hmac.h.
 *
 * Invariants: every successful allow is undone before returning.
 */
#include "hmac.h"

#include <libtock/crypto/syscalls/hmac_syscalls.h>

bool libtocksync_hmac_exists(void)
{
    return libtock_hmac_driver_exists();
}

returncode_t libtocksync_hmac_simple(libtock_hmac_algorithm_t hmac_type, uint8_t *key_buffer,
                                     uint32_t key_length, uint8_t *input_buffer,
                                     uint32_t input_length, uint8_t *hmac_buffer,
                                     uint32_t hmac_length)
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
    if (ret == RETURNCODE_SUCCESS) {
        ret = libtock_hmac_set_readwrite_allow_destination_buffer(hmac_buffer, hmac_length);
        if (ret == RETURNCODE_SUCCESS) {
            ret = libtock_hmac_command_run();
            if (ret == RETURNCODE_SUCCESS) {
                ret = libtocksync_hmac_yield_wait_for();
            }
            (void)libtock_hmac_set_readwrite_allow_destination_buffer(NULL, 0);
        }
        (void)libtock_hmac_set_readonly_allow_data_buffer(NULL, 0);
    }
    (void)libtock_hmac_set_readonly_allow_key_buffer(NULL, 0);
    return ret;
}
