/* SPDX-License-Identifier: Apache-2.0 OR MIT */
/*
 * Host tests for the freestanding formatter (libraries/format.c).
 *
 * Output is compared with the exact text C's printf would produce for the supported subset.
 * Buffers carry guard bytes so a write past `size` fails the test, and the ASan build catches
 * reads past a %s argument that is only `precision` bytes long.
 *
 * Usage: make build/host/format_test build/host-san/format_test && build/host-san/format_test
 *
 * Invariants: none; each test is independent.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "format.h"

#define GUARD 0xA5
#define OUT_LEN 128

/* format_to_buffer_v without the printf attribute, for formats -Wformat would reject. */
static size_t format_unchecked(char *buf, size_t size, const char *fmt, ...)
{
    va_list args;
    va_start(args, fmt);
    size_t n = format_to_buffer_v(buf, size, fmt, args);
    va_end(args);
    return n;
}

/* Check `out` (from a call that reported `n`) against `expect`, and that the guard is intact. */
static void expect_output(const char *out, size_t n, const char *expect)
{
    assert_string_equal(out, expect);
    assert_int_equal(n, strlen(expect));
    for (size_t i = strlen(out) + 1; i < OUT_LEN; i++) {
        assert_int_equal((unsigned char)out[i], GUARD);
    }
}

static char out[OUT_LEN];

/* Run `call` (which formats into `out`) on a guard-filled `out`, then check what it wrote. */
#define EXPECT_OUTPUT(call, expect)           \
    do {                                      \
        memset(out, GUARD, sizeof out);       \
        size_t produced_ = (call);            \
        expect_output(out, produced_, expect); \
    } while (0)

static void test_literal_text_and_percent(void **state)
{
    (void)state;
    EXPECT_OUTPUT( format_to_buffer(out, sizeof out, "plain text"), "plain text");
    EXPECT_OUTPUT( format_to_buffer(out, sizeof out, "100%%"), "100%");
    EXPECT_OUTPUT( format_to_buffer(out, sizeof out, "%d%%", 5), "5%");
    EXPECT_OUTPUT( format_to_buffer(out, sizeof out, "%s", ""), "");
}

static void test_width_pads_on_the_left_by_default(void **state)
{
    (void)state;
    EXPECT_OUTPUT( format_to_buffer(out, sizeof out, "[%5d]", 42), "[   42]");
    EXPECT_OUTPUT( format_to_buffer(out, sizeof out, "[%5u]", 42u), "[   42]");
    EXPECT_OUTPUT( format_to_buffer(out, sizeof out, "[%5x]", 0xabu), "[   ab]");
    EXPECT_OUTPUT( format_to_buffer(out, sizeof out, "[%5s]", "ab"), "[   ab]");
    EXPECT_OUTPUT( format_to_buffer(out, sizeof out, "[%3c]", 'z'), "[  z]");
    EXPECT_OUTPUT( format_to_buffer(out, sizeof out, "[%1d]", 12345), "[12345]");
    EXPECT_OUTPUT( format_to_buffer(out, sizeof out, "[%2s]", "long"), "[long]");
}

static void test_minus_flag_pads_on_the_right(void **state)
{
    (void)state;
    EXPECT_OUTPUT( format_to_buffer(out, sizeof out, "[%-5d]", 42), "[42   ]");
    EXPECT_OUTPUT( format_to_buffer(out, sizeof out, "[%-6s]", "ab"), "[ab    ]");
    EXPECT_OUTPUT( format_to_buffer(out, sizeof out, "[%-3c]", 'z'), "[z  ]");
    EXPECT_OUTPUT( format_to_buffer(out, sizeof out, "[%-4x]", 0xfu), "[f   ]");
}

static void test_zero_flag_pads_numbers_with_zeros(void **state)
{
    (void)state;
    EXPECT_OUTPUT( format_to_buffer(out, sizeof out, "[%05d]", 42), "[00042]");
    EXPECT_OUTPUT( format_to_buffer(out, sizeof out, "[%08x]", 0xbeefu), "[0000beef]");
    EXPECT_OUTPUT( format_to_buffer(out, sizeof out, "[%08X]", 0xbeefu), "[0000BEEF]");
    EXPECT_OUTPUT( format_to_buffer(out, sizeof out, "[%03u]", 7u), "[007]");
    EXPECT_OUTPUT( format_to_buffer(out, sizeof out, "[%05d]", 0), "[00000]");
    /* '-' overrides '0': pad on the right with spaces. */
    EXPECT_OUTPUT( format_unchecked(out, sizeof out, "[%-05d]", 42), "[42   ]");
    EXPECT_OUTPUT( format_unchecked(out, sizeof out, "[%0-5d]", 42), "[42   ]");
}

