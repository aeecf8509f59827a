/* SPDX-License-Identifier: Apache-2.0 OR MIT */
/*
 * tockc userland inttypes.h: printf length modifiers for <stdint.h> types.
 *
 * On both tockc targets (arm-none-eabi and riscv ilp32) int32_t/uint32_t are `long`, so their
 * modifier is "l"; pointers and size_t are `int`.
 *
 * Usage: printf("%" PRIu32 "\n", value);
 *
 * Invariants: matches the compilers' __INT32_TYPE__ (checked by a _Static_assert in stdio.c).
 */
#pragma once

#include <stdint.h>

#define PRId8 "d"
#define PRIi8 "i"
#define PRIu8 "u"
#define PRIx8 "x"
#define PRIX8 "X"
#define PRId16 "d"
#define PRIi16 "i"
#define PRIu16 "u"
#define PRIx16 "x"
#define PRIX16 "X"
#define PRId32 "ld"
#define PRIi32 "li"
#define PRIu32 "lu"
#define PRIx32 "lx"
#define PRIX32 "lX"
#define PRId64 "lld"
#define PRIi64 "lli"
#define PRIu64 "llu"
#define PRIx64 "llx"
#define PRIX64 "llX"
#define PRIdPTR "d"
#define PRIiPTR "i"
#define PRIuPTR "u"
#define PRIxPTR "x"
#define PRIXPTR "X"
