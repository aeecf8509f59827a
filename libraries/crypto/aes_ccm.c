/* SPDX-License-Identifier: Apache-2.0 OR MIT */
/*
 * AES-128-CCM (see crypto/aes_ccm.h).
 *
 * The CBC-MAC runs over B_0, the encoded associated-data length and the associated data
 * (zero-padded to a block), then the payload (zero-padded); bytes wait in `block` until a whole
 * block is there. The payload is encrypted with CTR from A_1; the tag is the MAC XOR E(K, A_0).
 * The formatting is SP 800-38C Appendix A: flags = Adata << 6 | (t - 2) / 2 << 3 | (q - 1),
 * q = 15 - n the length field's size, all lengths big-endian.
 *
 * Usage: see crypto/aes_ccm.h.
 *
 * Invariants: see crypto/aes_ccm.h.
 */
#include "crypto/aes_ccm.h"

static void xor_block(uint8_t *dst, const uint8_t *src)
{
    for (size_t i = 0; i < AES128_BLOCK_LEN; i++) {
        dst[i] ^= src[i];
    }
}

/* Add `len` bytes to the CBC-MAC, a block at a time. */
static void mac_update(struct aes_ccm *ccm, const struct aes128_key *key, const uint8_t *data,
                       size_t len)
{
    for (size_t i = 0; i < len; i++) {
        ccm->block[ccm->block_fill++] = data[i];
        if (ccm->block_fill == AES128_BLOCK_LEN) {
            xor_block(ccm->mac, ccm->block);
            aes128_encrypt_block(key, ccm->mac, ccm->mac);
            ccm->block_fill = 0;
        }
    }
}

/* Zero-pad what waits in `block` to a whole block and MAC it. */
static void mac_pad(struct aes_ccm *ccm, const struct aes128_key *key)
{
    if (ccm->block_fill == 0) {
        return;
    }
    for (size_t i = ccm->block_fill; i < AES128_BLOCK_LEN; i++) {
        ccm->block[i] = 0;
    }
    xor_block(ccm->mac, ccm->block);
    aes128_encrypt_block(key, ccm->mac, ccm->mac);
    ccm->block_fill = 0;
}

/* Write `value` big-endian into `len` bytes. */
static void put_be(uint8_t *dst, size_t len, uint64_t value)
{
    for (size_t i = len; i > 0; i--) {
        dst[i - 1] = (uint8_t)value;
        value >>= 8;
    }
}

/* B_0, then the associated data's length encoding (SP 800-38C A.2.2), and S0. */
static void start(struct aes_ccm *ccm, const struct aes128_key *key)
{
    size_t q = 15u - ccm->nonce_len;
    uint8_t b0[AES128_BLOCK_LEN];
    uint8_t tag_field = ccm->tag_len == 0 ? 0 : (uint8_t)((ccm->tag_len - 2u) / 2u);
    uint8_t adata = ccm->progress.aad_len > 0 ? 0x40u : 0u;
    b0[0] = (uint8_t)(adata | (unsigned)(tag_field << 3) | (q - 1u));
    for (size_t i = 0; i < ccm->nonce_len; i++) {
        b0[1 + i] = ccm->nonce[i];
    }
    put_be(&b0[1 + ccm->nonce_len], q, ccm->progress.payload_len);
    for (size_t i = 0; i < AES128_BLOCK_LEN; i++) {
        ccm->mac[i] = 0;
    }
    ccm->block_fill = 0;
    mac_update(ccm, key, b0, sizeof b0);
    uint8_t encoded[10];
    size_t encoded_len = 0;
    uint64_t a = ccm->progress.aad_len;
    if (a == 0) {
        encoded_len = 0;
    } else if (a < 0xff00u) {
        put_be(encoded, 2, a);
        encoded_len = 2;
    } else if (a <= 0xffffffffu) {
        encoded[0] = 0xff;
        encoded[1] = 0xfe;
        put_be(&encoded[2], 4, a);
        encoded_len = 6;
    } else {
        encoded[0] = 0xff;
        encoded[1] = 0xff;
        put_be(&encoded[2], 8, a);
        encoded_len = 10;
    }
    mac_update(ccm, key, encoded, encoded_len);
    /* A_0 = flags (q - 1) | nonce | 0; S0 = E(K, A_0); the payload starts at A_1. */
    ccm->counter[0] = (uint8_t)(q - 1u);
    for (size_t i = 0; i < ccm->nonce_len; i++) {
        ccm->counter[1 + i] = ccm->nonce[i];
    }
    put_be(&ccm->counter[1 + ccm->nonce_len], q, 0);
    aes128_encrypt_block(key, ccm->counter, ccm->s0);
    aes128_ctr_increment(ccm->counter);
    ccm->progress.is_started = true;
    if (ccm->progress.aad_left == 0) {
        mac_pad(ccm, key); /* no associated data: B_0 stands alone */
    }
}

