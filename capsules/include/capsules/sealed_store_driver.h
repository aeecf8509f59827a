/* SPDX-License-Identifier: Apache-2.0 OR MIT */
/*
 * Sealed store syscall driver (0xA8003, tockc-only): processes seal small records into the
 * sealed record store (capsules/sealed_store.h: AES-CTR then HMAC-SHA256, tag checked before
 * anything is decrypted) and open them again, each record bound to its writer.
 *
 * Isolation: a record belongs to the storage write id of the process that sealed it (TBF
 * Storage Permissions TLV, as for the key-value driver); the id is part of the authenticated
 * header. Opening a record, or sealing over it, succeeds only for a process with that same
 * write id, so an app and its later versions (same id) keep their records and no other app can
 * read or destroy them. Slots are shared: a free slot (never written) is anyone's. A process
 * without a write id (no TLV, or write id 0) has no identity to bind records to and is refused.
 *
 * Allows: read-only 0 is the record to seal (1 .. record max bytes); read-write 0 receives an
 * opened record. Commands:
 *   0  exists;
 *   1  seal (arg0 = slot): seal read-only allow 0 into the slot;
 *   2  open (arg0 = slot): decrypt the slot's record into read-write allow 0;
 *   3  slot count (success with u32);
 *   4  longest record in bytes (success with u32).
 * Commands 1 and 2 return success once queued, or INVAL (no write id, or slot out of range),
 * RESERVE (seal: no or empty record allow), SIZE (seal: the record is longer than the maximum),
 * ALREADY (the process has a request queued or running) or NOMEM (no grant). Never BUSY:
 * requests of several processes are served one at a time in arrival order through the command
 * queue (capsules/support/cmd_queue.h).
 * Subscribe 0 gets one upcall per accepted command: (status, length, 0), length being the
 * record's length (seal: the bytes sealed; open: the record's full length). Statuses: SUCCESS;
 * FAIL (open: the record was altered -- authentication failed, nothing is returned);
 * NOSUPPORT (the slot holds another app's record: not returned, not overwritten); INVAL (open:
 * the slot holds no record); SIZE (open: the allow is shorter than the record, which is then
 * not copied at all; or seal: the allow changed before the request's turn); RESERVE (the
 * allow was withdrawn before the request's turn); NOMEM (seal: the slot's counter is used up);
 * or the flash's or a crypto unit's error.
 *
 * The record is copied into one kernel buffer when the request's turn comes and wiped when the
 * request ends, so no plaintext stays in the kernel between requests. A process that dies with
 * a request queued is forgotten; with one running, the store finishes the operation (the flash
 * is never left half-written by the driver), nothing is delivered, the buffer is wiped, and
 * only then does the next request start.
 *
 * Usage (board, through components/sealed_store.h):
 *     static const struct sealed_store_driver_config config = {
 *         .permissions = storage_process_permissions, .ctx = &kernel };
 *     boot_check(sealed_store_driver_init(&driver, &store, &config, record_buf,
 *                                         sizeof record_buf, &queue_config, entries,
 *                                         ARRAY_LEN(entries), &kernel), "sealed store driver");
 *     kernel_add_exit_hook(&kernel, &driver.queue.exit_hook);
 *
 * Invariants: see sealed_store_driver.c.
 */
#pragma once

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "capsules/sealed_store.h"
#include "errorcode.h"
#include "kernel/grant.h"
#include "kernel/kernel.h"
#include "kernel/process_id.h"
#include "kernel/storage_permissions.h"
#include "kernel/syscall_driver.h"
#include "support/cmd_queue.h"

#define SEALED_STORE_DRIVER_CMD_SEAL 1u
#define SEALED_STORE_DRIVER_CMD_OPEN 2u
#define SEALED_STORE_DRIVER_CMD_SLOTS 3u
#define SEALED_STORE_DRIVER_CMD_RECORD_MAX 4u
#define SEALED_STORE_DRIVER_SUBSCRIBE_DONE 0u
#define SEALED_STORE_DRIVER_ALLOW_RO_RECORD 0u
#define SEALED_STORE_DRIVER_ALLOW_RW_RECORD 0u

struct sealed_store_driver_config {
    /* Copy live process pid's storage permissions to *out: ERR_OK, or ERR_INVAL when pid is not
     * a live process. Synchronous; the board's policy (components/storage.c). */
    err_t (*permissions)(void *ctx, struct process_id pid, struct storage_permissions *out);
    void *ctx;
};

struct sealed_store_driver {
    struct syscall_driver driver;
    struct grant grant; /* U=1 R=1 W=1, no per-process data beyond the slots */
    struct sealed_store_client store_client;
    struct sealed_store *store;
    const struct sealed_store_driver_config *config;
    struct cmd_queue queue;
    uint8_t *record;   /* record_len bytes; lent to the store while a store operation runs */
    size_t record_len; /* at least sealed_store_record_max(store) */
    /* the request that runs (is_running) */
    bool is_running;
    bool is_orphaned; /* its process died: no upcall */
    struct process_id pid;
    uint32_t command_num;
};

/**
 * Boot only: become the store's client, set up the command queue (the board then registers
 * &driver->queue.exit_hook with kernel_add_exit_hook) and create the grant in `k`. `record` is
 * the kernel's one record buffer, record_len >= sealed_store_record_max(store) bytes.
 * Returns ERR_OK; ERR_SIZE (record NULL or too short); cmd_queue_init's or grant_create's error.
 */
MUST_CHECK err_t sealed_store_driver_init(struct sealed_store_driver *driver,
                                          struct sealed_store *store,
                                          const struct sealed_store_driver_config *config,
                                          uint8_t *record, size_t record_len,
                                          const struct cmd_queue_config *queue_config,
                                          struct cmd_queue_entry *entries, uint32_t entry_count,
                                          struct kernel *k);
