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
 * Power cuts (the *powercut_test files): fake_flash_cut_power(&hw, k, tear) makes
 * the k-th program or erase completed from then on (1-based) the one the power dies in. That
 * operation is torn as `tear` says, its callback never comes, and from then on every operation
 * is accepted and ignored (never completes): the flash is frozen as the cut left it, for a
 * fresh fake over the same memory (a reboot). Reads are not crash points: they change nothing.
 * A torn program follows NOR flash: programming only clears bits, the words it changes are
 * programmed in address order, and the tear leaves a prefix of them programmed plus one word
 * partially programmed (only some of the bits it clears). A torn erase leaves part of the unit
 * erased or every byte partly erased (some bits still 0).
 *
 * Invariants: is_busy iff an operation is outstanding; memory is page_size * page_count bytes;
 * once is_cut, memory never changes and nothing completes.
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

/* How the operation the power dies in is left (see fake_flash_cut_power). Program: "changed
 * words" are the words the program changes; "partly" means only the bits of the low (or high)
 * half of each byte are cleared. Erase: over the whole unit. */
enum fake_flash_tear {
    FAKE_FLASH_TEAR_NOTHING,    /* the operation never started */
    FAKE_FLASH_TEAR_FIRST_WORD, /* program: the first changed word partly (low bits);
                                 * erase: the first half of the unit erased, the rest not */
    FAKE_FLASH_TEAR_HALF,       /* program: half the changed words, the next partly (high bits);
                                 * erase: every byte only partly erased (low bits set) */
    FAKE_FLASH_TEAR_LAST_WORD,  /* program: all changed words but the last, which is partly
                                 * programmed (low bits); erase: all but the unit's last word */
    FAKE_FLASH_TEAR_DONE,       /* the operation completed, the power died before its callback */
    FAKE_FLASH_TEAR_COUNT,
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
    /* Power cuts (all zero: none). */
    unsigned cut_at;             /* the program/erase (1-based) the power dies in; 0: never */
    enum fake_flash_tear tear;
    unsigned program_erase_done; /* programs and erases completed with ERR_OK, the cut one too */
    unsigned erases_done;        /* ... of which erases */
    bool is_cut;                 /* the power is off */
};

/* memory must hold page_size * page_count bytes; it is left as it is (not erased). */
void fake_flash_init(struct fake_flash *flash, uint8_t *memory, uint32_t page_size,
                     uint32_t page_count, uint32_t erase_pages);
/* Complete the outstanding operation. Fails the test if none. */
void fake_flash_complete(struct fake_flash *flash, err_t status);
/* Cut the power in the program/erase number `at` (1-based) counted from now, torn as `tear`. */
void fake_flash_cut_power(struct fake_flash *flash, unsigned at, enum fake_flash_tear tear);
/* Complete operations with ERR_OK until none is outstanding (callbacks may start new ones);
 * returns how many completed. Fails the test after 100000 (a client that never stops). */
size_t fake_flash_run(struct fake_flash *flash);
