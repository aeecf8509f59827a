/* SPDX-License-Identifier: Apache-2.0 OR MIT */
/*
 * Console (driver 0x1) system calls, one function per subscribe/allow/command (ABI §5.2).
 *
 * tockc's write-done upcall is (status, bytes_written, 0) and read-done is (status,
 * bytes_received, 0) (ABI §5.2, §9.6).
 *
 * Usage: the async layer is interface/console.h; the sync layer is libtock-sync/interface/.
 *
 * Invariants: none beyond the kernel's; these are thin wrappers.
 */
#pragma once

#include "../../tock.h"

#ifdef __cplusplus
extern "C" {
#endif

#define DRIVER_NUM_CONSOLE 0x1

/* True when the console driver answers command 0. */
bool libtock_console_driver_exists(void);

/* Subscribe 1 (write done) and 2 (read done). */
returncode_t libtock_console_write_done_set_upcall(subscribe_upcall callback, void *opaque);
returncode_t libtock_console_read_done_set_upcall(subscribe_upcall callback, void *opaque);

/* Read-only allow 1: the bytes to write. NULL/0 takes the buffer back. */
returncode_t libtock_console_set_read_allow(const uint8_t *buffer, uint32_t len);

/* Read-write allow 1: where received bytes go. NULL/0 takes the buffer back. */
returncode_t libtock_console_set_readwrite_allow(uint8_t *buffer, uint32_t len);

/* Command 1: write `length` bytes of the read-only buffer; write-done follows on success. */
returncode_t libtock_console_command_write(int length);

/* Command 2: receive `length` bytes into the read-write buffer; read-done follows on success.
 * RETURNCODE_EBUSY if a read is outstanding, RETURNCODE_EINVAL if longer than the kernel
 * buffer. */
returncode_t libtock_console_command_read(int length);

/* Command 3: end the outstanding read early; its read-done still follows. */
returncode_t libtock_console_command_abort_read(void);

#ifdef __cplusplus
}
#endif
