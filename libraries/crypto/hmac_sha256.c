/* SPDX-License-Identifier: Apache-2.0 OR MIT */
/*
 * HMAC-SHA256, written from RFC 2104 §2 (steps 1-7) with SHA-256 as H (B = 64, L = 32).
 *
 * The context keeps K0 between init and finish because the outer hash needs it at the end;
 * finish wipes it, together with the inner hash state.
 *
 * Usage: see crypto/hmac_sha256.h.
 *
 * Invariants: see crypto/hmac_sha256.h.
 */
#include "crypto/hmac_sha256.h"

static void wipe(void *p, size_t len)
{
    volatile uint8_t *bytes = p;
    for (size_t i = 0; i < len; i++) {
        bytes[i] = 0;
    }
}

static void hash_masked_key(struct sha256_ctx *sha, const uint8_t key_block[SHA256_BLOCK_LEN],
                            uint8_t mask)
{
    uint8_t masked[SHA256_BLOCK_LEN];
    for (unsigned i = 0; i < SHA256_BLOCK_LEN; i++) {
        masked[i] = (uint8_t)(key_block[i] ^ mask);
    }
    sha256_update(sha, masked, sizeof masked);
    wipe(masked, sizeof masked);
}

void hmac_sha256_key_block(const uint8_t *key, size_t key_len, uint8_t block[SHA256_BLOCK_LEN])
{
    size_t used = 0;
    if (key_len > SHA256_BLOCK_LEN) {
        sha256_digest(key, key_len, block);
        used = SHA256_DIGEST_LEN;
    } else {
        for (; used < key_len; used++) {
            block[used] = key[used];
        }
    }
    for (size_t i = used; i < SHA256_BLOCK_LEN; i++) {
        block[i] = 0;
    }
}

void hmac_sha256_init(struct hmac_sha256_ctx *ctx, const uint8_t *key, size_t key_len)
{
    hmac_sha256_key_block(key, key_len, ctx->key_block);
    sha256_init(&ctx->inner);
    hash_masked_key(&ctx->inner, ctx->key_block, HMAC_SHA256_INNER_PAD);
}

void hmac_sha256_update(struct hmac_sha256_ctx *ctx, const uint8_t *data, size_t len)
{
    sha256_update(&ctx->inner, data, len);
}

void hmac_sha256_finish(struct hmac_sha256_ctx *ctx, uint8_t mac[HMAC_SHA256_MAC_LEN])
{
    uint8_t inner_digest[SHA256_DIGEST_LEN];
    sha256_finish(&ctx->inner, inner_digest);
    struct sha256_ctx outer;
    sha256_init(&outer);
    hash_masked_key(&outer, ctx->key_block, HMAC_SHA256_OUTER_PAD);
    sha256_update(&outer, inner_digest, sizeof inner_digest);
    sha256_finish(&outer, mac);
    wipe(inner_digest, sizeof inner_digest);
    wipe(ctx, sizeof *ctx);
}

void hmac_sha256(const uint8_t *key, size_t key_len, const uint8_t *data, size_t len,
                 uint8_t mac[HMAC_SHA256_MAC_LEN])
{
    struct hmac_sha256_ctx ctx;
    hmac_sha256_init(&ctx, key, key_len);
    hmac_sha256_update(&ctx, data, len);
    hmac_sha256_finish(&ctx, mac);
}
