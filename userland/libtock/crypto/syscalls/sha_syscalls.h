/* SPDX-License-Identifier: Apache-2.0 OR MIT */
/*
 * SHA (driver 0x40005) system calls, one function per subscribe/allow/command, with libtock-c's
 * names (libtock/crypto/syscalls/sha_syscalls.h).
 *
 * Protocol (Tock's current SHA driver, capsules/sha.h): read-only allow 0 is the data,
 * read-write allow 0 gets the digest and must be exactly 32 bytes; command 1 sets the algorithm
 * (0 = SHA-256, the only one), command 2 hashes the data and answers on subscribe 0 with
 * (status, 0, 0). A hash that has to wait for another process is queued and returns success; a
 * second one before the first's upcall is ENOMEM.
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

/* True when the SHA driver answers command 0. */
bool libtock_sha_driver_exists(void);

/* Subscribe 0: hash done, (status, 0, 0). */
returncode_t libtock_sha_set_hash_upcall(subscribe_upcall callback, void *opaque);

/* Read-only allow 0: the data. NULL/0 takes the buffer back. */
returncode_t libtock_sha_set_readonly_allow_data_buffer(const uint8_t *buffer, uint32_t len);

/* Read-write allow 0: where the digest goes (exactly 32 bytes, else the upcall says ENOMEM). */
returncode_t libtock_sha_set_readwrite_allow_destination_buffer(uint8_t *buffer, uint32_t len);

/* Command 1: 0 = SHA-256; anything else RETURNCODE_ENOSUPPORT. */
returncode_t libtock_sha_command_set_algorithm(uint8_t hash);

/* Command 2: hash; the upcall follows on success. */
returncode_t libtock_sha_command_hash(void);

#ifdef __cplusplus
}
#endif
