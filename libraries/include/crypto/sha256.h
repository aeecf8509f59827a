/* SPDX-License-Identifier: Apache-2.0 OR MIT */
/*
 * SHA-256 (FIPS 180-4): incremental hashing plus the primitives a hash engine is built from.
 *
 * The incremental interface (init, update any number of times with any lengths, finish) covers
 * ordinary use. The primitives (initial state, one-block compression, padding, state to bytes)
 * let a block-at-a-time engine such as chips/crypto_engine hash with exactly the same code,
 * one compression per step. Messages are limited to 2^61 - 1 bytes (the 64-bit bit count).
 *
 * Usage:
 *     struct sha256_ctx ctx;
 *     sha256_init(&ctx);
 *     sha256_update(&ctx, part1, len1);
 *     sha256_update(&ctx, part2, len2);
 *     sha256_finish(&ctx, digest);          // 32 bytes; ctx is wiped
 *
 * Invariants: ctx->fill < SHA256_BLOCK_LEN between calls, and ctx->block[0..fill) are the
 * message bytes not yet compressed; ctx->length counts every message byte added.
 */
#pragma once

#include <stddef.h>
#include <stdint.h>

#define SHA256_BLOCK_LEN 64u
#define SHA256_DIGEST_LEN 32u
#define SHA256_STATE_WORDS 8u
#define SHA256_PADDING_MAX_LEN 72u /* 0x80, up to 63 zero bytes, the 8-byte bit length */

struct sha256_ctx {
    uint32_t state[SHA256_STATE_WORDS]; /* H0..H7 after the blocks compressed so far */
    uint64_t length;                    /* message bytes added */
    uint8_t block[SHA256_BLOCK_LEN];    /* bytes waiting for a full block */
    size_t fill;                        /* how many of block[] are in use */
};

void sha256_init(struct sha256_ctx *ctx);
/* Add `len` bytes (len may be 0; data may then be NULL). */
void sha256_update(struct sha256_ctx *ctx, const uint8_t *data, size_t len);
/* Pad, write the 32-byte digest and wipe ctx (sha256_init it again to hash another message). */
void sha256_finish(struct sha256_ctx *ctx, uint8_t digest[SHA256_DIGEST_LEN]);
/* One-shot convenience: digest = SHA-256(data[0..len)). */
void sha256_digest(const uint8_t *data, size_t len, uint8_t digest[SHA256_DIGEST_LEN]);

/* The primitives. */
/* H(0) of FIPS 180-4 §5.3.3. */
void sha256_initial_state(uint32_t state[SHA256_STATE_WORDS]);
/* One iteration of §6.2.2: fold the 64-byte `block` into `state`. */
void sha256_compress(uint32_t state[SHA256_STATE_WORDS], const uint8_t block[SHA256_BLOCK_LEN]);
/* The §5.1.1 padding for a message of `message_len` bytes: writes it to `pad` and returns its
 * length (9..72), after which the padded message is a whole number of blocks. */
size_t sha256_padding(uint64_t message_len, uint8_t pad[SHA256_PADDING_MAX_LEN]);
/* The state as the big-endian digest bytes. */
void sha256_state_to_digest(const uint32_t state[SHA256_STATE_WORDS],
                            uint8_t digest[SHA256_DIGEST_LEN]);
