/* SPDX-License-Identifier: Apache-2.0 OR MIT */
/*
 * ECDSA P-256 verification: 256-bit numbers as eight 32-bit limbs (least significant first),
 * one Montgomery multiplication for both moduli (the field prime p and the group order n),
 * Jacobian points with a = -3, and u1*G + u2*Q in one double-and-add pass (Shamir's trick,
 * with G + Q precomputed). Inverses are Fermat's a^(m-2).
 *
 * Written from FIPS 186-4 §6.4.2 (verification) and the curve's published constants; the
 * point formulas are the standard Jacobian doubling for a = -3 and the general addition.
 * Cost (the credential checker's figure, doc/reference/025): about 256 doublings and 190
 * additions, some 5,000 field multiplications.
 *
 * Usage: see crypto/p256.h.
 *
 * Invariants: every field value handled is in Montgomery form and below its modulus; a point
 * with z = 0 is the point at infinity.
 */
#include "crypto/p256.h"

#include <stddef.h>

#define LIMBS 8u

typedef uint32_t num[LIMBS];

struct modulus {
    num m;
    uint32_t m0_inverse; /* -m^-1 mod 2^32 */
    num r_squared;       /* 2^512 mod m: multiplying by it enters Montgomery form */
};

static const struct modulus field = {
    .m = { 0xffffffff, 0xffffffff, 0xffffffff, 0x00000000, 0x00000000, 0x00000000, 0x00000001,
           0xffffffff },
    .m0_inverse = 0x00000001,
    .r_squared = { 0x00000003, 0x00000000, 0xffffffff, 0xfffffffb, 0xfffffffe, 0xffffffff,
                   0xfffffffd, 0x00000004 },
};

static const struct modulus order = {
    .m = { 0xfc632551, 0xf3b9cac2, 0xa7179e84, 0xbce6faad, 0xffffffff, 0xffffffff, 0x00000000,
           0xffffffff },
    .m0_inverse = 0xee00bc4f,
    .r_squared = { 0xbe79eea2, 0x83244c95, 0x49bd6fa6, 0x4699799c, 0x2b6bec59, 0x2845b239,
                   0xf3d95620, 0x66e12d94 },
};

static const uint8_t curve_b[32] = {
    0x5a, 0xc6, 0x35, 0xd8, 0xaa, 0x3a, 0x93, 0xe7, 0xb3, 0xeb, 0xbd, 0x55, 0x76, 0x98, 0x86, 0xbc,
    0x65, 0x1d, 0x06, 0xb0, 0xcc, 0x53, 0xb0, 0xf6, 0x3b, 0xce, 0x3c, 0x3e, 0x27, 0xd2, 0x60, 0x4b,
};

static const uint8_t generator[64] = {
    0x6b, 0x17, 0xd1, 0xf2, 0xe1, 0x2c, 0x42, 0x47, 0xf8, 0xbc, 0xe6, 0xe5, 0x63, 0xa4, 0x40, 0xf2,
    0x77, 0x03, 0x7d, 0x81, 0x2d, 0xeb, 0x33, 0xa0, 0xf4, 0xa1, 0x39, 0x45, 0xd8, 0x98, 0xc2, 0x96,
    0x4f, 0xe3, 0x42, 0xe2, 0xfe, 0x1a, 0x7f, 0x9b, 0x8e, 0xe7, 0xeb, 0x4a, 0x7c, 0x0f, 0x9e, 0x16,
    0x2b, 0xce, 0x33, 0x57, 0x6b, 0x31, 0x5e, 0xce, 0xcb, 0xb6, 0x40, 0x68, 0x37, 0xbf, 0x51, 0xf5,
};

struct point {
    num x, y, z;
};

static void copy(num r, const num a)
{
    for (unsigned i = 0; i < LIMBS; i++) {
        r[i] = a[i];
    }
}

static void set_word(num r, uint32_t w)
{
    r[0] = w;
    for (unsigned i = 1; i < LIMBS; i++) {
        r[i] = 0;
    }
}

static bool is_zero(const num a)
{
    uint32_t bits = 0;
    for (unsigned i = 0; i < LIMBS; i++) {
        bits |= a[i];
    }
    return bits == 0;
}

static bool equal(const num a, const num b)
{
    uint32_t bits = 0;
    for (unsigned i = 0; i < LIMBS; i++) {
        bits |= a[i] ^ b[i];
    }
    return bits == 0;
}

/* a < b as unsigned 256-bit numbers. */
static bool less(const num a, const num b)
{
    for (unsigned i = LIMBS; i-- > 0;) {
        if (a[i] != b[i]) {
            return a[i] < b[i];
        }
    }
    return false;
}

static void from_bytes(num r, const uint8_t be[32])
{
    for (unsigned i = 0; i < LIMBS; i++) {
        const uint8_t *p = &be[28u - 4u * i];
        r[i] = (uint32_t)p[0] << 24 | (uint32_t)p[1] << 16 | (uint32_t)p[2] << 8 | p[3];
    }
}

