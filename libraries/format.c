/* SPDX-License-Identifier: Apache-2.0 OR MIT */
/*
 * Freestanding formatter (see format.h). No recursion, no allocation, bounded stack.
 */
#include "format.h"

#include <stdbool.h>
#include <stdint.h>

/* Widths and precisions saturate here rather than overflow; the value fits any C int. */
#define FORMAT_FIELD_MAX 0x7FFFu

struct spec {
    bool left;
    char pad;
    unsigned width;
    int precision; /* -1: none */
    int length;    /* 0 int, 1 long, 2 long long, 3 size_t */
};

static size_t emit_padded(format_putc_fn put, void *ctx, const char *text, size_t len,
                          const struct spec *s, char pad)
{
    size_t count = 0;
    size_t fill = s->width > len ? s->width - len : 0;
    if (!s->left) {
        for (size_t i = 0; i < fill; i++) {
            put(ctx, pad);
        }
        count += fill;
    }
    for (size_t i = 0; i < len; i++) {
        put(ctx, text[i]);
    }
    count += len;
    if (s->left) {
        for (size_t i = 0; i < fill; i++) {
            put(ctx, ' ');
        }
        count += fill;
    }
    return count;
}

/* value / base (base <= 16) and its remainder, with 32-bit divisions of 16-bit chunks: no
 * 64-bit division from libgcc (700 bytes on Cortex-M3) for printing numbers. */
static uint64_t divide_small(uint64_t value, unsigned base, unsigned *remainder)
{
    uint64_t quotient = 0;
    uint32_t rest = 0;
    for (int shift = 48; shift >= 0; shift -= 16) {
        uint32_t chunk = (rest << 16) | (uint32_t)((value >> shift) & 0xFFFFu);
        quotient = (quotient << 16) | (chunk / base);
        rest = chunk % base;
    }
    *remainder = rest;
    return quotient;
}

/* The digits of value in base, least significant first; returns how many. Once the value
 * fits 32 bits (nearly every one printed does from the start) the machine's own 32-bit
 * division takes over. */
static size_t to_digits(uint64_t value, unsigned base, const char *set, char *digits)
{
    size_t n = 0;
    while (value > UINT32_MAX) {
        unsigned digit;
        value = divide_small(value, base, &digit);
        digits[n++] = set[digit];
    }
    uint32_t small = (uint32_t)value;
    do {
        digits[n++] = set[small % base];
        small /= base;
    } while (small != 0);
    return n;
}

static size_t emit_number(format_putc_fn put, void *ctx, uint64_t value, bool negative,
                          unsigned base, bool upper, const struct spec *s)
{
    char digits[24];
    size_t n = to_digits(value, base, upper ? "0123456789ABCDEF" : "0123456789abcdef", digits);
    char text[26];
    size_t len = 0;
    size_t count = 0;
    if (negative) {
        if (s->pad == '0' && !s->left) {
            put(ctx, '-');
            count++;
            struct spec narrower = *s;
            narrower.width = s->width > 0 ? s->width - 1 : 0;
            while (n > 0) {
                text[len++] = digits[--n];
            }
            return count + emit_padded(put, ctx, text, len, &narrower, '0');
        }
        text[len++] = '-';
    }
    while (n > 0) {
        text[len++] = digits[--n];
    }
    return count + emit_padded(put, ctx, text, len, s, s->left ? ' ' : s->pad);
}

static uint64_t take_unsigned(va_list *args, int length)
{
    switch (length) {
    case 1:
        return va_arg(*args, unsigned long);
    case 2:
        return va_arg(*args, unsigned long long);
    case 3:
        return va_arg(*args, size_t);
    default:
        return va_arg(*args, unsigned int);
    }
}

static int64_t take_signed(va_list *args, int length)
{
    switch (length) {
    case 1:
        return va_arg(*args, long);
    case 2:
        return va_arg(*args, long long);
    case 3:
        /* %zd takes the signed type of size_t's width; ptrdiff_t is that type on every tockc
         * target. Reading size_t here would print (size_t)-1 as 4294967295 on 32-bit. */
        return (int64_t)va_arg(*args, ptrdiff_t);
    default:
        return va_arg(*args, int);
    }
}

