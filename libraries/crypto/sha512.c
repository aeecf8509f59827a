/* SPDX-License-Identifier: Apache-2.0 OR MIT */
/*
 * SHA-512 and SHA-384, written from FIPS 180-4 (§4.1.3 functions, §4.2.3 constants, §5.1.2
 * padding, §5.3.4 and §5.3.5 initial values, §6.4.2 computation, §6.5 truncation).
 *
 * As in sha256.c, the message schedule is a rolling window of 16 words. Used by the kernel's
 * credential checker (kernel/credentials.c) to check SHA-384 and SHA-512 footers.
 *
 * Usage: see crypto/sha512.h.
 *
 * Invariants: see crypto/sha512.h (struct sha512_ctx).
 */
#include "crypto/sha512.h"

/* The first 64 bits of the fractional parts of the cube roots of the first 80 primes. */
static const uint64_t round_constants[80] = {
    0x428a2f98d728ae22, 0x7137449123ef65cd, 0xb5c0fbcfec4d3b2f, 0xe9b5dba58189dbbc,
    0x3956c25bf348b538, 0x59f111f1b605d019, 0x923f82a4af194f9b, 0xab1c5ed5da6d8118,
    0xd807aa98a3030242, 0x12835b0145706fbe, 0x243185be4ee4b28c, 0x550c7dc3d5ffb4e2,
    0x72be5d74f27b896f, 0x80deb1fe3b1696b1, 0x9bdc06a725c71235, 0xc19bf174cf692694,
    0xe49b69c19ef14ad2, 0xefbe4786384f25e3, 0x0fc19dc68b8cd5b5, 0x240ca1cc77ac9c65,
    0x2de92c6f592b0275, 0x4a7484aa6ea6e483, 0x5cb0a9dcbd41fbd4, 0x76f988da831153b5,
    0x983e5152ee66dfab, 0xa831c66d2db43210, 0xb00327c898fb213f, 0xbf597fc7beef0ee4,
    0xc6e00bf33da88fc2, 0xd5a79147930aa725, 0x06ca6351e003826f, 0x142929670a0e6e70,
    0x27b70a8546d22ffc, 0x2e1b21385c26c926, 0x4d2c6dfc5ac42aed, 0x53380d139d95b3df,
    0x650a73548baf63de, 0x766a0abb3c77b2a8, 0x81c2c92e47edaee6, 0x92722c851482353b,
    0xa2bfe8a14cf10364, 0xa81a664bbc423001, 0xc24b8b70d0f89791, 0xc76c51a30654be30,
    0xd192e819d6ef5218, 0xd69906245565a910, 0xf40e35855771202a, 0x106aa07032bbd1b8,
    0x19a4c116b8d2d0c8, 0x1e376c085141ab53, 0x2748774cdf8eeb99, 0x34b0bcb5e19b48a8,
    0x391c0cb3c5c95a63, 0x4ed8aa4ae3418acb, 0x5b9cca4f7763e373, 0x682e6ff3d6b2b8a3,
    0x748f82ee5defb2fc, 0x78a5636f43172f60, 0x84c87814a1f0ab72, 0x8cc702081a6439ec,
    0x90befffa23631e28, 0xa4506cebde82bde9, 0xbef9a3f7b2c67915, 0xc67178f2e372532b,
    0xca273eceea26619c, 0xd186b8c721c0c207, 0xeada7dd6cde0eb1e, 0xf57d4f7fee6ed178,
    0x06f067aa72176fba, 0x0a637dc5a2c898a6, 0x113f9804bef90dae, 0x1b710b35131c471b,
    0x28db77f523047d84, 0x32caab7b40c72493, 0x3c9ebe0a15c9bebc, 0x431d67c49c100d4c,
    0x4cc5d4becb3e42b6, 0x597f299cfc657e2a, 0x5fcb6fab3ad6faec, 0x6c44198c4a475817,
};
static const uint64_t initial_512[8] = {
    0x6a09e667f3bcc908, 0xbb67ae8584caa73b, 0x3c6ef372fe94f82b, 0xa54ff53a5f1d36f1,
    0x510e527fade682d1, 0x9b05688c2b3e6c1f, 0x1f83d9abfb41bd6b, 0x5be0cd19137e2179,
};
static const uint64_t initial_384[8] = {
    0xcbbb9d5dc1059ed8, 0x629a292a367cd507, 0x9159015a3070dd17, 0x152fecd8f70e5939,
    0x67332667ffc00b31, 0x8eb44a8768581511, 0xdb0c2e0d64f98fa7, 0x47b5481dbefa4fa4,
};

static uint64_t rotate_right(uint64_t x, unsigned n)
{
    return (x >> n) | (x << (64u - n));
}

static uint64_t load_be64(const uint8_t *p)
{
    uint64_t x = 0;
    for (unsigned i = 0; i < 8; i++) {
        x = x << 8 | p[i];
    }
    return x;
}

