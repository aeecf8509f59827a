/* SPDX-License-Identifier: Apache-2.0 OR MIT */
/*
 * Board wiring for flash storage: a flash mux over the board's flash driver, the nonvolatile
 * storage syscall driver (0x50001) on one virtual flash device, and the mux left for other
 * kernel clients (the boot self test).
 *
 * Usage (board):
 *     static struct storage_component storage;
 *     static const struct cmd_queue_config storage_queue_config = {
 *         .now = storage_ticks, .clock_ctx = &timer.alarm, .session_idle_ticks = 0 };
 *     static const struct nonvolatile_storage_config nvs_config = { ... };
 *     ... after kernel_init:
 *     storage_component_setup(&storage, &kernel, &pflash.flash, &nvs_config,
 *                             &storage_queue_config);
 *     drivers[] = { { NVM_STORAGE_DRIVER_NUM, &storage.nvs.driver }, ... };
 *
 * Invariants: set up once at boot, before processes load; any failure stops the board. The
 * flash's page size must be STORAGE_PAGE_SIZE and the board's process count at most
 * STORAGE_PROCESSES (checked by boot_check).
 */
#pragma once

#include <stdint.h>

#include "capsules/nonvolatile_storage.h"
#include "capsules/virtual_flash.h"
#include "hil/flash.h"
#include "kernel/cmd_queue.h"
#include "kernel/kernel.h"

#define STORAGE_PAGE_SIZE 512u
#define STORAGE_PROCESSES 8u

struct storage_component {
    struct mux_flash flash_mux;
    struct virtual_flash nvs_flash;
    struct nonvolatile_storage nvs;
    uint8_t page_buf[STORAGE_PAGE_SIZE];
    struct cmd_queue_entry entries[STORAGE_PROCESSES];
};

/* A cmd_queue clock: the counter of the struct hil_alarm given as ctx. */
uint32_t storage_ticks(void *alarm);

void storage_component_setup(struct storage_component *c, struct kernel *k,
                             struct hil_flash *flash,
                             const struct nonvolatile_storage_config *config,
                             const struct cmd_queue_config *queue_config);
