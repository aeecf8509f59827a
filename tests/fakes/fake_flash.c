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
