/* SPDX-License-Identifier: Apache-2.0 OR MIT */
/*
 * tockc userland assert.h: print the failed expression and exit with code 1.
 *
 * Usage: assert(ptr != NULL); define NDEBUG to compile assertions out.
 *
 * Invariants: none.
 */
#undef assert

#ifdef NDEBUG
#define assert(expression) ((void)0)
#else
#define assert(expression) \
    ((expression) ? (void)0 : libc_assert_fail(#expression, __FILE__, __LINE__))
#endif

#ifndef LIBC_ASSERT_FAIL_DECLARED
#define LIBC_ASSERT_FAIL_DECLARED
#ifdef __cplusplus
extern "C" {
#endif
void libc_assert_fail(const char *expression, const char *file, unsigned line)
    __attribute__((noreturn));
#ifdef __cplusplus
}
#endif
#endif
