/* SPDX-License-Identifier: Apache-2.0 OR MIT */
/*
 * Unsigned 64-bit division for the RV32 kernel (see arch/riscv/divide64.h).
 *
 * The RV32 kernel is built with t3-t6 reserved (-ffixed-t3 ... -ffixed-t6): they keep the
 * process's values while the kernel runs, so the trap neither saves nor restores them. libgcc's
 * __udivdi3 and __umoddi3 use t3-t6, so the kernel links these instead (built with the same
 * flags and outside LTO, because the compiler emits calls to them only during code generation).
 *
 * The method: a 32-bit divisor takes one or two 64-by-32 divisions, each Knuth's algorithm D on
 * 16-bit digits with the hardware's 32-bit divu; a larger divisor gives a quotient below 2^32,
 * estimated from its top 32 bits and corrected by one.
 *
 * Invariants: results equal C's `n / d` and `n % d` for every d != 0; for d == 0 they are the
 * RISC-V divu/remu convention (all ones, and n).
 */
#include "arch/divide64.h"

/* Leading zero bits of x != 0 (no libgcc __clzsi2: rv32imac has no clz instruction). */
static unsigned leading_zeros(uint32_t x)
{
    unsigned n = 0;
    if ((x >> 16) == 0) {
        n += 16;
        x <<= 16;
    }
    if ((x >> 24) == 0) {
        n += 8;
        x <<= 8;
    }
    if ((x >> 28) == 0) {
        n += 4;
        x <<= 4;
    }
    if ((x >> 30) == 0) {
        n += 2;
        x <<= 2;
    }
    if ((x >> 31) == 0) {
        n += 1;
    }
    return n;
}

/* One 16-bit quotient digit of (top·2^16 + next) / d, d normalised (top bit set) and the true
 * digit below 2^16: estimate from d's high half, then lower the estimate while it is too big
 * (at most twice, Knuth's theorem B). */
static uint32_t quotient_digit(uint32_t top, uint32_t next, uint32_t d)
{
    uint32_t d_high = d >> 16, d_low = d & 0xffffu;
    uint32_t q = top / d_high;
    uint32_t r = top - q * d_high;
    while (q > 0xffffu || q * d_low > ((r << 16) | next)) {
        q--;
        r += d_high;
        if (r > 0xffffu) {
            break;
        }
    }
    return q;
}

/* (high·2^32 + low) / d with high < d, so the quotient fits in 32 bits; *rem = the remainder. */
static uint32_t divide_64_by_32(uint32_t high, uint32_t low, uint32_t d, uint32_t *rem)
{
    unsigned shift = leading_zeros(d);
    d <<= shift;
    /* The dividend shifted as d was: three 32-bit words' worth, of which high_word holds the top
     * 32 bits and the two 16-bit digits below come from low. */
    uint32_t high_word = shift == 0 ? high : (high << shift) | (low >> (32 - shift));
    uint32_t low_word = low << shift;
    uint32_t digit1 = low_word >> 16, digit0 = low_word & 0xffffu;

    uint32_t q1 = quotient_digit(high_word, digit1, d);
    uint32_t partial = (high_word << 16) + digit1 - q1 * d; /* < d: exact modulo 2^32 */
    uint32_t q0 = quotient_digit(partial, digit0, d);
    *rem = ((partial << 16) + digit0 - q0 * d) >> shift;
    return (q1 << 16) | q0;
}

uint64_t divide64_udivmod(uint64_t n, uint64_t d, uint64_t *rem)
{
    uint32_t n_high = (uint32_t)(n >> 32), n_low = (uint32_t)n;
    uint32_t d_high = (uint32_t)(d >> 32), d_low = (uint32_t)d;
    if (d_high == 0) {
        if (d_low == 0) {
            *rem = n;
            return UINT64_MAX;
        }
        if (n_high == 0) {
            *rem = n_low % d_low;
            return n_low / d_low;
        }
        uint32_t q_high = n_high / d_low; /* then high < d_low, as divide_64_by_32 needs */
        uint32_t r;
        uint32_t q_low = divide_64_by_32(n_high - q_high * d_low, n_low, d_low, &r);
        *rem = r;
        return ((uint64_t)q_high << 32) | q_low;
    }
    if (n < d) {
        *rem = n;
        return 0;
    }
    /* d >= 2^32: the quotient is below 2^32. Divide n/2 by d's top 32 bits (normalised, so
     * the division fits); scaled back, that estimate is the quotient or one more than it, so
     * one less is the quotient or one less than it, and one remainder test settles it. */
    unsigned shift = leading_zeros(d_high);
    uint32_t d_top = (uint32_t)((d << shift) >> 32);
    uint64_t half = n >> 1;
    uint32_t ignored;
    uint32_t estimate = divide_64_by_32((uint32_t)(half >> 32), (uint32_t)half, d_top, &ignored);
    uint64_t q = ((uint64_t)estimate << shift) >> 31;
    if (q != 0) {
        q--;
    }
    uint64_t r = n - q * d;
    if (r >= d) {
        q++;
        r -= d;
    }
    *rem = r;
    return q;
}

uint64_t __udivdi3(uint64_t n, uint64_t d)
{
    uint64_t rem;
    return divide64_udivmod(n, d, &rem);
}

uint64_t __umoddi3(uint64_t n, uint64_t d)
{
    uint64_t rem;
    (void)divide64_udivmod(n, d, &rem);
    return rem;
}
