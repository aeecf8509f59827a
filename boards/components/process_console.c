/* SPDX-License-Identifier: Apache-2.0 OR MIT */
/*
 * Process console wiring (see components/process_console.h).
 */
#include "components/process_console.h"

/* The linker script's symbols (boards/<board>/layout.ld and the generated memory.ld). */
extern uint8_t _skernel_flash[], _srodata[], _erodata[], _etext[], _sdata[], _edata[], _sbss[],
    _ebss[], _enoinit[], _estack[], _kernel_stack_size[];

void process_console_component_setup(struct process_console_component *c, struct kernel *k,
                                     struct core_component *core, const char *board_name,
                                     void (*reset)(void),
                                     const struct process_console_object *objects,
                                     uint32_t object_count)
{
    c->memory_map = (struct process_console_memory_map){
        .flash_start = (uintptr_t)_skernel_flash,
        .rodata_start = (uintptr_t)_srodata,
        .rodata_end = (uintptr_t)_erodata,
        .image_end = (uintptr_t)_etext,
        .data_start = (uintptr_t)_sdata,
        .data_end = (uintptr_t)_edata,
        .bss_start = (uintptr_t)_sbss,
        .bss_end = (uintptr_t)_ebss,
        .noinit_end = (uintptr_t)_enoinit,
        .stack_start = (uintptr_t)_estack - (uintptr_t)_kernel_stack_size,
        .stack_end = (uintptr_t)_estack,
    };
    c->config = (struct process_console_config){
        .board_name = board_name,
        .reset = reset,
        .memory_map = &c->memory_map,
        .objects = objects,
        .object_count = object_count,
    };
    virtual_uart_init(&c->uart, &core->uart_mux);
    boot_check(process_console_init(&c->console, &c->uart.rx, k, &core->console, &c->config),
               "process console");
}
