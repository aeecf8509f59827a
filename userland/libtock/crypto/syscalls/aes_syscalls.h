/* SPDX-License-Identifier: Apache-2.0 OR MIT */
/*
 * AES (driver 0x40006) system calls, one function per subscribe/allow/command, with libtock-c's
 * names (libtock/crypto/syscalls/aes_syscalls.h).
 *
 * Protocol (capsules/aes.h): read-only allows 0 key (16 bytes), 1 IV or initial counter
 * (16 bytes; CBC and CTR) or nonce (CCM: 7..13 bytes used, GCM: 12), 2 source; read-write
 * allow 0 destination. Command 1 sets the algorithm (0 CTR, 1 CBC, 2 ECB, 3 CCM, 4 GCM), 2 sets
 * up (loads key and IV and processes the source; the process keeps the driver until finish),
 * 3 crypts more source with the same chain (block modes only), 4 finishes (no upcall), 5-8 set
 * the CCM/GCM associated-data offset, payload offset, tag length and confidential flag. Setup
 * and crypt answer on subscribe 0 with (status, bytes, verified): for CCM/GCM decryption,
 * verified 0 means the tag did not match. A setup that has to wait for another process's
 * session is queued and returns success.
 *
 * Usage: the async layer is crypto/aes.h; libtock-sync/crypto/aes.h does whole CCM/GCM
 * messages.
 *
 * Invariants: none beyond the kernel's; these are thin wrappers.
 */
#pragma once

#include "../../tock.h"

#ifdef __cplusplus
extern "C" {
#endif

#define DRIVER_NUM_AES 0x40006

/* True when the AES driver answers command 0. */
bool libtock_aes_driver_exists(void);

/* Subscribe 0: setup and crypt done, (status, bytes, 0). */
returncode_t libtock_aes_set_upcall(subscribe_upcall callback, void *opaque);

/* Read-only allows: 0 key, 1 IV (the nonce for CCM in libtock-c), 2 source. */
returncode_t libtock_aes_set_readonly_allow_key_buffer(const uint8_t *buffer, uint32_t len);
returncode_t libtock_aes_set_readonly_allow_iv_buffer(const uint8_t *buffer, uint32_t len);
returncode_t libtock_aes_set_readonly_allow_nonce_buffer(const uint8_t *buffer, uint32_t len);
returncode_t libtock_aes_set_readonly_allow_source_buffer(const uint8_t *buffer, uint32_t len);

/* Read-write allow 0: the destination, at least as long as the source. */
returncode_t libtock_aes_set_readwrite_allow_dest_buffer(uint8_t *buffer, uint32_t len);

/* Command 1: operation 0 CTR, 1 CBC, 2 ECB, 3 CCM, 4 GCM. */
returncode_t libtock_aes_command_set_algorithm(uint8_t operation, bool encrypting);

/* Commands 2-4: setup and crypt (upcall follows), finish (none). */
returncode_t libtock_aes_command_setup(void);
returncode_t libtock_aes_command_crypt(void);
returncode_t libtock_aes_command_finish(void);

/* Commands 5-8: CCM/GCM a_off, m_off, tag length (0..16, else EINVAL), confidential. */
returncode_t libtock_aes_command_ccm_set_a_off(uint32_t value);
returncode_t libtock_aes_command_ccm_set_m_off(uint32_t value);
returncode_t libtock_aes_command_ccm_set_mic_len(uint32_t value);
returncode_t libtock_aes_command_ccm_set_confidential(bool value);

#ifdef __cplusplus
}
#endif
