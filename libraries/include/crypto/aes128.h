/* SPDX-License-Identifier: Apache-2.0 OR MIT */
/*
 * AES-128 (FIPS-197) block cipher and the ECB, CBC and CTR modes (NIST SP 800-38A).
 *
 * Freestanding software implementation: no tables beyond the S-box and its inverse, no heap,
 * and no branches on key or data (timing still leaks through table lookups: this is not
 * constant-time). The modes work on caller buffers; `src` may equal `dst` (in place), but the
 * two must not otherwise overlap.
 *
 * Usage:
 *     struct aes128_key key;
 *     aes128_expand_key(&key, raw_key);
 *     uint8_t iv[AES128_BLOCK_LEN] = { ... };
 *     if (aes128_cbc_encrypt(&key, iv, plain, cipher, 64) != ERR_OK) { ... }
 *
 * Invariants: a `struct aes128_key` holds the 11 round keys of one expanded key and is read only
 * by the block functions; wipe it (aes128_wipe_key) when the key is no longer needed.
 */
#pragma once

#include <stddef.h>
#include <stdint.h>

#include "errorcode.h"

#define AES128_BLOCK_LEN 16u
#define AES128_KEY_LEN 16u
#define AES128_ROUNDS 10u

struct aes128_key {
    uint8_t round_keys[(AES128_ROUNDS + 1u) * AES128_BLOCK_LEN]; /* w[0..43], bytes in order */
};

/* KeyExpansion (FIPS-197 §5.2) of the 16-byte `raw` key. */
void aes128_expand_key(struct aes128_key *key, const uint8_t raw[AES128_KEY_LEN]);
/* Overwrite the round keys with zeros. */
void aes128_wipe_key(struct aes128_key *key);

/* Cipher / InvCipher of one block (FIPS-197 §5.1, §5.3). `in` may equal `out`. */
void aes128_encrypt_block(const struct aes128_key *key, const uint8_t in[AES128_BLOCK_LEN],
                          uint8_t out[AES128_BLOCK_LEN]);
void aes128_decrypt_block(const struct aes128_key *key, const uint8_t in[AES128_BLOCK_LEN],
                          uint8_t out[AES128_BLOCK_LEN]);

/**
 * ECB: each of the len / 16 blocks of `src` is enciphered (deciphered) into `dst`.
 * Returns ERR_OK, or ERR_SIZE when `len` is not a multiple of 16 (nothing is written).
 */
MUST_CHECK err_t aes128_ecb_encrypt(const struct aes128_key *key, const uint8_t *src, uint8_t *dst,
                                    size_t len);
MUST_CHECK err_t aes128_ecb_decrypt(const struct aes128_key *key, const uint8_t *src, uint8_t *dst,
                                    size_t len);

/**
 * CBC: `iv` is the chaining value; on ERR_OK it holds the last ciphertext block, so a message
 * may be processed in several calls. Returns ERR_OK, or ERR_SIZE when `len` is not a multiple
 * of 16 (nothing is written, `iv` unchanged).
 */
MUST_CHECK err_t aes128_cbc_encrypt(const struct aes128_key *key, uint8_t iv[AES128_BLOCK_LEN],
                                    const uint8_t *src, uint8_t *dst, size_t len);
MUST_CHECK err_t aes128_cbc_decrypt(const struct aes128_key *key, uint8_t iv[AES128_BLOCK_LEN],
                                    const uint8_t *src, uint8_t *dst, size_t len);

/**
 * CTR (encryption and decryption are the same): `dst = src XOR E(counter), E(counter + 1), ...`
 * with the counter block incremented as one big-endian 128-bit integer (wrapping at 2^128).
 * Any `len` works; `counter` is left at the next unused value, and a final partial block uses up
 * a whole counter value, so only the last call of a message may have `len % 16 != 0`.
 */
void aes128_ctr_crypt(const struct aes128_key *key, uint8_t counter[AES128_BLOCK_LEN],
                      const uint8_t *src, uint8_t *dst, size_t len);
/* counter += 1 as a big-endian 128-bit integer, modulo 2^128. */
void aes128_ctr_increment(uint8_t counter[AES128_BLOCK_LEN]);
