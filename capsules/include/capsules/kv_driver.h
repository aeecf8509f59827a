/* SPDX-License-Identifier: Apache-2.0 OR MIT */
/*
 * Key-value syscall driver (0x50003, ABI §5.13; libtock-c libtock/storage/kv.h): processes get,
 * set, add, update and delete values by key in one shared store (capsules/kv_store.h), each
 * access checked against the process's storage permissions (TBF TLV 7).
 *
 * Read-only allow 0 is the key (its length is the key's length), read-only allow 1 the value to
 * write; read-write allow 0 receives the value a get finds. Commands: 0 exists; 1 get; 2 set
 * (add or overwrite); 3 delete; 4 add (the key must not exist); 5 update (the key must exist);
 * 6 garbage-collect (compact the log). Each of 1-6 returns success once queued, or:
 *   INVAL   the process has no write_id (no Storage Permissions TLV, or write_id 0) and asked
 *           for set, add or update (Tock refuses these before looking at the store);
 *   RESERVE the key allow (1-5) is missing or empty;
 *   SIZE    the key is longer than KV_STORE_KEY_MAX or the value than KV_STORE_VALUE_MAX bytes;
 *   NOMEM   the process already has an operation queued or running (or its grant cannot be
 *           allocated).
 * A missing or empty value allow (2, 4, 5) writes an empty value; a later get finds it with
 * length 0. A process without the TLV has Tock's null permissions: its get, delete and update
 * are queued and answered NOSUPPORT, and garbage-collect works for anyone (as in Tock).
 * Subscribe 0 gets one upcall per accepted command: get -> (status, value_length, 0), where
 * value_length is the value's full length and status is SIZE if the read-write allow was shorter
 * (the allow then holds the value's first bytes); every other command -> (status, 0, 0).
 * Upcall statuses: SUCCESS; NOSUPPORT (get/update/delete: no such key, or its writer's id is not
 * in the process's read ids (get) or modify ids (update, delete); add: the key exists; set: the
 * key exists and its writer's id is not in the modify ids); NOMEM (the store
 * is full even after compaction); FAIL (the flash failed); RESERVE or SIZE (an allow was withdrawn
 * or changed between the command and the operation's turn). A get needs no read-write allow: with
 * none it reports SIZE and the length, a way to ask how big a value is.
 *
 * Requests from different processes are served one at a time in arrival order through the
 * command queue (capsules/support/cmd_queue.h): never BUSY. The key and value are copied into kernel
 * buffers when the request's turn comes. A process that dies with a request running gets no
 * upcall; the store finishes the operation (so the flash is never left half-updated by the
 * driver) and the next request starts.
 *
 * Usage (board, through components/storage.h):
 *     static const struct kv_driver_config kv_driver_config = {
 *         .permissions = board_storage_permissions, .ctx = &kernel };
 *     boot_check(kv_driver_init(&kv, &store, &kv_driver_config, key_buf, value_buf,
 *                               &queue_config, entries, ARRAY_LEN(entries), k), "kv driver");
 *     kernel_add_exit_hook(k, &kv.queue.exit_hook);
 *     drivers[] = { { KV_DRIVER_NUM, &kv.driver }, ... };
 *
 * Invariants: see kv_driver.c.
 */
#pragma once

#include <stdbool.h>
#include <stdint.h>

#include "capsules/kv_store.h"
#include "errorcode.h"
#include "support/cmd_queue.h"
#include "kernel/grant.h"
#include "kernel/kernel.h"
#include "kernel/process_id.h"
#include "kernel/storage_permissions.h"
#include "kernel/syscall_driver.h"

#define KV_DRIVER_CMD_GET 1u
#define KV_DRIVER_CMD_SET 2u
#define KV_DRIVER_CMD_DELETE 3u
#define KV_DRIVER_CMD_ADD 4u
#define KV_DRIVER_CMD_UPDATE 5u
#define KV_DRIVER_CMD_GARBAGE_COLLECT 6u
#define KV_DRIVER_SUBSCRIBE_DONE 0u
#define KV_DRIVER_ALLOW_RO_KEY 0u
#define KV_DRIVER_ALLOW_RO_VALUE 1u
#define KV_DRIVER_ALLOW_RW_VALUE 0u

struct kv_driver_config {
    /**
     * Copy live process pid's storage permissions to *out. Returns ERR_OK, or ERR_INVAL when pid
     * is not a live process. Synchronous; the board's policy (components/storage.c takes them
     * from struct process).
     */
    err_t (*permissions)(void *ctx, struct process_id pid, struct storage_permissions *out);
    void *ctx;
};

struct kv_driver {
    struct syscall_driver driver;
    struct grant grant; /* U=1 R=2 W=1, no per-process data beyond the slots */
    struct kv_store_client store_client;
    struct kv_store *store;
    const struct kv_driver_config *config;
    struct cmd_queue queue;
    uint8_t *key_buf;   /* KV_STORE_KEY_MAX bytes; NULL while lent to the store */
    uint8_t *value_buf; /* KV_STORE_VALUE_MAX bytes; NULL while lent to the store */
    /* the request that runs (is_running) */
    bool is_running;
    bool is_orphaned; /* its process died: no upcall */
    struct process_id pid;
    uint32_t command_num;
};

/**
 * Boot only: become the store's client, create the grant in `k` and set up the command queue
 * (the board then registers &kv->queue.exit_hook with kernel_add_exit_hook). key_buf holds
 * KV_STORE_KEY_MAX bytes and value_buf KV_STORE_VALUE_MAX.
 * Returns ERR_OK; ERR_SIZE (a buffer is NULL); cmd_queue_init's or grant_create's error.
 */
MUST_CHECK err_t kv_driver_init(struct kv_driver *kv, struct kv_store *store,
                                const struct kv_driver_config *config, uint8_t *key_buf,
                                uint8_t *value_buf, const struct cmd_queue_config *queue_config,
                                struct cmd_queue_entry *entries, uint32_t entry_count,
                                struct kernel *k);
