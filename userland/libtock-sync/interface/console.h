/* SPDX-License-Identifier: Apache-2.0 OR MIT */
/*
 * Synchronous console: write and read that return when the kernel is done (libtock-c's
 * libtock-sync API).
 *
 * Built on Yield-WaitFor, so no upcall (of this or any other driver) runs while they block.
 *
 * Usage: libtocksync_console_write(buf, len, &written);
 *
 * Invariants: the buffer is allowed only for the duration of the call and taken back before it
 * returns, whatever the outcome.
 */
#pragma once

#include <libtock/tock.h>

#ifdef __cplusplus
extern "C" {
#endif

bool libtocksync_console_exists(void);

/* Write `length` bytes; *written = bytes written (on success). Returns the first error met. */
returncode_t libtocksync_console_write(const uint8_t *buffer, uint32_t length, uint32_t *written);

/* Read exactly `length` bytes (at most the kernel's RX buffer, 64 on tockc); *read = bytes
 * received. Returns the first error met. */
returncode_t libtocksync_console_read(uint8_t *buffer, uint32_t length, uint32_t *read);

#ifdef __cplusplus
}
#endif