/* r = a + b, returning the carry out. */
static uint32_t add(num r, const num a, const num b)
{
    uint64_t carry = 0;
    for (unsigned i = 0; i < LIMBS; i++) {
        carry += (uint64_t)a[i] + b[i];
        r[i] = (uint32_t)carry;
        carry >>= 32;
    }
    return (uint32_t)carry;
}

/* r = a - b, returning the borrow out (1 when a < b). */
static uint32_t sub(num r, const num a, const num b)
{
    int64_t borrow = 0;
    for (unsigned i = 0; i < LIMBS; i++) {
        borrow += (int64_t)a[i] - b[i];
        r[i] = (uint32_t)borrow;
        borrow >>= 32; /* arithmetic: 0 or -1 */
    }
    return (uint32_t)(borrow & 1);
}

static void add_mod(num r, const num a, const num b, const struct modulus *m)
{
    uint32_t carry = add(r, a, b);
    if (carry != 0 || !less(r, m->m)) {
        (void)sub(r, r, m->m);
    }
}

static void sub_mod(num r, const num a, const num b, const struct modulus *m)
{
    if (sub(r, a, b) != 0) {
        (void)add(r, r, m->m);
    }
}

/* r = a * b / 2^256 mod m (a, b < m), word by word (coarsely integrated operand scanning). */
static void mont_mul(num r, const num a, const num b, const struct modulus *m)
{
    uint32_t t[LIMBS + 2] = { 0 };
    for (unsigned i = 0; i < LIMBS; i++) {
        uint64_t carry = 0;
        for (unsigned j = 0; j < LIMBS; j++) {
            carry += (uint64_t)a[j] * b[i] + t[j];
            t[j] = (uint32_t)carry;
            carry >>= 32;
        }
        carry += t[LIMBS];
        t[LIMBS] = (uint32_t)carry;
        t[LIMBS + 1] = (uint32_t)(carry >> 32);
        uint32_t q = t[0] * m->m0_inverse;
        carry = ((uint64_t)q * m->m[0] + t[0]) >> 32;
        for (unsigned j = 1; j < LIMBS; j++) {
            carry += (uint64_t)q * m->m[j] + t[j];
            t[j - 1] = (uint32_t)carry;
            carry >>= 32;
        }
        carry += t[LIMBS];
        t[LIMBS - 1] = (uint32_t)carry;
        t[LIMBS] = t[LIMBS + 1] + (uint32_t)(carry >> 32);
    }
    /* t < 2m: one subtraction at most. */
    num result;
    copy(result, t);
    if (t[LIMBS] != 0 || !less(result, m->m)) {
        (void)sub(result, result, m->m);
    }
    copy(r, result);
}

static void to_mont(num r, const num a, const struct modulus *m)
{
    mont_mul(r, a, m->r_squared, m);
}

/* r = a^(m-2) = a^-1 (Montgomery form in and out; 0 stays 0). */
static void mont_inverse(num r, const num a, const struct modulus *m)
{
    num exponent, result, base;
    copy(exponent, m->m);
    exponent[0] -= 2u; /* both moduli end in a limb above 2: no borrow */
    set_word(result, 1);
    to_mont(result, result, m);
    copy(base, a);
    for (unsigned bit = 256; bit-- > 0;) {
        mont_mul(result, result, result, m);
        if ((exponent[bit / 32u] >> (bit % 32u)) & 1u) {
            mont_mul(result, result, base, m);
        }
    }
    copy(r, result);
}

static void field_mul(num r, const num a, const num b)
{
    mont_mul(r, a, b, &field);
}

static void field_add(num r, const num a, const num b)
{
    add_mod(r, a, b, &field);
}

static void field_sub(num r, const num a, const num b)
{
    sub_mod(r, a, b, &field);
}

/* p = 2p (Jacobian, a = -3): delta = z^2, gamma = y^2, beta = x*gamma,
 * alpha = 3(x - delta)(x + delta); x' = alpha^2 - 8 beta; z' = (y + z)^2 - gamma - delta;
 * y' = alpha(4 beta - x') - 8 gamma^2. The point at infinity (z = 0) stays there. */
static void point_double(struct point *p)
{
    num delta, gamma, beta, alpha, t, u;
    field_mul(delta, p->z, p->z);
    field_mul(gamma, p->y, p->y);
    field_mul(beta, p->x, gamma);
    field_sub(t, p->x, delta);
    field_add(u, p->x, delta);
    field_mul(alpha, t, u);
    field_add(t, alpha, alpha);
    field_add(alpha, t, alpha);
    field_add(t, p->y, p->z);
    field_mul(p->z, t, t);
    field_sub(p->z, p->z, gamma);
    field_sub(p->z, p->z, delta);
    field_add(beta, beta, beta);
    field_add(beta, beta, beta); /* 4 beta */
    field_mul(p->x, alpha, alpha);
    field_sub(p->x, p->x, beta);
    field_sub(p->x, p->x, beta);
    field_sub(t, beta, p->x);
    field_mul(p->y, alpha, t);
    field_mul(gamma, gamma, gamma);
    field_add(gamma, gamma, gamma);
    field_add(gamma, gamma, gamma);
    field_add(gamma, gamma, gamma); /* 8 gamma^2 */
    field_sub(p->y, p->y, gamma);
}

