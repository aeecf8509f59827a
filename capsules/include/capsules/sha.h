/* SPDX-License-Identifier: Apache-2.0 OR MIT */
/*
 * SHA syscall driver (0x40005): SHA-256 over the digest HIL, Tock's current SHA protocol (the
 * sha256_driver capsule of 2026 and libtock-c's sha_syscalls.c since its May 2026 update).
 *
 *   command 0  exists: success.
 *   command 1  set algorithm (arg0: 0 SHA-256, the only one; anything else NOSUPPORT). Nothing
 *              to remember, so it changes nothing.
 *   command 2  hash: the whole of read-only allow 0 (empty: the empty message) into read-write
 *              allow 0, which must be exactly 32 bytes (else the upcall carries NOMEM); upcall 0
 *              (status, 0, 0). A second hash before the first's upcall: NOMEM, as in Tock.
 *   anything else NOSUPPORT. Grant: 1 upcall, 1 read-only and 1 read-write allow.
 * Several processes: each has at most one hash outstanding; they start in arrival order from
 * the driver's command queue (a hash that has to wait returns success and runs later, never
 * BUSY); the data is read out of the allow in DIGEST_DRIVER_CHUNK_LEN chunks as the hash
 * proceeds, and a process that dies mid-hash is drained before the next one starts
 * (capsules/digest_driver.h).
 *
 * Usage (board; components/crypto.h does this):
 *     static struct digest_driver sha_driver;
 *     static struct virtual_alarm sha_alarm;
 *     static struct cmd_queue_entry sha_entries[BOARD_PROCESSES];
 *     virtual_alarm_init(&sha_alarm, &alarm_mux);
 *     boot_check(sha_driver_init(&sha_driver, &sha_unit.digest, &sha_alarm.alarm,
 *                                &kernel, &queue_config,
 *                                sha_entries, ARRAY_LEN(sha_entries)), "sha");
 *     kernel_add_exit_hook(&kernel, &sha_driver.queue.exit_hook);
 *     drivers: { SHA_DRIVER_NUM, &sha_driver.driver }
 *
 * Invariants: see digest_driver.c.
 */
#pragma once

#include "capsules/digest_driver.h"

#define SHA_CMD_EXISTS 0u
#define SHA_CMD_SET_ALGORITHM 1u
#define SHA_CMD_HASH 2u
#define SHA_ALGORITHM_SHA256 0u
#define SHA_ALLOW_RO_DATA 0u
#define SHA_ALLOW_RW_DEST 0u
#define SHA_SUBSCRIBE_HASH 0u

/**
 * Boot only: a digest_driver for SHA-256 on `digest` (which it becomes the client of).
 * Returns as digest_driver_init.
 */
MUST_CHECK err_t sha_driver_init(struct digest_driver *driver, struct hil_digest *digest,
                                 struct hil_alarm *session_alarm, struct kernel *k,
                                 const struct cmd_queue_config *queue_config,
                                 struct cmd_queue_entry *entries, uint32_t entry_count);
