/* SPDX-License-Identifier: Apache-2.0 OR MIT */
/*
 * AES-128-GCM (see crypto/aes_gcm.h).
 *
 * H = E(K, 0^128). J0 is IV || 0^31 || 1 for a 96-bit IV, else GHASH(IV, zero-padded, then
 * 0^64 || [len(IV)]_64). The payload is CTR from inc32(J0); GHASH runs over the associated data
 * (zero-padded), the ciphertext (zero-padded) and [len(A)]_64 || [len(C)]_64 (bit lengths); the
 * tag is its first t bytes XOR E(K, J0).
 *
 * Usage: see crypto/aes_gcm.h.
 *
 * Invariants: see crypto/aes_gcm.h. The multiplication has no data-dependent branch or index.
 */
#include "crypto/aes_gcm.h"

void aes_gcm_multiply(uint8_t x[AES128_BLOCK_LEN], const uint8_t h[AES128_BLOCK_LEN])
{
    /* SP 800-38D Algorithm 1, bit 0 being the most significant bit of byte 0. Z ^= V when the
     * bit of x is set; V = V >> 1, reduced by R = 0xe1 || 0^120 when the bit shifted out is
     * set. Both conditions are applied through all-ones/all-zeros masks. */
    uint8_t z[AES128_BLOCK_LEN] = { 0 };
    uint8_t v[AES128_BLOCK_LEN];
    for (size_t i = 0; i < AES128_BLOCK_LEN; i++) {
        v[i] = h[i];
    }
    for (size_t bit = 0; bit < 128u; bit++) {
        uint8_t take = (uint8_t)(0u - ((x[bit / 8u] >> (7u - bit % 8u)) & 1u));
        for (size_t i = 0; i < AES128_BLOCK_LEN; i++) {
            z[i] ^= (uint8_t)(v[i] & take);
        }
        uint8_t reduce = (uint8_t)(0u - (v[AES128_BLOCK_LEN - 1u] & 1u));
        for (size_t i = AES128_BLOCK_LEN - 1u; i > 0; i--) {
            v[i] = (uint8_t)((v[i] >> 1) | (v[i - 1u] << 7));
        }
        v[0] = (uint8_t)((v[0] >> 1) ^ (0xe1u & reduce));
    }
    for (size_t i = 0; i < AES128_BLOCK_LEN; i++) {
        x[i] = z[i];
    }
}

/* Add `len` bytes to GHASH (accumulator `x`), a block at a time. */
static void ghash_update(struct aes_gcm *gcm, const uint8_t *data, size_t len)
{
    for (size_t i = 0; i < len; i++) {
        gcm->block[gcm->block_fill++] = data[i];
        if (gcm->block_fill == AES128_BLOCK_LEN) {
            for (size_t j = 0; j < AES128_BLOCK_LEN; j++) {
                gcm->x[j] ^= gcm->block[j];
            }
            aes_gcm_multiply(gcm->x, gcm->h);
            gcm->block_fill = 0;
        }
    }
}

static void ghash_pad(struct aes_gcm *gcm)
{
    static const uint8_t zeros[AES128_BLOCK_LEN] = { 0 };
    if (gcm->block_fill != 0) {
        ghash_update(gcm, zeros, AES128_BLOCK_LEN - gcm->block_fill);
    }
}

static void put_be64(uint8_t *dst, uint64_t value)
{
    for (size_t i = 8; i > 0; i--) {
        dst[i - 1] = (uint8_t)value;
        value >>= 8;
    }
}

/* The low 32 bits of the counter block += 1, modulo 2^32. */
static void inc32(uint8_t counter[AES128_BLOCK_LEN])
{
    for (size_t i = AES128_BLOCK_LEN; i > AES128_BLOCK_LEN - 4u; i--) {
        counter[i - 1] = (uint8_t)(counter[i - 1] + 1u);
        if (counter[i - 1] != 0) {
            return;
        }
    }
}

/* H, J0 and E(K, J0); the counter at inc32(J0). */
static void start(struct aes_gcm *gcm, const struct aes128_key *key)
{
    uint8_t j0[AES128_BLOCK_LEN] = { 0 };
    aes128_encrypt_block(key, j0, gcm->h);
    if (gcm->iv_len == 12u) {
        for (size_t i = 0; i < 12u; i++) {
            j0[i] = gcm->iv[i];
        }
        j0[15] = 1;
    } else {
        uint8_t lengths[AES128_BLOCK_LEN] = { 0 };
        put_be64(&lengths[8], (uint64_t)gcm->iv_len * 8u);
        ghash_update(gcm, gcm->iv, gcm->iv_len);
        ghash_pad(gcm);
        ghash_update(gcm, lengths, sizeof lengths);
        for (size_t i = 0; i < AES128_BLOCK_LEN; i++) {
            j0[i] = gcm->x[i];
            gcm->x[i] = 0;
        }
    }
    aes128_encrypt_block(key, j0, gcm->ek_j0);
    inc32(j0);
    for (size_t i = 0; i < AES128_BLOCK_LEN; i++) {
        gcm->counter[i] = j0[i];
    }
    gcm->progress.is_started = true;
}

