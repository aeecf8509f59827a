/* SPDX-License-Identifier: Apache-2.0 OR MIT */
/*
 * Isolated nonvolatile storage driver (0x50004; libtock-c libtock/storage/
 * isolated_nonvolatile_storage.h): each application gets its own fixed-size region of flash,
 * found again on every boot by its storage identity (its storage permissions' write_id).
 *
 * Layout (struct isolated_storage_config): a directory page at first_page, then region_count
 * regions of region_pages pages each, back to back; a spare erase unit elsewhere. Directory
 * entry i (16 bytes at 16 * i) says region i belongs to write_id: magic "INVS", version 1 and
 * region length, write_id, and a check word (the XOR of the other three and i). An all-0xFF
 * entry is free. Entries are programmed once (NOR lets an erased entry be programmed without
 * an erase) and never freed, and a region is written only after its entry exists, so a free
 * entry's region is still erased: handing it out needs no erase (Tock writes 0xFF over it).
 *
 * Power loss: an entry whose programming was cut short is neither valid nor free; its region
 * was never written, so the next identity whose entry can still be programmed over it (the same
 * identity, retrying, always can) takes it. With a journal unit (has_journal) the first request
 * after boot finishes a rewrite the power cut short before the directory is read (the
 * directory may share an erase unit with regions), so every acknowledged write and every
 * entry survives; the bytes of the write in flight may read as anything.
 *
 * Commands (offsets are (lo, hi) halves of a 64-bit byte offset; hi must be 0):
 *   0 exists;
 *   1 get size, 2 read (into read-write allow 0), 3 write (from read-only allow 0, all of it),
 *     each returning success once queued, or:
 *     NOSUPPORT the process has no write_id (the board's policy gives none), or its read ids
 *               (read) or modify ids (write) do not include it;
 *     RESERVE   an allowed buffer of length 0 (read, write);
 *     INVAL     [offset, offset + allow length) is not inside the region (read, write);
 *     BUSY      the process already has an operation queued or running.
 * A missing allow (none, or NULL) is found at the operation's turn and reported in its upcall
 * as RESERVE, as Tock does; an allowed but empty buffer is refused at once (libtock-c's tests
 * check both, the first through the upcall and the second through the synchronous library).
 * Upcalls, one per accepted command: subscribe 0 (status, region bytes, 0); subscribe 1 read
 * done and 2 write done (status, bytes moved, 0). status: SUCCESS; NOMEM (every directory entry
 * is taken); RESERVE (see above); SIZE (the allow shrank after the command); FAIL (the flash).
 * The first command of a process whose identity has no region allocates one.
 *
 * Operations from different processes run one at a time in arrival order (capsules/support/cmd_queue.h);
 * bytes move through capsules/flash_transfer.h (NOR merge, unit rewrite through the spare).
 *
 * Usage (board, through components/storage.h):
 *     static const struct isolated_storage_config invs_config = {
 *         .first_page = 48, .region_count = 8, .region_pages = 4, .spare_page = 88 };
 *     boot_check(isolated_storage_init(&invs, &data_flash.flash, &dir_flash.flash,
 *                &invs_config, &perms_config, page, dir_page, 512, &queue_config, entries,
 *                n, k), "isolated storage");
 *     kernel_add_exit_hook(k, &invs.queue.exit_hook);
 *     drivers[] = { { ISOLATED_NVM_STORAGE_DRIVER_NUM, &invs.driver }, ... };
 *
 * Invariants: see isolated_nonvolatile_storage.c.
 */
#pragma once

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "capsules/flash_transfer.h"
#include "errorcode.h"
#include "hil/flash.h"
#include "support/cmd_queue.h"
#include "kernel/grant.h"
#include "kernel/kernel.h"
#include "kernel/process_id.h"
#include "kernel/storage_permissions.h"
#include "kernel/syscall_driver.h"

#define ISOLATED_STORAGE_CMD_SIZE 1u
#define ISOLATED_STORAGE_CMD_READ 2u
#define ISOLATED_STORAGE_CMD_WRITE 3u
#define ISOLATED_STORAGE_SUBSCRIBE_SIZE 0u
#define ISOLATED_STORAGE_SUBSCRIBE_READ 1u
#define ISOLATED_STORAGE_SUBSCRIBE_WRITE 2u
#define ISOLATED_STORAGE_ALLOW_RW_READ 0u
#define ISOLATED_STORAGE_ALLOW_RO_WRITE 0u
#define ISOLATED_STORAGE_ENTRY_SIZE 16u
#define ISOLATED_STORAGE_MAGIC 0x53564E49u /* "INVS" */
#define ISOLATED_STORAGE_VERSION 1u

struct isolated_storage_config {
    uint32_t first_page;   /* the directory page; the regions follow it */
    uint32_t region_count; /* at most page_size / ISOLATED_STORAGE_ENTRY_SIZE */
    uint32_t region_pages;
    uint32_t spare_page; /* a spare erase unit outside the area (multi-page erase units) */
    bool has_journal;      /* rewrites are committed through a journal unit (power-loss safe) */
    uint32_t journal_page; /* its first page: a whole erase unit outside area and spare */
    /* The board's policy: live process pid's storage permissions (ERR_INVAL: not live). */
    err_t (*permissions)(void *ctx, struct process_id pid, struct storage_permissions *out);
    void *ctx;
};

enum isolated_storage_step {
    ISOLATED_STORAGE_IDLE,
    ISOLATED_STORAGE_RECOVER,     /* first request after boot: the journal is recovered */
    ISOLATED_STORAGE_LOOKUP,      /* reading the directory page */
    ISOLATED_STORAGE_ALLOCATE,    /* programming the directory page with a new entry */
    ISOLATED_STORAGE_TRANSFER,    /* flash_transfer moves the bytes */
};

struct isolated_storage {
    struct syscall_driver driver;
    struct grant grant; /* U=3 R=1 W=1 */
    struct flash_transfer transfer;
    struct flash_transfer_client transfer_client;
    struct hil_flash_client dir_client;
    struct hil_flash *dir_flash;
    struct hil_flash_geometry geometry;
    const struct isolated_storage_config *config;
    uint32_t region_bytes;
    struct cmd_queue queue;
    uint8_t *dir_buf; /* one page; NULL while lent to dir_flash */
    /* the operation that runs (step != IDLE) */
    enum isolated_storage_step step;
    struct process_id pid;
    bool is_orphaned;
    uint32_t command_num;
    uint32_t offset;
    uint32_t length;
    uint32_t write_id;
    uint32_t region;
};

/**
 * Boot only: become the client of data_flash (through the transfer) and of dir_flash, two
 * virtual devices of one flash; create the grant; set up the command queue (the board then
 * registers &invs->queue.exit_hook). Returns ERR_OK; ERR_SIZE (a buffer NULL or not one
 * page); ERR_INVAL (a layout that does not fit the flash, or more regions than directory
 * entries); cmd_queue_init's or grant_create's error.
 */
MUST_CHECK err_t isolated_storage_init(struct isolated_storage *invs,
                                       struct hil_flash *data_flash, struct hil_flash *dir_flash,
                                       const struct isolated_storage_config *config,
                                       uint8_t *page_buf, uint8_t *dir_buf, size_t buf_len,
                                       const struct cmd_queue_config *queue_config,
                                       struct cmd_queue_entry *entries, uint32_t entry_count,
                                       struct kernel *k);
