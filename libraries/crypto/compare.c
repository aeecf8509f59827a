/* SPDX-License-Identifier: Apache-2.0 OR MIT */
/*
 * Constant-time byte comparison (see crypto/compare.h).
 *
 * Usage: see crypto/compare.h.
 *
 * Invariants: no branch or early exit depends on the data.
 */
#include "crypto/compare.h"

#include <stdint.h>

bool crypto_equal(const void *a, const void *b, size_t len)
{
    const volatile uint8_t *x = a; /* volatile: keep the loop whole */
    const volatile uint8_t *y = b;
    uint8_t difference = 0;
    for (size_t i = 0; i < len; i++) {
        difference |= (uint8_t)(x[i] ^ y[i]);
    }
    return difference == 0;
}
