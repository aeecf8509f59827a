/* SPDX-License-Identifier: Apache-2.0 OR MIT */
/*
 * App flash driver (0x50000; libtock-c libtock/storage/app_state.h): a process writes bytes
 * into its own Writeable Flash Regions (TBF TLV 2), the persistent copy behind libtock-c's
 * app_state library.
 *
 * Read-only allow 0 holds the bytes; command 1 (address) writes all of them to the absolute
 * flash `address`. Commands: 0 exists; 1 write, which returns success once queued, or:
 *   RESERVE the allow is missing or empty (Tock writes nothing and reports success);
 *   INVAL   [address, address + allow length) is not entirely inside one of the process's own
 *           writeable flash regions (board policy: is_writeable), or outside the flash device;
 *   NOMEM   the process already has a write queued or running (or its grant cannot be
 *           allocated), as in Tock.
 * Subscribe 0 gets one upcall per accepted write: (status, 0, 0), status 0 on success (Tock's
 * (0, 0, 0)), else FAIL (the flash failed), SIZE or RESERVE (the allow shrank or was withdrawn
 * before the bytes were copied). Tock copies at most 512 bytes; here the whole allow is written,
 * page by page.
 *
 * The bytes go through a flash HIL device (on the QEMU boards, a ram_flash over the memory QEMU
 * loads the TBFs into) by a flash transfer (capsules/flash_transfer.h): each page is read,
 * merged, and programmed in place when only bits from 1 to 0 change, else erased and programmed
 * (the device must erase single pages: init checks).
 * Writes from different processes run one at a time in arrival order (capsules/support/cmd_queue.h). A
 * page once erased is always programmed back, even if its process dies meanwhile.
 *
 * Usage (board, through components/storage.h):
 *     static const struct app_flash_driver_config app_flash_config = {
 *         .is_writeable = storage_app_flash_is_writeable, .ctx = &kernel,
 *         .base = 0x00100000 };
 *     boot_check(app_flash_driver_init(&drv, &app_flash_hw.flash, &app_flash_config, page,
 *                                      sizeof page, &queue_config, entries, n, k), "app flash");
 *     kernel_add_exit_hook(k, &drv.queue.exit_hook);
 *     drivers[] = { { APP_FLASH_DRIVER_NUM, &drv.driver }, ... };
 *
 * Invariants: see app_flash_driver.c.
 */
#pragma once

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "capsules/flash_transfer.h"
#include "errorcode.h"
#include "hil/flash.h"
#include "support/cmd_queue.h"
#include "kernel/grant.h"
#include "kernel/kernel.h"
#include "kernel/process_id.h"
#include "kernel/syscall_driver.h"

#define APP_FLASH_DRIVER_CMD_WRITE 1u
#define APP_FLASH_DRIVER_SUBSCRIBE_DONE 0u
#define APP_FLASH_DRIVER_ALLOW_RO_BUFFER 0u

struct app_flash_driver_config {
    /* The board's policy: may live process pid write [address, address + len)? Synchronous. */
    bool (*is_writeable)(void *ctx, struct process_id pid, uintptr_t address, uint32_t len);
    void *ctx;
    uintptr_t base; /* the address of the flash device's page 0 */
};

struct app_flash_driver {
    struct syscall_driver driver;
    struct grant grant; /* U=1 R=1 W=0 */
    const struct app_flash_driver_config *config;
    struct cmd_queue queue;
    struct flash_transfer transfer; /* the write that runs: its pid, pages, progress */
    struct flash_transfer_client transfer_client;
};

/**
 * Boot only: become `flash`'s client, create the grant in `k`, set up the command queue (the
 * board registers &drv->queue.exit_hook). Returns ERR_OK; ERR_SIZE (page_buf NULL or not one
 * page); ERR_INVAL (the device's erase unit is not a single page); cmd_queue_init's or
 * grant_create's error.
 */
MUST_CHECK err_t app_flash_driver_init(struct app_flash_driver *drv, struct hil_flash *flash,
                                       const struct app_flash_driver_config *config,
                                       uint8_t *page_buf, size_t page_buf_len,
                                       const struct cmd_queue_config *queue_config,
                                       struct cmd_queue_entry *entries, uint32_t entry_count,
                                       struct kernel *k);
