/* SPDX-License-Identifier: Apache-2.0 OR MIT */
/*
 * tockc userland unistd.h: _exit and sbrk.
 *
 * Usage: sbrk(n) moves the Tock program break by n bytes (memop 1).
 *
 * Invariants: none.
 */
#pragma once

#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

/* Exit-terminate with `status` as completion code. */
void _exit(int status) __attribute__((noreturn));

/* Move the break by `increment`; returns the old break, or (void *)-1 when the kernel says
 * NOMEM. New memory reads zero. */
void *sbrk(intptr_t increment);

#ifdef __cplusplus
}
#endif
