/* SPDX-License-Identifier: Apache-2.0 OR MIT */
/*
 * SHA-512 and SHA-384 (FIPS 180-4): one incremental hash with 64-bit words and two initial
 * values. SHA-384 is SHA-512 started from other words and cut to 48 bytes.
 *
 * Usage:
 *     struct sha512_ctx ctx;
 *     sha512_init(&ctx, SHA512_DIGEST_LEN);   // or SHA384_DIGEST_LEN for SHA-384
 *     sha512_update(&ctx, part, len);          // any number of times, any lengths
 *     sha512_finish(&ctx, digest);             // ctx.digest_len bytes; ctx is wiped
 *
 * Invariants: ctx->fill < SHA512_BLOCK_LEN between calls and block[0..fill) are the bytes not
 * yet compressed; ctx->length counts every byte added (messages up to 2^64 - 1 bytes: the
 * 128-bit bit count's upper word is only ever the top three bits of length).
 */
#pragma once

#include <stddef.h>
#include <stdint.h>

#define SHA512_BLOCK_LEN 128u
#define SHA512_DIGEST_LEN 64u
#define SHA384_DIGEST_LEN 48u

struct sha512_ctx {
    uint64_t state[8];
    uint64_t length;
    uint8_t block[SHA512_BLOCK_LEN];
    size_t fill;
    size_t digest_len; /* 64 (SHA-512) or 48 (SHA-384) */
};

/* digest_len SHA512_DIGEST_LEN starts SHA-512, anything else SHA-384. */
void sha512_init(struct sha512_ctx *ctx, size_t digest_len);
/* Add `len` bytes (len may be 0; data may then be NULL). */
void sha512_update(struct sha512_ctx *ctx, const uint8_t *data, size_t len);
/* Pad, write ctx->digest_len bytes to `digest` and wipe ctx. */
void sha512_finish(struct sha512_ctx *ctx, uint8_t *digest);
