/* SPDX-License-Identifier: Apache-2.0 OR MIT */
/*
 * Synchronous AES-128 CCM and GCM messages over the AES system calls and Yield-WaitFor.
 *
 * Usage: see aes.h.
 *
 * Invariants: every successful allow is undone, and a successful setup finished, before
 * returning.
 */
#include "aes.h"

#include <libtock/crypto/syscalls/aes_syscalls.h>

static returncode_t set_parameters(const struct libtocksync_aes_aead_message *m)
{
    returncode_t ret = libtock_aes_set_algorithm(m->algorithm, m->is_encrypting);
    if (ret == RETURNCODE_SUCCESS) {
        ret = libtock_aes_ccm_set_a_off(m->aad_offset);
    }
    if (ret == RETURNCODE_SUCCESS) {
        ret = libtock_aes_ccm_set_m_off(m->message_offset);
    }
    if (ret == RETURNCODE_SUCCESS) {
        ret = libtock_aes_ccm_set_mic_len(m->tag_len);
    }
    if (ret == RETURNCODE_SUCCESS) {
        ret = libtock_aes_ccm_set_confidential(true);
    }
    return ret;
}

/* Setup and wait for its upcall: (status, bytes, verified). */
static returncode_t run(uint32_t *written, bool *is_verified)
{
    returncode_t ret = libtock_aes_setup();
    if (ret != RETURNCODE_SUCCESS) {
        return ret;
    }
    yield_waitfor_return_t event = yield_wait_for(DRIVER_NUM_AES, 0);
    ret = tock_status_to_returncode((statuscode_t)event.data0);
    if (ret == RETURNCODE_SUCCESS) {
        *written = event.data1;
        *is_verified = event.data2 == 1;
        (void)libtock_aes_finish();
    }
    return ret;
}

returncode_t libtocksync_aes_aead(const struct libtocksync_aes_aead_message *m,
                                  uint32_t *written)
{
    returncode_t ret = set_parameters(m);
    if (ret != RETURNCODE_SUCCESS) {
        return ret;
    }
    uint32_t bytes = 0;
    bool is_verified = false;
    ret = libtock_aes_set_readonly_allow_key_buffer(m->key, 16);
    if (ret == RETURNCODE_SUCCESS) {
        ret = libtock_aes_set_readonly_allow_nonce_buffer(m->nonce, m->nonce_len);
        if (ret == RETURNCODE_SUCCESS) {
            ret = libtock_aes_set_readonly_allow_source_buffer(m->source, m->source_len);
            if (ret == RETURNCODE_SUCCESS) {
                ret = libtock_aes_set_readwrite_allow_dest_buffer(m->dest, m->dest_len);
                if (ret == RETURNCODE_SUCCESS) {
                    ret = run(&bytes, &is_verified);
                    (void)libtock_aes_set_readwrite_allow_dest_buffer(NULL, 0);
                }
                (void)libtock_aes_set_readonly_allow_source_buffer(NULL, 0);
            }
            (void)libtock_aes_set_readonly_allow_nonce_buffer(NULL, 0);
        }
        (void)libtock_aes_set_readonly_allow_key_buffer(NULL, 0);
    }
    if (ret == RETURNCODE_SUCCESS && !is_verified) {
        volatile uint8_t *payload = m->dest; /* stores the compiler may not drop */
        for (uint32_t i = m->message_offset; i < bytes && i < m->dest_len; i++) {
            payload[i] = 0;
        }
        return RETURNCODE_FAIL;
    }
    *written = bytes;
    return ret;
}