err_t aes_gcm_init(struct aes_gcm *gcm, const struct aes_gcm_params *params)
{
    size_t t = params->tag_len;
    if (params->iv == NULL || params->iv_len == 0 || params->iv_len > AES_GCM_IV_MAX ||
        !(t == 4u || t == 8u || (t >= 12u && t <= 16u))) {
        return ERR_INVAL;
    }
    *gcm = (struct aes_gcm){
        .iv_len = (uint8_t)params->iv_len,
        .tag_len = (uint8_t)t,
        .is_encrypting = params->is_encrypting,
    };
    aead_progress_init(&gcm->progress, params->aad_len, params->payload_len);
    for (size_t i = 0; i < params->iv_len; i++) {
        gcm->iv[i] = params->iv[i];
    }
    return ERR_OK;
}

err_t aes_gcm_aad(struct aes_gcm *gcm, const struct aes128_key *key, const uint8_t *aad,
                  size_t len)
{
    err_t err = aead_progress_check_aad(&gcm->progress, len);
    if (err != ERR_OK) {
        return err;
    }
    if (!gcm->progress.is_started) {
        start(gcm, key);
    }
    ghash_update(gcm, aad, len);
    if (aead_progress_advance_aad(&gcm->progress, len)) {
        ghash_pad(gcm);
    }
    return ERR_OK;
}

err_t aes_gcm_crypt(struct aes_gcm *gcm, const struct aes128_key *key, const uint8_t *src,
                    uint8_t *dst, size_t len)
{
    err_t err = aead_progress_check_payload(&gcm->progress, len);
    if (err != ERR_OK) {
        return err;
    }
    if (!gcm->progress.is_started) {
        start(gcm, key);
    }
    for (size_t done = 0; done < len; done += AES128_BLOCK_LEN) {
        uint8_t stream[AES128_BLOCK_LEN];
        size_t n = len - done < AES128_BLOCK_LEN ? len - done : AES128_BLOCK_LEN;
        aes128_encrypt_block(key, gcm->counter, stream);
        inc32(gcm->counter);
        uint8_t cipher[AES128_BLOCK_LEN];
        for (size_t i = 0; i < n; i++) { /* GHASH takes the ciphertext: src or dst */
            uint8_t out = (uint8_t)(src[done + i] ^ stream[i]);
            cipher[i] = gcm->is_encrypting ? out : src[done + i];
            dst[done + i] = out;
        }
        ghash_update(gcm, cipher, n);
        for (size_t i = 0; i < AES128_BLOCK_LEN; i++) {
            stream[i] = 0;
        }
    }
    if (aead_progress_advance_payload(&gcm->progress, len)) {
        ghash_pad(gcm);
    }
    return ERR_OK;
}

err_t aes_gcm_finish(struct aes_gcm *gcm, const struct aes128_key *key,
                     uint8_t tag[AES_GCM_TAG_MAX])
{
    err_t err = aead_progress_check_finish(&gcm->progress);
    if (err != ERR_OK) {
        return err;
    }
    if (!gcm->progress.is_started) {
        start(gcm, key);
    }
    uint8_t lengths[AES128_BLOCK_LEN];
    put_be64(lengths, (uint64_t)gcm->progress.aad_len * 8u);
    put_be64(&lengths[8], (uint64_t)gcm->progress.payload_len * 8u);
    ghash_update(gcm, lengths, sizeof lengths);
    for (size_t i = 0; i < AES_GCM_TAG_MAX; i++) {
        tag[i] = i < gcm->tag_len ? (uint8_t)(gcm->x[i] ^ gcm->ek_j0[i]) : 0;
    }
    gcm->progress.is_finished = true;
    return ERR_OK;
}

void aes_gcm_wipe(struct aes_gcm *gcm)
{
    volatile uint8_t *bytes = (volatile uint8_t *)gcm; /* stores the compiler may not drop */
    for (size_t i = 0; i < sizeof *gcm; i++) {
        bytes[i] = 0;
    }
}
