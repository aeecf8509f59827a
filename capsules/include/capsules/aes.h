/* SPDX-License-Identifier: Apache-2.0 OR MIT */
/*
 * AES syscall driver (0x40006): AES-128 ECB, CBC, CTR, CCM and GCM over the AES and AEAD HILs,
 * shared by several processes through a driver command queue; Tock's aes.rs / libtock-c's
 * aes_syscalls.c protocol.
 *
 * Allows: read-only 0 key (exactly 16 bytes), 1 IV, initial counter or nonce (see below),
 * 2 source; read-write 0 destination.
 * Commands:
 *   0  exists.
 *   1  set algorithm (arg0: 0 CTR, 1 CBC, 2 ECB, 3 CCM, 4 GCM, anything else NOSUPPORT; arg1:
 *      nonzero to encrypt). Synchronous, per process; read whenever the process's setup (or,
 *      for the block modes, crypt) starts.
 *   2  setup: load the key (and IV), then encrypt or decrypt the whole source into the
 *      destination; upcall 0 (status, bytes, verified). On success the process keeps the driver
 *      (a session) with the chaining value / counter where this left it.
 *   3  crypt: continue the session's message with the current source; upcall 0 (status,
 *      bytes, 0). OFF without a session (call setup first); INVAL in a CCM/GCM session, whose
 *      message is whole after setup (running it again would reuse the nonce). A failed crypt
 *      keeps the session.
 *   4  finish: end the session and wipe the key; synchronous, no upcall. OFF without a session.
 *   5  CCM/GCM: a_off, where the associated data starts in the source (default 0).
 *   6  CCM/GCM: m_off, where the payload starts, i.e. where the associated data ends (0).
 *   7  CCM/GCM: tag (MIC) length, 0..16, else INVAL (default 0: no tag in CCM, 16 in GCM).
 *   8  CCM: confidential (arg0 nonzero): the payload is covered by the MAC too, standard
 *      SP 800-38C CCM. Unset (the default, as in Tock) the payload is encrypted but only the
 *      nonce, lengths and associated data are authenticated (Tock's CCM* behaviour).
 *   5-8 are synchronous, per process, and take effect at the next setup.
 * Block modes: ECB and CBC need a source length that is a multiple of 16 (SIZE); CTR takes any
 * length, a final partial block using up a whole counter value; the IV allow is exactly 16
 * bytes (CBC, CTR). An empty source completes with 0 bytes. Upcall (status, bytes, 0).
 * CCM/GCM (one message per setup, laid out as in Tock's AEAD HIL: the source is
 * [header | associated data | payload | tag when decrypting]):
 *   bytes [0, a_off) are copied to the destination unchanged, [a_off, m_off) are the associated
 *   data (authenticated, copied unchanged), the payload is encrypted or decrypted in place into
 *   the destination at the same offsets. Encrypting, the payload runs to the end of the source
 *   and the tag is appended after it as far as the destination reaches (a destination of the
 *   source's length gets no tag); decrypting, the last tag-length bytes of the source are the
 *   received tag. Nonce: CCM takes the first min(IV allow length, 13) bytes (at least 7; Tock's
 *   16-byte IV allow gives its 13-byte nonce); GCM the first 12 bytes (a 96-bit IV; at least 12).
 *   Errors in the upcall: SIZE (IV too short, destination shorter than the output, no room for
 *   the received tag), INVAL (a_off > m_off or m_off beyond the source, a tag length the mode
 *   refuses: CCM 0 or 4..16 even, GCM 4, 8, 12..16). Upcall 0 (status, bytes written, verified):
 *   bytes = source length plus the tag bytes written when encrypting, source length minus the
 *   tag when decrypting; verified = 1 when encrypting, and when decrypting 1 only if the tag
 *   matched (compared in constant time). As in Tock, a mismatch is reported with status
 *   SUCCESS and verified 0, and the decrypted payload has already been written: the process must
 *   check verified before it uses it (tockc's libtock-sync wrapper wipes it and fails).
 *
 * Sharing: setup and crypt go through the driver's cmd_queue (capsules/support/cmd_queue.h): one
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
 *     boot_check(aes_driver_init(&aes_driver, &aes_unit.aes, &aes_unit.aead, &aes_alarm.alarm,
 *                                &kernel, &queue_config, aes_entries, ARRAY_LEN(aes_entries)),
 *                "aes");
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
#include "hil/aead.h"
#include "hil/aes.h"
#include "hil/alarm.h"
#include "support/cmd_queue.h"
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
#define AES_DRIVER_CMD_AAD_OFFSET 5u
#define AES_DRIVER_CMD_MESSAGE_OFFSET 6u
#define AES_DRIVER_CMD_TAG_LEN 7u
#define AES_DRIVER_CMD_CONFIDENTIAL 8u
#define AES_DRIVER_ALGORITHM_CTR 0u
#define AES_DRIVER_ALGORITHM_CBC 1u
#define AES_DRIVER_ALGORITHM_ECB 2u
#define AES_DRIVER_ALGORITHM_CCM 3u
#define AES_DRIVER_ALGORITHM_GCM 4u
#define AES_DRIVER_CCM_NONCE_MIN 7u
#define AES_DRIVER_CCM_NONCE_LEN 13u /* the most taken from the IV allow */
#define AES_DRIVER_GCM_IV_LEN 12u
#define AES_DRIVER_ALLOW_RO_KEY 0u
#define AES_DRIVER_ALLOW_RO_IV 1u
#define AES_DRIVER_ALLOW_RO_SOURCE 2u
#define AES_DRIVER_ALLOW_RW_DEST 0u
#define AES_DRIVER_SUBSCRIBE_DONE 0u

