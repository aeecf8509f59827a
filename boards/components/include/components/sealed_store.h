/* SPDX-License-Identifier: Apache-2.0 OR MIT */
/*
 * Board wiring for the sealed store driver (0xA8003): the sealed record store on its own
 * virtual device of the flash mux, encrypting with an AES unit of its own on the crypto engine
 * and MACing through a virtual device of the crypto component's digest mux (so it takes turns
 * with the SHA and HMAC drivers), with records bound to each process's storage write id
 * (capsules/sealed_store_driver.h).
 *
 * The keys are fixed demo keys compiled into the image (sealed_store.c): they show the data
 * path, not secrecy. A product derives them from a device secret the image does not contain.
 *
 * Usage (board, full configuration only, after crypto_component_setup and
 * storage_component_setup):
 *     static struct sealed_store_component sealed;
 *     static const struct sealed_store_region sealed_region = { .first_page = 96, .slots = 2 };
 *     sealed_store_component_setup(&sealed, &kernel, &crypto, &storage.flash_mux,
 *                                  &sealed_region, &storage_queue_config);
 *     its driver (0xA8003) is a row of FULL_DRIVER_SLOTS (components/driver_table.h)
 *
 * Invariants: set up once at boot, before processes load; any failure stops the board. The
 * region must not overlap any other user of the flash. Setup writes every field the component
 * later reads, and the page and record buffers are written before they are read, so a board
 * may declare the component NOINIT (boot then does not zero its ~2 KiB).
 */
#pragma once

#include <stdint.h>

#include "capsules/sealed_store.h"
#include "capsules/sealed_store_driver.h"
#include "capsules/virtual_digest.h"
#include "capsules/virtual_flash.h"
#include "components/crypto.h"
#include "components/storage.h"
#include "crypto_engine/aes.h"
#include "kernel/kernel.h"
#include "support/cmd_queue.h"

struct sealed_store_component {
    struct virtual_flash flash;
    struct crypto_engine_aes aes_unit;
    struct virtual_digest mac; /* on the crypto component's digest mux */
    struct sealed_store store;
    struct sealed_store_driver driver;
    struct sealed_store_driver_config driver_config;
    uint8_t page[STORAGE_PAGE_SIZE];
    uint8_t record[STORAGE_PAGE_SIZE - SEALED_STORE_OVERHEAD]; /* the longest record */
    struct cmd_queue_entry entries[STORAGE_PROCESSES];
};

void sealed_store_component_setup(struct sealed_store_component *c, struct kernel *k,
                                  struct crypto_component *crypto, struct mux_flash *flash_mux,
                                  const struct sealed_store_region *region,
                                  const struct cmd_queue_config *queue_config);
