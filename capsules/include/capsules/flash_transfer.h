/* SPDX-License-Identifier: Apache-2.0 OR MIT */
/*
 * Flash transfer: moves bytes between a process's allow and a byte range of NOR flash, for the
 * storage syscall drivers (app flash 0x50000, nonvolatile storage 0x50001, isolated nonvolatile
 * storage 0x50004).
 *
 * A transfer moves `length` bytes at byte `offset` of a region that starts at flash page
 * `base_page`, one *segment* (the part in one page) at a time. A read segment is a page read
 * copied out to read-write allow `allow_num` of the process. A write segment reads the page,
 * merges the bytes of read-only allow `allow_num` into it (noting whether any bit must go from 0
 * to 1), then programs the page in place, or erases its unit and programs it (one-page units),
 * or rewrites the unit through a spare erase unit the board sets aside (erase the spare, program
 * the merged page and the unit's other non-blank pages into it, erase the unit, copy back), so
 * only a one-page buffer is needed. That rewrite always runs to its end once started, even if
 * the process dies.
 *
 * Power loss: without a journal the rewrite is not safe against a power cut once the unit's
 * erase has begun (the unit's other bytes live only in the spare then). With a journal unit
 * (flash_transfer_set_journal) every rewrite goes through the spare, one-page units too, and
 * is committed: after the spare holds the whole new image of the unit, a 16-byte journal slot
 * is programmed (magic "FTJ1", the unit's first page, a check over that page number and the
 * spare's contents, and a done word left erased); then the unit is erased and copied back, and
 * the done word programmed to 0. The first transfer after boot first scans the journal: if its
 * last slot is not done and its check matches the spare, the power died between the commit and
 * the end of the copy back, so the erase and copy back are done again (they can be repeated any
 * number of times); any other last slot is marked done. A slot is appended after the last
 * non-blank one; a full journal unit is erased before the next slot (never while a slot is
 * pending). A rewrite whose new image is entirely blank erases the unit without a slot (no byte
 * of it is worth keeping).
 *
 * Usage (a driver; it owns the command queue and the grant):
 *     flash_transfer_init(&t, &vflash.flash, page_buf, page_size, spare_page, &drv->client);
 *     start:  flash_transfer_start(&t, &drv->grant, pid, is_write, 0, base_page, offset, len);
 *     abort:  flash_transfer_orphan(&t, pid);   // the process died: stop at a safe point
 *     client->ops->done(client, status, moved, is_orphaned) ends every transfer exactly once.
 *
 * Invariants: step != IDLE iff a transfer runs; page_buf == NULL iff a page read or program is
 * outstanding; during a rewrite page_buf or the spare unit holds the merged page; 0 <= done <=
 * length. The caller checked [offset, offset + length) against its region before starting.
 * With a journal: no transfer moves a byte before the journal was recovered (is_recovered);
 * journal slots at and after journal_next are blank; the unit is erased only while a committed
 * slot (journal_slot) names it, or when the new image is blank.
 */
#pragma once

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "errorcode.h"
#include "hil/flash.h"
#include "kernel/grant.h"
#include "kernel/process_id.h"

enum flash_transfer_step {
    FLASH_TRANSFER_IDLE,
    FLASH_TRANSFER_READ,               /* read: the page holding the next segment */
    FLASH_TRANSFER_WRITE_READ,         /* write: the target page, to merge into */
    FLASH_TRANSFER_WRITE_PROGRAM,      /* write: program the merged page in place */
    FLASH_TRANSFER_WRITE_ERASE,        /* write: erase its one-page unit, then program */
    FLASH_TRANSFER_COPY_ERASE_SPARE,   /* rewrite: erase the spare unit */
    FLASH_TRANSFER_COPY_PROGRAM_MERGED, /* rewrite: the merged page into the spare */
    FLASH_TRANSFER_COPY_READ_OUT,      /* rewrite: unit page i ... */
    FLASH_TRANSFER_COPY_WRITE_OUT,     /* ... into spare page i */
    FLASH_TRANSFER_COPY_ERASE_UNIT,    /* rewrite: erase the unit */
    FLASH_TRANSFER_COPY_READ_BACK,     /* rewrite: spare page i ... */
    FLASH_TRANSFER_COPY_WRITE_BACK,    /* ... back into unit page i */
    FLASH_TRANSFER_RECOVER_SCAN,       /* boot: journal page scan_index */
    FLASH_TRANSFER_RECOVER_VERIFY,     /* boot: spare page copy_index, into the check */
    FLASH_TRANSFER_JOURNAL_ERASE,      /* the journal unit is full: erase it */
    FLASH_TRANSFER_JOURNAL_READ,       /* commit: the page of slot journal_slot ... */
    FLASH_TRANSFER_JOURNAL_PROGRAM,    /* ... programmed with the slot */
    FLASH_TRANSFER_DONE_READ,          /* the page of slot journal_slot ... */
    FLASH_TRANSFER_DONE_PROGRAM,       /* ... with its done word programmed to 0 */
};

