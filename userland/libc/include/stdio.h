/* SPDX-License-Identifier: Apache-2.0 OR MIT */
/*
 * tockc userland stdio: formatted output to the Tock console, nothing else.
 *
 * Formatting is the kernel tree's freestanding formatter (libraries/format.c): %% %c %s %d %i
 * %u %x %X %p, flags '-' and '0', a width, a precision for %s, and the length modifiers l, ll
 * and z. No floating point, %o, 'h', '+', '#', ' ' or '*'.
 *
 * Usage: printf("x = %lu\n", (unsigned long)x);
 *
 * Invariants: stdout is unbuffered between calls: every printf/puts/putchar has reached the
 * kernel when it returns. One call is one console write when its output fits in 256 bytes,
 * otherwise 256-byte pieces in order. stdout and stderr are the same console.
 */
#pragma once

#include <stdarg.h>
#include <stddef.h>

#ifdef __cplusplus
extern "C" {
#endif

#define EOF (-1)

typedef struct libc_file FILE;
extern FILE *const stdout;
extern FILE *const stderr;
extern FILE *const stdin;

/* Return the number of characters produced (or, for putchar/puts, the usual values), or EOF
 * when the console refused the write. */
int printf(const char *format, ...) __attribute__((format(printf, 1, 2)));
int vprintf(const char *format, va_list args) __attribute__((format(printf, 1, 0)));
int fprintf(FILE *stream, const char *format, ...) __attribute__((format(printf, 2, 3)));
int vfprintf(FILE *stream, const char *format, va_list args) __attribute__((format(printf, 2, 0)));
int putchar(int c);
int puts(const char *s);
int fputc(int c, FILE *stream);
int putc(int c, FILE *stream);
int fputs(const char *s, FILE *stream);
int fflush(FILE *stream);

/* Format into `buf` (always NUL-terminated when size > 0); return the untruncated length. */
int snprintf(char *buf, size_t size, const char *format, ...) __attribute__((format(printf, 3, 4)));
int vsnprintf(char *buf, size_t size, const char *format, va_list args)
    __attribute__((format(printf, 3, 0)));
int sprintf(char *buf, const char *format, ...) __attribute__((format(printf, 2, 3)));
int vsprintf(char *buf, const char *format, va_list args) __attribute__((format(printf, 2, 0)));

/* Block until one byte arrives on the console; EOF on error. */
int getchar(void);

#ifdef __cplusplus
}
#endif
