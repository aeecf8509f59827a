/* SPDX-License-Identifier: Apache-2.0 OR MIT */
/*
 * AES-128 block cipher and ECB/CBC/CTR modes, written from FIPS-197 and NIST SP 800-38A.
 *
 * The state is the 4x4 byte matrix of FIPS-197 §3.4 stored column by column (state[r + 4c]),
 * which is also the order of the input and output bytes, so no transposition is needed.
 * Multiplication in GF(2^8) uses xtime() (§4.2.1) without branches; the S-box tables were
 * derived from §5.1.1 (multiplicative inverse followed by the affine transform).
 *
 * Usage: see crypto/aes128.h.
 *
 * Invariants: round keys are read only by the block functions; nothing here keeps state
 * between calls.
 */
#include "crypto/aes128.h"

#include <stdbool.h>

#define STATE_LEN AES128_BLOCK_LEN

static const uint8_t sbox[256] = {
    0x63, 0x7c, 0x77, 0x7b, 0xf2, 0x6b, 0x6f, 0xc5, 0x30, 0x01, 0x67, 0x2b, 0xfe, 0xd7, 0xab, 0x76,
    0xca, 0x82, 0xc9, 0x7d, 0xfa, 0x59, 0x47, 0xf0, 0xad, 0xd4, 0xa2, 0xaf, 0x9c, 0xa4, 0x72, 0xc0,
    0xb7, 0xfd, 0x93, 0x26, 0x36, 0x3f, 0xf7, 0xcc, 0x34, 0xa5, 0xe5, 0xf1, 0x71, 0xd8, 0x31, 0x15,
    0x04, 0xc7, 0x23, 0xc3, 0x18, 0x96, 0x05, 0x9a, 0x07, 0x12, 0x80, 0xe2, 0xeb, 0x27, 0xb2, 0x75,
    0x09, 0x83, 0x2c, 0x1a, 0x1b, 0x6e, 0x5a, 0xa0, 0x52, 0x3b, 0xd6, 0xb3, 0x29, 0xe3, 0x2f, 0x84,
    0x53, 0xd1, 0x00, 0xed, 0x20, 0xfc, 0xb1, 0x5b, 0x6a, 0xcb, 0xbe, 0x39, 0x4a, 0x4c, 0x58, 0xcf,
    0xd0, 0xef, 0xaa, 0xfb, 0x43, 0x4d, 0x33, 0x85, 0x45, 0xf9, 0x02, 0x7f, 0x50, 0x3c, 0x9f, 0xa8,
    0x51, 0xa3, 0x40, 0x8f, 0x92, 0x9d, 0x38, 0xf5, 0xbc, 0xb6, 0xda, 0x21, 0x10, 0xff, 0xf3, 0xd2,
    0xcd, 0x0c, 0x13, 0xec, 0x5f, 0x97, 0x44, 0x17, 0xc4, 0xa7, 0x7e, 0x3d, 0x64, 0x5d, 0x19, 0x73,
    0x60, 0x81, 0x4f, 0xdc, 0x22, 0x2a, 0x90, 0x88, 0x46, 0xee, 0xb8, 0x14, 0xde, 0x5e, 0x0b, 0xdb,
    0xe0, 0x32, 0x3a, 0x0a, 0x49, 0x06, 0x24, 0x5c, 0xc2, 0xd3, 0xac, 0x62, 0x91, 0x95, 0xe4, 0x79,
    0xe7, 0xc8, 0x37, 0x6d, 0x8d, 0xd5, 0x4e, 0xa9, 0x6c, 0x56, 0xf4, 0xea, 0x65, 0x7a, 0xae, 0x08,
    0xba, 0x78, 0x25, 0x2e, 0x1c, 0xa6, 0xb4, 0xc6, 0xe8, 0xdd, 0x74, 0x1f, 0x4b, 0xbd, 0x8b, 0x8a,
    0x70, 0x3e, 0xb5, 0x66, 0x48, 0x03, 0xf6, 0x0e, 0x61, 0x35, 0x57, 0xb9, 0x86, 0xc1, 0x1d, 0x9e,
    0xe1, 0xf8, 0x98, 0x11, 0x69, 0xd9, 0x8e, 0x94, 0x9b, 0x1e, 0x87, 0xe9, 0xce, 0x55, 0x28, 0xdf,
    0x8c, 0xa1, 0x89, 0x0d, 0xbf, 0xe6, 0x42, 0x68, 0x41, 0x99, 0x2d, 0x0f, 0xb0, 0x54, 0xbb, 0x16,
};
static const uint8_t inverse_sbox[256] = {
    0x52, 0x09, 0x6a, 0xd5, 0x30, 0x36, 0xa5, 0x38, 0xbf, 0x40, 0xa3, 0x9e, 0x81, 0xf3, 0xd7, 0xfb,
    0x7c, 0xe3, 0x39, 0x82, 0x9b, 0x2f, 0xff, 0x87, 0x34, 0x8e, 0x43, 0x44, 0xc4, 0xde, 0xe9, 0xcb,
    0x54, 0x7b, 0x94, 0x32, 0xa6, 0xc2, 0x23, 0x3d, 0xee, 0x4c, 0x95, 0x0b, 0x42, 0xfa, 0xc3, 0x4e,
    0x08, 0x2e, 0xa1, 0x66, 0x28, 0xd9, 0x24, 0xb2, 0x76, 0x5b, 0xa2, 0x49, 0x6d, 0x8b, 0xd1, 0x25,
    0x72, 0xf8, 0xf6, 0x64, 0x86, 0x68, 0x98, 0x16, 0xd4, 0xa4, 0x5c, 0xcc, 0x5d, 0x65, 0xb6, 0x92,
    0x6c, 0x70, 0x48, 0x50, 0xfd, 0xed, 0xb9, 0xda, 0x5e, 0x15, 0x46, 0x57, 0xa7, 0x8d, 0x9d, 0x84,
    0x90, 0xd8, 0xab, 0x00, 0x8c, 0xbc, 0xd3, 0x0a, 0xf7, 0xe4, 0x58, 0x05, 0xb8, 0xb3, 0x45, 0x06,
    0xd0, 0x2c, 0x1e, 0x8f, 0xca, 0x3f, 0x0f, 0x02, 0xc1, 0xaf, 0xbd, 0x03, 0x01, 0x13, 0x8a, 0x6b,
    0x3a, 0x91, 0x11, 0x41, 0x4f, 0x67, 0xdc, 0xea, 0x97, 0xf2, 0xcf, 0xce, 0xf0, 0xb4, 0xe6, 0x73,
    0x96, 0xac, 0x74, 0x22, 0xe7, 0xad, 0x35, 0x85, 0xe2, 0xf9, 0x37, 0xe8, 0x1c, 0x75, 0xdf, 0x6e,
    0x47, 0xf1, 0x1a, 0x71, 0x1d, 0x29, 0xc5, 0x89, 0x6f, 0xb7, 0x62, 0x0e, 0xaa, 0x18, 0xbe, 0x1b,
    0xfc, 0x56, 0x3e, 0x4b, 0xc6, 0xd2, 0x79, 0x20, 0x9a, 0xdb, 0xc0, 0xfe, 0x78, 0xcd, 0x5a, 0xf4,
    0x1f, 0xdd, 0xa8, 0x33, 0x88, 0x07, 0xc7, 0x31, 0xb1, 0x12, 0x10, 0x59, 0x27, 0x80, 0xec, 0x5f,
    0x60, 0x51, 0x7f, 0xa9, 0x19, 0xb5, 0x4a, 0x0d, 0x2d, 0xe5, 0x7a, 0x9f, 0x93, 0xc9, 0x9c, 0xef,
    0xa0, 0xe0, 0x3b, 0x4d, 0xae, 0x2a, 0xf5, 0xb0, 0xc8, 0xeb, 0xbb, 0x3c, 0x83, 0x53, 0x99, 0x61,
    0x17, 0x2b, 0x04, 0x7e, 0xba, 0x77, 0xd6, 0x26, 0xe1, 0x69, 0x14, 0x63, 0x55, 0x21, 0x0c, 0x7d,
};

