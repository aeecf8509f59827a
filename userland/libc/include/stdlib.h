/* SPDX-License-Identifier: Apache-2.0 OR MIT */
/*
 * tockc userland stdlib.h: heap on top of the Tock program break, exit, and number parsing.
 *
 * The heap grows the break with sbrk (memop 1); memory returned by a fresh sbrk reads zero (the
 * kernel zero-fills it), reused memory does not. Blocks are 8-byte aligned.
 *
 * Usage: as in ISO C.
 *
 * Invariants: the heap is the only user of sbrk besides the app itself; an app that moves the
 * break down below the heap's end corrupts it.
 */
#pragma once

#include <stddef.h>

#ifdef __cplusplus
extern "C" {
#endif

#define EXIT_SUCCESS 0
#define EXIT_FAILURE 1

/* NULL when the kernel refuses to move the break (NOMEM) or on size overflow. */
void *malloc(size_t size);
void *calloc(size_t count, size_t size);
void *realloc(void *ptr, size_t size);
void free(void *ptr);

/* Exit-terminate with `status` as completion code (ABI §1.11). */
void exit(int status) __attribute__((noreturn));
void _Exit(int status) __attribute__((noreturn));
/* Exit-terminate with completion code 1. */
void abort(void) __attribute__((noreturn));

int abs(int value);
long labs(long value);
int atoi(const char *s);
long atol(const char *s);
long strtol(const char *s, char **end, int base);
unsigned long strtoul(const char *s, char **end, int base);

#ifdef __cplusplus
}
#endif
