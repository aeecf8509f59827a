/* SPDX-License-Identifier: Apache-2.0 OR MIT */
/*
 * tockc on QEMU mps2-an385 (Cortex-M3): every object the kernel uses, and how they are wired.
 *
 * UART0 is shared through a UART mux by the process console and kernel debug output; one CMSDK
 * timer pair is the alarm, shared through an alarm mux; the two FPGA-IO LEDs are the LED driver.
 * Processes that fault are restarted up to BOARD_MAX_RESTARTS times, then stopped.
 *
 * Invariants: everything here is a named static initialised once in board_main, before any
 * process is loaded; a boot step that fails stops the board with a message (boot_check).
 */
#include "arch/cortexm.h"
#include "capsules/alarm.h"
#include "capsules/console.h"
#include "capsules/debug_writer.h"
#include "capsules/driver_num.h"
#include "capsules/led.h"
#include "capsules/low_level_debug.h"
#include "capsules/virtual_alarm.h"
#include "capsules/virtual_uart.h"
#include "container.h"
#include "kernel/debug.h"
#include "kernel/kernel.h"
#include "mps2/an385.h"

#define BOARD_PROCESSES 8u
#define BOARD_MAX_RESTARTS 3u
#define BOARD_RAM_HEADROOM 2048u

extern uint8_t _sapps[], _eapps[], _sappmem[], _eappmem[];

void board_main(void);

/* Hardware. */
static struct cmsdk_uart uart0;
static struct cmsdk_alarm timer;
static struct mps2_fpgaio_led led0;
static struct mps2_fpgaio_led led1;
static struct mps2_an385_chip chip;

/* Virtualizers. */
static struct mux_uart uart_mux;
static uint8_t uart_mux_rx_buf[MUX_UART_RX_BUF_LEN];
static struct virtual_uart console_uart;
static struct virtual_uart debug_uart;
static struct mux_alarm alarm_mux;
static struct virtual_alarm syscall_alarm;

/* Capsules. */
static struct debug_writer debug_writer;
static uint8_t debug_writer_buf[128];
static struct console console;
static uint8_t console_tx_buf[CONSOLE_BUF_LEN];
static uint8_t console_rx_buf[CONSOLE_BUF_LEN];
static struct alarm_driver alarm_driver;
static struct led_driver led_driver;
static struct hil_led *const leds[] = { &led0.led, &led1.led };
static struct low_level_debug low_level_debug;

/* Kernel. */
static struct process processes[BOARD_PROCESSES];
static struct kernel kernel;

static const struct driver_slot drivers[] = {
    { ALARM_DRIVER_NUM, &alarm_driver.driver },
    { CONSOLE_DRIVER_NUM, &console.driver },
    { LED_DRIVER_NUM, &led_driver.driver },
    { LOW_LEVEL_DEBUG_DRIVER_NUM, &low_level_debug.driver },
};

static void panic_putc(char c)
{
    cmsdk_uart_putc_sync(&uart0, c);
}

static void boot_check(err_t err, const char *what)
{
    if (err != ERR_OK) {
        debug_printf("boot: %s failed: %s\n", what, err_name(err));
        kernel_panic("board setup failed");
    }
}

void board_main(void)
{
    debug_set_panic_putc(panic_putc);
    boot_check(cmsdk_uart_init(&uart0, MPS2_UART0_BASE, MPS2_CLOCK_HZ, 115200), "uart0");
    cmsdk_alarm_init(&timer, MPS2_TIMER1_BASE, MPS2_TIMER0_BASE, MPS2_CLOCK_HZ);
    mps2_fpgaio_led_init(&led0, 0);
    mps2_fpgaio_led_init(&led1, 1);
    mps2_an385_chip_init(&chip, &uart0, &timer);

    const struct kernel_config config = {
        .processes = processes,
        .process_count = BOARD_PROCESSES,
        .drivers = drivers,
        .driver_count = ARRAY_LEN(drivers),
        .chip = &mps2_an385_chip_ops,
        .app_flash_start = (uintptr_t)_sapps,
        .app_flash_end = (uintptr_t)_eapps,
        .app_ram_start = (uintptr_t)_sappmem,
        .app_ram_end = (uintptr_t)_eappmem,
        .fault_policy = { .action = PROCESS_FAULT_RESTART, .max_restarts = BOARD_MAX_RESTARTS },
        .ram_headroom = BOARD_RAM_HEADROOM,
    };
    kernel_init(&kernel, &config);

    boot_check(mux_uart_init(&uart_mux, &uart0.tx, &uart0.rx, uart_mux_rx_buf,
                             sizeof uart_mux_rx_buf),
               "uart mux");
    virtual_uart_init(&console_uart, &uart_mux);
    virtual_uart_init(&debug_uart, &uart_mux);
    boot_check(debug_writer_init(&debug_writer, &debug_uart.tx, debug_writer_buf,
                                 sizeof debug_writer_buf),
               "debug writer");
    debug_set_sink(&debug_writer.sink);
    boot_check(mux_alarm_init(&alarm_mux, &timer.alarm), "alarm mux");
    virtual_alarm_init(&syscall_alarm, &alarm_mux);

    boot_check(console_init(&console, &console_uart.tx, &console_uart.rx, console_tx_buf,
                            sizeof console_tx_buf, console_rx_buf, sizeof console_rx_buf, &kernel),
               "console");
    boot_check(alarm_driver_init(&alarm_driver, &syscall_alarm.alarm, &kernel), "alarm");
    led_driver_init(&led_driver, leds, ARRAY_LEN(leds));
    low_level_debug_init(&low_level_debug);

    debug_printf("tockc %u.%u on qemu_mps2_an385 (Cortex-M3)\n", KERNEL_VERSION_MAJOR,
                 KERNEL_VERSION_MINOR);
    kernel_load_processes(&kernel);
    kernel_loop(&kernel);
}
