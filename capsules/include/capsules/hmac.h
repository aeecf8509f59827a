/* SPDX-License-Identifier: Apache-2.0 OR MIT */
/*
 * HMAC syscall driver (0x40003): HMAC-SHA256 over the digest HIL, libtock-c's hmac_syscalls.c
 * protocol.
 *
 * Commands, allows and upcalls: capsules/digest_driver.h (read-only allow 0 key, 1 data,
 * 2 compare; read-write allow 2 MAC). Algorithm 0 (SHA-256) only; 1-5 (SHA-384, SHA-512,
 * SHA-224, SHA-1, MD5 in Tock's numbering) answer NOSUPPORT.
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

/**
 * Boot only: a digest_driver for HMAC-SHA256 on `digest` (which it becomes the client of).
 * Returns as digest_driver_init.
 */
MUST_CHECK err_t hmac_driver_init(struct digest_driver *driver, struct hil_digest *digest,
                                  struct hil_alarm *session_alarm, struct kernel *k,
                                  const struct cmd_queue_config *queue_config,
                                  struct cmd_queue_entry *entries, uint32_t entry_count);