/* Multiplication by x (that is, {02}) modulo x^8 + x^4 + x^3 + x + 1 (FIPS-197 §4.2.1). */
static uint8_t xtime(uint8_t a)
{
    return (uint8_t)((a << 1) ^ ((a >> 7) * 0x1b));
}

static void add_round_key(uint8_t state[STATE_LEN], const uint8_t *round_key)
{
    for (unsigned i = 0; i < STATE_LEN; i++) {
        state[i] ^= round_key[i];
    }
}

static void sub_bytes(uint8_t state[STATE_LEN], const uint8_t table[256])
{
    for (unsigned i = 0; i < STATE_LEN; i++) {
        state[i] = table[state[i]];
    }
}

/* Row r rotates left by r places (ShiftRows, §5.1.2), or right for InvShiftRows (§5.3.1). */
static void shift_rows(uint8_t state[STATE_LEN], bool inverse)
{
    uint8_t out[STATE_LEN];
    for (unsigned r = 0; r < 4; r++) {
        for (unsigned c = 0; c < 4; c++) {
            unsigned from = inverse ? (c + 4 - r) % 4 : (c + r) % 4;
            out[r + 4 * c] = state[r + 4 * from];
        }
    }
    for (unsigned i = 0; i < STATE_LEN; i++) {
        state[i] = out[i];
    }
}

