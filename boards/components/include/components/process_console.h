/* SPDX-License-Identifier: Apache-2.0 OR MIT */
/*
 * The process console's wiring (capsules/process_console.h): its own virtual UART on the core
 * component's UART mux, the kernel's memory map from the linker script's symbols, and the
 * board's part of the configuration (its name, how it resets, its big statics).
 *
 * Usage (board, full configuration only, after core_component_setup):
 *     static struct process_console_component process_console;
 *     static const struct process_console_object console_objects[] = {
 *         FULL_CONSOLE_OBJECTS(processes, core, crypto, ipc, storage, kv, app_flash, invs, rng,
 *                              process_console),
 *     };
 *     process_console_component_setup(&process_console, &kernel, &core, "qemu_...",
 *                                     board_reset, console_objects, ARRAY_LEN(console_objects));
 *
 * Invariants: set up once at boot, before processes load; any failure stops the board.
 */
#pragma once

#include <stdint.h>

#include "capsules/process_console.h"
#include "capsules/virtual_uart.h"
#include "components/core.h"
#include "kernel/kernel.h"

struct process_console_component {
    struct virtual_uart uart;
    struct process_console console;
    struct process_console_memory_map memory_map; /* written once at setup */
    struct process_console_config config;         /* written once at setup */
};

/* The rows of the `kernel` command's list of big statics that every full board has, written
 * once: brace initializers of struct process_console_object and nothing else (the data-table
 * exception of code rules §14, as components/driver_table.h). */
#define FULL_CONSOLE_OBJECTS(processes, core, crypto, ipc, storage, kv, app_flash, invs, rng,    \
                             console)                                                            \
    { "process table", sizeof(processes) }, { "core: UART mux, console, alarm", sizeof(core) }, \
        { "crypto engine and drivers", sizeof(crypto) },                                         \
        { "IPC (Tock and message)", sizeof(ipc) },                                               \
        { "storage: flash mux, nvm, kv", sizeof(storage) + sizeof(kv) },                         \
        { "app flash, isolated storage", sizeof(app_flash) + sizeof(invs) },                     \
        { "random numbers", sizeof(rng) }, { "process console", sizeof(console) }

void process_console_component_setup(struct process_console_component *c, struct kernel *k,
                                     struct core_component *core, const char *board_name,
                                     void (*reset)(void),
                                     const struct process_console_object *objects,
                                     uint32_t object_count);
