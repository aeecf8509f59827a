/* SPDX-License-Identifier: Apache-2.0 OR MIT */
/*
 * Crypto wiring shared by the tockc boards: the crypto engine model (one crypto RAM behind a
 * kernel mutex, an AES unit and two SHA-256/HMAC units) and the SHA (0x40005), HMAC (0x40003)
 * and AES (0x40006) syscall drivers, each with its command queue.
 *
 * The component holds the image's mutex dispatcher (violations print and panic: these are debug
 * boards; holds are not timed) and one virtual alarm per driver on the board's alarm mux, which
 * the driver arms only while one of its sessions is idle: a session ends after
 * CRYPTO_SESSION_IDLE_MS without a command, and an idle system is never woken for it. The SHA
 * and HMAC drivers share the one SHA/HMAC unit through the digest virtualizer
 * (capsules/virtual_digest.h): a virtual device each, one operation outstanding each, served
 * round-robin message by message, so a process's HMAC session (update..finish) holds the unit
 * until it finishes or expires and SHA requests wait behind it, never BUSY. The SHA/HMAC unit
 * and the AES unit take turns on the crypto RAM, first come first served.
 *
 * Usage: static struct crypto_component crypto;   (a board static)
 *        ... after kernel_init and core_component_setup:
 *        crypto_component_setup(&crypto, &kernel, &core.alarm_mux, BOARD_PROCESSES);
 *        its drivers (SHA, HMAC, AES) are rows of FULL_DRIVER_SLOTS (components/driver_table.h)
 * Invariants: set up once at boot, before processes load; any failure stops the board. Setup
 * writes every field the component later reads (each _init fills its whole object; the queue
 * entries past process_count are never read), so a board may declare the component NOINIT and
 * boot does not zero it.
 */
#pragma once

#include <stdint.h>

#include "capsules/aes.h"
#include "capsules/digest_driver.h"
#include "capsules/virtual_alarm.h"
#include "capsules/virtual_digest.h"
#include "crypto_engine/aes.h"
#include "crypto_engine/engine.h"
#include "crypto_engine/sha.h"
#include "support/cmd_queue.h"
#include "kernel/kernel.h"
#include "support/mutex.h"

/* Process slots the drivers' queues cover; the board's process count must not exceed it. */
#define CRYPTO_COMPONENT_MAX_PROCESSES 8u
#define CRYPTO_SESSION_IDLE_MS 1000u

struct crypto_component {
    struct mutex_dispatcher_config mutex_checks; /* written once at setup (the clock) */
    struct mutex_dispatcher mutexes;
    struct crypto_engine engine;
    struct crypto_engine_aes aes_unit;
    struct crypto_engine_sha sha_unit; /* the one SHA-256/HMAC unit, behind digest_mux */
    struct mux_digest digest_mux;
    struct virtual_digest sha_digest;  /* the SHA driver's device */
    struct virtual_digest hmac_digest; /* the HMAC driver's device */
    struct virtual_alarm sha_alarm; /* the drivers' session timers; sha_alarm is also the clock */
    struct virtual_alarm hmac_alarm;
    struct virtual_alarm aes_alarm;
    struct cmd_queue_config queue_config; /* written once at setup (ticks per session) */
    struct cmd_queue_entry sha_entries[CRYPTO_COMPONENT_MAX_PROCESSES];
    struct cmd_queue_entry hmac_entries[CRYPTO_COMPONENT_MAX_PROCESSES];
    struct cmd_queue_entry aes_entries[CRYPTO_COMPONENT_MAX_PROCESSES];
    struct digest_driver sha;
    struct digest_driver hmac;
    struct aes_driver aes;
};

/* Boot only, after kernel_init (it registers the drivers' exit hooks). */
void crypto_component_setup(struct crypto_component *c, struct kernel *k,
                            struct mux_alarm *alarm_mux, uint32_t process_count);