static void test_negative_numbers_with_padding(void **state)
{
    (void)state;
    EXPECT_OUTPUT( format_to_buffer(out, sizeof out, "[%d]", -42), "[-42]");
    EXPECT_OUTPUT( format_to_buffer(out, sizeof out, "[%5d]", -42), "[  -42]");
    EXPECT_OUTPUT( format_to_buffer(out, sizeof out, "[%05d]", -42), "[-0042]");
    EXPECT_OUTPUT( format_to_buffer(out, sizeof out, "[%03d]", -42), "[-42]");
    EXPECT_OUTPUT( format_to_buffer(out, sizeof out, "[%02d]", -42), "[-42]");
    EXPECT_OUTPUT( format_to_buffer(out, sizeof out, "[%-6d]", -42), "[-42   ]");
    EXPECT_OUTPUT( format_unchecked(out, sizeof out, "[%-06d]", -42), "[-42   ]");
    EXPECT_OUTPUT( format_to_buffer(out, sizeof out, "[%06i]", -1), "[-00001]");
    EXPECT_OUTPUT( format_to_buffer(out, sizeof out, "[%06ld]", -7L), "[-00007]");
    EXPECT_OUTPUT( format_to_buffer(out, sizeof out, "[%08lld]", -123LL), "[-0000123]");
}

static void test_int_min_and_extremes(void **state)
{
    (void)state;
    EXPECT_OUTPUT( format_to_buffer(out, sizeof out, "%d", INT_MIN), "-2147483648");
    EXPECT_OUTPUT( format_to_buffer(out, sizeof out, "%d", INT_MAX), "2147483647");
    EXPECT_OUTPUT( format_to_buffer(out, sizeof out, "%012d", INT_MIN), "-02147483648");
    EXPECT_OUTPUT( format_to_buffer(out, sizeof out, "%13d", INT_MIN), "  -2147483648");
    EXPECT_OUTPUT( format_to_buffer(out, sizeof out, "%u", (unsigned)INT_MIN),
                  "2147483648");
    EXPECT_OUTPUT( format_to_buffer(out, sizeof out, "%x", (unsigned)INT_MIN), "80000000");
    EXPECT_OUTPUT( format_to_buffer(out, sizeof out, "%u", UINT_MAX), "4294967295");
    EXPECT_OUTPUT( format_to_buffer(out, sizeof out, "%lld", LLONG_MIN),
                  "-9223372036854775808");
    EXPECT_OUTPUT( format_to_buffer(out, sizeof out, "%lld", LLONG_MAX),
                  "9223372036854775807");
    EXPECT_OUTPUT( format_to_buffer(out, sizeof out, "%llu", ULLONG_MAX),
                  "18446744073709551615");
    EXPECT_OUTPUT( format_to_buffer(out, sizeof out, "%ld", LONG_MIN),
                  LONG_MIN == LLONG_MIN ? "-9223372036854775808" : "-2147483648");
}

static void test_long_long_hex(void **state)
{
    (void)state;
    EXPECT_OUTPUT( format_to_buffer(out, sizeof out, "%llx", 0xFFFFFFFFFFFFFFFFull),
                  "ffffffffffffffff");
    EXPECT_OUTPUT( format_to_buffer(out, sizeof out, "%llX", 0x0123456789ABCDEFull),
                  "123456789ABCDEF");
    EXPECT_OUTPUT( format_to_buffer(out, sizeof out, "%016llx", 0xBEEFull),
                  "000000000000beef");
    EXPECT_OUTPUT( format_to_buffer(out, sizeof out, "%llx", 0x100000000ull),
                  "100000000");
    EXPECT_OUTPUT( format_to_buffer(out, sizeof out, "%llx", 0ull), "0");
    /* Either side of the switch from 32-bit to chunked 64-bit division. */
    EXPECT_OUTPUT( format_to_buffer(out, sizeof out, "%llx", 0xFFFFFFFFull), "ffffffff");
    EXPECT_OUTPUT( format_to_buffer(out, sizeof out, "%llu %llu %lld", 4294967295ull,
                                    4294967296ull, -4294967296ll),
                  "4294967295 4294967296 -4294967296");
    /* 64-bit values must not disturb the arguments that follow. */
    EXPECT_OUTPUT(
                  format_to_buffer(out, sizeof out, "%llx-%d-%llx", 0x1122334455667788ull, -3,
                                   0x99ull),
                  "1122334455667788--3-99");
}

