/* SPDX-License-Identifier: Apache-2.0 OR MIT */
/*
 * Equality of two NUL-terminated strings (the kernel is freestanding: no strcmp). Used to match
 * process names against board tables (fault policy overrides, scheduling order).
 */
#pragma once

#include <stdbool.h>

static inline bool text_equal(const char *a, const char *b)
{
    while (*a != '\0' && *a == *b) {
        a++;
        b++;
    }
    return *a == *b;
}
