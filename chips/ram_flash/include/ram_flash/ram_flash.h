/* SPDX-License-Identifier: Apache-2.0 OR MIT */
/*
 * RAM-backed flash: a model of NOR flash in a RAM buffer, behind the flash HIL.
 *
 * For boards without a writable flash (QEMU mps2-an385), for memory that stands in for flash
 * and already holds data (the app flash QEMU loads on both boards: ram_flash_init_loaded), and
 * for tests. It behaves as NOR flash
 * does and as the CFI driver on QEMU virt does: a page write only clears bits (new = old AND
 * data), an erase sets a whole erase unit to 0xFF, every operation completes later (from a
 * deferred call) and one operation is outstanding at a time. Contents last until reset.
 *
 * Usage (board):
 *     static uint8_t flash_storage[16 * 1024];   // a whole number of erase units
 *     static struct ram_flash ram_flash;
 *     boot_check(ram_flash_init(&ram_flash, flash_storage, sizeof flash_storage, 512, 8),
 *                "ram flash");                   // 512-byte pages, 4 KiB erase units
 *     boot_check(mux_flash_init(&flash_mux, &ram_flash.flash), "flash mux");
 *
 * Invariants: operation != RAM_FLASH_IDLE iff an operation is outstanding, and then the
 * deferred call `complete` is set; storage holds page_size * page_count bytes; an erase unit
 * whose `blank` bit is set reads as all 0xFF, whatever its storage holds (it is filled with
 * 0xFF before its first write), so init and erase write nothing; bits are set only when
 * erase_lazily (ram_flash_init), never for loaded memory that is also read directly.
 */
#pragma once

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "errorcode.h"
#include "hil/flash.h"
#include "kernel/deferred_call.h"

enum ram_flash_operation {
    RAM_FLASH_IDLE,
    RAM_FLASH_READ,
    RAM_FLASH_WRITE,
    RAM_FLASH_ERASE,
};

#define RAM_FLASH_BLANK_UNITS 64u /* erase units tracked as blank; units beyond are erased */

struct ram_flash {
    struct hil_flash flash;
    uint8_t *storage;
    struct hil_flash_geometry geometry;
    enum ram_flash_operation operation;
    uint32_t page;
    uint8_t *buf; /* read/write: owned here until the callback */
    size_t len;
    struct deferred_call complete;
    uint32_t blank[RAM_FLASH_BLANK_UNITS / 32u]; /* unit i reads as erased: bit i */
    bool erase_lazily; /* ram_flash_init: erases only mark units blank */
};

/**
 * Boot only: model a flash of storage_len bytes in `storage` with `page_size`-byte pages
 * erased `erase_pages` at a time, erase it (all 0xFF, as a fresh chip) and register the
 * deferred call. Returns ERR_OK, ERR_INVAL (storage NULL, page_size or erase_pages 0, or
 * storage_len not a non-zero whole number of erase units) or ERR_NOMEM (no deferred-call slot).
 */
MUST_CHECK err_t ram_flash_init(struct ram_flash *flash, uint8_t *storage, size_t storage_len,
                                uint32_t page_size, uint32_t erase_pages);

/**
 * Boot only: as ram_flash_init, but `storage` already holds the flash's contents (memory that
 * stands in for flash and was loaded before the kernel ran, such as the app flash QEMU loads
 * with `-device loader`), so nothing is erased. Same returns.
 */
MUST_CHECK err_t ram_flash_init_loaded(struct ram_flash *flash, uint8_t *storage,
                                       size_t storage_len, uint32_t page_size,
                                       uint32_t erase_pages);

/* What the flash holds at byte `offset` (< storage_len), as a read would return it (tests). */
uint8_t ram_flash_byte(const struct ram_flash *flash, size_t offset);
