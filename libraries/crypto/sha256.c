/* SPDX-License-Identifier: Apache-2.0 OR MIT */
/*
 * SHA-256, written from FIPS 180-4 (§4.1.2 functions, §4.2.2 constants, §5.1.1 padding,
 * §5.3.3 initial value, §6.2.2 computation).
 *
 * The message schedule is kept as a rolling window of 16 words rather than all 64 (§6.2.2
 * step 1 only ever looks 16 words back), so a compression needs 64 bytes of stack for it.
 * The incremental interface is built from the primitives (compress, padding) that hardware
 * models use as well, so both paths run the same code.
 *
 * Usage: see crypto/sha256.h.
 *
 * Invariants: see crypto/sha256.h (struct sha256_ctx).
 */
#include "crypto/sha256.h"

/* The first 32 bits of the fractional parts of the cube roots of the first 64 primes (§4.2.2)
 * and of the square roots of the first 8 primes (§5.3.3). */
static const uint32_t round_constants[64] = {
    0x428a2f98, 0x71374491, 0xb5c0fbcf, 0xe9b5dba5, 0x3956c25b, 0x59f111f1, 0x923f82a4, 0xab1c5ed5,
    0xd807aa98, 0x12835b01, 0x243185be, 0x550c7dc3, 0x72be5d74, 0x80deb1fe, 0x9bdc06a7, 0xc19bf174,
    0xe49b69c1, 0xefbe4786, 0x0fc19dc6, 0x240ca1cc, 0x2de92c6f, 0x4a7484aa, 0x5cb0a9dc, 0x76f988da,
    0x983e5152, 0xa831c66d, 0xb00327c8, 0xbf597fc7, 0xc6e00bf3, 0xd5a79147, 0x06ca6351, 0x14292967,
    0x27b70a85, 0x2e1b2138, 0x4d2c6dfc, 0x53380d13, 0x650a7354, 0x766a0abb, 0x81c2c92e, 0x92722c85,
    0xa2bfe8a1, 0xa81a664b, 0xc24b8b70, 0xc76c51a3, 0xd192e819, 0xd6990624, 0xf40e3585, 0x106aa070,
    0x19a4c116, 0x1e376c08, 0x2748774c, 0x34b0bcb5, 0x391c0cb3, 0x4ed8aa4a, 0x5b9cca4f, 0x682e6ff3,
    0x748f82ee, 0x78a5636f, 0x84c87814, 0x8cc70208, 0x90befffa, 0xa4506ceb, 0xbef9a3f7, 0xc67178f2,
};
static const uint32_t initial_state[8] = {
    0x6a09e667, 0xbb67ae85, 0x3c6ef372, 0xa54ff53a, 0x510e527f, 0x9b05688c, 0x1f83d9ab, 0x5be0cd19,
};

static uint32_t rotate_right(uint32_t x, unsigned n)
{
    return (x >> n) | (x << (32u - n));
}

static uint32_t load_be32(const uint8_t *p)
{
    return (uint32_t)p[0] << 24 | (uint32_t)p[1] << 16 | (uint32_t)p[2] << 8 | (uint32_t)p[3];
}

static void store_be32(uint8_t *p, uint32_t x)
{
    p[0] = (uint8_t)(x >> 24);
    p[1] = (uint8_t)(x >> 16);
    p[2] = (uint8_t)(x >> 8);
    p[3] = (uint8_t)x;
}

static void wipe(void *p, size_t len)
{
    volatile uint8_t *bytes = p;
    for (size_t i = 0; i < len; i++) {
        bytes[i] = 0;
    }
}

void sha256_initial_state(uint32_t state[SHA256_STATE_WORDS])
{
    for (unsigned i = 0; i < SHA256_STATE_WORDS; i++) {
        state[i] = initial_state[i];
    }
}

