/* SPDX-License-Identifier: Apache-2.0 OR MIT */
/*
 * RAM-backed flash (see ram_flash/ram_flash.h).
 *
 * An operation is checked and recorded when it is asked for and carried out by the deferred
 * call, so the memory changes when the completion is delivered, as with a real flash, and the
 * callback never runs inside the call that started the operation.
 *
 * Usage: see ram_flash/ram_flash.h.
 *
 * Invariants: see ram_flash/ram_flash.h.
 */
#include "ram_flash/ram_flash.h"

#include "container.h"

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

static void complete(void *ctx)
{
    struct ram_flash *flash = ctx;
    enum ram_flash_operation operation = flash->operation;
    uint8_t *buf = flash->buf;
    size_t len = flash->len;
    size_t page_size = flash->geometry.page_size;
    uint8_t *cell = flash->storage + (size_t)flash->page * page_size;
    flash->operation = RAM_FLASH_IDLE; /* the client may start the next one from its callback */
    flash->buf = NULL;
    switch (operation) {
    case RAM_FLASH_READ:
        for (size_t i = 0; i < page_size; i++) {
            buf[i] = cell[i];
        }
        hil_flash_read_done(&flash->flash, buf, len, ERR_OK);
        break;
    case RAM_FLASH_WRITE:
        for (size_t i = 0; i < page_size; i++) {
            cell[i] &= buf[i]; /* programming only clears bits */
        }
        hil_flash_write_done(&flash->flash, buf, len, ERR_OK);
        break;
    case RAM_FLASH_ERASE:
        for (size_t i = 0; i < page_size * flash->geometry.erase_pages; i++) {
            cell[i] = 0xFF;
        }
        hil_flash_erase_done(&flash->flash, ERR_OK);
        break;
    case RAM_FLASH_IDLE:
    default:
        break;
    }
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
    __builtin_memset(storage, 0xFF, storage_len); /* erased, a word at a time */
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
