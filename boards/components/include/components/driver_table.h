/* SPDX-License-Identifier: Apache-2.0 OR MIT */
/*
 * The driver table rows every tockc board shares, written once: which syscall driver number
 * reaches which driver object of the shared components. A board's main.c declares the objects
 * (named statics, code rules §9) and builds its table from these rows and its own.
 *
 * Usage (board, CONFIG=core and full):
 *     static const struct driver_slot drivers[] = {
 *         CORE_DRIVER_SLOTS(core, led_driver),
 *         FULL_DRIVER_SLOTS(ipc, storage, kv, app_flash, invs, crypto, rng, sealed),   (full only)
 *     };
 *     kernel_config.drivers = drivers (core_kernel_config).
 *
 * Invariants: each macro expands to brace initializers of struct driver_slot and nothing else
 * (no statement, no storage, no name it was not given): the data-table exception of code
 * rules §14. The rows keep the order the boards always had, so the kernel's driver index and
 * the image are unchanged. A driver number appears at most once in a table (kernel_init
 * panics otherwise); numbers are capsules/driver_num.h's.
 */
#pragma once

#include "capsules/driver_num.h"
#include "capsules/led.h"
#include "capsules/rng.h"
#include "components/core.h"
#include "components/crypto.h"
#include "components/ipc.h"
#include "components/sealed_store.h"
#include "components/storage.h"
#include "kernel/syscall_driver.h"

/* The core configuration's drivers: alarm, console, LEDs, low-level debug.
 * core: struct core_component; led_driver: struct led_driver. */
#define CORE_DRIVER_SLOTS(core, led_driver)                                                     \
    { ALARM_DRIVER_NUM, &(core).alarm_driver.driver },                                          \
    { CONSOLE_DRIVER_NUM, &(core).console.driver },                                             \
    { LED_DRIVER_NUM, &(led_driver).driver },                                                   \
    { LOW_LEVEL_DEBUG_DRIVER_NUM, &(core).low_level_debug.driver }

/* What the full demo board adds: both IPCs, storage, crypto, random numbers, the sealed store.
 * ipc: struct ipc_component; storage: struct storage_component; kv: struct kv_component;
 * app_flash: struct app_flash_component; invs: struct isolated_storage_component;
 * crypto: struct crypto_component; rng: struct rng_driver;
 * sealed: struct sealed_store_component. */
#define FULL_DRIVER_SLOTS(ipc, storage, kv, app_flash, invs, crypto, rng, sealed)               \
    { IPC_DRIVER_NUM, &(ipc).compat.driver },                                                   \
    { NVM_STORAGE_DRIVER_NUM, &(storage).nvs.driver },                                          \
    { KV_DRIVER_NUM, &(kv).driver.driver },                                                     \
    { APP_FLASH_DRIVER_NUM, &(app_flash).driver.driver },                                       \
    { ISOLATED_NVM_STORAGE_DRIVER_NUM, &(invs).driver.driver },                                 \
    { SHA_DRIVER_NUM, &(crypto).sha.driver },                                                   \
    { HMAC_DRIVER_NUM, &(crypto).hmac.driver },                                                 \
    { AES_DRIVER_NUM, &(crypto).aes.driver },                                                   \
    { IPC_NAME_DRIVER_NUM, &(ipc).name.driver },                                                \
    { IPC_MSG_DRIVER_NUM, &(ipc).msg.driver },                                                  \
    { RNG_DRIVER_NUM, &(rng).driver },                                                          \
    { SEALED_STORE_DRIVER_NUM, &(sealed).driver.driver },                                       \
    { APP_LOADER_DRIVER_NUM, &(app_flash).loader.driver },                                     \
    { IPC_SHARE_DRIVER_NUM, &(ipc).share.driver },                                             \
    { IPC_QUEUE_DRIVER_NUM, &(ipc).queue.driver }
