/* SPDX-License-Identifier: Apache-2.0 OR MIT */
/*
 * tockc on QEMU mps2-an385 (Cortex-M3): every object the kernel uses, and how they are wired.
 *
 * UART0 is shared through a UART mux by the process console and kernel debug output; a CMSDK
 * timer pair is the alarm, shared through an alarm mux (components/core.h); the two FPGA-IO
 * LEDs are the LED driver. Processes that fault are restarted up to CORE_MAX_RESTARTS times,
 * then stopped.
 *
 * Invariants: everything here is a named static initialised once in board_main, before any
 * process is loaded; a boot step that fails stops the board with a message (boot_check).
 */
#include "arch/cortexm.h"
#include "capsules/driver_num.h"
#include "capsules/led.h"
#include "components/core.h"
#include "container.h"
#include "kernel/debug.h"
#include "kernel/ipc.h"
#include "kernel/kernel.h"
#include "mps2/an385.h"

#define BOARD_PROCESSES 8u

void board_main(void);

static struct cmsdk_uart uart0;
static struct cmsdk_alarm timer;
static struct mps2_fpgaio_led led0;
static struct mps2_fpgaio_led led1;
static struct mps2_an385_chip chip;
static struct core_component core;
static struct ipc ipc;
static struct led_driver led_driver;
static struct hil_led *const leds[] = { &led0.led, &led1.led };
static struct process processes[BOARD_PROCESSES];
static struct kernel kernel;

static const struct driver_slot drivers[] = {
    { ALARM_DRIVER_NUM, &core.alarm_driver.driver },
    { CONSOLE_DRIVER_NUM, &core.console.driver },
    { LED_DRIVER_NUM, &led_driver.driver },
    { LOW_LEVEL_DEBUG_DRIVER_NUM, &core.low_level_debug.driver },
    { IPC_DRIVER_NUM, &ipc.driver },
};

static void panic_putc(char c)
{
    cmsdk_uart_putc_sync(&uart0, c);
}

void board_main(void)
{
    debug_set_panic_putc(panic_putc);
    boot_check(cmsdk_uart_init(&uart0, MPS2_UART0_BASE, MPS2_CLOCK_HZ, 115200), "uart0");
    cmsdk_alarm_init(&timer, MPS2_TIMER1_BASE, MPS2_TIMER0_BASE, MPS2_CLOCK_HZ);
    mps2_fpgaio_led_init(&led0, 0);
    mps2_fpgaio_led_init(&led1, 1);
    mps2_an385_chip_init(&chip, &uart0, &timer);

    const struct kernel_config config = core_kernel_config(processes, BOARD_PROCESSES, drivers,
                                                           ARRAY_LEN(drivers), &mps2_an385_chip_ops);
    kernel_init(&kernel, &config);
    core_component_setup(&core, &kernel, &uart0.tx, &uart0.rx, &timer.alarm);
    boot_check(ipc_init(&ipc, &kernel), "ipc");
    led_driver_init(&led_driver, leds, ARRAY_LEN(leds));

    debug_printf("tockc %u.%u on qemu_mps2_an385 (Cortex-M3)\n", KERNEL_VERSION_MAJOR,
                 KERNEL_VERSION_MINOR);
    kernel_load_processes(&kernel);
    kernel_loop(&kernel);
}
