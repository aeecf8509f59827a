/* SPDX-License-Identifier: Apache-2.0 OR MIT */
/*
 * Flash virtualizer: many clients (storage drivers, self tests) share one flash device.
 *
 * struct mux_flash is the flash driver's only client. Each struct virtual_flash offers the
 * driver's own HIL (hil_flash) to one client and may have one operation (read, write or erase)
 * outstanding. Operations are served round-robin, starting after the device served last.
 * Clients see the whole device; keeping to separate regions is the board's business.
 *
 * Usage (board):
 *     static struct mux_flash flash_mux;
 *     static struct virtual_flash storage_flash, selftest_flash;
 *     boot_check(mux_flash_init(&flash_mux, &cfi.flash), "flash mux");
 *     virtual_flash_init(&storage_flash, &flash_mux);
 *     virtual_flash_init(&selftest_flash, &flash_mux);
 *     ... hil_flash_set_client(&storage_flash.flash, &storage.flash_client);
 *
 * Invariants: see virtual_flash.c.
 */
#pragma once

#include <stddef.h>
#include <stdint.h>

#include "errorcode.h"
#include "hil/flash.h"
#include "kernel/deferred_call.h"
#include "list.h"

enum virtual_flash_operation {
    VIRTUAL_FLASH_READ,
    VIRTUAL_FLASH_WRITE,
    VIRTUAL_FLASH_ERASE,
};

enum virtual_flash_state {
    VIRTUAL_FLASH_IDLE,
    VIRTUAL_FLASH_QUEUED,   /* waiting for the device */
    VIRTUAL_FLASH_INFLIGHT, /* the device is working for it (and owns buf) */
    VIRTUAL_FLASH_REPORT,   /* the device refused; the deferred call reports `failure` */
};

struct mux_flash;

struct virtual_flash {
    struct hil_flash flash;     /* clients see the driver's HIL */
    struct list_node node; /* in mux->devices, in virtual_flash_init order */
    struct mux_flash *mux;
    enum virtual_flash_state state;
    enum virtual_flash_operation operation;
    uint32_t page;
    uint8_t *buf; /* read/write: owned here while state != IDLE */
    size_t len;
    err_t failure; /* valid in VIRTUAL_FLASH_REPORT */
};

struct mux_flash {
    struct hil_flash_client hw_client; /* the mux is the driver's only client */
    struct hil_flash *hw;
    struct hil_flash_geometry geometry; /* the device's, read once at init */
    struct list devices; /* in init order; its cursor is the round-robin cursor */
    struct virtual_flash *inflight;     /* non-NULL iff the device works for inflight */
    struct deferred_call report;
};

/**
 * Boot only: make `mux` the only client of `hw` and register its deferred call.
 * Returns ERR_OK, ERR_INVAL (hw reports an impossible geometry: a page size or erase unit of
 * 0, or a page count that is not a whole number of erase units) or ERR_NOMEM (no deferred-call
 * slot).
 */
MUST_CHECK err_t mux_flash_init(struct mux_flash *mux, struct hil_flash *hw);

/**
 * Boot only: link `v` into `mux`. Its client is then set with hil_flash_set_client(&v->flash, c).
 *
 * The virtual HIL follows hil/flash.h and has the device's geometry. read_page, write_page and
 * erase_page return ERR_OK (the matching callback follows once, never inside the call; a
 * refusal by the device is that callback's status), ERR_BUSY (this device has an operation
 * outstanding), ERR_INVAL (page out of range or, for erase, not the start of an erase unit) or
 * ERR_SIZE (buf NULL or len != page_size). No callback follows an error.
 */
void virtual_flash_init(struct virtual_flash *v, struct mux_flash *mux);
