/* SPDX-License-Identifier: Apache-2.0 OR MIT */
/*
 * A tiny software SHA-256 and HMAC-SHA256, independent of the kernel's crypto library, so the
 * crypto_hammer test checks the kernel's drivers against code they do not share.
 *
 * Usage: ref_sha256(data, len, digest); ref_hmac_sha256(key, key_len, data, len, mac);
 *
 * Invariants: one-shot functions over whole buffers; no state survives a call.
 */
#pragma once

#include <stddef.h>
#include <stdint.h>

void ref_sha256(const uint8_t *data, size_t len, uint8_t digest[32]);

/* key_len at most 64 (one block), as the kernel's HMAC driver accepts. */
void ref_hmac_sha256(const uint8_t *key, size_t key_len, const uint8_t *data, size_t len,
                     uint8_t mac[32]);
