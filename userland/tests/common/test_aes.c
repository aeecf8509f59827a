/* SPDX-License-Identifier: Apache-2.0 OR MIT */
/*
 * AES-128-CBC start for the test apps (see test_aes.h).
 *
 * Invariants: none.
 */
#include "test_aes.h"

#include <stdbool.h>

#include <libtock/crypto/aes.h>

returncode_t test_aes_cbc_encrypt_start(const struct test_aes_request *req)
{
    returncode_t rc = libtock_aes_set_algorithm(LIBTOCK_AES128CBC, true);
    if (rc == RETURNCODE_SUCCESS) {
        rc = libtock_aes_set_readonly_allow_key_buffer(req->key, 16);
    }
    if (rc == RETURNCODE_SUCCESS) {
        rc = libtock_aes_set_readonly_allow_iv_buffer(req->iv, 16);
    }
    if (rc == RETURNCODE_SUCCESS) {
        rc = libtock_aes_set_readonly_allow_source_buffer(req->source, req->source_len);
    }
    if (rc == RETURNCODE_SUCCESS) {
        rc = libtock_aes_set_readwrite_allow_dest_buffer(req->dest, req->dest_len);
    }
    if (rc == RETURNCODE_SUCCESS) {
        rc = libtock_aes_setup();
    }
    return rc;
}
