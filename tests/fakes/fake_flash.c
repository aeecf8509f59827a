/* SPDX-License-Identifier: Apache-2.0 OR MIT */
/*
 * Fake flash (see fake_flash.h): a test-driven implementation of the flash HIL.
 *
 * Usage: see fake_flash.h.
 *
 * Invariants: callbacks are delivered only from fake_flash_complete(), one at a time, after the
 * fake's own state has been updated.
 */
#include "fake_flash.h"

#include <setjmp.h>
#include <stdarg.h>
#include <string.h>

#include <cmocka.h>

#include "container.h"

static err_t start(struct fake_flash *flash, enum fake_flash_kind kind, uint32_t page,
                   uint8_t *buf, size_t len)
{
    flash->calls++;
    if (flash->is_cut) {
        return ERR_OK; /* accepted, never completes: the power is off */
    }
    err_t result = flash->next_result;
    flash->next_result = ERR_OK;
    if (result != ERR_OK) {
        return result;
    }
    if (flash->is_busy) {
        return ERR_BUSY;
    }
    const struct hil_flash_geometry *g = &flash->geometry;
    result = kind == FAKE_FLASH_ERASE ? hil_flash_check_erase(g, page)
                                      : hil_flash_check_page(g, page, buf, len);
    if (result != ERR_OK) {
        return result;
    }
    flash->is_busy = true;
    flash->current = (struct fake_flash_operation){ .kind = kind, .page = page };
    flash->buf = buf;
    flash->len = len;
    if (flash->log_len < FAKE_FLASH_LOG_MAX) {
        flash->log[flash->log_len++] = flash->current;
    }
    return ERR_OK;
}

static struct hil_flash_geometry fake_geometry(struct hil_flash *hil)
{
    return CONTAINER_OF(hil, struct fake_flash, flash)->geometry;
}

static err_t fake_read_page(struct hil_flash *hil, uint32_t page, uint8_t *buf, size_t len)
{
    return start(CONTAINER_OF(hil, struct fake_flash, flash), FAKE_FLASH_READ, page, buf, len);
}

static err_t fake_write_page(struct hil_flash *hil, uint32_t page, uint8_t *buf, size_t len)
{
    return start(CONTAINER_OF(hil, struct fake_flash, flash), FAKE_FLASH_WRITE, page, buf, len);
}

static err_t fake_erase_page(struct hil_flash *hil, uint32_t page)
{
    return start(CONTAINER_OF(hil, struct fake_flash, flash), FAKE_FLASH_ERASE, page, NULL, 0);
}

static const struct hil_flash_ops fake_flash_ops = {
    .geometry = fake_geometry,
    .read_page = fake_read_page,
    .write_page = fake_write_page,
    .erase_page = fake_erase_page,
};

void fake_flash_init(struct fake_flash *flash, uint8_t *memory, uint32_t page_size,
                     uint32_t page_count, uint32_t erase_pages)
{
    *flash = (struct fake_flash){
        .flash = { .ops = &fake_flash_ops, .client = NULL },
        .memory = memory,
        .geometry = { .page_size = page_size, .page_count = page_count,
                      .erase_pages = erase_pages },
        .next_result = ERR_OK,
    };
}

void fake_flash_cut_power(struct fake_flash *flash, unsigned at, enum fake_flash_tear tear)
{
    flash->cut_at = flash->program_erase_done + at;
    flash->tear = tear;
}

static bool is_word_changed(const uint8_t *page, const uint8_t *buf, size_t word)
{
    for (size_t i = word * 4u; i < word * 4u + 4u; i++) {
        if ((page[i] & buf[i]) != page[i]) {
            return true;
        }
    }
    return false;
}

/* Program word `word` of `page` from `buf`; partly: only the bits under `keep_mask`'s zeros. */
static void program_word(uint8_t *page, const uint8_t *buf, size_t word, uint8_t keep_mask)
{
    for (size_t i = word * 4u; i < word * 4u + 4u; i++) {
        page[i] &= (uint8_t)(buf[i] | keep_mask);
    }
}

/* A program torn as `tear`: `full` changed words programmed, then one partly, in address
 * order. */