static void store_be64(uint8_t *p, uint64_t x)
{
    for (unsigned i = 0; i < 8; i++) {
        p[i] = (uint8_t)(x >> (56u - 8u * i));
    }
}

static void wipe(void *p, size_t len)
{
    volatile uint8_t *bytes = p;
    for (size_t i = 0; i < len; i++) {
        bytes[i] = 0;
    }
}

static void compress(uint64_t state[8], const uint8_t block[SHA512_BLOCK_LEN])
{
    uint64_t w[16];
    uint64_t v[8];
    for (unsigned i = 0; i < 8; i++) {
        v[i] = state[i];
    }
    for (unsigned t = 0; t < 80; t++) {
        uint64_t wt;
        if (t < 16) {
            wt = load_be64(&block[8 * t]);
        } else {
            uint64_t w2 = w[(t - 2) % 16], w15 = w[(t - 15) % 16];
            uint64_t sigma1 = rotate_right(w2, 19) ^ rotate_right(w2, 61) ^ (w2 >> 6);
            uint64_t sigma0 = rotate_right(w15, 1) ^ rotate_right(w15, 8) ^ (w15 >> 7);
            wt = sigma1 + w[(t - 7) % 16] + sigma0 + w[t % 16];
        }
        w[t % 16] = wt;
        uint64_t e = v[4], a = v[0];
        uint64_t big_sigma1 = rotate_right(e, 14) ^ rotate_right(e, 18) ^ rotate_right(e, 41);
        uint64_t choose = (e & v[5]) ^ (~e & v[6]);
        uint64_t big_sigma0 = rotate_right(a, 28) ^ rotate_right(a, 34) ^ rotate_right(a, 39);
        uint64_t majority = (a & v[1]) ^ (a & v[2]) ^ (v[1] & v[2]);
        uint64_t t1 = v[7] + big_sigma1 + choose + round_constants[t] + wt;
        uint64_t t2 = big_sigma0 + majority;
        v[7] = v[6];
        v[6] = v[5];
        v[5] = v[4];
        v[4] = v[3] + t1;
        v[3] = v[2];
        v[2] = v[1];
        v[1] = v[0];
        v[0] = t1 + t2;
    }
    for (unsigned i = 0; i < 8; i++) {
        state[i] += v[i];
    }
    wipe(w, sizeof w);
    wipe(v, sizeof v);
}

void sha512_init(struct sha512_ctx *ctx, size_t digest_len)
{
    const uint64_t *initial = digest_len == SHA512_DIGEST_LEN ? initial_512 : initial_384;
    for (unsigned i = 0; i < 8; i++) {
        ctx->state[i] = initial[i];
    }
    ctx->length = 0;
    ctx->fill = 0;
    ctx->digest_len = digest_len == SHA512_DIGEST_LEN ? SHA512_DIGEST_LEN : SHA384_DIGEST_LEN;
}

void sha512_update(struct sha512_ctx *ctx, const uint8_t *data, size_t len)
{
    ctx->length += len;
    while (len > 0) {
        if (ctx->fill == 0 && len >= SHA512_BLOCK_LEN) {
            compress(ctx->state, data);
            data += SHA512_BLOCK_LEN;
            len -= SHA512_BLOCK_LEN;
            continue;
        }
        size_t take = SHA512_BLOCK_LEN - ctx->fill;
        if (take > len) {
            take = len;
        }
        for (size_t i = 0; i < take; i++) {
            ctx->block[ctx->fill + i] = data[i];
        }
        ctx->fill += take;
        data += take;
        len -= take;
        if (ctx->fill == SHA512_BLOCK_LEN) {
            compress(ctx->state, ctx->block);
            ctx->fill = 0;
        }
    }
}

void sha512_finish(struct sha512_ctx *ctx, uint8_t *digest)
{
    uint64_t length = ctx->length;
    /* 0x80, zeros up to 112 mod 128, then the 128-bit bit count (§5.1.2). */
    ctx->block[ctx->fill++] = 0x80;
    if (ctx->fill > SHA512_BLOCK_LEN - 16u) {
        while (ctx->fill < SHA512_BLOCK_LEN) {
            ctx->block[ctx->fill++] = 0;
        }
        compress(ctx->state, ctx->block);
        ctx->fill = 0;
    }
    while (ctx->fill < SHA512_BLOCK_LEN - 16u) {
        ctx->block[ctx->fill++] = 0;
    }
    store_be64(&ctx->block[SHA512_BLOCK_LEN - 16u], length >> 61);
    store_be64(&ctx->block[SHA512_BLOCK_LEN - 8u], length << 3);
    compress(ctx->state, ctx->block);
    uint8_t full[SHA512_DIGEST_LEN];
    for (unsigned i = 0; i < 8; i++) {
        store_be64(&full[8 * i], ctx->state[i]);
    }
    for (size_t i = 0; i < ctx->digest_len; i++) {
        digest[i] = full[i];
    }
    wipe(full, sizeof full);
    wipe(ctx, sizeof *ctx);
}
