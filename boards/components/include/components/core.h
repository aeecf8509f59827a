/* SPDX-License-Identifier: Apache-2.0 OR MIT */
/*
 * The wiring every tockc board shares: one UART shared by the process console and kernel debug
 * output through a UART mux, one alarm shared through an alarm mux, and the alarm, console and
 * low-level-debug syscall drivers.
 *
 * Usage: static struct core_component core;   (a board static)
 *        core_component_setup(&core, &kernel, &uart0.tx, &uart0.rx, &timer.alarm);
 *        drivers[] = { CORE_DRIVER_SLOTS(core, led_driver), ... };   (components/driver_table.h)
 * Invariants: set up once at boot, before processes load; any failure stops the board.
 */
#pragma once

#include "capsules/alarm.h"
#include "capsules/console.h"
#include "capsules/debug_writer.h"
#include "capsules/low_level_debug.h"
#include "capsules/virtual_alarm.h"
#include "capsules/virtual_uart.h"
#include "kernel/kernel.h"

struct core_component {
    struct mux_uart uart_mux;
    uint8_t uart_mux_rx_buf[MUX_UART_RX_BUF_LEN];
    struct virtual_uart console_uart;
    struct virtual_uart debug_uart;
    struct debug_writer debug_writer;
    uint8_t debug_writer_buf[256];
    struct mux_alarm alarm_mux;
    struct virtual_alarm syscall_alarm;
    struct console console;
    uint8_t console_tx_buf[CONSOLE_BUF_LEN];
    uint8_t console_rx_buf[CONSOLE_BUF_LEN];
    struct alarm_driver alarm_driver;
    struct low_level_debug low_level_debug;
};

/* The board's default fault policy: a process that faults is restarted after CORE_BACKOFF_MS,
 * then twice as long for each further fault in a row, CORE_MAX_RESTARTS times; a run of
 * CORE_HEALTHY_MS or more (or a clean exit) starts a new streak. The times need the kernel
 * clock (components/supervisor.h, full configuration); without it (CONFIG=core) restarts
 * follow at once and the streak ends only with a clean exit. */
#define CORE_MAX_RESTARTS 3u
#define CORE_BACKOFF_MS 10u
#define CORE_HEALTHY_MS 1000u
/* RAM each process gets beyond its TBF minimum (room for libc buffers, ABI §9.4). */
#define CORE_RAM_HEADROOM 2048u

/* The kernel configuration every board uses: app flash and RAM from the linker script's
 * _sapps/_eapps/_sappmem/_eappmem, restart-then-stop fault policy, CORE_RAM_HEADROOM. */
struct kernel_config core_kernel_config(struct process *processes, uint32_t process_count,
                                        const struct driver_slot *drivers, uint32_t driver_count,
                                        struct kernel_chip *chip);

/* The board's memory map from its description (kernel flash and RAM, peripherals), for the
 * full fault reports (kernel_set_memory_map). */
const struct kernel_memory_map *core_memory_map(void);

void core_component_setup(struct core_component *c, struct kernel *k, struct hil_uart_tx *tx,
                          struct hil_uart_rx *rx, struct hil_alarm *alarm);

/* Stop the board with a message if a boot step failed. */
void boot_check(err_t err, const char *what);
