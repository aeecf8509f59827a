/* SPDX-License-Identifier: Apache-2.0 OR MIT */
/*
 * tockc on QEMU RISC-V `virt` (rv32imac, PMP): every object the kernel uses, and how they are
 * wired — the same capsules as the Cortex-M board (components/core.h) over the NS16550 UART and
 * the CLINT machine timer. QEMU virt has no LEDs, so two RAM-backed
 * LEDs stand in (chips/qemu_virt/ram_led.c). Processes that fault are restarted up to
 * CORE_MAX_RESTARTS times, then stopped.
 *
 * Invariants: as for qemu_mps2_an385; app RAM covers 0x80300000-0x803FFFFF so that libtock-c's
 * fixed-address RISC-V apps get exactly the RAM they were linked for (spec §6.2).
 */
#include "arch/riscv.h"
#include "capsules/driver_num.h"
#include "capsules/led.h"
#include "components/core.h"
#include "container.h"
#include "kernel/debug.h"
#include "kernel/ipc.h"
#include "kernel/kernel.h"
#include "qemu_virt/virt.h"

#define BOARD_PROCESSES 8u

void board_main(void);

static struct ns16550 uart0;
static struct clint_alarm timer;
static struct qemu_virt_chip chip;
static struct ram_led led0;
static struct ram_led led1;
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
    ns16550_putc_sync(&uart0, c);
}

void board_main(void)
{
    debug_set_panic_putc(panic_putc);
    boot_check(ns16550_init(&uart0, VIRT_UART0_BASE), "uart0");
    clint_alarm_init(&timer);
    ram_led_init(&led0);
    ram_led_init(&led1);
    qemu_virt_chip_init(&chip, &uart0, &timer);

    const struct kernel_config config = core_kernel_config(processes, BOARD_PROCESSES, drivers,
                                                           ARRAY_LEN(drivers), &qemu_virt_chip_ops);
    kernel_init(&kernel, &config);
    core_component_setup(&core, &kernel, &uart0.tx, &uart0.rx, &timer.alarm);
    boot_check(ipc_init(&ipc, &kernel), "ipc");
    led_driver_init(&led_driver, leds, ARRAY_LEN(leds));

    debug_printf("tockc %u.%u on qemu_rv32_virt (rv32imac)\n", KERNEL_VERSION_MAJOR,
                 KERNEL_VERSION_MINOR);
    kernel_load_processes(&kernel);
    kernel_loop(&kernel);
}
