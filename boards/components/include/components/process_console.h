/* SPDX-License-Identifier: Apache-2.0 OR MIT */
/*
 * The process console's wiring (capsules/process_console.h): its own virtual UART on the core
 * component's UART mux, the kernel's memory map from the linker script's symbols, and the
 * board's part of the configuration (its name, how it resets, its big statics).
 *
 * Usage (board, full configuration only, after core_component_setup):
 *     static struct process_console_component process_console;
 *     static const struct process_console_object console_objects[] = {
 *         { "process table", sizeof processes }, ... };
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

void process_console_component_setup(struct process_console_component *c, struct kernel *k,
                                     struct core_component *core, const char *board_name,
                                     void (*reset)(void),
                                     const struct process_console_object *objects,
                                     uint32_t object_count);
