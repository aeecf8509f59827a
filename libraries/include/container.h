/* SPDX-License-Identifier: Apache-2.0 OR MIT */
/*
 * CONTAINER_OF and ARRAY_LEN: the only structural macros the tree uses.
 *
 * The sizeof operand of CONTAINER_OF is never evaluated; the pointer comparison inside it makes
 * the compiler reject a `ptr` whose type is not that of `member`.
 */
#pragma once

#include <stddef.h>

#define CONTAINER_OF(ptr, type, member)                                                            \
    ((void)sizeof((ptr) == &((type *)0)->member),                                                  \
     (type *)(void *)((char *)(ptr)-offsetof(type, member)))

#define ARRAY_LEN(array) (sizeof(array) / sizeof((array)[0]))
