/* SPDX-License-Identifier: Apache-2.0 OR MIT */
/*
 * Board wiring for flash storage: a flash mux over the board's flash driver, the nonvolatile
 * storage syscall driver (0x50001) on one virtual flash device, the key-value driver (0x50003)
 * over a record store on another (struct kv_component), and the mux left for other kernel
 * clients (the boot self test).
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
 *     static struct kv_component kv;
 *     static const struct kv_store_config kv_config = { .first_page = ..., .bank_pages = ... };
 *     kv_component_setup(&kv, &kernel, &storage.flash_mux, &kv_config, &storage_queue_config);
 *     drivers[] = { { KV_DRIVER_NUM, &kv.driver.driver }, ... };
 *
 * Invariants: set up once at boot, before processes load; any failure stops the board. The
 * flash's page size must be STORAGE_PAGE_SIZE and the board's process count at most
 * STORAGE_PROCESSES (checked by boot_check).
 */
#pragma once

#include <stdint.h>

#include "capsules/kv_driver.h"
#include "capsules/kv_store.h"
#include "capsules/nonvolatile_storage.h"
#include "capsules/virtual_flash.h"
#include "hil/flash.h"
#include "kernel/cmd_queue.h"
#include "kernel/kernel.h"
#include "kernel/process_id.h"
#include "kernel/storage_permissions.h"

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

/* The key-value driver's wiring: its own virtual flash device, the record store on the banks
 * kv_store_config names (which must not overlap the nonvolatile storage region, its spare or
 * the self test's unit) and the driver with its buffers and command queue. */
struct kv_component {
    struct virtual_flash flash;
    struct kv_store store;
    struct kv_driver driver;
    struct kv_driver_config driver_config;
    uint8_t page[STORAGE_PAGE_SIZE];
    uint8_t out[STORAGE_PAGE_SIZE];
    uint8_t key[KV_STORE_KEY_MAX];
    uint8_t value[KV_STORE_VALUE_MAX];
    struct cmd_queue_entry entries[STORAGE_PROCESSES];
};

/* The storage permissions policy: a live process's TBF Storage Permissions TLV, as the loader
 * copied it into struct process (ctx: the struct kernel). ERR_INVAL for a dead process. */
err_t storage_process_permissions(void *kernel, struct process_id pid,
                                  struct storage_permissions *out);

void kv_component_setup(struct kv_component *c, struct kernel *k, struct mux_flash *mux,
                        const struct kv_store_config *config,
                        const struct cmd_queue_config *queue_config);
