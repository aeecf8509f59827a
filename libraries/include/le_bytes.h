/* SPDX-License-Identifier: Apache-2.0 OR MIT */
/*
 * Little-endian loads and stores of fixed-width integers at any byte alignment, for on-flash
 * formats (key-value records, isolated storage entries, sealed blobs).
 *
 * Usage: uint32_t n = le_get_u32(&header[4]); le_put_u32(&header[4], n + 1);
 *
 * Invariants: the pointer covers the integer's width; nothing else is read or written.
 */
#pragma once

#include <stdint.h>

static inline uint16_t le_get_u16(const uint8_t *p)
{
    return (uint16_t)(p[0] | (p[1] << 8));
}

static inline uint32_t le_get_u32(const uint8_t *p)
{
    return (uint32_t)p[0] | ((uint32_t)p[1] << 8) | ((uint32_t)p[2] << 16) |
           ((uint32_t)p[3] << 24);
}

static inline void le_put_u32(uint8_t *p, uint32_t v)
{
    p[0] = (uint8_t)v;
    p[1] = (uint8_t)(v >> 8);
    p[2] = (uint8_t)(v >> 16);
    p[3] = (uint8_t)(v >> 24);
}