#define FLASH_TRANSFER_JOURNAL_MAGIC 0x314A5446u /* "FTJ1" */
#define FLASH_TRANSFER_JOURNAL_SLOT 16u

struct flash_transfer_client;
struct flash_transfer_client_ops {
    /**
     * The transfer is over: `moved` bytes moved; status ERR_OK, ERR_SIZE (the allow shrank
     * below the length), ERR_RESERVE (the allow was withdrawn) or ERR_FAIL (the flash failed).
     * is_orphaned: the process died (flash_transfer_orphan, or its grant was gone), so no upcall.
     */
    void (*done)(struct flash_transfer_client *client, err_t status, uint32_t moved,
                 bool is_orphaned);
};
struct flash_transfer_client {
    const struct flash_transfer_client_ops *ops;
};

struct flash_transfer {
    struct hil_flash_client flash_client;
    struct hil_flash *flash;
    struct hil_flash_geometry geometry;
    struct flash_transfer_client *client;
    uint32_t spare_page; /* a spare erase unit; unused with one-page units */
    uint8_t *page_buf;   /* geometry.page_size bytes; NULL while lent to the flash */
    enum flash_transfer_step step;
    struct grant *grant;
    struct process_id pid;
    uint32_t allow_num;
    bool is_write;
    bool is_orphaned;
    uint32_t base_page;
    uint32_t offset;
    uint32_t length;
    uint32_t done;
    uint32_t segment_page;
    uint32_t segment_offset;
    uint32_t segment_len;
    uint32_t copy_index;
    /* The rewrite journal (has_journal: set once at boot). */
    bool has_journal;
    uint32_t journal_page; /* first page of the journal's erase unit */
    bool is_recovered;     /* the journal was scanned (and a cut rewrite finished) */
    bool is_recovering;
    uint32_t journal_next; /* the first slot after the last non-blank one */
    uint32_t journal_slot; /* the slot of the rewrite running now */
    bool is_journaled;     /* the rewrite running now committed journal_slot */
    bool is_image_blank;   /* every page of the rewrite's new image is blank so far */
    uint32_t image_check;  /* over the unit's first page and the new image */
    uint32_t scan_index;
    uint32_t found_unit;   /* recovery: the last slot's unit and check */
    uint32_t found_check;
    bool is_found_pending; /* recovery: the last slot is committed and not done */
};

/**
 * Boot only: become `flash`'s client. Returns ERR_OK or ERR_SIZE (page_buf NULL or not one
 * page). The spare unit's placement is the caller's to check (flash_transfer_spare_ok).
 */
MUST_CHECK err_t flash_transfer_init(struct flash_transfer *t, struct hil_flash *flash,
                                     uint8_t *page_buf, size_t page_buf_len, uint32_t spare_page,
                                     struct flash_transfer_client *client);

/* Pages [first, first + count) and the spare unit fit the flash, and with multi-page erase
 * units they are whole units and do not overlap. */
bool flash_transfer_layout_ok(const struct hil_flash_geometry *g, uint32_t first, uint32_t count,
                              uint32_t spare_page);

/* Boot only, after flash_transfer_init: commit rewrites through the journal unit at
 * journal_page (check its placement with flash_transfer_journal_ok). */
void flash_transfer_set_journal(struct flash_transfer *t, uint32_t journal_page);

/* The journal unit is whole, inside the flash, and shares no unit with pages [first, first +
 * count) or the spare unit; with a journal the spare unit must be valid for one-page units too.
 */
bool flash_transfer_journal_ok(const struct hil_flash_geometry *g, uint32_t first,
                               uint32_t count, uint32_t spare_page, uint32_t journal_page);

/* Start a transfer (no transfer may be running). With a journal, the first transfer after
 * boot recovers an interrupted rewrite first (a transfer of length 0 does only that). done()
 * follows exactly once; it comes inside this call when there is nothing to move (length 0, and
 * nothing to recover) or the flash refuses the first request, so call it where a completion
 * may run (a command queue's start(), not a command). */
void flash_transfer_start(struct flash_transfer *t, struct grant *grant, struct process_id pid,
                          bool is_write, uint32_t allow_num, uint32_t base_page, uint32_t offset,
                          uint32_t length);

/* Process pid died: if it owns the running transfer, stop at the next safe point. */
void flash_transfer_orphan(struct flash_transfer *t, struct process_id pid);
