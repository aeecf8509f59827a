/* SPDX-License-Identifier: Apache-2.0 OR MIT */
/*
 * RAM-backed flash (see ram_flash/ram_flash.h).
 *
 * An operation is checked and recorded when it is asked for and carried out by the deferred
 * call, so the memory changes when the completion is delivered, as with a real flash, and the
 * callback never runs inside the call that started the operation. With ram_flash_init (a
 * fresh chip, read only through this driver), an erase unit is "blank" (bit set in `blank`,
 * reads as 0xFF whatever storage holds) from init or an erase until its first write, which
 * fills it with 0xFF first: erasing costs nothing until a write needs it. Memory loaded before
 * boot (ram_flash_init_loaded) is also read directly (the app flash: the loader, processes),
 * so there every erase writes 0xFF at once.
 *
 * Usage: see ram_flash/ram_flash.h.
 *
 * Invariants: see ram_flash/ram_flash.h.
 */
#include "ram_flash/ram_flash.h"

#include "container.h"

#include <stdbool.h>

static err_t start(struct ram_flash *flash, enum ram_flash_operation operation, uint32_t page,
                   uint8_t *buf, size_t len)
{
    const struct hil_flash_geometry *g = &flash->geometry;
    if (flash->operation != RAM_FLASH_IDLE) {
        return ERR_BUSY;
    }
    err_t err = operation == RAM_FLASH_ERASE ? hil_flash_check_erase(g, page)
                                             : hil_flash_check_page(g, page, buf, len);
    if (err != ERR_OK) {
        return err;
    }
    flash->operation = operation;
    flash->page = page;
    flash->buf = buf;
    flash->len = len;
    deferred_call_set(&flash->complete);
    return ERR_OK;
}

static struct hil_flash_geometry geometry(struct hil_flash *hil)
{
    return CONTAINER_OF(hil, struct ram_flash, flash)->geometry;
}

static err_t read_page(struct hil_flash *hil, uint32_t page, uint8_t *buf, size_t len)
{
    return start(CONTAINER_OF(hil, struct ram_flash, flash), RAM_FLASH_READ, page, buf, len);
}

static err_t write_page(struct hil_flash *hil, uint32_t page, uint8_t *buf, size_t len)
{
    return start(CONTAINER_OF(hil, struct ram_flash, flash), RAM_FLASH_WRITE, page, buf, len);
}

static err_t erase_page(struct hil_flash *hil, uint32_t page)
{
    return start(CONTAINER_OF(hil, struct ram_flash, flash), RAM_FLASH_ERASE, page, NULL, 0);
}

static bool unit_is_blank(const struct ram_flash *flash, uint32_t unit)
{
    return unit < RAM_FLASH_BLANK_UNITS && (flash->blank[unit / 32u] >> (unit % 32u) & 1u) != 0;
}

static void set_blank(struct ram_flash *flash, uint32_t unit, bool blank)
{
    uint32_t bit = 1u << (unit % 32u);
    flash->blank[unit / 32u] = blank ? flash->blank[unit / 32u] | bit
                                     : flash->blank[unit / 32u] & ~bit;
}

/* Bytes of one erase unit. */
static size_t unit_bytes(const struct ram_flash *flash)
{
    return (size_t)flash->geometry.page_size * flash->geometry.erase_pages;
}

/* Make a blank unit's storage hold what it reads as (0xFF) before a write changes it. */
static void materialise(struct ram_flash *flash, uint32_t unit)
{
    if (unit_is_blank(flash, unit)) {
        __builtin_memset(flash->storage + unit * unit_bytes(flash), 0xFF, unit_bytes(flash));
        set_blank(flash, unit, false);
    }
}

