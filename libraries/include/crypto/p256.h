/* SPDX-License-Identifier: Apache-2.0 OR MIT */
/*
 * ECDSA signature verification on NIST P-256 (FIPS 186-4 §6.4, curve from SP 800-186 / FIPS
 * 186-4 D.1.2.3).
 *
 * Verification only: every input is public (the key, the digest, the signature), so the code
 * is written for size and clarity, not to run in constant time. It is never used to sign.
 *
 * Usage:
 *     // key: x then y, 32 bytes each, big-endian (an uncompressed SEC1 point without 0x04);
 *     // digest: the 32-byte SHA-256 of the message; sig: r then s, 32 bytes each, big-endian.
 *     if (p256_ecdsa_verify(key, digest, sig)) { ... the key signed the message ... }
 *
 * Invariants: false for any malformed input: r or s outside [1, n-1], a key coordinate not
 * below p or a key that is not on the curve; nothing is written outside the function's stack.
 */
#pragma once

#include <stdbool.h>
#include <stdint.h>

#define P256_KEY_LEN 64u
#define P256_SIGNATURE_LEN 64u
#define P256_DIGEST_LEN 32u

bool p256_ecdsa_verify(const uint8_t key[P256_KEY_LEN], const uint8_t digest[P256_DIGEST_LEN],
                       const uint8_t signature[P256_SIGNATURE_LEN]);

/* True when `key` (x then y, big-endian) is a point on the curve with coordinates below p. */
bool p256_key_is_valid(const uint8_t key[P256_KEY_LEN]);
