/* SPDX-License-Identifier: Apache-2.0 OR MIT */
/*
 * AES-128-GCM (NIST SP 800-38D), incremental, over the AES-128 block cipher of crypto/aes128.h.
 *
 * Like crypto/aes_ccm.h: declare the message (IV, lengths, tag length), feed the associated data
 * and then the payload in pieces, and finish yields the tag. GHASH is done in software with a
 * bit-serial multiplication in GF(2^128) that uses masks instead of branches and no tables, so
 * its timing does not depend on H or the data.
 *
 * Usage:
 *     struct aes_gcm gcm;
 *     const struct aes_gcm_params p = { iv, 12, aad_len, payload_len, 16, true };
 *     if (aes_gcm_init(&gcm, &p) != ERR_OK) { ... }
 *     aes_gcm_aad(&gcm, &key, aad, aad_len);
 *     aes_gcm_crypt(&gcm, &key, plain, cipher, len);   // multiples of 16, then the rest
 *     aes_gcm_finish(&gcm, &key, tag);
 *     aes_gcm_wipe(&gcm);
 *
 * Invariants: as crypto/aes_ccm.h. The counter advances with inc32 (the low 32 bits only).
 */
#pragma once

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "crypto/aead_progress.h"
#include "crypto/aes128.h"
#include "errorcode.h"

#define AES_GCM_IV_MAX 64u
#define AES_GCM_TAG_MAX 16u

struct aes_gcm_params {
    const uint8_t *iv;
    size_t iv_len;  /* 1..64; 12 is the recommended (and fastest) length */
    size_t aad_len;
    size_t payload_len;
    size_t tag_len; /* 4, 8, 12, 13, 14, 15 or 16 */
    bool is_encrypting;
};

struct aes_gcm {
    uint8_t h[AES128_BLOCK_LEN];       /* E(K, 0): the hash key */
    uint8_t ek_j0[AES128_BLOCK_LEN];   /* E(K, J0): encrypts the tag */
    uint8_t counter[AES128_BLOCK_LEN]; /* the next counter block */
    uint8_t x[AES128_BLOCK_LEN];       /* the GHASH accumulator */
    uint8_t block[AES128_BLOCK_LEN];   /* GHASH input not yet a whole block */
    uint8_t iv[AES_GCM_IV_MAX];
    uint8_t iv_len;
    uint8_t tag_len;
    uint8_t block_fill;
    bool is_encrypting;
    struct aead_progress progress; /* lengths, what is left, started, finished */
};

/* As aes_ccm_init: ERR_OK, ERR_INVAL (iv NULL, iv_len 0 or over 64, tag length not allowed). */
MUST_CHECK err_t aes_gcm_init(struct aes_gcm *gcm, const struct aes_gcm_params *params);
/* As aes_ccm_aad, aes_ccm_crypt, aes_ccm_finish and aes_ccm_wipe. */
MUST_CHECK err_t aes_gcm_aad(struct aes_gcm *gcm, const struct aes128_key *key,
                             const uint8_t *aad, size_t len);
MUST_CHECK err_t aes_gcm_crypt(struct aes_gcm *gcm, const struct aes128_key *key,
                               const uint8_t *src, uint8_t *dst, size_t len);
MUST_CHECK err_t aes_gcm_finish(struct aes_gcm *gcm, const struct aes128_key *key,
                                uint8_t tag[AES_GCM_TAG_MAX]);
void aes_gcm_wipe(struct aes_gcm *gcm);

/* GHASH's multiplication in GF(2^128) (SP 800-38D §6.3): x = x * h. Exposed for tests. */
void aes_gcm_multiply(uint8_t x[AES128_BLOCK_LEN], const uint8_t h[AES128_BLOCK_LEN]);
