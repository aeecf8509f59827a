/* SPDX-License-Identifier: Apache-2.0 OR MIT */
/*
 * HMAC syscall driver (0x40003): HMAC-SHA256 over the digest HIL, libtock-c's hmac_syscalls.c
 * protocol.
 *
 * The protocol (libtock-c's libtock/crypto/syscalls/hmac_syscalls.c, Tock's hmac.rs):
 *   command 0  set algorithm (arg0; 0 = HMAC-SHA256, the only one; 1-5 -- SHA-384, SHA-512,
 *              SHA-224, SHA-1, MD5 in Tock's numbering -- answer NOSUPPORT). libtock-c's
 *              driver_exists() sends 0 with arg0 0, so it is also the existence check.
 *   commands 1-5  run, update, finish, verify, verify-finish: the digest driver core's
 *              operations of the same numbers (capsules/digest_driver.h).
 *   read-only allow 0 key, 1 data, 2 compare; read-write allow 2 MAC (min(32, length) bytes).
 *   upcall 0 (status, 0, 0) for run, update and finish; upcall 1 (status, equal, 0) for verify.
 * A second command before the first's upcall: ALREADY.
 *
 * Usage (board; components/crypto.h does this):
 *     static struct digest_driver hmac_driver;
 *     static struct virtual_alarm hmac_alarm;
 *     static struct cmd_queue_entry hmac_entries[BOARD_PROCESSES];
 *     virtual_alarm_init(&hmac_alarm, &alarm_mux);
 *     boot_check(hmac_driver_init(&hmac_driver, &hmac_unit.digest, &hmac_alarm.alarm,
 *                                 &kernel, &queue_config,
 *                                 hmac_entries, ARRAY_LEN(hmac_entries)), "hmac");
 *     kernel_add_exit_hook(&kernel, &hmac_driver.queue.exit_hook);
 *     drivers: { HMAC_DRIVER_NUM, &hmac_driver.driver }
 *
 * Invariants: see digest_driver.c.
 */
#pragma once

#include "capsules/digest_driver.h"

#define HMAC_CMD_SET_ALGORITHM 0u
#define HMAC_ALLOW_RO_DATA 1u
#define HMAC_ALLOW_RW_DEST 2u

/**
 * Boot only: a digest_driver for HMAC-SHA256 on `digest` (which it becomes the client of).
 * Returns as digest_driver_init.
 */
MUST_CHECK err_t hmac_driver_init(struct digest_driver *driver, struct hil_digest *digest,
                                  struct hil_alarm *session_alarm, struct kernel *k,
                                  const struct cmd_queue_config *queue_config,
                                  struct cmd_queue_entry *entries, uint32_t entry_count);
