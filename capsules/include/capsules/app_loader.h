/* SPDX-License-Identifier: Apache-2.0 OR MIT */
/*
 * App loader (driver 0x10001, Tock's AppLoader numbers): a process installs a new app at
 * runtime, without a reboot. doc/reference/028-runtime-app-loading.md.
 *
 * Commands (one process at a time owns the driver, from setup until the load, abort or its
 * death; any other process gets BUSY meanwhile):
 *   0 exists.
 *   1 setup(size, address): reserve room for a TBF of exactly `size` bytes after the app list
 *     (address 0: the kernel chooses; else exactly there, for fixed-address builds), and erase
 *     it. BUSY (owned or working), INVAL (size, address), NOMEM (no room the MPU can cover),
 *     FAIL (app flash cannot be walked to its end). Upcall 0 (status) when the room is erased.
 *   2 write(offset, len): program len bytes of read-only allow 0 at byte `offset` of the new
 *     app, page by page. The range starts inside the app; bytes past the app's size must read
 *     0x00 or 0xFF (a loader's last chunk padded to its buffer, as libtock-c's are) and are not
 *     written; the app's bytes must not have been written yet. INVAL (order, bounds, a non-blank tail), RESERVE (no allow), SIZE (allow
 *     shorter than len, or shrunk during the write), ALREADY (written before). Upcall 1
 *     (status, len).
 *   3 finalize: check the written TBF as the boot walk would (header, checksum, placement,
 *     credentials under the board's policy). FAIL when refused: the kernel prints why, erases
 *     the room and ends with upcall 4 (OK). Upcall 2 (OK) when accepted.
 *   4 load: link the app into the list (one padding object written over the gap) and start it
 *     in a free slot with free RAM. Upcall 3 (status: OK, NOMEM no RAM or slot: the app stays
 *     installed for the next boot, FAIL flash).
 *   5 abort: erase the room; upcall 4 (status).
 * INVAL also answers a command out of order (write before setup, load before finalize).
 *
 * Usage (board, components/storage.h): app_loader_init(&loader, &vflash.flash, &config,
 *     page_buf, 512, k); kernel_add_exit_hook(k, &loader.exit_hook); a FULL_DRIVER_SLOTS row.
 *
 * Invariants: until the padding object is written the new app lies past the list end, so every
 * walk ends where it did before setup; the room [plan.erase_start, plan.erase_end) is pages no
 * object of the list touches, and outside a load it reads erased (a refused, aborted or orphaned
 * load erases it again); page_buf == NULL iff a flash operation is outstanding.
 */
#pragma once

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "app_load_plan.h"
#include "errorcode.h"
#include "hil/flash.h"
#include "kernel/exit_hook.h"
#include "kernel/grant.h"
#include "kernel/kernel.h"
#include "kernel/process_id.h"
#include "kernel/syscall_driver.h"

#define APP_LOADER_CMD_SETUP 1u
#define APP_LOADER_CMD_WRITE 2u
#define APP_LOADER_CMD_FINALIZE 3u
#define APP_LOADER_CMD_LOAD 4u
#define APP_LOADER_CMD_ABORT 5u
#define APP_LOADER_UPCALL_SETUP_DONE 0u
#define APP_LOADER_UPCALL_WRITE_DONE 1u
#define APP_LOADER_UPCALL_FINALIZE_DONE 2u
#define APP_LOADER_UPCALL_LOAD_DONE 3u
#define APP_LOADER_UPCALL_ABORT_DONE 4u
#define APP_LOADER_UPCALL_COUNT 5u
#define APP_LOADER_ALLOW_RO_WRITE 0u

enum app_loader_state {
    APP_LOADER_IDLE,
    APP_LOADER_ERASING,    /* setup: erasing the room, page by page */
    APP_LOADER_READY,      /* takes writes, finalize, abort */
    APP_LOADER_WRITING,    /* a write's page program is outstanding */
    APP_LOADER_FINALIZED,  /* checked: takes load, abort */
    APP_LOADER_COMMITTING, /* the padding object's page: read, erase, program */
    APP_LOADER_CLEANING,   /* a refused, aborted or orphaned load: erasing the room */
};

/* The commit's steps on the page that holds the list end. */
enum app_loader_commit_step {
    APP_LOADER_COMMIT_PROGRAM, /* the bytes were erased: program them */
    APP_LOADER_COMMIT_READ,    /* else read the page, erase it, program it merged */
    APP_LOADER_COMMIT_ERASE,
};

struct app_loader {
    struct syscall_driver driver;
    struct grant grant; /* U=5 R=1 W=0 */
    struct hil_flash_client flash_client;
    struct process_exit_hook exit_hook;
    struct kernel *kernel;
    struct hil_flash *flash;
    struct hil_flash_geometry geometry;
    struct app_load_area area; /* app flash, page 0 of the device at area.start */
    uint8_t *page_buf;         /* one page; NULL while lent to the flash */
    enum app_loader_state state;
    enum app_loader_commit_step commit_step;
    struct process_id owner; /* valid unless state is IDLE */
    bool is_orphaned;        /* the owner died: no more upcalls, clean up when the flash is free */
    struct app_load_plan plan;
    uintptr_t erase_next; /* ERASING, CLEANING: the next page to erase */
    uint32_t write_from;  /* WRITING: the offset allow byte 0 goes to */
    uint32_t write_next;  /* WRITING: the next offset to program */
    uint32_t write_end;   /* WRITING: the end of what is programmed (at most the app's size) */
    uint32_t write_len;   /* WRITING: the length the upcall reports */
};

/**
 * Boot only. flash: a device whose page 0 is k's app_flash_start and which covers app flash
 * (one-page erase units); page_buf: page_size bytes. Returns ERR_OK, ERR_SIZE (page_buf), ERR_INVAL
 * (geometry), or grant_create's error.
 */
MUST_CHECK err_t app_loader_init(struct app_loader *loader, struct hil_flash *flash,
                                 uint8_t *page_buf, size_t page_buf_len, struct kernel *k);
