/* SPDX-License-Identifier: Apache-2.0 OR MIT */
/*
 * Hex strings for crypto test vectors: published vectors are quoted as hex, so tests keep them
 * in that form and decode them here.
 *
 * Usage:
 *     uint8_t key[16];
 *     hex_decode("000102030405060708090a0b0c0d0e0f", key, sizeof key);
 *
 * Invariants: a malformed string, or one whose length does not match `len`, aborts the test
 * binary, so a typo in a vector can never pass silently.
 */
#pragma once

#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static inline unsigned hex_digit(char c)
{
    if (c >= '0' && c <= '9') {
        return (unsigned)(c - '0');
    }
    if (c >= 'a' && c <= 'f') {
        return (unsigned)(c - 'a' + 10);
    }
    if (c >= 'A' && c <= 'F') {
        return (unsigned)(c - 'A' + 10);
    }
    fprintf(stderr, "hex_decode: bad digit '%c'\n", c);
    abort();
}

/* Decode `hex` (exactly 2 * len digits) into out[0..len). */
static inline void hex_decode(const char *hex, uint8_t *out, size_t len)
{
    if (strlen(hex) != 2 * len) {
        fprintf(stderr, "hex_decode: %zu digits for %zu bytes\n", strlen(hex), len);
        abort();
    }
    for (size_t i = 0; i < len; i++) {
        out[i] = (uint8_t)(hex_digit(hex[2 * i]) << 4 | hex_digit(hex[2 * i + 1]));
    }
}
