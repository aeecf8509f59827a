/* SPDX-License-Identifier: Apache-2.0 OR MIT */
/*
 * arch/riscv/divide64.c against the host's own 64-bit division: edge values (powers of two and
 * their neighbours, divisors on both sides of 2^32, quotient digits that need Knuth's
 * correction steps), every pair from that set, and a long pseudo-random sweep of mixed widths.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include "arch/divide64.h"

static void check(uint64_t n, uint64_t d)
{
    uint64_t rem = 0;
    uint64_t q = divide64_udivmod(n, d, &rem);
    if (q != n / d || rem != n % d) {
        print_error("%llu / %llu: got %llu rem %llu, want %llu rem %llu\n",
                    (unsigned long long)n, (unsigned long long)d, (unsigned long long)q,
                    (unsigned long long)rem, (unsigned long long)(n / d),
                    (unsigned long long)(n % d));
        fail();
    }
    assert_true(__udivdi3(n, d) == n / d);
    assert_true(__umoddi3(n, d) == n % d);
}

/* Powers of two, their neighbours, all-ones patterns and values whose 16-bit digits sit where
 * the digit estimate is too big (a normalised divisor with a small low half). */
static size_t edge_values(uint64_t *out)
{
    size_t n = 0;
    for (unsigned bit = 0; bit < 64; bit++) {
        uint64_t p = (uint64_t)1 << bit;
        out[n++] = p;
        out[n++] = p - 1;
        out[n++] = p + 1;
    }
    static const uint64_t special[] = {
        0,           UINT64_MAX,          0x80000000u,         0x80000001u,
        0xffff0000u, 0x8000ffffu,         0xfffffffeu,         0x100000000ull,
        0x1ffffffffull, 0xffffffff00000000ull, 0x7fffffffffffffffull, 1000000u,
        32768u,      1000000000000ull,    0x8000000000000001ull, 0x0000ffff0000ffffull,
    };
    for (size_t i = 0; i < sizeof special / sizeof special[0]; i++) {
        out[n++] = special[i];
    }
    return n;
}

static void every_edge_pair(void **state)
{
    (void)state;
    uint64_t values[64 * 3 + 16];
    size_t count = edge_values(values);
    for (size_t i = 0; i < count; i++) {
        for (size_t j = 0; j < count; j++) {
            if (values[j] != 0) {
                check(values[i], values[j]);
            }
        }
    }
}

/* xorshift64: deterministic, so a failure repeats. */
static uint64_t next_random(uint64_t *s)
{
    *s ^= *s << 13;
    *s ^= *s >> 7;
    *s ^= *s << 17;
    return *s;
}

static void random_widths(void **state)
{
    (void)state;
    uint64_t seed = 0x9e3779b97f4a7c15ull;
    for (unsigned i = 0; i < 2000000; i++) {
        uint64_t n = next_random(&seed) >> (next_random(&seed) % 64);
        uint64_t d = next_random(&seed) >> (next_random(&seed) % 64);
        if (d == 0) {
            d = 1;
        }
        check(n, d);
    }
}

static void zero_divisor_follows_risc_v(void **state)
{
    (void)state;
    uint64_t rem = 0;
    assert_true(divide64_udivmod(12345, 0, &rem) == UINT64_MAX);
    assert_true(rem == 12345);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(every_edge_pair),
        cmocka_unit_test(random_widths),
        cmocka_unit_test(zero_divisor_follows_risc_v),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