static void test_size_and_long_modifiers(void **state)
{
    (void)state;
    EXPECT_OUTPUT( format_to_buffer(out, sizeof out, "%zu", (size_t)12345), "12345");
    EXPECT_OUTPUT( format_to_buffer(out, sizeof out, "%zx", (size_t)0xabc), "abc");
    EXPECT_OUTPUT( format_to_buffer(out, sizeof out, "%zd", (ptrdiff_t)-5), "-5");
    EXPECT_OUTPUT( format_to_buffer(out, sizeof out, "%lu", 4000000000ul), "4000000000");
    EXPECT_OUTPUT( format_to_buffer(out, sizeof out, "%lx", 0xdeadul), "dead");
}

static void test_string_precision_limits_bytes(void **state)
{
    (void)state;
    EXPECT_OUTPUT( format_to_buffer(out, sizeof out, "[%.3s]", "hello"), "[hel]");
    EXPECT_OUTPUT( format_to_buffer(out, sizeof out, "[%.0s]", "hello"), "[]");
    EXPECT_OUTPUT( format_to_buffer(out, sizeof out, "[%.10s]", "hello"), "[hello]");
    EXPECT_OUTPUT( format_to_buffer(out, sizeof out, "[%.5s]", "hello"), "[hello]");
    EXPECT_OUTPUT( format_to_buffer(out, sizeof out, "[%8.3s]", "hello"), "[     hel]");
    EXPECT_OUTPUT( format_to_buffer(out, sizeof out, "[%-8.3s]", "hello"), "[hel     ]");
    EXPECT_OUTPUT( format_to_buffer(out, sizeof out, "[%2.3s]", "hello"), "[hel]");
    EXPECT_OUTPUT( format_unchecked(out, sizeof out, "[%.s]", "hello"), "[]");
}

static void test_string_precision_never_reads_past_precision(void **state)
{
    (void)state;
    /* With a precision, the argument need not be NUL-terminated (C11 7.21.6.1p8). */
    char *unterminated = malloc(4);
    assert_non_null(unterminated);
    memcpy(unterminated, "abcd", 4);
    EXPECT_OUTPUT( format_to_buffer(out, sizeof out, "[%.4s]", unterminated), "[abcd]");
    EXPECT_OUTPUT( format_to_buffer(out, sizeof out, "[%.2s]", unterminated), "[ab]");
    free(unterminated);
}

static void test_null_string_prints_placeholder(void **state)
{
    (void)state;
    const char *null_string = NULL;
    EXPECT_OUTPUT( format_unchecked(out, sizeof out, "%s", null_string), "(null)");
    EXPECT_OUTPUT( format_unchecked(out, sizeof out, "%.3s", null_string), "(nu");
}

static void test_pointer_is_zero_padded_hex_of_pointer_width(void **state)
{
    (void)state;
    char expect[64];
    int digits = (int)(2 * sizeof(void *));
    snprintf(expect, sizeof expect, "0x%0*llx", digits, 0x1234ull);
    EXPECT_OUTPUT( format_to_buffer(out, sizeof out, "%p", (void *)(uintptr_t)0x1234),
                  expect);
    snprintf(expect, sizeof expect, "0x%0*llx", digits, 0ull);
    EXPECT_OUTPUT( format_to_buffer(out, sizeof out, "%p", NULL), expect);
    uintptr_t high = UINTPTR_MAX;
    snprintf(expect, sizeof expect, "[0x%llx]", (unsigned long long)high);
    EXPECT_OUTPUT( format_to_buffer(out, sizeof out, "[%p]", (void *)high), expect);
}