_Static_assert(AES_DRIVER_CHUNK_LEN % HIL_AES_BLOCK_LEN == 0, "chunks end on block boundaries");

enum aes_driver_phase {
    AES_DRIVER_IDLE,     /* no unit operation outstanding */
    AES_DRIVER_CRYPTING, /* a crypt() (or AEAD add_aad/crypt/finish) outstanding */
};

enum aes_driver_aead_stage {
    AES_DRIVER_AEAD_NONE,    /* the running command is a block-mode one (or none runs) */
    AES_DRIVER_AEAD_AAD,     /* feeding associated data */
    AES_DRIVER_AEAD_PAYLOAD, /* feeding the payload */
    AES_DRIVER_AEAD_TAG,     /* finishing */
};

struct aes_driver {
    struct syscall_driver driver;
    struct hil_aes_client aes_client;
    struct hil_aead_client aead_client;
    struct hil_aes *aes;
    struct hil_aead *aead;
    struct cmd_queue queue;
    struct queued_driver queued; /* the session alarm around `queue` */
    struct grant grant; /* struct aes_app per process; U=1 R=3 W=1 */
    /* The session: the process whose key and chaining value the unit holds. */
    bool has_session;
    struct process_id session_pid;
    uint32_t session_algorithm; /* the algorithm its setup ran */
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
    uint8_t key[HIL_AES128_KEY_LEN]; /* staging for set_key/set_iv/nonce; wiped at once */
    /* The running CCM/GCM setup (aead_stage != NONE): source offsets and the tag. */
    enum aes_driver_aead_stage aead_stage;
    bool is_aead_encrypting;
    size_t aad_start;
    size_t payload_start;
    size_t payload_end; /* where the tag goes (encrypting) or is (decrypting) */
    size_t tag_len;
    size_t dest_len;
    size_t written;     /* reported: bytes written to the destination */
    bool is_tag_valid;  /* reported: encrypted, or the received tag matched */
    uint8_t tag[HIL_AEAD_TAG_MAX];
    uint32_t completed; /* statistics: commands reported to their process */
};

/**
 * Boot only: become the client of `aes`, of `aead` (CCM/GCM; usually the same unit's AEAD
 * interface) and of `session_alarm` (a virtual alarm of its own,
 * counting the same ticks as queue_config->now), set up the command queue over `entries` (one
 * per process slot) and create the grant in `k`. The driver arms the alarm only while a session
 * is idle, for the moment it would expire. The board then registers &driver->queue.exit_hook
 * with kernel_add_exit_hook.
 * Returns ERR_OK, cmd_queue_init's error or grant_create's error.
 */
MUST_CHECK err_t aes_driver_init(struct aes_driver *driver, struct hil_aes *aes,
                                 struct hil_aead *aead, struct hil_alarm *session_alarm,
                                 struct kernel *k,
                                 const struct cmd_queue_config *queue_config,
                                 struct cmd_queue_entry *entries, uint32_t entry_count);
