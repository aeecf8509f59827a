/* SPDX-License-Identifier: Apache-2.0 OR MIT */
/*
 * HMAC (driver 0x40003) system calls, one function per subscribe/allow/command, with libtock-c's
 * names (libtock/crypto/syscalls/hmac_syscalls.h).
 *
 * Protocol (capsules/digest_driver.h): read-only allow 0 is the key (at most 64 bytes), 1 the
 * data; read-write allow 2 gets the MAC (min(32, len) bytes); command 0 sets the algorithm
 * (0 = HMAC-SHA256, the only one), 1 runs, 2 updates (keeps the driver until finish), 3
 * finishes. Every run, update and finish answers on subscribe 0 with (status, 0, 0). A command
 * that has to wait for another process is queued and returns success.
 *
 * Usage: the async layer is crypto/hmac.h; the sync layer is libtock-sync/crypto/hmac.h.
 *
 * Invariants: none beyond the kernel's; these are thin wrappers.
 */
#pragma once

#include "../../tock.h"

#ifdef __cplusplus
extern "C" {
#endif

#define DRIVER_NUM_HMAC 0x40003

/* True when the HMAC driver answers command 0 (set algorithm HMAC-SHA256). */
bool libtock_hmac_driver_exists(void);

/* Subscribe 0: run, update and finish done, (status, 0, 0). */
returncode_t libtock_hmac_set_upcall(subscribe_upcall callback, void *opaque);

/* Read-only allows 0 (key) and 1 (data); read-write allow 2 (MAC). NULL/0 takes a buffer back. */
returncode_t libtock_hmac_set_readonly_allow_key_buffer(const uint8_t *buffer, uint32_t len);
returncode_t libtock_hmac_set_readonly_allow_data_buffer(const uint8_t *buffer, uint32_t len);
returncode_t libtock_hmac_set_readwrite_allow_destination_buffer(uint8_t *buffer, uint32_t len);

/* Command 0: 0 = HMAC-SHA256; anything else RETURNCODE_ENOSUPPORT. */
returncode_t libtock_hmac_command_set_algorithm(uint32_t hash);

/* Commands 1-3: run, update, finish; the upcall follows on success. */
returncode_t libtock_hmac_command_run(void);
returncode_t libtock_hmac_command_update(void);
returncode_t libtock_hmac_command_finish(void);

#ifdef __cplusplus
}
#endif
