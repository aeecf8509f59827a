/* SPDX-License-Identifier: Apache-2.0 OR MIT */
/*
 * Flash HIL: split-phase page read, page program and erase of NOR-style flash.
 *
 * The flash is page_count pages of page_size bytes. Reads and writes move one whole page.
 * Writing *programs*: every bit of the page becomes (old bit AND new bit), so bits only go
 * from 1 to 0, and a page must be erased before it can take arbitrary data. Erasing sets every
 * byte of one erase unit -- erase_pages consecutive pages starting at a multiple of erase_pages
 * -- to 0xFF. erase_pages is 1 where the hardware erases single pages; NOR chips often erase
 * much larger units (QEMU virt's CFI flash: 256 KiB).
 *
 * Usage: a flash driver embeds `struct hil_flash flash`; the board hands `&drv.flash` to the
 * flash mux (capsules/virtual_flash.h), its only client. Each virtual flash device offers the
 * same interface to one client:
 *     struct hil_flash_geometry g = hil_flash_geometry(&dev.flash);
 *     err = hil_flash_erase_page(&dev.flash, 0);            // erase_done() follows
 *     err = hil_flash_write_page(&dev.flash, 3, page, g.page_size);  // write_done() follows
 *
 * Invariants (the split-phase contract): ERR_OK means exactly one matching callback later and
 * never inside the call; ERR_BUSY means an earlier callback is still due; any other error
 * means no callback. A lent page buffer belongs to the implementation until its callback.
 */
#pragma once

#include <stddef.h>
#include <stdint.h>

#include "errorcode.h"

struct hil_flash_geometry {
    uint32_t page_size;   /* bytes per page: the unit of read_page and write_page */
    uint32_t page_count;  /* pages in the device */
    uint32_t erase_pages; /* pages per erase unit (>= 1; page_count is a multiple of it) */
};

struct hil_flash;
struct hil_flash_client;

struct hil_flash_ops {
    struct hil_flash_geometry (*geometry)(struct hil_flash *flash);
    err_t (*read_page)(struct hil_flash *flash, uint32_t page, uint8_t *buf, size_t len);
    err_t (*write_page)(struct hil_flash *flash, uint32_t page, uint8_t *buf, size_t len);
    err_t (*erase_page)(struct hil_flash *flash, uint32_t page);
};
struct hil_flash {
    const struct hil_flash_ops *ops; /* set by the implementation's _init */
    struct hil_flash_client *client; /* set once by the board or the mux */
};
struct hil_flash_client_ops {
    /* Page read into buf (len = page_size). ERR_OK, or ERR_FAIL (the device failed). */
    void (*read_done)(struct hil_flash_client *client, uint8_t *buf, size_t len, err_t status);
    /* Page programmed from buf. ERR_OK, or ERR_FAIL (the device reported a program error or
     * the page is write-protected; its contents are then unspecified). */
    void (*write_done)(struct hil_flash_client *client, uint8_t *buf, size_t len, err_t status);
    /* Erase unit erased. ERR_OK, or ERR_FAIL (erase error or protected; contents unspecified). */
    void (*erase_done)(struct hil_flash_client *client, err_t status);
};
struct hil_flash_client {
    const struct hil_flash_client_ops *ops;
};

/* The device's layout. Synchronous, constant for the life of the device. */
static inline struct hil_flash_geometry hil_flash_geometry(struct hil_flash *flash)
{
    return flash->ops->geometry(flash);
}
/**
 * Read page `page` into buf[0..len). Kernel loop only.
 * Returns ERR_OK (read_done follows exactly once, never inside this call), ERR_BUSY (an
 * operation is outstanding), ERR_INVAL (page >= page_count) or ERR_SIZE (buf NULL or len !=
 * page_size). No callback follows an error.
 */
MUST_CHECK static inline err_t hil_flash_read_page(struct hil_flash *flash, uint32_t page,
                                                   uint8_t *buf, size_t len)
{
    return flash->ops->read_page(flash, page, buf, len);
}
/**
 * Program page `page` from buf[0..len): each bit becomes old AND new. Returns as
 * hil_flash_read_page(); write_done follows an ERR_OK.
 */
MUST_CHECK static inline err_t hil_flash_write_page(struct hil_flash *flash, uint32_t page,
                                                    uint8_t *buf, size_t len)
{
    return flash->ops->write_page(flash, page, buf, len);
}
/**
 * Erase the erase unit that starts at page `page` (all its bytes become 0xFF).
 * Returns ERR_OK (erase_done follows exactly once, never inside this call), ERR_BUSY or
 * ERR_INVAL (page >= page_count, or not a multiple of erase_pages). No callback after an error.
 */
MUST_CHECK static inline err_t hil_flash_erase_page(struct hil_flash *flash, uint32_t page)
{
    return flash->ops->erase_page(flash, page);
}
/**
 * For implementations: check a read_page or write_page request against the device's geometry
 * before taking it. Returns ERR_OK, ERR_INVAL (page >= page_count) or ERR_SIZE (buf NULL or len
 * != page_size), the errors hil_flash_read_page() documents; the caller checks ERR_BUSY first.
 */
MUST_CHECK static inline err_t hil_flash_check_page(const struct hil_flash_geometry *geometry,
                                                    uint32_t page, const uint8_t *buf, size_t len)
{
    if (page >= geometry->page_count) {
        return ERR_INVAL;
    }
    if (buf == NULL || len != geometry->page_size) {
        return ERR_SIZE;
    }
    return ERR_OK;
}
/**
 * For implementations: check an erase_page request against the device's geometry before taking
 * it. Returns ERR_OK or ERR_INVAL (page >= page_count, or not the first page of an erase unit),
 * as hil_flash_erase_page() documents; the caller checks ERR_BUSY first.
 */
MUST_CHECK static inline err_t hil_flash_check_erase(const struct hil_flash_geometry *geometry,
                                                     uint32_t page)
{
    if (page >= geometry->page_count || page % geometry->erase_pages != 0) {
        return ERR_INVAL;
    }
    return ERR_OK;
}
static inline void hil_flash_set_client(struct hil_flash *flash, struct hil_flash_client *client)
{
    flash->client = client;
}
/* For implementations: deliver completions to the client, if one is set. */
static inline void hil_flash_read_done(struct hil_flash *flash, uint8_t *buf, size_t len,
                                       err_t status)
{
    if (flash->client != NULL) {
        flash->client->ops->read_done(flash->client, buf, len, status);
    }
}
static inline void hil_flash_write_done(struct hil_flash *flash, uint8_t *buf, size_t len,
                                        err_t status)
{
    if (flash->client != NULL) {
        flash->client->ops->write_done(flash->client, buf, len, status);
    }
}
static inline void hil_flash_erase_done(struct hil_flash *flash, err_t status)
{
    if (flash->client != NULL) {
        flash->client->ops->erase_done(flash->client, status);
    }
}