err_t aes_ccm_init(struct aes_ccm *ccm, const struct aes_ccm_params *params)
{
    size_t n = params->nonce_len;
    size_t t = params->tag_len;
    if (params->nonce == NULL || n < AES_CCM_NONCE_MIN || n > AES_CCM_NONCE_MAX ||
        t > AES_CCM_TAG_MAX || (t != 0 && (t < 4u || t % 2u != 0))) {
        return ERR_INVAL;
    }
    size_t q = 15u - n;
    if (q < sizeof(uint64_t) && (uint64_t)params->payload_len >> (8u * q) != 0) {
        return ERR_SIZE;
    }
    *ccm = (struct aes_ccm){
        .nonce_len = (uint8_t)n,
        .tag_len = (uint8_t)t,
        .is_encrypting = params->is_encrypting,
        .is_payload_authenticated = params->is_payload_authenticated,
    };
    aead_progress_init(&ccm->progress, params->aad_len, params->payload_len);
    for (size_t i = 0; i < n; i++) {
        ccm->nonce[i] = params->nonce[i];
    }
    return ERR_OK;
}

err_t aes_ccm_aad(struct aes_ccm *ccm, const struct aes128_key *key, const uint8_t *aad,
                  size_t len)
{
    err_t err = aead_progress_check_aad(&ccm->progress, len);
    if (err != ERR_OK) {
        return err;
    }
    if (!ccm->progress.is_started) {
        start(ccm, key);
    }
    mac_update(ccm, key, aad, len);
    if (aead_progress_advance_aad(&ccm->progress, len)) {
        mac_pad(ccm, key);
    }
    return ERR_OK;
}

err_t aes_ccm_crypt(struct aes_ccm *ccm, const struct aes128_key *key, const uint8_t *src,
                    uint8_t *dst, size_t len)
{
    err_t err = aead_progress_check_payload(&ccm->progress, len);
    if (err != ERR_OK) {
        return err;
    }
    if (!ccm->progress.is_started) {
        start(ccm, key);
    }
    /* The MAC covers the plaintext: before encrypting, after decrypting (src may be dst). */
    if (ccm->is_encrypting && ccm->is_payload_authenticated) {
        mac_update(ccm, key, src, len);
    }
    aes128_ctr_crypt(key, ccm->counter, src, dst, len);
    if (!ccm->is_encrypting && ccm->is_payload_authenticated) {
        mac_update(ccm, key, dst, len);
    }
    if (aead_progress_advance_payload(&ccm->progress, len) && ccm->is_payload_authenticated) {
        mac_pad(ccm, key);
    }
    return ERR_OK;
}

err_t aes_ccm_finish(struct aes_ccm *ccm, const struct aes128_key *key,
                     uint8_t tag[AES_CCM_TAG_MAX])
{
    err_t err = aead_progress_check_finish(&ccm->progress);
    if (err != ERR_OK) {
        return err;
    }
    if (!ccm->progress.is_started) {
        start(ccm, key); /* no associated data and no payload: the MAC of B_0 */
    }
    for (size_t i = 0; i < AES_CCM_TAG_MAX; i++) {
        tag[i] = i < ccm->tag_len ? (uint8_t)(ccm->mac[i] ^ ccm->s0[i]) : 0;
    }
    ccm->progress.is_finished = true;
    return ERR_OK;
}

void aes_ccm_wipe(struct aes_ccm *ccm)
{
    volatile uint8_t *bytes = (volatile uint8_t *)ccm; /* stores the compiler may not drop */
    for (size_t i = 0; i < sizeof *ccm; i++) {
        bytes[i] = 0;
    }
}