static void test_mixed_arguments_stay_in_order(void **state)
{
    (void)state;
    EXPECT_OUTPUT(
                  format_to_buffer(out, sizeof out, "%s=%d %c %u %x %zu %s", "pid", -1, 'k', 7u,
                                   255u, (size_t)9, "end"),
                  "pid=-1 k 7 ff 9 end");
}

static void test_truncation_keeps_nul_and_returns_full_length(void **state)
{
    (void)state;
    char buf[16];
    for (size_t size = 1; size <= 12; size++) {
        memset(buf, GUARD, sizeof buf);
        size_t n = format_to_buffer(buf, size, "hello %s", "world");
        assert_int_equal(n, 11);
        assert_int_equal(strlen(buf), size - 1 < 11 ? size - 1 : 11);
        assert_memory_equal(buf, "hello world", strlen(buf));
        for (size_t i = size; i < sizeof buf; i++) {
            assert_int_equal((unsigned char)buf[i], GUARD); /* nothing written past size */
        }
    }
    /* size 0: nothing is written, not even a NUL; the length is still reported. */
    memset(buf, GUARD, sizeof buf);
    assert_int_equal(format_to_buffer(buf, 0, "%d", 12345), 5);
    assert_int_equal((unsigned char)buf[0], GUARD);
    assert_int_equal(format_to_buffer(NULL, 0, "%s", "abc"), 3);
    /* A padded field cut in the middle. */
    memset(buf, GUARD, sizeof buf);
    assert_int_equal(format_to_buffer(buf, 4, "%08x", 0xabu), 8);
    assert_string_equal(buf, "000");
}

struct counter {
    size_t calls;
    char last;
};

static void count_put(void *ctx, char c)
{
    struct counter *counter = ctx;
    counter->calls++;
    counter->last = c;
}

static size_t format_counted(struct counter *counter, const char *fmt, ...)
{
    va_list args;
    va_start(args, fmt);
    size_t n = format_v(count_put, counter, fmt, args);
    va_end(args);
    return n;
}

static void test_format_v_returns_characters_emitted(void **state)
{
    (void)state;
    struct counter counter = { 0, 0 };
    assert_int_equal(format_counted(&counter, "%-4d|%05d|%s|%c", -1, -2, "xy", 'q'), 15);
    assert_int_equal(counter.calls, 15);
    assert_int_equal(counter.last, 'q');
}

static void test_unknown_conversions_print_literally(void **state)
{
    (void)state;
    EXPECT_OUTPUT( format_unchecked(out, sizeof out, "a%qb"), "a%qb");
    EXPECT_OUTPUT( format_unchecked(out, sizeof out, "50%"), "50");
}

static void test_huge_width_and_precision_saturate(void **state)
{
    (void)state;
    /* Digits that would overflow an int must neither be undefined behaviour (UBSan) nor wrap. */
    EXPECT_OUTPUT( format_unchecked(out, sizeof out, "[%.99999999999s]", "abc"),
                  "[abc]");
    EXPECT_OUTPUT( format_unchecked(out, sizeof out, "[%.4294967297s]", "abc"), "[abc]");
    size_t n = format_unchecked(NULL, 0, "%4294967297d", 1); /* would wrap to width 1 */
    assert_true(n > 1000);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_literal_text_and_percent),
        cmocka_unit_test(test_width_pads_on_the_left_by_default),
        cmocka_unit_test(test_minus_flag_pads_on_the_right),
        cmocka_unit_test(test_zero_flag_pads_numbers_with_zeros),
        cmocka_unit_test(test_negative_numbers_with_padding),
        cmocka_unit_test(test_int_min_and_extremes),
        cmocka_unit_test(test_long_long_hex),
        cmocka_unit_test(test_size_and_long_modifiers),
        cmocka_unit_test(test_string_precision_limits_bytes),
        cmocka_unit_test(test_string_precision_never_reads_past_precision),
        cmocka_unit_test(test_null_string_prints_placeholder),
        cmocka_unit_test(test_pointer_is_zero_padded_hex_of_pointer_width),
        cmocka_unit_test(test_mixed_arguments_stay_in_order),
        cmocka_unit_test(test_truncation_keeps_nul_and_returns_full_length),
        cmocka_unit_test(test_format_v_returns_characters_emitted),
        cmocka_unit_test(test_unknown_conversions_print_literally),
        cmocka_unit_test(test_huge_width_and_precision_saturate),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
