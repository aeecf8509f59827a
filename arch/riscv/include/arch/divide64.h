/* SPDX-License-Identifier: Apache-2.0 OR MIT */
/*
 * Unsigned 64-bit division for the RV32 kernel, which reserves t3-t6 for the running process
 * and so cannot link libgcc's __udivdi3/__umoddi3 (they use those registers).
 *
 * Usage: C's `/` and `%` on uint64_t call these; divide64_udivmod is the one body, also the
 * entry point of the host tests.
 */
#ifndef ARCH_DIVIDE64_H
#define ARCH_DIVIDE64_H

#include <stdint.h>

/* n / d, with *rem = n % d; for d == 0, UINT64_MAX and *rem = n (RISC-V's divu/remu). */
uint64_t divide64_udivmod(uint64_t n, uint64_t d, uint64_t *rem);

/* The compiler's helpers for uint64_t `/` and `%`. */
uint64_t __udivdi3(uint64_t n, uint64_t d);
uint64_t __umoddi3(uint64_t n, uint64_t d);

#endif
