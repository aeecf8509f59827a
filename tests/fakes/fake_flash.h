/* SPDX-License-Identifier: Apache-2.0 OR MIT */
/*
 * Fake flash for host tests: NOR semantics over host memory, with test-driven completion.
 *
 * The fake checks arguments as hil/flash.h says, returns next_result (ERR_OK by default) for
 * the next read/write/erase, and on ERR_OK records the operation. Nothing happens to the memory
 * until the test calls fake_flash_complete(): with ERR_OK a read copies the page out, a write
 * ANDs the buffer into the page, an erase fills the erase unit with 0xFF; with an error the
 * memory is left alone and the error is the callback's status. A completion started while
 * another callback is still running fails the test.
 *
 * Usage:
 *     static uint8_t memory[8 * 64];
 *     static struct fake_flash hw;
 *     fake_flash_init(&hw, memory, 64, 8, 4);   // 8 pages of 64 bytes, erased 4 at a time
 *     ... code under test calls hil_flash_* on &hw.flash ...
 *     fake_flash_complete(&hw, ERR_OK);
 *
 * Invariants: is_busy iff an operation is outstanding; memory is page_size * page_count bytes.
 */
#pragma once

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "errorcode.h"
#include "hil/flash.h"

#define FAKE_FLASH_LOG_MAX 64u

enum fake_flash_kind {
    FAKE_FLASH_READ,
    FAKE_FLASH_WRITE,
    FAKE_FLASH_ERASE,
};

struct fake_flash_operation {
    enum fake_flash_kind kind;
    uint32_t page;
};

struct fake_flash {
    struct hil_flash flash;
    uint8_t *memory;
    struct hil_flash_geometry geometry;
    err_t next_result; /* returned by the next operation call (then reset to ERR_OK) */
    bool is_busy;
    struct fake_flash_operation current;
    uint8_t *buf;
    size_t len;
    unsigned calls; /* accepted or not */
    unsigned callback_depth;
    struct fake_flash_operation log[FAKE_FLASH_LOG_MAX]; /* accepted operations, in order */
    size_t log_len;
};

/* memory must hold page_size * page_count bytes; it is left as it is (not erased). */
void fake_flash_init(struct fake_flash *flash, uint8_t *memory, uint32_t page_size,
                     uint32_t page_count, uint32_t erase_pages);
/* Complete the outstanding operation. Fails the test if none. */
void fake_flash_complete(struct fake_flash *flash, err_t status);
/* Complete operations with ERR_OK until none is outstanding (callbacks may start new ones);
 * returns how many completed. Fails the test after 100000 (a client that never stops). */
size_t fake_flash_run(struct fake_flash *flash);
