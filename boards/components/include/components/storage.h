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
 *     its driver (0x50001) is a row of FULL_DRIVER_SLOTS (components/driver_table.h)
 *     static struct kv_component kv;
 *     static const struct kv_store_config kv_config = { .first_page = ..., .bank_pages = ... };
 *     kv_component_setup(&kv, &kernel, &storage.flash_mux, &kv_config, &storage_queue_config);
 *     its driver (0x50003) is a row of FULL_DRIVER_SLOTS (components/driver_table.h)
 *
 * Invariants: set up once at boot, before processes load; any failure stops the board. The
 * flash's page size must be STORAGE_PAGE_SIZE and the board's process count at most
 * STORAGE_PROCESSES (checked by boot_check).
 */
#pragma once

#include <stdbool.h>
#include <stdint.h>

#include "capsules/app_flash_driver.h"
#include "capsules/app_loader.h"
#include "capsules/isolated_nonvolatile_storage.h"
#include "capsules/kv_driver.h"
#include "capsules/kv_store.h"
#include "capsules/nonvolatile_storage.h"
#include "capsules/virtual_flash.h"
#include "hil/flash.h"
#include "support/cmd_queue.h"
#include "kernel/kernel.h"
#include "kernel/process_id.h"
#include "kernel/storage_permissions.h"
#include "ram_flash/ram_flash.h"

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

/* The app flash driver's wiring (0x50000) and the app loader's (0x10001): the memory QEMU loads
 * the TBFs into stands in for flash, so a ram_flash over it (kept as loaded, single-page erase
 * units) is the device, shared through a flash mux; the app flash policy lets a process write
 * only inside its own writeable flash regions, the app loader writes only past the app list
 * (capsules/app_loader.h, doc/reference/028-runtime-app-loading.md).
 * Usage (board): static struct app_flash_component app_flash;
 *     app_flash_component_setup(&app_flash, &kernel, &storage_queue_config);
 *     its drivers (0x50000, 0x10001) are rows of FULL_DRIVER_SLOTS (components/driver_table.h).
 * Its setup writes every field before anything reads them (the board may keep it NOINIT). */
struct app_flash_component {
    struct ram_flash device;
    struct mux_flash mux;
    struct virtual_flash driver_flash;
    struct virtual_flash loader_flash;
    struct app_loader loader;
    uint8_t loader_page[STORAGE_PAGE_SIZE];
    struct app_flash_driver driver;
    struct app_flash_driver_config config;
    uint8_t page[STORAGE_PAGE_SIZE];
    struct cmd_queue_entry entries[STORAGE_PROCESSES];
};

/* The app flash policy (ctx: the struct kernel): live process pid's own writeable regions. */
bool storage_app_flash_is_writeable(void *kernel, struct process_id pid, uintptr_t address,
                                    uint32_t len);

void app_flash_component_setup(struct app_flash_component *c, struct kernel *k,
                               const struct cmd_queue_config *queue_config);

/* The isolated nonvolatile storage driver's wiring (0x50004): two virtual devices of the flash
 * mux (the data transfers and the directory), the driver, and its permission policy.
 * Usage (board): static struct isolated_storage_component invs;
 *     static const struct isolated_storage_layout invs_layout = {
 *         .first_page = 48, .region_count = 8, .region_pages = 4, .spare_page = 88 };
 *     isolated_storage_component_setup(&invs, &kernel, &storage.flash_mux, &invs_layout,
 *                                      &storage_queue_config);
 *     its driver (0x50004) is a row of FULL_DRIVER_SLOTS (components/driver_table.h) */
struct isolated_storage_layout {
    uint32_t first_page;
    uint32_t region_count;
    uint32_t region_pages;
    uint32_t spare_page;
    bool has_journal; /* a rewrite journal unit at journal_page (power-loss safe rewrites) */
    uint32_t journal_page;
};

struct isolated_storage_component {
    struct virtual_flash data_flash;
    struct virtual_flash dir_flash;
    struct isolated_storage driver;
    struct isolated_storage_config config;
    uint8_t page[STORAGE_PAGE_SIZE];
    uint8_t dir_page[STORAGE_PAGE_SIZE];
    struct cmd_queue_entry entries[STORAGE_PROCESSES];
};

/* The isolated storage policy (ctx: the struct kernel), Tock's test-board policy for this
 * driver: a process's Storage Permissions TLV if it has one, else "self only" permissions under
 * the CRC-32 (POSIX) of its package name, the short id Tock's name-based assigner gives. */
err_t storage_isolated_permissions(void *kernel, struct process_id pid,
                                   struct storage_permissions *out);

/* The CRC-32 (POSIX polynomial, no reflection, inverted) of len bytes: Tock's crc32_posix. */
uint32_t storage_crc32_posix(const uint8_t *bytes, uint32_t len);

void isolated_storage_component_setup(struct isolated_storage_component *c, struct kernel *k,
                                      struct mux_flash *mux,
                                      const struct isolated_storage_layout *layout,
                                      const struct cmd_queue_config *queue_config);
