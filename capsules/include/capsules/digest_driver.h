/* SPDX-License-Identifier: Apache-2.0 OR MIT */
/*
 * Digest syscall driver core: SHA (0x40005) and HMAC (0x40003) over the digest HIL, shared by
 * several processes through a driver command queue.
 *
 * The core knows operations, not command numbers: each driver's own file (sha.c, hmac.c) is its
 * syscall protocol, turns its commands into the operations below and submits them with
 * digest_driver_submit; its config says which allows hold the data, key and digest.
 *   RUN     hash the whole data allow (appended to a message opened by UPDATE) and write the
 *           digest; upcall 0 (status, 0, 0).
 *   UPDATE  add the data allow to the message, opening it if needed; upcall 0 (status, 0, 0).
 *           The process keeps the driver between update and finish (a session).
 *   FINISH  write the digest of the message so far (empty if none); upcall 0.
 *   VERIFY, VERIFY_FINISH  like RUN and FINISH but compare the digest with read-only allow 2
 *           (exactly 32 bytes, else SIZE) instead; upcall 1 (status, equal, 0).
 *   HMAC only: read-only allow 0 is the key (at most DIGEST_DRIVER_KEY_MAX bytes, else SIZE),
 *           read when a message opens.
 * The digest written: with is_dest_exact (SHA), all 32 bytes into a destination allow of
 * exactly 32 bytes, else the upcall carries NOMEM; without (HMAC), min(32, allow length) bytes,
 * so a truncated MAC needs no extra step, and an empty allow fails with NOMEM.
 * The protocols themselves: capsules/sha.h (Tock's current sha driver: hash only) and
 * capsules/hmac.h (libtock-c's hmac_syscalls.c: all five operations).
 *
 * Operations go through the driver's cmd_queue (capsules/support/cmd_queue.h): each process has at most
 * one outstanding (ALREADY otherwise), they start in arrival order, and a command that has to
 * wait returns success and runs later -- never BUSY. Update opens a session: the process keeps
 * the driver, and the digest unit keeps its message, until finish, run or verify completes the
 * message or the session stays idle for the queue's timeout; then the message is dropped, the
 * next process starts, and the owner's next command fails once with CANCEL. A process that dies
 * mid-request is cleaned up (its operation drained and discarded, the unit cleared) before the
 * next request starts. Data moves between allows and the kernel only through grant_ro_read and
 * grant_rw_write, DIGEST_DRIVER_CHUNK_LEN bytes at a time.
 *
 * Usage: see capsules/sha.h and capsules/hmac.h, which configure this core.
 *
 * Invariants: see digest_driver.c.
 */
#pragma once

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "capsules/queued_driver.h"
#include "errorcode.h"
#include "hil/alarm.h"
#include "hil/digest.h"
#include "support/cmd_queue.h"
#include "kernel/grant.h"
#include "kernel/kernel.h"
#include "kernel/process_id.h"
#include "kernel/syscall_driver.h"

#define DIGEST_DRIVER_CHUNK_LEN 64u /* bytes copied from a process per add_data */
#define DIGEST_DRIVER_KEY_MAX 64u   /* longest HMAC key (one SHA-256 block) */

/* Operations (the values are also HMAC's command numbers, capsules/hmac.h). */
#define DIGEST_DRIVER_CMD_RUN 1u
#define DIGEST_DRIVER_CMD_UPDATE 2u
#define DIGEST_DRIVER_CMD_FINISH 3u
#define DIGEST_DRIVER_CMD_VERIFY 4u
#define DIGEST_DRIVER_CMD_VERIFY_FINISH 5u
#define DIGEST_DRIVER_ALGORITHM_SHA256 0u
#define DIGEST_DRIVER_ALLOW_RO_KEY 0u     /* HMAC */
#define DIGEST_DRIVER_ALLOW_RO_COMPARE 2u /* HMAC verify */
#define DIGEST_DRIVER_SUBSCRIBE_DIGEST 0u
#define DIGEST_DRIVER_SUBSCRIBE_VERIFY 1u

/* What distinguishes the SHA driver from the HMAC driver. */
struct digest_driver_config {
    uint32_t driver_num;
    enum hil_digest_mode mode; /* HIL_DIGEST_HMAC_SHA256: keyed by read-only allow 0 */
    const struct syscall_driver_ops *ops; /* the protocol: its command() */
    uint32_t allow_ro_data;               /* the message */
    uint32_t allow_rw_dest;               /* where the digest goes */
    bool is_dest_exact;                   /* the destination must be exactly 32 bytes */
    uint8_t upcalls;                      /* grant counts */
    uint8_t read_only;
    uint8_t read_write;
};

enum digest_driver_phase {
    DIGEST_DRIVER_IDLE,      /* no digest operation outstanding */
    DIGEST_DRIVER_ADDING,    /* add_data() of `chunk` outstanding */
    DIGEST_DRIVER_FINISHING, /* finish() into `out` outstanding */
};

struct digest_driver {
    struct syscall_driver driver;
    struct hil_digest_client digest_client;
    struct hil_digest *digest;
    const struct digest_driver_config *config;
    struct cmd_queue queue;
    struct queued_driver queued; /* the session alarm around `queue` */
    struct grant grant; /* no per-process data; counts from the config */
    /* The running command (the queue starts one at a time). */
    struct process_id pid;
    uint32_t command_num;
    enum digest_driver_phase phase;
    size_t data_len;      /* length of the data allow when the command started */
    size_t data_offset;   /* bytes of it added so far */
    bool is_message_open; /* the unit holds pid's message (a session) */
    bool is_orphaned;     /* pid is gone: discard the outstanding operation's result */
    uint8_t *chunk;       /* NULL while lent to the unit */
    uint8_t chunk_buf[DIGEST_DRIVER_CHUNK_LEN];
    uint8_t key[DIGEST_DRIVER_KEY_MAX]; /* staging for set_mode; wiped at once */
    uint8_t out[HIL_DIGEST_SHA256_LEN];
    uint32_t completed; /* statistics: commands reported to their process */
};

/**
 * From a protocol's command(): queue `operation` (DIGEST_DRIVER_CMD_RUN ... VERIFY_FINISH) for
 * `pid`. Returns cmd_queue_submit's result: ERR_OK (one upcall follows), ERR_ALREADY (pid has
 * one outstanding), ERR_CANCEL (its session expired; reported once), ERR_INVAL or ERR_NOMEM.
 */
MUST_CHECK err_t digest_driver_submit(struct digest_driver *driver, struct process_id pid,
                                      uint32_t operation);

/**
 * Boot only (called by sha_driver_init / hmac_driver_init): become the client of `digest` and of
 * `session_alarm` (a virtual alarm of its own, counting the same ticks as queue_config->now),
 * set up the command queue over `entries` (one per process slot) and create the grant in `k`.
 * The driver arms the alarm only while a session is idle, for the moment it would expire, so an
 * idle system has no periodic wake-up. The board then registers &driver->queue.exit_hook with
 * kernel_add_exit_hook.
 * Returns ERR_OK, cmd_queue_init's error (NOMEM: no deferred-call slot; INVAL: no entries) or
 * grant_create's error.
 */
MUST_CHECK err_t digest_driver_init(struct digest_driver *driver,
                                    const struct digest_driver_config *config,
                                    struct hil_digest *digest, struct hil_alarm *session_alarm,
                                    struct kernel *k,
                                    const struct cmd_queue_config *queue_config,
                                    struct cmd_queue_entry *entries, uint32_t entry_count);