void sha256_compress(uint32_t state[SHA256_STATE_WORDS], const uint8_t block[SHA256_BLOCK_LEN])
{
    uint32_t w[16];
    uint32_t a = state[0], b = state[1], c = state[2], d = state[3];
    uint32_t e = state[4], f = state[5], g = state[6], h = state[7];
    for (unsigned t = 0; t < 64; t++) {
        uint32_t wt;
        if (t < 16) {
            wt = load_be32(&block[4 * t]);
        } else { /* W_t = sigma1(W_t-2) + W_t-7 + sigma0(W_t-15) + W_t-16 */
            uint32_t w2 = w[(t - 2) % 16], w15 = w[(t - 15) % 16];
            uint32_t sigma1 = rotate_right(w2, 17) ^ rotate_right(w2, 19) ^ (w2 >> 10);
            uint32_t sigma0 = rotate_right(w15, 7) ^ rotate_right(w15, 18) ^ (w15 >> 3);
            wt = sigma1 + w[(t - 7) % 16] + sigma0 + w[t % 16];
        }
        w[t % 16] = wt;
        uint32_t big_sigma1 = rotate_right(e, 6) ^ rotate_right(e, 11) ^ rotate_right(e, 25);
        uint32_t choose = (e & f) ^ (~e & g);
        uint32_t big_sigma0 = rotate_right(a, 2) ^ rotate_right(a, 13) ^ rotate_right(a, 22);
        uint32_t majority = (a & b) ^ (a & c) ^ (b & c);
        uint32_t t1 = h + big_sigma1 + choose + round_constants[t] + wt;
        uint32_t t2 = big_sigma0 + majority;
        h = g;
        g = f;
        f = e;
        e = d + t1;
        d = c;
        c = b;
        b = a;
        a = t1 + t2;
    }
    state[0] += a;
    state[1] += b;
    state[2] += c;
    state[3] += d;
    state[4] += e;
    state[5] += f;
    state[6] += g;
    state[7] += h;
    wipe(w, sizeof w);
}

size_t sha256_padding(uint64_t message_len, uint8_t pad[SHA256_PADDING_MAX_LEN])
{
    /* 0x80, then k zero bytes with message_len + 1 + k = 56 (mod 64), then the bit length. */
    size_t zeros = (size_t)((SHA256_BLOCK_LEN + 55u - message_len % SHA256_BLOCK_LEN) %
                            SHA256_BLOCK_LEN);
    size_t n = 0;
    pad[n++] = 0x80;
    for (size_t i = 0; i < zeros; i++) {
        pad[n++] = 0;
    }
    store_be32(&pad[n], (uint32_t)(message_len >> 29)); /* the bit count, message_len * 8 */
    store_be32(&pad[n + 4], (uint32_t)message_len << 3);
    return n + 8;
}

void sha256_state_to_digest(const uint32_t state[SHA256_STATE_WORDS],
                            uint8_t digest[SHA256_DIGEST_LEN])
{
    for (unsigned i = 0; i < SHA256_STATE_WORDS; i++) {
        store_be32(&digest[4 * i], state[i]);
    }
}

void sha256_init(struct sha256_ctx *ctx)
{
    sha256_initial_state(ctx->state);
    ctx->length = 0;
    ctx->fill = 0;
}

void sha256_update(struct sha256_ctx *ctx, const uint8_t *data, size_t len)
{
    while (len > 0) {
        size_t take = SHA256_BLOCK_LEN - ctx->fill;
        if (take > len) {
            take = len;
        }
        for (size_t i = 0; i < take; i++) {
            ctx->block[ctx->fill + i] = data[i];
        }
        ctx->fill += take;
        ctx->length += take;
        data += take;
        len -= take;
        if (ctx->fill == SHA256_BLOCK_LEN) {
            sha256_compress(ctx->state, ctx->block);
            ctx->fill = 0;
        }
    }
}

void sha256_finish(struct sha256_ctx *ctx, uint8_t digest[SHA256_DIGEST_LEN])
{
    uint8_t pad[SHA256_PADDING_MAX_LEN];
    size_t pad_len = sha256_padding(ctx->length, pad);
    sha256_update(ctx, pad, pad_len); /* ends on a block boundary: fill is 0 again */
    sha256_state_to_digest(ctx->state, digest);
    wipe(ctx, sizeof *ctx);
}

void sha256_digest(const uint8_t *data, size_t len, uint8_t digest[SHA256_DIGEST_LEN])
{
    struct sha256_ctx ctx;
    sha256_init(&ctx);
    sha256_update(&ctx, data, len);
    sha256_finish(&ctx, digest);
}