static void tear_program(uint8_t *page, const uint8_t *buf, size_t page_size,
                         enum fake_flash_tear tear)
{
    size_t changed = 0;
    for (size_t w = 0; w < page_size / 4u; w++) {
        changed += is_word_changed(page, buf, w) ? 1u : 0u;
    }
    size_t full = tear == FAKE_FLASH_TEAR_HALF        ? changed / 2u
                  : tear == FAKE_FLASH_TEAR_LAST_WORD ? (changed > 0 ? changed - 1u : 0u)
                                                      : 0u;
    uint8_t partial_keep = tear == FAKE_FLASH_TEAR_HALF ? 0x0Fu : 0xF0u;
    size_t seen = 0;
    for (size_t w = 0; w < page_size / 4u && seen <= full; w++) {
        if (!is_word_changed(page, buf, w)) {
            continue;
        }
        program_word(page, buf, w, seen < full ? 0x00u : partial_keep);
        seen++;
    }
}

static void tear_erase(uint8_t *unit, size_t unit_size, enum fake_flash_tear tear)
{
    switch (tear) {
    case FAKE_FLASH_TEAR_FIRST_WORD:
        memset(unit, 0xFF, unit_size / 2u);
        break;
    case FAKE_FLASH_TEAR_HALF:
        for (size_t i = 0; i < unit_size; i++) {
            unit[i] |= 0x0Fu;
        }
        break;
    case FAKE_FLASH_TEAR_LAST_WORD:
        memset(unit, 0xFF, unit_size - 4u);
        break;
    default:
        break;
    }
}

/* The operation the power dies in: leave it as `tear` says; no callback, ever. */
static void cut(struct fake_flash *flash, uint8_t *page)
{
    size_t page_size = flash->geometry.page_size;
    if (flash->tear == FAKE_FLASH_TEAR_DONE) {
        if (flash->current.kind == FAKE_FLASH_WRITE) {
            for (size_t i = 0; i < page_size; i++) {
                page[i] &= flash->buf[i];
            }
        } else {
            memset(page, 0xFF, page_size * flash->geometry.erase_pages);
        }
    } else if (flash->tear != FAKE_FLASH_TEAR_NOTHING) {
        if (flash->current.kind == FAKE_FLASH_WRITE) {
            tear_program(page, flash->buf, page_size, flash->tear);
        } else {
            tear_erase(page, page_size * flash->geometry.erase_pages, flash->tear);
        }
    }
    flash->is_cut = true;
    flash->is_busy = false;
    flash->buf = NULL;
    flash->len = 0;
}

void fake_flash_complete(struct fake_flash *flash, err_t status)
{
    if (!flash->is_busy) {
        fail_msg("fake_flash: no operation to complete");
    }
    if (flash->callback_depth != 0) {
        fail_msg("fake_flash: completion delivered while a callback is running (re-entrant)");
    }
    struct fake_flash_operation op = flash->current;
    uint8_t *buf = flash->buf;
    size_t len = flash->len;
    size_t page_size = flash->geometry.page_size;
    uint8_t *page = flash->memory + (size_t)op.page * page_size;
    if (status == ERR_OK && op.kind != FAKE_FLASH_READ) {
        flash->program_erase_done++;
        flash->erases_done += op.kind == FAKE_FLASH_ERASE ? 1u : 0u;
        if (flash->program_erase_done == flash->cut_at) {
            cut(flash, page);
            return;
        }
    }
    if (status == ERR_OK) {
        switch (op.kind) {
        case FAKE_FLASH_READ:
            memcpy(buf, page, page_size);
            break;
        case FAKE_FLASH_WRITE:
            for (size_t i = 0; i < page_size; i++) {
                page[i] &= buf[i];
            }
            break;
        case FAKE_FLASH_ERASE:
            memset(page, 0xFF, page_size * flash->geometry.erase_pages);
            break;
        }
    }
    flash->is_busy = false;
    flash->buf = NULL;
    flash->len = 0;
    flash->callback_depth++;
    switch (op.kind) {
    case FAKE_FLASH_READ:
        hil_flash_read_done(&flash->flash, buf, len, status);
        break;
    case FAKE_FLASH_WRITE:
        hil_flash_write_done(&flash->flash, buf, len, status);
        break;
    case FAKE_FLASH_ERASE:
        hil_flash_erase_done(&flash->flash, status);
        break;
    }
    flash->callback_depth--;
}

size_t fake_flash_run(struct fake_flash *flash)
{
    size_t completed = 0;
    while (flash->is_busy) {
        if (completed == 100000) {
            fail_msg("fake_flash: the client never stops");
        }
        fake_flash_complete(flash, ERR_OK);
        completed++;
    }
    return completed;
}
