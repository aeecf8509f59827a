/* SPDX-License-Identifier: Apache-2.0 OR MIT */
/*
 * Digest syscall driver core: SHA (0x40005) and HMAC (0x40003) over the digest HIL, shared by
 * several processes through a driver command queue.
 *
 * Both drivers speak libtock-c's libtock/crypto/syscalls/{sha,hmac}_syscalls.c protocol, which
 * is also Tock's hmac.rs (and its sha.rs before the 2024 rework):
 *   command 0  set algorithm (arg0; 0 = SHA-256 / HMAC-SHA256, the only one supported, others
 *              NOSUPPORT). libtock-c's driver_exists() sends 0 with arg0 0, so it is also the
 *              existence check. Synchronous; it changes nothing, since only 0 is accepted.
 *   command 1  run: hash the whole of read-only allow 1 (appended to a message opened by
 *              update) and write the digest to read-write allow 2; upcall 0.
 *   command 2  update: add read-only allow 1 to the message, opening it if needed; upcall 0
 *              (status, 0, 0). The process keeps the driver between update and finish.
 *   command 3  finish: write the digest of the message so far (empty if none) to read-write
 *              allow 2; upcall 0.
 *   commands 4 and 5: verify and verify-finish, like 1 and 3 but compare the digest with
 *              read-only allow 2 (exactly 32 bytes, else SIZE) instead; upcall 1
 *              (status, equal, 0).
 *   HMAC only: read-only allow 0 is the key (at most DIGEST_DRIVER_KEY_MAX bytes, else SIZE),
 *              read when a message opens.
 * Upcall 0 is (status, 0, 0). The digest written is min(32, length of allow 2) bytes, so a
 * truncated MAC needs no extra step; an empty allow 2 fails with NOMEM.
 * DEVIATION from spec §5.15's SHA line, which describes Tock's reworked sha.rs (hash read-only
 * allow 0 into read-write allow 0 with command 2): libtock-c's sha_syscalls.c, the API tockc's
 * userland follows, uses the layout above, and so does this driver.
 *
 * Commands 1-5 go through the driver's cmd_queue (kernel/cmd_queue.h): each process has at most
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
#include "kernel/cmd_queue.h"
#include "kernel/grant.h"
#include "kernel/kernel.h"
#include "kernel/process_id.h"
#include "kernel/syscall_driver.h"

#define DIGEST_DRIVER_CHUNK_LEN 64u /* bytes copied from a process per add_data */
#define DIGEST_DRIVER_KEY_MAX 64u   /* longest HMAC key (one SHA-256 block) */

#define DIGEST_DRIVER_CMD_SET_ALGORITHM 0u
#define DIGEST_DRIVER_CMD_RUN 1u
#define DIGEST_DRIVER_CMD_UPDATE 2u
#define DIGEST_DRIVER_CMD_FINISH 3u
#define DIGEST_DRIVER_CMD_VERIFY 4u
#define DIGEST_DRIVER_CMD_VERIFY_FINISH 5u
#define DIGEST_DRIVER_ALGORITHM_SHA256 0u
#define DIGEST_DRIVER_ALLOW_RO_KEY 0u
#define DIGEST_DRIVER_ALLOW_RO_DATA 1u
#define DIGEST_DRIVER_ALLOW_RO_COMPARE 2u
#define DIGEST_DRIVER_ALLOW_RW_DEST 2u
#define DIGEST_DRIVER_SUBSCRIBE_DIGEST 0u
#define DIGEST_DRIVER_SUBSCRIBE_VERIFY 1u

/* What distinguishes the SHA driver from the HMAC driver. */
struct digest_driver_config {
    uint32_t driver_num;
    enum hil_digest_mode mode; /* HIL_DIGEST_HMAC_SHA256: keyed by read-only allow 0 */
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
    struct grant grant; /* no per-process data; U=2 R=3 W=3 */
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