/* Read decimal digits, saturating at FORMAT_FIELD_MAX instead of overflowing. */
static const char *parse_decimal(const char *p, unsigned *out)
{
    unsigned value = 0;
    while (*p >= '0' && *p <= '9') {
        unsigned digit = (unsigned)(*p - '0');
        value = value > (FORMAT_FIELD_MAX - digit) / 10u ? FORMAT_FIELD_MAX : value * 10u + digit;
        p++;
    }
    *out = value;
    return p;
}

static const char *parse_spec(const char *p, struct spec *s)
{
    *s = (struct spec){ .left = false, .pad = ' ', .width = 0, .precision = -1, .length = 0 };
    for (;; p++) {
        if (*p == '-') {
            s->left = true;
        } else if (*p == '0') {
            s->pad = '0';
        } else {
            break;
        }
    }
    p = parse_decimal(p, &s->width);
    if (*p == '.') {
        unsigned precision;
        p = parse_decimal(p + 1, &precision);
        s->precision = (int)precision; /* <= FORMAT_FIELD_MAX, which fits an int */
    }
    if (*p == 'l') {
        p++;
        s->length = 1;
        if (*p == 'l') {
            p++;
            s->length = 2;
        }
    } else if (*p == 'z') {
        p++;
        s->length = 3;
    }
    return p;
}

size_t format_v(format_putc_fn put, void *ctx, const char *fmt, va_list args_in)
{
    va_list args;
    va_copy(args, args_in);
    size_t count = 0;
    const char *p = fmt;
    while (*p != '\0') {
        if (*p != '%') {
            put(ctx, *p++);
            count++;
            continue;
        }
        struct spec s;
        const char *conv = parse_spec(p + 1, &s);
        switch (*conv) {
        case '%':
            put(ctx, '%');
            count++;
            break;
        case 'c': {
            char c = (char)va_arg(args, int);
            count += emit_padded(put, ctx, &c, 1, &s, ' ');
            break;
        }
        case 's': {
            const char *str = va_arg(args, const char *);
            if (str == NULL) {
                str = "(null)";
            }
            size_t len = 0;
            /* Check the precision first: with one, `str` need not be NUL-terminated. */
            while ((s.precision < 0 || len < (size_t)s.precision) && str[len] != '\0') {
                len++;
            }
            count += emit_padded(put, ctx, str, len, &s, ' ');
            break;
        }
        case 'd':
        case 'i': {
            int64_t v = take_signed(&args, s.length);
            uint64_t magnitude = v < 0 ? (uint64_t)0 - (uint64_t)v : (uint64_t)v;
            count += emit_number(put, ctx, magnitude, v < 0, 10, false, &s);
            break;
        }
        case 'u':
            count += emit_number(put, ctx, take_unsigned(&args, s.length), false, 10, false, &s);
            break;
        case 'x':
        case 'X':
            count += emit_number(put, ctx, take_unsigned(&args, s.length), false, 16,
                                 *conv == 'X', &s);
            break;
        case 'p': {
            uintptr_t v = (uintptr_t)va_arg(args, void *);
            put(ctx, '0');
            put(ctx, 'x');
            count += 2;
            struct spec ptr_spec = { .left = false, .pad = '0', .width = 2 * sizeof(void *),
                                     .precision = -1, .length = 0 };
            count += emit_number(put, ctx, v, false, 16, false, &ptr_spec);
            break;
        }
        case '\0':
            va_end(args);
            return count;
        default:
            put(ctx, '%');
            put(ctx, *conv);
            count += 2;
            break;
        }
        p = conv + 1;
    }
    va_end(args);
    return count;
}

struct buffer_ctx {
    char *buf;
    size_t size;
    size_t used;
};

static void buffer_putc(void *ctx, char c)
{
    struct buffer_ctx *b = ctx;
    if (b->used + 1 < b->size) {
        b->buf[b->used] = c;
    }
    b->used++;
}

size_t format_to_buffer_v(char *buf, size_t size, const char *fmt, va_list args)
{
    struct buffer_ctx b = { buf, size, 0 };
    size_t n = format_v(buffer_putc, &b, fmt, args);
    if (size > 0) {
        buf[b.used < size ? b.used : size - 1] = '\0';
    }
    return n;
}

size_t format_to_buffer(char *buf, size_t size, const char *fmt, ...)
{
    va_list args;
    va_start(args, fmt);
    size_t n = format_to_buffer_v(buf, size, fmt, args);
    va_end(args);
    return n;
}
