/* SPDX-License-Identifier: Apache-2.0 OR MIT */
/*
 * SHA syscall driver (0x40005): SHA-256 over the digest HIL, libtock-c's sha_syscalls.c protocol.
 *
 * Commands, allows and upcalls: capsules/digest_driver.h (no key; read-only allow 1 data,
 * read-write allow 2 digest, read-only allow 2 compare for verify).
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

/**
 * Boot only: a digest_driver for SHA-256 on `digest` (which it becomes the client of).
 * Returns as digest_driver_init.
 */
MUST_CHECK err_t sha_driver_init(struct digest_driver *driver, struct hil_digest *digest,
                                 struct hil_alarm *session_alarm, struct kernel *k,
                                 const struct cmd_queue_config *queue_config,
                                 struct cmd_queue_entry *entries, uint32_t entry_count);
