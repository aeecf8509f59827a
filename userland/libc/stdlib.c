/* SPDX-License-Identifier: Apache-2.0 OR MIT */
/*
 * Process exit, sbrk and number parsing.
 *
 * Usage: see <stdlib.h> and <unistd.h>.
 *
 * Invariants: exit never returns; stdout needs no flush because stdio is unbuffered between
 * calls.
 */
#include <assert.h>
#include <ctype.h>
#include <limits.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <unistd.h>

#include <libtock/tock.h>

enum { MEMOP_SBRK = 1 };

void exit(int status)
{
    tock_exit((uint32_t)status);
}

void _Exit(int status)
{
    tock_exit((uint32_t)status);
}

void _exit(int status)
{
    tock_exit((uint32_t)status);
}

void abort(void)
{
    tock_exit(1);
}

void libc_assert_fail(const char *expression, const char *file, unsigned line)
{
    printf("assertion failed: %s (%s:%u)\n", expression, file, line);
    abort();
}

void *sbrk(intptr_t increment)
{
    memop_return_t ret = memop(MEMOP_SBRK, (int)increment);
    if (ret.status != TOCK_STATUSCODE_SUCCESS) {
        return (void *)(uintptr_t)UINTPTR_MAX;
    }
    return (void *)(uintptr_t)ret.data;
}

int abs(int value)
{
    return value < 0 ? -value : value;
}

long labs(long value)
{
    return value < 0 ? -value : value;
}

static int digit_value(int c)
{
    if (isdigit(c)) {
        return c - '0';
    }
    if (c >= 'a' && c <= 'z') {
        return c - 'a' + 10;
    }
    if (c >= 'A' && c <= 'Z') {
        return c - 'A' + 10;
    }
    return 99;
}

/* Parses an optionally signed number; saturates at ULONG_MAX. *negative tells the sign. */
static unsigned long parse_number(const char *s, char **end, int base, bool *negative)
{
    const char *p = s;
    while (isspace((unsigned char)*p)) {
        p++;
    }
    *negative = false;
    if (*p == '+' || *p == '-') {
        *negative = *p == '-';
        p++;
    }
    if ((base == 0 || base == 16) && p[0] == '0' && (p[1] == 'x' || p[1] == 'X') &&
        digit_value((unsigned char)p[2]) < 16) {
        p += 2;
        base = 16;
    } else if (base == 0) {
        base = p[0] == '0' ? 8 : 10;
    }
    const char *digits_start = p;
    unsigned long value = 0;
    bool overflow = false;
    for (int d = digit_value((unsigned char)*p); d < base; d = digit_value((unsigned char)*p)) {
        if (value > (ULONG_MAX - (unsigned long)d) / (unsigned long)base) {
            overflow = true;
        }
        value = value * (unsigned long)base + (unsigned long)d;
        p++;
    }
    if (end != NULL) {
        *end = (char *)(uintptr_t)(p == digits_start ? s : p);
    }
    return overflow ? ULONG_MAX : value;
}

unsigned long strtoul(const char *s, char **end, int base)
{
    bool negative = false;
    unsigned long value = parse_number(s, end, base, &negative);
    return negative ? 0ul - value : value;
}

long strtol(const char *s, char **end, int base)
{
    bool negative = false;
    unsigned long value = parse_number(s, end, base, &negative);
    if (negative) {
        return value > (unsigned long)LONG_MAX + 1ul ? LONG_MIN : (long)(0ul - value);
    }
    return value > (unsigned long)LONG_MAX ? LONG_MAX : (long)value;
}

long atol(const char *s)
{
    return strtol(s, NULL, 10);
}

int atoi(const char *s)
{
    return (int)strtol(s, NULL, 10);
}
