/* SPDX-License-Identifier: Apache-2.0 OR MIT */
/*
 * AES syscall driver (0x40006): AES-128 ECB, CBC and CTR over the AES HIL, shared by several
 * processes through a driver command queue; libtock-c's aes_syscalls.c protocol.
 *
 * Allows: read-only 0 key (exactly 16 bytes), 1 IV or initial counter (exactly 16 bytes; CBC
 * and CTR only), 2 source; read-write 0 destination (at least as long as the source).
 * Commands:
 *   0  exists.
 *   1  set algorithm (arg0: 0 CTR, 1 CBC, 2 ECB; 3 CCM and 4 GCM answer NOSUPPORT, as does
 *      anything else; arg1: nonzero to encrypt). Synchronous, per process; read whenever the
 *      process's setup or crypt starts.
 *   2  setup: load the key (and IV), then encrypt or decrypt the whole source into the
 *      destination; upcall 0 (status, bytes, 0). On success the process keeps the driver (a
 *      session) with the chaining value / counter where this left it.
 *   3  crypt: continue the session's message with the current source; upcall 0 (status,
 *      bytes, 0). OFF without a session (call setup first). A failed crypt keeps the session.
 *   4  finish: end the session and wipe the key; synchronous, no upcall. OFF without a session.
 *   5-8 (CCM parameters) NOSUPPORT.
 * In ECB and CBC the source length must be a multiple of 16 (SIZE); CTR takes any length, a
 * final partial block using up a whole counter value. An empty source completes with 0 bytes.
 *
 * Sharing: setup and crypt go through the driver's cmd_queue (kernel/cmd_queue.h): one
 * outstanding per process (ALREADY), started in arrival order, a setup that has to wait returns
 * success and runs later -- never BUSY. The session holds the driver between a successful setup
 * and finish; idle longer than the queue's timeout, it is cancelled: the key is wiped, the next
 * process starts, and the owner's next crypt, finish or setup fails once with CANCEL. A process
 * that dies mid-request is cleaned up (its crypt drained and discarded, the key wiped) before the
 * next request starts. Data moves only through grant_ro_read / grant_rw_write, AES_DRIVER_CHUNK_LEN
 * bytes at a time, encrypted in place in the kernel chunk buffer.
 *
 * Usage (board; components/crypto.h does this):
 *     static struct aes_driver aes_driver;
 *     static struct virtual_alarm aes_alarm;
 *     static struct cmd_queue_entry aes_entries[BOARD_PROCESSES];
 *     virtual_alarm_init(&aes_alarm, &alarm_mux);
 *     boot_check(aes_driver_init(&aes_driver, &aes_unit.aes, &aes_alarm.alarm, &kernel,
 *                                &queue_config, aes_entries, ARRAY_LEN(aes_entries)), "aes");
 *     kernel_add_exit_hook(&kernel, &aes_driver.queue.exit_hook);
 *     drivers: { AES_DRIVER_NUM, &aes_driver.driver }
 *
 * Invariants: see aes.c.
 */
#pragma once

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "capsules/queued_driver.h"
#include "errorcode.h"
#include "hil/aes.h"
#include "hil/alarm.h"
#include "kernel/cmd_queue.h"
#include "kernel/grant.h"
#include "kernel/kernel.h"
#include "kernel/process_id.h"
#include "kernel/syscall_driver.h"

#define AES_DRIVER_CHUNK_LEN 64u /* bytes per crypt(); a multiple of the block length */

#define AES_DRIVER_CMD_EXISTS 0u
#define AES_DRIVER_CMD_SET_ALGORITHM 1u
#define AES_DRIVER_CMD_SETUP 2u
#define AES_DRIVER_CMD_CRYPT 3u
#define AES_DRIVER_CMD_FINISH 4u
#define AES_DRIVER_ALGORITHM_CTR 0u
#define AES_DRIVER_ALGORITHM_CBC 1u
#define AES_DRIVER_ALGORITHM_ECB 2u
#define AES_DRIVER_ALLOW_RO_KEY 0u
#define AES_DRIVER_ALLOW_RO_IV 1u
#define AES_DRIVER_ALLOW_RO_SOURCE 2u
#define AES_DRIVER_ALLOW_RW_DEST 0u
#define AES_DRIVER_SUBSCRIBE_DONE 0u

_Static_assert(AES_DRIVER_CHUNK_LEN % HIL_AES_BLOCK_LEN == 0, "chunks end on block boundaries");

enum aes_driver_phase {
    AES_DRIVER_IDLE,     /* no crypt() outstanding */
    AES_DRIVER_CRYPTING, /* crypt() of `chunk` outstanding */
};

struct aes_driver {
    struct syscall_driver driver;
    struct hil_aes_client aes_client;
    struct hil_aes *aes;
    struct cmd_queue queue;
    struct queued_driver queued; /* the session alarm around `queue` */
    struct grant grant; /* struct aes_app per process; U=1 R=3 W=1 */
    /* The session: the process whose key and chaining value the unit holds. */
    bool has_session;
    struct process_id session_pid;
    /* The running command (the queue starts one at a time). */
    struct process_id pid;
    uint32_t command_num;
    enum aes_driver_phase phase;
    size_t len;       /* source length when the command started */
    size_t offset;    /* bytes processed so far */
    size_t chunk_len; /* bytes in the outstanding crypt() */
    bool is_orphaned; /* pid is gone: discard the outstanding crypt's result */
    uint8_t *chunk;   /* NULL while lent to the unit */
    uint8_t chunk_buf[AES_DRIVER_CHUNK_LEN];
    uint8_t key[HIL_AES128_KEY_LEN]; /* staging for set_key/set_iv; wiped at once */
    uint32_t completed; /* statistics: commands reported to their process */
};

/**
 * Boot only: become the client of `aes` and of `session_alarm` (a virtual alarm of its own,
 * counting the same ticks as queue_config->now), set up the command queue over `entries` (one
 * per process slot) and create the grant in `k`. The driver arms the alarm only while a session
 * is idle, for the moment it would expire. The board then registers &driver->queue.exit_hook
 * with kernel_add_exit_hook.
 * Returns ERR_OK, cmd_queue_init's error or grant_create's error.
 */
MUST_CHECK err_t aes_driver_init(struct aes_driver *driver, struct hil_aes *aes,
                                 struct hil_alarm *session_alarm, struct kernel *k,
                                 const struct cmd_queue_config *queue_config,
                                 struct cmd_queue_entry *entries, uint32_t entry_count);
