/* SPDX-License-Identifier: Apache-2.0 OR MIT */
/*
 * Shared board wiring (see components/core.h).
 */
#include "components/core.h"

#include "container.h"
#include "kernel/debug.h"

extern uint8_t _sapps[], _eapps[], _sappmem[], _eappmem[];
extern uint8_t _skernel_flash[], _ekernel_flash[], _skernel_ram[], _ekernel_ram[];

/* From the board description (boards/<board>/board.json, memory.peripherals). */
static const struct memory_range board_peripherals[] = { BOARD_PERIPHERAL_RANGES };

static const struct kernel_memory_map board_memory_map = {
    .kernel_flash = { (uintptr_t)_skernel_flash, (uintptr_t)_ekernel_flash },
    .kernel_ram = { (uintptr_t)_skernel_ram, (uintptr_t)_ekernel_ram },
    .peripherals = board_peripherals,
    .peripheral_count = ARRAY_LEN(board_peripherals),
};

const struct kernel_memory_map *core_memory_map(void)
{
    return &board_memory_map;
}

struct kernel_config core_kernel_config(struct process *processes, uint32_t process_count,
                                        const struct driver_slot *drivers, uint32_t driver_count,
                                        struct kernel_chip *chip)
{
    return (struct kernel_config){
        .processes = processes,
        .process_count = process_count,
        .drivers = drivers,
        .driver_count = driver_count,
        .chip = chip,
        .app_flash_start = (uintptr_t)_sapps,
        .app_flash_end = (uintptr_t)_eapps,
        .app_ram_start = (uintptr_t)_sappmem,
        .app_ram_end = (uintptr_t)_eappmem,
        .fault_policy = { .action = PROCESS_FAULT_RESTART,
                          .max_restarts = CORE_MAX_RESTARTS,
                          .backoff_ms = CORE_BACKOFF_MS,
                          .healthy_ms = CORE_HEALTHY_MS },
        .ram_headroom = CORE_RAM_HEADROOM,
    };
}

void boot_check(err_t err, const char *what)
{
    if (err != ERR_OK) {
        debug_printf("boot: %s failed: %s\n", what, err_name(err));
        kernel_panic("board setup failed");
    }
}

void core_component_setup(struct core_component *c, struct kernel *k, struct hil_uart_tx *tx,
                          struct hil_uart_rx *rx, struct hil_alarm *alarm)
{
    boot_check(mux_uart_init(&c->uart_mux, tx, rx, c->uart_mux_rx_buf,
                             sizeof c->uart_mux_rx_buf),
               "uart mux");
    virtual_uart_init(&c->console_uart, &c->uart_mux);
    virtual_uart_init(&c->debug_uart, &c->uart_mux);
    boot_check(debug_writer_init(&c->debug_writer, &c->debug_uart.tx, c->debug_writer_buf,
                                 sizeof c->debug_writer_buf),
               "debug writer");
    boot_check(mux_alarm_init(&c->alarm_mux, alarm), "alarm mux");
    virtual_alarm_init(&c->syscall_alarm, &c->alarm_mux);
    boot_check(console_init(&c->console, &c->console_uart.tx, &c->console_uart.rx,
                            c->console_tx_buf, sizeof c->console_tx_buf, c->console_rx_buf,
                            sizeof c->console_rx_buf, k),
               "console");
    boot_check(alarm_driver_init(&c->alarm_driver, &c->syscall_alarm.alarm, k), "alarm");
    low_level_debug_init(&c->low_level_debug);
}
