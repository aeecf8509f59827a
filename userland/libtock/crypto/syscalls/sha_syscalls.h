/* SPDX-License-Identifier: Apache-2.0 OR MIT */
/*
 * SHA (driver 0x40005) system calls, one function per subscribe/allow/command, with libtock-c's
 * names (libtock/crypto/syscalls/sha_syscalls.h).
 *
 * Protocol (capsules/digest_driver.h): read-only allow 1 is the data, read-write allow 2 gets the
 * 32-byte digest; command 0 sets the algorithm (0 = SHA-256, the only one), 1 runs (hash the
 * data), 2 updates (add the data; keeps the driver until finish), 3 finishes. Every run, update
 * and finish answers on subscribe 0 with (status, 0, 0). A command that has to wait for another
 * process is queued and returns success; a second one before the first's upcall is EALREADY.
 *
 * Usage: the async layer is crypto/sha.h; the sync layer is libtock-sync/crypto/sha.h.
 *
 * Invariants: none beyond the kernel's; these are thin wrappers.
 */
#pragma once

#include "../../tock.h"

#ifdef __cplusplus
extern "C" {
#endif

#define DRIVER_NUM_SHA 0x40005

/* True when the SHA driver answers command 0 (set algorithm SHA-256). */
bool libtock_sha_driver_exists(void);

/* Subscribe 0: run, update and finish done, (status, 0, 0). */
returncode_t libtock_sha_set_upcall(subscribe_upcall callback, void *opaque);

/* Read-only allow 1: the data. NULL/0 takes the buffer back. */
returncode_t libtock_sha_set_readonly_allow_data_buffer(const uint8_t *buffer, uint32_t len);

/* Read-write allow 2: where the digest goes (min(32, len) bytes). */
returncode_t libtock_sha_set_readwrite_allow_destination_buffer(uint8_t *buffer, uint32_t len);

/* Command 0: 0 = SHA-256; anything else RETURNCODE_ENOSUPPORT. */
returncode_t libtock_sha_command_set_algorithm(uint8_t hash);

/* Commands 1-3: run, update, finish; the upcall follows on success. */
returncode_t libtock_sha_command_run(void);
returncode_t libtock_sha_command_update(void);
returncode_t libtock_sha_command_finish(void);

#ifdef __cplusplus
}
#endif
