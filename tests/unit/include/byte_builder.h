/* SPDX-License-Identifier: Apache-2.0 OR MIT */
/*
 * Byte builder for host tests: appends little-endian fields to a caller-owned buffer.
 *
 * Tests use it to assemble binary inputs (TBF headers, packets) field by field, and to patch
 * fields afterwards. Writing past the buffer's capacity aborts the test binary, so a mistake in
 * a test can never corrupt memory silently.
 *
 * Usage:
 *     uint8_t bytes[64];
 *     struct byte_builder b;
 *     byte_builder_init(&b, bytes, sizeof bytes);
 *     byte_builder_u16(&b, 2);
 *     byte_builder_set_u16(&b, 0, 3);   // patch an earlier field
 *
 * Invariants: len <= capacity.
 */
#pragma once

#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>

struct byte_builder {
    uint8_t *buf;
    size_t capacity;
    size_t len;
};

static inline void byte_builder_init(struct byte_builder *b, uint8_t *buf, size_t capacity)
{
    b->buf = buf;
    b->capacity = capacity;
    b->len = 0;
}

static inline void byte_builder_check(const struct byte_builder *b, size_t offset, size_t len)
{
    if (offset > b->capacity || len > b->capacity - offset) {
        fprintf(stderr, "byte_builder: %zu bytes at %zu overflow capacity %zu\n", len, offset,
                b->capacity);
        abort();
    }
}

static inline void byte_builder_set_u8(struct byte_builder *b, size_t offset, uint8_t value)
{
    byte_builder_check(b, offset, 1);
    b->buf[offset] = value;
}

static inline void byte_builder_set_u16(struct byte_builder *b, size_t offset, uint16_t value)
{
    byte_builder_check(b, offset, 2);
    b->buf[offset] = (uint8_t)value;
    b->buf[offset + 1] = (uint8_t)(value >> 8);
}

static inline void byte_builder_set_u32(struct byte_builder *b, size_t offset, uint32_t value)
{
    byte_builder_check(b, offset, 4);
    for (size_t i = 0; i < 4; i++) {
        b->buf[offset + i] = (uint8_t)(value >> (8 * i));
    }
}

static inline void byte_builder_u8(struct byte_builder *b, uint8_t value)
{
    byte_builder_set_u8(b, b->len, value);
    b->len += 1;
}

static inline void byte_builder_u16(struct byte_builder *b, uint16_t value)
{
    byte_builder_set_u16(b, b->len, value);
    b->len += 2;
}

static inline void byte_builder_u32(struct byte_builder *b, uint32_t value)
{
    byte_builder_set_u32(b, b->len, value);
    b->len += 4;
}

static inline void byte_builder_u64(struct byte_builder *b, uint64_t value)
{
    byte_builder_u32(b, (uint32_t)value);
    byte_builder_u32(b, (uint32_t)(value >> 32));
}

static inline void byte_builder_bytes(struct byte_builder *b, const void *data, size_t len)
{
    const uint8_t *bytes = data;
    byte_builder_check(b, b->len, len);
    for (size_t i = 0; i < len; i++) {
        b->buf[b->len + i] = bytes[i];
    }
    b->len += len;
}

/* Append `fill` bytes until len is a multiple of `align` (a power of two or any nonzero). */
static inline void byte_builder_align(struct byte_builder *b, size_t align, uint8_t fill)
{
    while (b->len % align != 0) {
        byte_builder_u8(b, fill);
    }
}

static inline uint16_t byte_builder_get_u16(const struct byte_builder *b, size_t offset)
{
    byte_builder_check(b, offset, 2);
    return (uint16_t)(b->buf[offset] | (b->buf[offset + 1] << 8));
}

static inline uint32_t byte_builder_get_u32(const struct byte_builder *b, size_t offset)
{
    byte_builder_check(b, offset, 4);
    uint32_t value = 0;
    for (size_t i = 0; i < 4; i++) {
        value |= (uint32_t)b->buf[offset + i] << (8 * i);
    }
    return value;
}
