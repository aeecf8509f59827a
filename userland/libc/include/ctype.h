/* SPDX-License-Identifier: Apache-2.0 OR MIT */
/*
 * tockc userland ctype.h: ASCII character classes ("C" locale only).
 *
 * Usage: as in ISO C.
 *
 * Invariants: none.
 */
#pragma once

#ifdef __cplusplus
extern "C" {
#endif

int isdigit(int c);
int isxdigit(int c);
int isalpha(int c);
int isalnum(int c);
int isupper(int c);
int islower(int c);
int isspace(int c);
int isprint(int c);
int iscntrl(int c);
int ispunct(int c);
int toupper(int c);
int tolower(int c);

#ifdef __cplusplus
}
#endif
