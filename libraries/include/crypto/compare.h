/* SPDX-License-Identifier: Apache-2.0 OR MIT */
/*
 * Constant-time byte comparison, for checking tags and MACs.
 *
 * Usage: if (crypto_equal(received_tag, computed_tag, tag_len)) { ... }
 *
 * Invariants: the time taken depends on `len` only, never on the bytes compared.
 */
#pragma once

#include <stdbool.h>
#include <stddef.h>

/* True when the first `len` bytes of `a` and `b` are equal (true for len 0). */
bool crypto_equal(const void *a, const void *b, size_t len);