/* MixColumns (§5.1.3): each column times {03}x^3 + {01}x^2 + {01}x + {02} modulo x^4 + 1. */
static void mix_columns(uint8_t state[STATE_LEN])
{
    for (unsigned c = 0; c < 4; c++) {
        uint8_t *col = &state[4 * c];
        uint8_t a0 = col[0], a1 = col[1], a2 = col[2], a3 = col[3];
        uint8_t all = (uint8_t)(a0 ^ a1 ^ a2 ^ a3);
        /* {02}a_i ^ {03}a_(i+1) ^ a_(i+2) ^ a_(i+3) = a_i ^ all ^ {02}(a_i ^ a_(i+1)) */
        col[0] = (uint8_t)(a0 ^ all ^ xtime((uint8_t)(a0 ^ a1)));
        col[1] = (uint8_t)(a1 ^ all ^ xtime((uint8_t)(a1 ^ a2)));
        col[2] = (uint8_t)(a2 ^ all ^ xtime((uint8_t)(a2 ^ a3)));
        col[3] = (uint8_t)(a3 ^ all ^ xtime((uint8_t)(a3 ^ a0)));
    }
}

/* InvMixColumns (§5.3.3): each column times {0b}x^3 + {0d}x^2 + {09}x + {0e}. */
static void inverse_mix_columns(uint8_t state[STATE_LEN])
{
    for (unsigned c = 0; c < 4; c++) {
        uint8_t *col = &state[4 * c];
        uint8_t a[4], m9[4], m11[4], m13[4], m14[4];
        for (unsigned i = 0; i < 4; i++) {
            a[i] = col[i];
            uint8_t x2 = xtime(a[i]);
            uint8_t x4 = xtime(x2);
            uint8_t x8 = xtime(x4);
            m9[i] = (uint8_t)(x8 ^ a[i]);
            m11[i] = (uint8_t)(x8 ^ x2 ^ a[i]);
            m13[i] = (uint8_t)(x8 ^ x4 ^ a[i]);
            m14[i] = (uint8_t)(x8 ^ x4 ^ x2);
        }
        for (unsigned i = 0; i < 4; i++) {
            col[i] = (uint8_t)(m14[i] ^ m11[(i + 1) % 4] ^ m13[(i + 2) % 4] ^ m9[(i + 3) % 4]);
        }
    }
}

void aes128_expand_key(struct aes128_key *key, const uint8_t raw[AES128_KEY_LEN])
{
    uint8_t *w = key->round_keys;
    for (unsigned i = 0; i < AES128_KEY_LEN; i++) {
        w[i] = raw[i];
    }
    uint8_t rcon = 0x01;
    for (unsigned i = 4; i < 4 * (AES128_ROUNDS + 1); i++) {
        const uint8_t *previous = &w[4 * (i - 1)];
        uint8_t temp[4] = { previous[0], previous[1], previous[2], previous[3] };
        if (i % 4 == 0) { /* SubWord(RotWord(temp)) xor Rcon[i / 4] */
            uint8_t first = temp[0];
            temp[0] = (uint8_t)(sbox[temp[1]] ^ rcon);
            temp[1] = sbox[temp[2]];
            temp[2] = sbox[temp[3]];
            temp[3] = sbox[first];
            rcon = xtime(rcon);
        }
        for (unsigned b = 0; b < 4; b++) {
            w[4 * i + b] = (uint8_t)(w[4 * (i - 4) + b] ^ temp[b]);
        }
    }
}

void aes128_wipe_key(struct aes128_key *key)
{
    volatile uint8_t *bytes = key->round_keys;
    for (size_t i = 0; i < sizeof key->round_keys; i++) {
        bytes[i] = 0;
    }
}

void aes128_encrypt_block(const struct aes128_key *key, const uint8_t in[AES128_BLOCK_LEN],
                          uint8_t out[AES128_BLOCK_LEN])
{
    uint8_t state[STATE_LEN];
    for (unsigned i = 0; i < STATE_LEN; i++) {
        state[i] = in[i];
    }
    add_round_key(state, &key->round_keys[0]);
    for (unsigned round = 1; round < AES128_ROUNDS; round++) {
        sub_bytes(state, sbox);
        shift_rows(state, false);
        mix_columns(state);
        add_round_key(state, &key->round_keys[round * STATE_LEN]);
    }
    sub_bytes(state, sbox);
    shift_rows(state, false);
    add_round_key(state, &key->round_keys[AES128_ROUNDS * STATE_LEN]);
    for (unsigned i = 0; i < STATE_LEN; i++) {
        out[i] = state[i];
    }
}

