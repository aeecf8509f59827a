/* SPDX-License-Identifier: Apache-2.0 OR MIT */
/*
 * stdio over the synchronous console: one console write per call where the output fits.
 *
 * Output is collected in `out` and written with libtocksync_console_write (read-only allow 1,
 * command 1, Yield-WaitFor on subscribe 1; ABI §5.2), which runs no upcall. So no upcall can
 * enter stdio while `out` is in use and one static buffer is enough.
 *
 * Usage: see <stdio.h>.
 *
 * Invariants: `out` is empty between calls; a failed console write drops the rest of that call's
 * output and makes the call return EOF.
 */
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include <libtock-sync/interface/console.h>

#include "format.h"

_Static_assert(sizeof(long) == sizeof(int32_t), "inttypes.h assumes 32-bit long");

enum { OUT_BUF_LEN = 256 };

struct libc_file {
    int unused;
};

static struct libc_file console_file;
FILE *const stdout = &console_file;
FILE *const stderr = &console_file;
FILE *const stdin = &console_file;

static struct {
    char buf[OUT_BUF_LEN];
    size_t len;
    bool failed;
} out;

static void flush_out(void)
{
    size_t done = 0;
    while (done < out.len && !out.failed) {
        uint32_t written = 0;
        returncode_t err = libtocksync_console_write((const uint8_t *)&out.buf[done],
                                                     (uint32_t)(out.len - done), &written);
        if (err != RETURNCODE_SUCCESS || written == 0) {
            out.failed = true;
        } else {
            done += written < out.len - done ? written : out.len - done;
        }
    }
    out.len = 0;
}

static void put_out(char c)
{
    if (out.len == sizeof out.buf) {
        flush_out();
    }
    out.buf[out.len++] = c;
}

static void put_out_cb(void *ctx, char c)
{
    (void)ctx;
    put_out(c);
}

static void begin_call(void)
{
    out.len = 0;
    out.failed = false;
}

/* Flush and report: `value` when everything was written, EOF otherwise. */
static int end_call(int value)
{
    flush_out();
    return out.failed ? EOF : value;
}

int vprintf(const char *format, va_list args)
{
    begin_call();
    size_t n = format_v(put_out_cb, NULL, format, args);
    return end_call((int)n);
}

int printf(const char *format, ...)
{
    va_list args;
    va_start(args, format);
    int n = vprintf(format, args);
    va_end(args);
    return n;
}

int vfprintf(FILE *stream, const char *format, va_list args)
{
    (void)stream;
    return vprintf(format, args);
}

int fprintf(FILE *stream, const char *format, ...)
{
    va_list args;
    va_start(args, format);
    int n = vfprintf(stream, format, args);
    va_end(args);
    return n;
}

int putchar(int c)
{
    begin_call();
    put_out((char)c);
    return end_call((unsigned char)c);
}

int fputc(int c, FILE *stream)
{
    (void)stream;
    return putchar(c);
}

int putc(int c, FILE *stream)
{
    return fputc(c, stream);
}

int fputs(const char *s, FILE *stream)
{
    (void)stream;
    begin_call();
    for (const char *p = s; *p != '\0'; p++) {
        put_out(*p);
    }
    return end_call(0);
}

int puts(const char *s)
{
    begin_call();
    for (const char *p = s; *p != '\0'; p++) {
        put_out(*p);
    }
    put_out('\n');
    return end_call(0);
}

int fflush(FILE *stream)
{
    (void)stream;
    return 0;
}

int vsnprintf(char *buf, size_t size, const char *format, va_list args)
{
    return (int)format_to_buffer_v(buf, size, format, args);
}

int snprintf(char *buf, size_t size, const char *format, ...)
{
    va_list args;
    va_start(args, format);
    int n = vsnprintf(buf, size, format, args);
    va_end(args);
    return n;
}

int vsprintf(char *buf, const char *format, va_list args)
{
    return vsnprintf(buf, SIZE_MAX, format, args);
}

int sprintf(char *buf, const char *format, ...)
{
    va_list args;
    va_start(args, format);
    int n = vsprintf(buf, format, args);
    va_end(args);
    return n;
}

int getchar(void)
{
    uint8_t c = 0;
    uint32_t received = 0;
    returncode_t err = libtocksync_console_read(&c, 1, &received);
    return err == RETURNCODE_SUCCESS && received == 1 ? c : EOF;
}
