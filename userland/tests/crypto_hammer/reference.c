/* SPDX-License-Identifier: Apache-2.0 OR MIT */
/*
 * Software SHA-256 (FIPS 180-4) and HMAC (RFC 2104) for the crypto_hammer test.
 *
 * Written for clarity, not speed: the message is streamed through one 64-byte block buffer, and
 * HMAC hashes the inner and outer messages with two streaming contexts.
 *
 * Usage: see reference.h.
 *
 * Invariants: struct stream's `fill` < 64 between calls.
 */
#include "reference.h"

#include <string.h>

static const uint32_t round_constants[64] = {
    0x428a2f98, 0x71374491, 0xb5c0fbcf, 0xe9b5dba5, 0x3956c25b, 0x59f111f1, 0x923f82a4,
    0xab1c5ed5, 0xd807aa98, 0x12835b01, 0x243185be, 0x550c7dc3, 0x72be5d74, 0x80deb1fe,
    0x9bdc06a7, 0xc19bf174, 0xe49b69c1, 0xefbe4786, 0x0fc19dc6, 0x240ca1cc, 0x2de92c6f,
    0x4a7484aa, 0x5cb0a9dc, 0x76f988da, 0x983e5152, 0xa831c66d, 0xb00327c8, 0xbf597fc7,
    0xc6e00bf3, 0xd5a79147, 0x06ca6351, 0x14292967, 0x27b70a85, 0x2e1b2138, 0x4d2c6dfc,
    0x53380d13, 0x650a7354, 0x766a0abb, 0x81c2c92e, 0x92722c85, 0xa2bfe8a1, 0xa81a664b,
    0xc24b8b70, 0xc76c51a3, 0xd192e819, 0xd6990624, 0xf40e3585, 0x106aa070, 0x19a4c116,
    0x1e376c08, 0x2748774c, 0x34b0bcb5, 0x391c0cb3, 0x4ed8aa4a, 0x5b9cca4f, 0x682e6ff3,
    0x748f82ee, 0x78a5636f, 0x84c87814, 0x8cc70208, 0x90befffa, 0xa4506ceb, 0xbef9a3f7,
    0xc67178f2,
};

struct stream {
    uint32_t h[8];
    uint8_t block[64];
    size_t fill;
    uint64_t total;
};

static uint32_t rotr(uint32_t x, unsigned n)
{
    return (x >> n) | (x << (32u - n));
}

static void compress(struct stream *s)
{
    uint32_t w[64];
    for (unsigned i = 0; i < 16; i++) {
        w[i] = ((uint32_t)s->block[4 * i] << 24) | ((uint32_t)s->block[4 * i + 1] << 16) |
               ((uint32_t)s->block[4 * i + 2] << 8) | s->block[4 * i + 3];
    }
    for (unsigned i = 16; i < 64; i++) {
        uint32_t s0 = rotr(w[i - 15], 7) ^ rotr(w[i - 15], 18) ^ (w[i - 15] >> 3);
        uint32_t s1 = rotr(w[i - 2], 17) ^ rotr(w[i - 2], 19) ^ (w[i - 2] >> 10);
        w[i] = w[i - 16] + s0 + w[i - 7] + s1;
    }
    uint32_t v[8];
    memcpy(v, s->h, sizeof v);
    for (unsigned i = 0; i < 64; i++) {
        uint32_t e = v[4];
        uint32_t a = v[0];
        uint32_t t1 = v[7] + (rotr(e, 6) ^ rotr(e, 11) ^ rotr(e, 25)) + ((e & v[5]) ^ (~e & v[6])) +
                      round_constants[i] + w[i];
        uint32_t t2 = (rotr(a, 2) ^ rotr(a, 13) ^ rotr(a, 22)) +
                      ((a & v[1]) ^ (a & v[2]) ^ (v[1] & v[2]));
        memmove(&v[1], &v[0], 7 * sizeof v[0]);
        v[4] += t1;
        v[0] = t1 + t2;
    }
    for (unsigned i = 0; i < 8; i++) {
        s->h[i] += v[i];
    }
}

static void stream_init(struct stream *s)
{
    static const uint32_t initial[8] = { 0x6a09e667, 0xbb67ae85, 0x3c6ef372, 0xa54ff53a,
                                         0x510e527f, 0x9b05688c, 0x1f83d9ab, 0x5be0cd19 };
    memcpy(s->h, initial, sizeof s->h);
    s->fill = 0;
    s->total = 0;
}

static void stream_add(struct stream *s, const uint8_t *data, size_t len)
{
    for (size_t i = 0; i < len; i++) {
        s->block[s->fill++] = data[i];
        if (s->fill == 64) {
            compress(s);
            s->fill = 0;
        }
    }
    s->total += len;
}

static void stream_end(struct stream *s, uint8_t digest[32])
{
    uint64_t bits = s->total * 8u;
    uint8_t one = 0x80;
    uint8_t zero = 0;
    stream_add(s, &one, 1);
    while (s->fill != 56) {
        stream_add(s, &zero, 1);
    }
    for (int i = 7; i >= 0; i--) {
        uint8_t byte = (uint8_t)(bits >> (8 * i));
        stream_add(s, &byte, 1);
    }
    for (unsigned i = 0; i < 8; i++) {
        digest[4 * i] = (uint8_t)(s->h[i] >> 24);
        digest[4 * i + 1] = (uint8_t)(s->h[i] >> 16);
        digest[4 * i + 2] = (uint8_t)(s->h[i] >> 8);
        digest[4 * i + 3] = (uint8_t)s->h[i];
    }
}

void ref_sha256(const uint8_t *data, size_t len, uint8_t digest[32])
{
    struct stream s;
    stream_init(&s);
    stream_add(&s, data, len);
    stream_end(&s, digest);
}

void ref_hmac_sha256(const uint8_t *key, size_t key_len, const uint8_t *data, size_t len,
                     uint8_t mac[32])
{
    uint8_t pad[64];
    uint8_t inner[32];
    struct stream s;
    for (unsigned i = 0; i < 64; i++) {
        pad[i] = (uint8_t)((i < key_len ? key[i] : 0) ^ 0x36);
    }
    stream_init(&s);
    stream_add(&s, pad, sizeof pad);
    stream_add(&s, data, len);
    stream_end(&s, inner);
    for (unsigned i = 0; i < 64; i++) {
        pad[i] = (uint8_t)((i < key_len ? key[i] : 0) ^ 0x5c);
    }
    stream_init(&s);
    stream_add(&s, pad, sizeof pad);
    stream_add(&s, inner, sizeof inner);
    stream_end(&s, mac);
}