void aes128_decrypt_block(const struct aes128_key *key, const uint8_t in[AES128_BLOCK_LEN],
                          uint8_t out[AES128_BLOCK_LEN])
{
    uint8_t state[STATE_LEN];
    for (unsigned i = 0; i < STATE_LEN; i++) {
        state[i] = in[i];
    }
    add_round_key(state, &key->round_keys[AES128_ROUNDS * STATE_LEN]);
    for (unsigned round = AES128_ROUNDS - 1; round > 0; round--) {
        shift_rows(state, true);
        sub_bytes(state, inverse_sbox);
        add_round_key(state, &key->round_keys[round * STATE_LEN]);
        inverse_mix_columns(state);
    }
    shift_rows(state, true);
    sub_bytes(state, inverse_sbox);
    add_round_key(state, &key->round_keys[0]);
    for (unsigned i = 0; i < STATE_LEN; i++) {
        out[i] = state[i];
    }
}

err_t aes128_ecb_encrypt(const struct aes128_key *key, const uint8_t *src, uint8_t *dst,
                         size_t len)
{
    if (len % AES128_BLOCK_LEN != 0) {
        return ERR_SIZE;
    }
    for (size_t offset = 0; offset < len; offset += AES128_BLOCK_LEN) {
        aes128_encrypt_block(key, &src[offset], &dst[offset]);
    }
    return ERR_OK;
}

err_t aes128_ecb_decrypt(const struct aes128_key *key, const uint8_t *src, uint8_t *dst,
                         size_t len)
{
    if (len % AES128_BLOCK_LEN != 0) {
        return ERR_SIZE;
    }
    for (size_t offset = 0; offset < len; offset += AES128_BLOCK_LEN) {
        aes128_decrypt_block(key, &src[offset], &dst[offset]);
    }
    return ERR_OK;
}

err_t aes128_cbc_encrypt(const struct aes128_key *key, uint8_t iv[AES128_BLOCK_LEN],
                         const uint8_t *src, uint8_t *dst, size_t len)
{
    if (len % AES128_BLOCK_LEN != 0) {
        return ERR_SIZE;
    }
    for (size_t offset = 0; offset < len; offset += AES128_BLOCK_LEN) {
        for (unsigned i = 0; i < AES128_BLOCK_LEN; i++) {
            iv[i] ^= src[offset + i]; /* iv becomes the cipher input P_j xor C_(j-1) */
        }
        aes128_encrypt_block(key, iv, iv);
        for (unsigned i = 0; i < AES128_BLOCK_LEN; i++) {
            dst[offset + i] = iv[i];
        }
    }
    return ERR_OK;
}

err_t aes128_cbc_decrypt(const struct aes128_key *key, uint8_t iv[AES128_BLOCK_LEN],
                         const uint8_t *src, uint8_t *dst, size_t len)
{
    if (len % AES128_BLOCK_LEN != 0) {
        return ERR_SIZE;
    }
    for (size_t offset = 0; offset < len; offset += AES128_BLOCK_LEN) {
        uint8_t cipher[AES128_BLOCK_LEN]; /* kept: dst may be src */
        uint8_t plain[AES128_BLOCK_LEN];
        for (unsigned i = 0; i < AES128_BLOCK_LEN; i++) {
            cipher[i] = src[offset + i];
        }
        aes128_decrypt_block(key, cipher, plain);
        for (unsigned i = 0; i < AES128_BLOCK_LEN; i++) {
            dst[offset + i] = (uint8_t)(plain[i] ^ iv[i]);
            iv[i] = cipher[i];
        }
    }
    return ERR_OK;
}

void aes128_ctr_increment(uint8_t counter[AES128_BLOCK_LEN])
{
    unsigned carry = 1;
    for (unsigned i = AES128_BLOCK_LEN; i > 0; i--) {
        unsigned sum = counter[i - 1] + carry;
        counter[i - 1] = (uint8_t)sum;
        carry = sum >> 8;
    }
}

void aes128_ctr_crypt(const struct aes128_key *key, uint8_t counter[AES128_BLOCK_LEN],
                      const uint8_t *src, uint8_t *dst, size_t len)
{
    for (size_t offset = 0; offset < len; offset += AES128_BLOCK_LEN) {
        uint8_t keystream[AES128_BLOCK_LEN];
        aes128_encrypt_block(key, counter, keystream);
        aes128_ctr_increment(counter);
        size_t chunk = len - offset < AES128_BLOCK_LEN ? len - offset : AES128_BLOCK_LEN;
        for (size_t i = 0; i < chunk; i++) {
            dst[offset + i] = (uint8_t)(src[offset + i] ^ keystream[i]);
        }
    }
}
