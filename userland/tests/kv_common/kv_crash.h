/* SPDX-License-Identifier: Apache-2.0 OR MIT */
/*
 * The sequence kv_crash_write writes and kv_crash_check verifies (power-cut test,
 * tests/board/cases.py PowerCutCase): key "c<i>" holds crash_value(i), and after each key the
 * writer sets "last" to i (4 bytes, little endian). Both apps share write id 0x70.
 *
 * Usage: uint32_t len = kv_crash_value(i, buf); kv_crash_key(i, key) returns the key length.
 *
 * Invariants: every value is 8..36 bytes and differs from every other index's value.
 */
#pragma once

#include <stdint.h>

#define KV_CRASH_VALUE_MAX 36u
#define KV_CRASH_KEY_MAX 12u

static inline uint32_t kv_crash_key(uint32_t i, uint8_t *key)
{
    char digits[10];
    uint32_t n = 0;
    do {
        digits[n++] = (char)('0' + i % 10u);
        i /= 10u;
    } while (i != 0);
    key[0] = 'c';
    for (uint32_t j = 0; j < n; j++) {
        key[1 + j] = (uint8_t)digits[n - 1 - j];
    }
    return n + 1;
}

static inline uint32_t kv_crash_value(uint32_t i, uint8_t *value)
{
    uint32_t len = 8u + i % 29u;
    for (uint32_t j = 0; j < len; j++) {
        value[j] = (uint8_t)(i * 7u + j * 13u + 0x30u);
    }
    value[0] = (uint8_t)i;
    value[1] = (uint8_t)(i >> 8);
    return len;
}
