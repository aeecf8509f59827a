/* SPDX-License-Identifier: Apache-2.0 OR MIT */
/*
 * err_t: the kernel's error type, numerically identical to the syscall ABI's error codes.
 *
 * Every function that can fail returns err_t (ERR_OK on success) and is declared MUST_CHECK.
 * Values travel through out-parameters that are written only on ERR_OK.
 *
 * Invariants: the numbers are part of the userspace ABI (ABI §1.4) and never change.
 */
#pragma once

typedef enum {
    ERR_OK = 0,
    ERR_FAIL = 1,
    ERR_BUSY = 2,
    ERR_ALREADY = 3,
    ERR_OFF = 4,
    ERR_RESERVE = 5,
    ERR_INVAL = 6,
    ERR_SIZE = 7,
    ERR_CANCEL = 8,
    ERR_NOMEM = 9,
    ERR_NOSUPPORT = 10,
    ERR_NODEVICE = 11,
    ERR_UNINSTALLED = 12,
    ERR_NOACK = 13,
} err_t;

_Static_assert(ERR_NOACK == 13, "err_t values are part of the syscall ABI");

#define MUST_CHECK __attribute__((warn_unused_result))

/* A short upper-case name for diagnostics ("INVAL"); "?" for values outside the enum. */
const char *err_name(err_t err);