static void complete(void *ctx)
{
    struct ram_flash *flash = ctx;
    enum ram_flash_operation operation = flash->operation;
    uint8_t *buf = flash->buf;
    size_t len = flash->len;
    size_t page_size = flash->geometry.page_size;
    uint32_t unit = flash->page / flash->geometry.erase_pages;
    uint8_t *cell = flash->storage + (size_t)flash->page * page_size;
    flash->operation = RAM_FLASH_IDLE; /* the client may start the next one from its callback */
    flash->buf = NULL;
    switch (operation) {
    case RAM_FLASH_READ:
        if (unit_is_blank(flash, unit)) {
            __builtin_memset(buf, 0xFF, page_size);
        } else {
            __builtin_memcpy(buf, cell, page_size);
        }
        hil_flash_read_done(&flash->flash, buf, len, ERR_OK);
        break;
    case RAM_FLASH_WRITE:
        materialise(flash, unit);
        for (size_t i = 0; i < page_size; i++) {
            cell[i] &= buf[i]; /* programming only clears bits */
        }
        hil_flash_write_done(&flash->flash, buf, len, ERR_OK);
        break;
    case RAM_FLASH_ERASE:
        if (flash->erase_lazily && unit < RAM_FLASH_BLANK_UNITS) {
            set_blank(flash, unit, true);
        } else {
            __builtin_memset(cell, 0xFF, unit_bytes(flash));
        }
        hil_flash_erase_done(&flash->flash, ERR_OK);
        break;
    case RAM_FLASH_IDLE:
    default:
        break;
    }
}

uint8_t ram_flash_byte(const struct ram_flash *flash, size_t offset)
{
    uint32_t unit = (uint32_t)(offset / unit_bytes(flash));
    return unit_is_blank(flash, unit) ? 0xFFu : flash->storage[offset];
}

static const struct hil_flash_ops ram_flash_ops = {
    .geometry = geometry,
    .read_page = read_page,
    .write_page = write_page,
    .erase_page = erase_page,
};

static err_t setup(struct ram_flash *flash, uint8_t *storage, size_t storage_len,
                   uint32_t page_size, uint32_t erase_pages)
{
    size_t unit = (size_t)page_size * erase_pages;
    if (storage == NULL || unit == 0 || storage_len == 0 || storage_len % unit != 0 ||
        storage_len / page_size > UINT32_MAX) {
        return ERR_INVAL;
    }
    *flash = (struct ram_flash){
        .flash = { .ops = &ram_flash_ops, .client = NULL },
        .storage = storage,
        .geometry = { .page_size = page_size,
                      .page_count = (uint32_t)(storage_len / page_size),
                      .erase_pages = erase_pages },
        .operation = RAM_FLASH_IDLE,
        .page = 0,
        .buf = NULL,
        .len = 0,
        .blank = { 0 },
        .erase_lazily = false,
    };
    return ERR_OK;
}

err_t ram_flash_init(struct ram_flash *flash, uint8_t *storage, size_t storage_len,
                     uint32_t page_size, uint32_t erase_pages)
{
    err_t err = setup(flash, storage, storage_len, page_size, erase_pages);
    if (err != ERR_OK) {
        return err;
    }
    /* A fresh chip reads all 0xFF: the first units are blank without touching storage (so
     * boot does not write the whole buffer), any beyond are erased now. */
    flash->erase_lazily = true;
    uint32_t units = (uint32_t)(storage_len / unit_bytes(flash));
    for (uint32_t unit = 0; unit < units; unit++) {
        if (unit < RAM_FLASH_BLANK_UNITS) {
            set_blank(flash, unit, true);
        } else {
            __builtin_memset(storage + unit * unit_bytes(flash), 0xFF, unit_bytes(flash));
        }
    }
    return deferred_call_register(&flash->complete, complete, flash);
}

err_t ram_flash_init_loaded(struct ram_flash *flash, uint8_t *storage, size_t storage_len,
                            uint32_t page_size, uint32_t erase_pages)
{
    err_t err = setup(flash, storage, storage_len, page_size, erase_pages);
    if (err != ERR_OK) {
        return err;
    }
    return deferred_call_register(&flash->complete, complete, flash);
}
