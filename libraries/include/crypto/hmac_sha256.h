/* SPDX-License-Identifier: Apache-2.0 OR MIT */
/*
 * HMAC-SHA256 (RFC 2104 with SHA-256, as in FIPS 198-1): incremental and one-shot.
 *
 * HMAC(K, m) = H((K0 ^ opad) || H((K0 ^ ipad) || m)), where K0 is the key padded with zeros to
 * the 64-byte block, or SHA-256(K) padded likewise when K is longer than a block.
 *
 * Usage:
 *     struct hmac_sha256_ctx ctx;
 *     hmac_sha256_init(&ctx, key, key_len);
 *     hmac_sha256_update(&ctx, data, len);  // any number of times
 *     hmac_sha256_finish(&ctx, mac);         // 32 bytes; ctx (and its copy of K0) is wiped
 *
 * Invariants: ctx->key_block holds K0 from init until finish; ctx->inner hashes the ipad block
 * followed by the message.
 */
#pragma once

#include <stddef.h>
#include <stdint.h>

#include "crypto/sha256.h"

#define HMAC_SHA256_MAC_LEN SHA256_DIGEST_LEN
#define HMAC_SHA256_INNER_PAD 0x36u
#define HMAC_SHA256_OUTER_PAD 0x5cu

struct hmac_sha256_ctx {
    struct sha256_ctx inner;
    uint8_t key_block[SHA256_BLOCK_LEN]; /* K0 */
};

/* K0 of RFC 2104 step 1: `key` (key_len may be 0) zero-padded, or hashed first if longer than
 * a block. */
void hmac_sha256_key_block(const uint8_t *key, size_t key_len, uint8_t block[SHA256_BLOCK_LEN]);

void hmac_sha256_init(struct hmac_sha256_ctx *ctx, const uint8_t *key, size_t key_len);
void hmac_sha256_update(struct hmac_sha256_ctx *ctx, const uint8_t *data, size_t len);
void hmac_sha256_finish(struct hmac_sha256_ctx *ctx, uint8_t mac[HMAC_SHA256_MAC_LEN]);
/* One-shot convenience. */
void hmac_sha256(const uint8_t *key, size_t key_len, const uint8_t *data, size_t len,
                 uint8_t mac[HMAC_SHA256_MAC_LEN]);
