/* SPDX-License-Identifier: Apache-2.0 OR MIT */
/*
 * Asynchronous console: write and read with a completion callback (libtock-c's API).
 *
 * The callback runs from an upcall, i.e. inside yield(), with the kernel's status converted to a
 * returncode_t and the number of bytes transferred.
 *
 * Usage: libtock_console_write(buf, len, done); then yield until `done` has run. The buffer is
 * lent to the kernel until the callback runs.
 *
 * Invariants: one write and one read may be outstanding at a time (the kernel's rule); a second
 * call replaces the stored callback.
 */
#pragma once

#include "../tock.h"

#ifdef __cplusplus
extern "C" {
#endif

/* (result, bytes written) */
typedef void (*libtock_console_callback_write)(returncode_t, uint32_t);

/* (result, bytes read) */
typedef void (*libtock_console_callback_read)(returncode_t, uint32_t);

/* True when the console driver exists. */
bool libtock_console_exists(void);

/* Start writing `len` bytes of `buffer`. On RETURNCODE_SUCCESS `cb` runs once, later. */
returncode_t libtock_console_write(const uint8_t *buffer, uint32_t len,
                                   libtock_console_callback_write cb);

/* Start reading `len` bytes into `buffer`. On RETURNCODE_SUCCESS `cb` runs once, later. */
returncode_t libtock_console_read(uint8_t *buffer, uint32_t len, libtock_console_callback_read cb);

/* Ask the kernel to end the outstanding read now; its callback still runs. */
returncode_t libtock_console_abort_read(void);

#ifdef __cplusplus
}
#endif
