/* SPDX-License-Identifier: Apache-2.0 OR MIT */
/*
 * Console Yield-WaitFor helpers: block for the console's write-done or read-done event.
 *
 * Both events are (status, bytes, 0) in tockc (ABI §5.2, §9.6). The event is consumed without
 * running any upcall subscribed for it.
 *
 * Usage: after libtock_console_command_write()/..._read() succeeded.
 *
 * Invariants: none.
 */
#pragma once

#include <libtock/interface/syscalls/console_syscalls.h>
#include <libtock/tock.h>

#ifdef __cplusplus
extern "C" {
#endif

/* Wait for write-done; *bytes_written = bytes the kernel wrote. Returns the event's status. */
returncode_t libtocksync_console_yield_wait_for_write(uint32_t *bytes_written);

/* Wait for read-done; *bytes_read = bytes received. Returns the event's status. */
returncode_t libtocksync_console_yield_wait_for_read(uint32_t *bytes_read);

#ifdef __cplusplus
}
#endif
