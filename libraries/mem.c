/* SPDX-License-Identifier: Apache-2.0 OR MIT */
/*
 * memset, memcpy, memmove and memcmp for freestanding images: the compiler emits calls to these
 * for struct assignment and initialisation, so memset and memcpy move whole words when they can. Built with
 * -fno-tree-loop-distribute-patterns so the loops are not turned back into calls to themselves.
 */
#include <stddef.h>
#include <stdint.h>

/* A word that may alias any object, so word-wise copies are defined behaviour. */
typedef uint32_t __attribute__((may_alias)) alias_word;

void *memset(void *dst, int value, size_t len);
void *memcpy(void *restrict dst, const void *restrict src, size_t len);
void *memmove(void *dst, const void *src, size_t len);
int memcmp(const void *a, const void *b, size_t len);

void *memset(void *dst, int value, size_t len)
{
    uint8_t *d = dst;
    while (len != 0 && ((uintptr_t)d & 3u) != 0) {
        *d++ = (uint8_t)value;
        len--;
    }
    /* From the first word boundary on: whole words, four per iteration (boot zeroes .bss and
     * process RAM with this; the compiler calls it for small structs initialised in part). */
    const uint32_t word = 0x01010101u * (uint8_t)value;
    alias_word *w = (alias_word *)(void *)d;
    size_t words = len >> 2;
    for (; words >= 4; words -= 4) {
        w[0] = word;
        w[1] = word;
        w[2] = word;
        w[3] = word;
        w += 4;
    }
    for (; words != 0; words--) {
        *w++ = word;
    }
    d = (uint8_t *)w;
    for (len &= 3u; len != 0; len--) {
        *d++ = (uint8_t)value;
    }
    return dst;
}

void *memcpy(void *restrict dst, const void *restrict src, size_t len)
{
    uint8_t *d = dst;
    const uint8_t *s = src;
    size_t i = 0;
    if ((((uintptr_t)d | (uintptr_t)s) & 3u) == 0) {
        /* Both word-aligned (the common case: struct copies, flash pages): move words, four
         * per iteration while there are that many. */
        for (; i + 16 <= len; i += 16) {
            alias_word *w = (alias_word *)(void *)(d + i);
            const alias_word *r = (const alias_word *)(const void *)(s + i);
            w[0] = r[0];
            w[1] = r[1];
            w[2] = r[2];
            w[3] = r[3];
        }
        for (; i + 4 <= len; i += 4) {
            *(alias_word *)(void *)(d + i) = *(const alias_word *)(const void *)(s + i);
        }
    }
    for (; i < len; i++) {
        d[i] = s[i];
    }
    return dst;
}

void *memmove(void *dst, const void *src, size_t len)
{
    uint8_t *d = dst;
    const uint8_t *s = src;
    if (d < s) {
        for (size_t i = 0; i < len; i++) {
            d[i] = s[i];
        }
    } else {
        for (size_t i = len; i > 0; i--) {
            d[i - 1] = s[i - 1];
        }
    }
    return dst;
}

int memcmp(const void *a, const void *b, size_t len)
{
    const uint8_t *x = a;
    const uint8_t *y = b;
    for (size_t i = 0; i < len; i++) {
        if (x[i] != y[i]) {
            return x[i] < y[i] ? -1 : 1;
        }
    }
    return 0;
}
