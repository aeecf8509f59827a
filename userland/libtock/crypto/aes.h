/* SPDX-License-Identifier: Apache-2.0 OR MIT */
/*
 * Asynchronous AES (libtock-c's libtock/crypto/aes.h): set the algorithm, allow key, IV, source
 * and destination (syscalls/aes_syscalls.h), subscribe, then setup, any number of crypts, and
 * finish.
 *
 * Usage:
 *     libtock_aes_set_algorithm(LIBTOCK_AES128CBC, true);
 *     ... allows and libtock_aes_set_upcall(done, NULL) ...
 *     libtock_aes_setup();        // done(status, bytes, 0) follows
 *     libtock_aes_crypt();        // more data, same chain; done follows
 *     libtock_aes_finish();       // key wiped, driver free for other processes
 *
 * Invariants: between setup and finish the process holds the driver; other processes' setups
 * wait (queued, not refused) until finish or until the session has been idle for the kernel's
 * timeout, after which this process's next call fails once with RETURNCODE_ECANCEL.
 */
#pragma once

#include "../tock.h"
#include "syscalls/aes_syscalls.h"

#ifdef __cplusplus
extern "C" {
#endif

typedef enum {
    LIBTOCK_AES128Ctr = 0,
    LIBTOCK_AES128CBC = 1,
    LIBTOCK_AES128ECB = 2,
    LIBTOCK_AES128CCM = 3,
    LIBTOCK_AES128GCM = 4, /* tockc addition; the driver's algorithm 4, as in Tock */
} libtock_aes_algorithm_t;

bool libtock_aes_exists(void);

/* The algorithm and direction for this process's next setup and crypts. */
returncode_t libtock_aes_set_algorithm(libtock_aes_algorithm_t operation, bool encrypting);

/* Load key and IV, then process the source; the upcall follows on success. */
returncode_t libtock_aes_setup(void);

/* Process the (new) source with the same key and chain; the upcall follows on success. */
returncode_t libtock_aes_crypt(void);

/* End the operation: the key is wiped and the driver goes to the next process. No upcall. */
returncode_t libtock_aes_finish(void);

/* CCM/GCM parameters (commands 5-8; capsules/aes.h): the associated data's and the payload's
 * offsets in the source, the tag length (0..16), and whether CCM authenticates the payload. */
returncode_t libtock_aes_ccm_set_a_off(uint32_t value);
returncode_t libtock_aes_ccm_set_m_off(uint32_t value);
returncode_t libtock_aes_ccm_set_mic_len(uint32_t value);
returncode_t libtock_aes_ccm_set_confidential(bool value);

#ifdef __cplusplus
}
#endif
