/* SPDX-License-Identifier: Apache-2.0 OR MIT */
/*
 * AES-128-CCM (NIST SP 800-38C), incremental, over the AES-128 block cipher of crypto/aes128.h.
 *
 * A message is declared whole up front (nonce, lengths, tag length) because CCM's first block
 * encodes them; then its associated data and its payload are fed in order, in pieces, and
 * finish yields the tag. Each call does the block work for the bytes it is given, so a caller
 * can spread a long message over many short steps (the crypto engine does one block per step).
 * Beyond SP 800-38C, two IEEE 802.15.4 CCM* variants that Tock's CCM exposes are supported: a
 * tag length of 0 (encryption only, no tag) and leaving the payload out of the CBC-MAC
 * (is_payload_authenticated false: the tag covers the nonce, the lengths and the associated
 * data only; the payload is still encrypted).
 *
 * Usage:
 *     struct aes_ccm ccm;
 *     const struct aes_ccm_params p = { nonce, 13, aad_len, payload_len, 8, true, true };
 *     if (aes_ccm_init(&ccm, &p) != ERR_OK) { ... }
 *     aes_ccm_aad(&ccm, &key, aad, aad_len);             // in pieces, any sizes
 *     aes_ccm_crypt(&ccm, &key, plain, cipher, len);      // multiples of 16, then the rest
 *     aes_ccm_finish(&ccm, &key, tag);                    // tag_len bytes, the encrypted MAC
 *     aes_ccm_wipe(&ccm);
 * Decrypting is the same calls with is_encrypting false; finish then yields the tag to compare
 * (crypto_equal) with the received one. Before it matches, the payload is unauthenticated.
 *
 * Invariants: the progress counts down as crypto/aead_progress.h says; block_fill < 16; the
 * state holds key-derived secrets (the MAC and S0) and must be wiped after use. Timing depends
 * only on the lengths (apart from the AES table lookups, see crypto/aes128.h).
 */
#pragma once

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "crypto/aead_progress.h"
#include "crypto/aes128.h"
#include "errorcode.h"

#define AES_CCM_NONCE_MIN 7u
#define AES_CCM_NONCE_MAX 13u
#define AES_CCM_TAG_MAX 16u

struct aes_ccm_params {
    const uint8_t *nonce;
    size_t nonce_len;    /* 7..13; the length field then has 15 - nonce_len bytes */
    size_t aad_len;
    size_t payload_len;  /* must fit the length field */
    size_t tag_len;      /* 4, 6, ..., 16, or 0 (CCM*: no tag) */
    bool is_encrypting;
    bool is_payload_authenticated; /* false: CCM* without the payload in the MAC */
};

struct aes_ccm {
    uint8_t mac[AES128_BLOCK_LEN];     /* CBC-MAC chaining value */
    uint8_t counter[AES128_BLOCK_LEN]; /* the next counter block A_i */
    uint8_t s0[AES128_BLOCK_LEN];      /* E(K, A_0): encrypts the tag */
    uint8_t block[AES128_BLOCK_LEN];   /* CBC-MAC input not yet a whole block */
    uint8_t nonce[AES_CCM_NONCE_MAX];
    uint8_t nonce_len;
    uint8_t tag_len;
    uint8_t block_fill;
    bool is_encrypting;
    bool is_payload_authenticated;
    struct aead_progress progress; /* lengths, what is left, started, finished */
};

/**
 * Check `params` and set up `ccm` for one message; no block work yet (no key needed).
 * Returns ERR_OK, ERR_INVAL (nonce NULL, or a nonce or tag length CCM does not allow) or
 * ERR_SIZE (payload_len does not fit the length field).
 */
MUST_CHECK err_t aes_ccm_init(struct aes_ccm *ccm, const struct aes_ccm_params *params);

/* Feed `len` bytes of associated data. Returns ERR_OK, or ERR_SIZE (more than is left) or
 * ERR_INVAL (after the payload began or the message finished); nothing changes on error. */
MUST_CHECK err_t aes_ccm_aad(struct aes_ccm *ccm, const struct aes128_key *key,
                             const uint8_t *aad, size_t len);

/**
 * Encrypt (or decrypt) `len` payload bytes of `src` into `dst` (`src` may equal `dst`).
 * Returns ERR_OK, ERR_INVAL (associated data still due, or finished) or ERR_SIZE (`len` is 0,
 * more than is left, or not a multiple of 16 while it is not the rest of the payload);
 * nothing changes on error.
 */
MUST_CHECK err_t aes_ccm_crypt(struct aes_ccm *ccm, const struct aes128_key *key,
                               const uint8_t *src, uint8_t *dst, size_t len);

/**
 * End the message: write the tag (tag_len bytes, the encrypted CBC-MAC) to `tag` and zero the
 * rest of its 16 bytes. Returns ERR_OK or ERR_INVAL (data still due, or finished already).
 */
MUST_CHECK err_t aes_ccm_finish(struct aes_ccm *ccm, const struct aes128_key *key,
                                uint8_t tag[AES_CCM_TAG_MAX]);

/* Overwrite the whole state with zeros (it then refuses every call until aes_ccm_init). */
void aes_ccm_wipe(struct aes_ccm *ccm);