/* p = p + q (Jacobian, general). */
static void point_add(struct point *p, const struct point *q)
{
    if (is_zero(q->z)) {
        return;
    }
    if (is_zero(p->z)) {
        *p = *q;
        return;
    }
    num z1z1, z2z2, u1, u2, s1, s2, h, r, t;
    field_mul(z1z1, p->z, p->z);
    field_mul(z2z2, q->z, q->z);
    field_mul(u1, p->x, z2z2);
    field_mul(u2, q->x, z1z1);
    field_mul(t, q->z, z2z2);
    field_mul(s1, p->y, t);
    field_mul(t, p->z, z1z1);
    field_mul(s2, q->y, t);
    field_sub(h, u2, u1);
    field_sub(r, s2, s1);
    if (is_zero(h)) {
        if (is_zero(r)) {
            point_double(p); /* the same point */
        } else {
            set_word(p->z, 0); /* opposite points */
        }
        return;
    }
    num h2, h3;
    field_mul(h2, h, h);
    field_mul(h3, h2, h);
    field_mul(u1, u1, h2); /* U1 H^2 */
    field_mul(p->x, r, r);
    field_sub(p->x, p->x, h3);
    field_sub(p->x, p->x, u1);
    field_sub(p->x, p->x, u1);
    field_sub(t, u1, p->x);
    field_mul(t, r, t);
    field_mul(s1, s1, h3);
    field_sub(p->y, t, s1);
    field_mul(t, p->z, q->z);
    field_mul(p->z, t, h);
}

/* Decode an affine point (x then y, big-endian) into Montgomery form with z = 1; false unless
 * both coordinates are below p and y^2 = x^3 - 3x + b. */
static bool point_decode(struct point *p, const uint8_t bytes[64])
{
    from_bytes(p->x, bytes);
    from_bytes(p->y, bytes + 32);
    if (!less(p->x, field.m) || !less(p->y, field.m)) {
        return false;
    }
    to_mont(p->x, p->x, &field);
    to_mont(p->y, p->y, &field);
    set_word(p->z, 1);
    to_mont(p->z, p->z, &field);
    num lhs, rhs, t, b;
    field_mul(lhs, p->y, p->y);
    field_mul(t, p->x, p->x);
    field_mul(rhs, t, p->x);
    field_sub(rhs, rhs, p->x);
    field_sub(rhs, rhs, p->x);
    field_sub(rhs, rhs, p->x);
    from_bytes(b, curve_b);
    to_mont(b, b, &field);
    field_add(rhs, rhs, b);
    return equal(lhs, rhs);
}

bool p256_key_is_valid(const uint8_t key[P256_KEY_LEN])
{
    struct point q;
    return point_decode(&q, key);
}

bool p256_ecdsa_verify(const uint8_t key[P256_KEY_LEN], const uint8_t digest[P256_DIGEST_LEN],
                       const uint8_t signature[P256_SIGNATURE_LEN])
{
    num r, s, e, w, u1, u2;
    from_bytes(r, signature);
    from_bytes(s, signature + 32);
    if (is_zero(r) || is_zero(s) || !less(r, order.m) || !less(s, order.m)) {
        return false;
    }
    struct point g, q, sum;
    if (!point_decode(&q, key)) {
        return false;
    }
    (void)point_decode(&g, generator);
    /* e: the digest as a number (256 bits, as many as n has), below 2n, so once reduced. */
    from_bytes(e, digest);
    if (!less(e, order.m)) {
        (void)sub(e, e, order.m);
    }
    /* w = s^-1 in Montgomery form; a plain number times it comes out plain: u = e w, r w. */
    to_mont(w, s, &order);
    mont_inverse(w, w, &order);
    mont_mul(u1, e, w, &order);
    mont_mul(u2, r, w, &order);
    sum = g;
    point_add(&sum, &q);
    struct point acc;
    set_word(acc.x, 0);
    set_word(acc.y, 0);
    set_word(acc.z, 0);
    for (unsigned bit = 256; bit-- > 0;) {
        point_double(&acc);
        unsigned pick = ((u1[bit / 32u] >> (bit % 32u)) & 1u) |
                        ((u2[bit / 32u] >> (bit % 32u)) & 1u) << 1;
        if (pick == 1u) {
            point_add(&acc, &g);
        } else if (pick == 2u) {
            point_add(&acc, &q);
        } else if (pick == 3u) {
            point_add(&acc, &sum);
        }
    }
    if (is_zero(acc.z)) {
        return false;
    }
    /* x = X / Z^2, out of Montgomery form, reduced mod n, compared with r. */
    num z_inverse, x, one;
    mont_inverse(z_inverse, acc.z, &field);
    field_mul(z_inverse, z_inverse, z_inverse);
    field_mul(x, acc.x, z_inverse);
    set_word(one, 1);
    field_mul(x, x, one);
    if (!less(x, order.m)) {
        (void)sub(x, x, order.m);
    }
    return equal(x, r);
}
