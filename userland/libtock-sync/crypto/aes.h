/* SPDX-License-Identifier: Apache-2.0 OR MIT */
/*
 * Synchronous AES-128 CCM and GCM messages (a tockc addition: libtock-c has no sync AES layer).
 *
 * One call seals or opens a whole message laid out as the driver expects (capsules/aes.h):
 * `source` is [header | associated data | payload], plus the tag when opening; the result goes
 * to `dest` at the same offsets, the tag appended when sealing. CCM is always the standard
 * SP 800-38C mode here (the payload is authenticated: the driver's confidential flag is set).
 * Opening with a tag that does not match returns RETURNCODE_FAIL and overwrites the payload
 * written to `dest` with zeros, so the caller never sees unauthenticated plaintext.
 *
 * Usage:
 *     const struct libtocksync_aes_aead_message m = {
 *         .algorithm = LIBTOCK_AES128GCM, .is_encrypting = true, .key = key, .nonce = iv,
 *         .nonce_len = 12, .source = buf, .source_len = 52, .dest = out, .dest_len = 68,
 *         .aad_offset = 0, .message_offset = 20, .tag_len = 16 };
 *     uint32_t written;
 *     returncode_t ret = libtocksync_aes_aead(&m, &written);
 *
 * Invariants: the buffers are allowed only for the duration of the call; the driver's session
 * is finished before it returns.
 */
#pragma once

#include <stdbool.h>
#include <stdint.h>

#include <libtock/crypto/aes.h>
#include <libtock/tock.h>

#ifdef __cplusplus
extern "C" {
#endif

struct libtocksync_aes_aead_message {
    libtock_aes_algorithm_t algorithm; /* LIBTOCK_AES128CCM or LIBTOCK_AES128GCM */
    bool is_encrypting;
    const uint8_t *key;   /* 16 bytes */
    const uint8_t *nonce; /* CCM: 7..13 bytes; GCM: 12 bytes */
    uint32_t nonce_len;
    const uint8_t *source;
    uint32_t source_len;
    uint8_t *dest;
    uint32_t dest_len;
    uint32_t aad_offset;     /* where the associated data starts */
    uint32_t message_offset; /* where the payload starts */
    uint32_t tag_len;
};

/* Seal or open `m`. Returns the first error met, RETURNCODE_FAIL for a tag mismatch, or
 * RETURNCODE_SUCCESS with *written = the bytes written to m->dest. */
returncode_t libtocksync_aes_aead(const struct libtocksync_aes_aead_message *m,
                                  uint32_t *written);

#ifdef __cplusplus
}
#endif
