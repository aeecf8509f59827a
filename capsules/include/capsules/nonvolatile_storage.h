/* SPDX-License-Identifier: Apache-2.0 OR MIT */
/*
 * Nonvolatile storage syscall driver (0x50001, ABI §5.12): processes read and write bytes of
 * one shared region of flash.
 *
 * Commands: 0 exists; 1 region size in bytes (success_u32); 2 (offset, length) read into
 * read-write allow 0; 3 (offset, length) write from read-only allow 0. Read and write return
 * success once queued, INVAL if [offset, offset + length) is not inside the region, RESERVE if
 * the allow is missing (length 0), BUSY if the process already has an operation queued or
 * running, NOMEM if its grant cannot be allocated. min(length, allow length) bytes move.
 * Upcalls: subscribe 0 read done, subscribe 1 write done, both (length, status, 0): `length`
 * bytes were moved; `status` is 0 on success (Tock: "(length, 0, 0)", ABI §5.12), else the error that
 * ended the operation early (an EXTENSION in a slot Tock leaves 0): SIZE (the allow shrank
 * below the length), RESERVE (the allow was withdrawn), FAIL (the flash failed).
 *
 * Operations from different processes run one at a time, in the order they were asked for
 * (capsules/support/cmd_queue.h); a process that dies while its operation runs gets no upcall, and its
 * operation stops at the next page boundary unless the flash is mid-update (see below).
 *
 * Bytes are written with NOR rules underneath (capsules/flash_transfer.h): a page whose new
 * bytes only clear bits is programmed in place; otherwise its erase unit is rewritten, through
 * a spare erase unit the board sets aside when units are bigger than a page. That rewrite always
 * runs to its end once started, even if the process dies. With a journal unit (has_journal) a
 * rewrite cut short by a power loss is finished at the next boot's first operation, so every
 * acknowledged write survives a power cut; without one a cut mid-rewrite can lose the unit's
 * other bytes. The bytes of the write in flight may read as anything after a cut.
 *
 * Usage (board, through components/storage.h):
 *     static const struct nonvolatile_storage_config nvs_config = {
 *         .first_page = 0, .page_count = 512, .spare_page = 512 };
 *     boot_check(nonvolatile_storage_init(&nvs, &storage_flash.flash, &nvs_config, page_buf,
 *                                         sizeof page_buf, &queue_config, entries,
 *                                         ARRAY_LEN(entries), k), "nonvolatile storage");
 *     kernel_add_exit_hook(k, &nvs.queue.exit_hook);
 *     drivers[] = { { NVM_STORAGE_DRIVER_NUM, &nvs.driver }, ... };
 *
 * Invariants: see nonvolatile_storage.c.
 */
#pragma once

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "errorcode.h"
#include "capsules/flash_transfer.h"
#include "hil/flash.h"
#include "support/cmd_queue.h"
#include "kernel/grant.h"
#include "kernel/kernel.h"
#include "kernel/syscall_driver.h"

#define NONVOLATILE_STORAGE_CMD_SIZE 1u
#define NONVOLATILE_STORAGE_CMD_READ 2u
#define NONVOLATILE_STORAGE_CMD_WRITE 3u
#define NONVOLATILE_STORAGE_SUBSCRIBE_READ_DONE 0u
#define NONVOLATILE_STORAGE_SUBSCRIBE_WRITE_DONE 1u
#define NONVOLATILE_STORAGE_ALLOW_RW_READ 0u
#define NONVOLATILE_STORAGE_ALLOW_RO_WRITE 0u

/* Where the region lives in the flash, in pages of the flash's geometry. */
struct nonvolatile_storage_config {
    uint32_t first_page; /* the region's first page (its offset 0) */
    uint32_t page_count; /* its length */
    uint32_t spare_page; /* first page of a spare erase unit outside the region; ignored when
                            the flash erases single pages and there is no journal */
    bool has_journal;      /* rewrites are committed through a journal unit (power-loss safe) */
    uint32_t journal_page; /* its first page: a whole erase unit outside region and spare */
};

struct nonvolatile_storage {
    struct syscall_driver driver;
    struct grant grant; /* U=2 R=1 W=1, no per-process data beyond the slots */
    struct flash_transfer transfer; /* the flash's client: moves the bytes */
    struct flash_transfer_client transfer_client;
    const struct nonvolatile_storage_config *config;
    uint32_t region_bytes;
    struct cmd_queue queue;
    bool is_running; /* a transfer runs for `pid` */
    bool is_write;
    struct process_id pid;
};

/**
 * Boot only: become `flash`'s client, create the grant in `k`, and set up the command queue
 * (the board then registers &nvs->queue.exit_hook with kernel_add_exit_hook).
 * Returns ERR_OK; ERR_SIZE (page_buf NULL or not one page long); ERR_INVAL (the region is empty
 * or outside the flash, or, with multi-page erase units, the region or spare unit is not made
 * of whole units or they overlap); cmd_queue_init's or grant_create's error.
 */
MUST_CHECK err_t nonvolatile_storage_init(struct nonvolatile_storage *nvs, struct hil_flash *flash,
                                          const struct nonvolatile_storage_config *config,
                                          uint8_t *page_buf, size_t page_buf_len,
                                          const struct cmd_queue_config *queue_config,
                                          struct cmd_queue_entry *entries, uint32_t entry_count,
                                          struct kernel *k);
