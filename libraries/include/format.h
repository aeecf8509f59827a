/* SPDX-License-Identifier: Apache-2.0 OR MIT */
/*
 * A small freestanding printf-style formatter that writes through a character callback.
 *
 * Supports %% %c %s %d %i %u %x %X %p and the flags '-', '0', a width, a '.precision' for %s,
 * and length modifiers 'l', 'll', 'z' (all values are treated as at most 64 bits).
 * Unknown conversions are printed literally. Used by kernel debug output and userland printf.
 */
#pragma once

#include <stdarg.h>
#include <stddef.h>

typedef void (*format_putc_fn)(void *ctx, char c);

/* Returns the number of characters produced. */
size_t format_v(format_putc_fn put, void *ctx, const char *fmt, va_list args);

/* snprintf-like: always NUL-terminates when size > 0; returns the untruncated length. */
size_t format_to_buffer(char *buf, size_t size, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));
size_t format_to_buffer_v(char *buf, size_t size, const char *fmt, va_list args);
