/* SPDX-License-Identifier: Apache-2.0 OR MIT */
/*
 * LED syscall driver (0x2): on, off, toggle and read of the board's LEDs.
 *
 * LED operations are register writes, so every command completes synchronously and no
 * per-process state is kept (the syscall driver's grant is NULL). Command 0 returns the LED
 * count as Success-u32 rather than TRD104's plain Success, exactly as Tock and libtock-c do.
 *
 * Usage: see capsules/led.h.
 *
 * Invariants: the index is checked against count before any LED is touched.
 */
#include "capsules/led.h"

#include "container.h"

static struct syscall_return
led_command_result(struct syscall_driver *syscall_driver, uint32_t command_num, uint32_t arg0,
                   uint32_t arg1, struct process_id pid)
{
    struct led_driver *driver = CONTAINER_OF(syscall_driver, struct led_driver, driver);
    (void)arg1;
    (void)pid;
    if (command_num == LED_CMD_COUNT) {
        return syscall_success_u32(driver->count);
    }
    if (command_num > LED_CMD_READ) {
        return syscall_failure(ERR_NOSUPPORT);
    }
    if (arg0 >= driver->count) {
        return syscall_failure(ERR_INVAL);
    }
    struct hil_led *led = driver->leds[arg0];
    switch (command_num) {
    case LED_CMD_ON:
        hil_led_on(led);
        return syscall_success();
    case LED_CMD_OFF:
        hil_led_off(led);
        return syscall_success();
    case LED_CMD_TOGGLE:
        hil_led_toggle(led);
        return syscall_success();
    case LED_CMD_READ:
    default:
        return syscall_success_u32(hil_led_read(led) ? 1u : 0u);
    }
}

static void led_command(struct syscall_driver *driver, uint32_t *regs, struct process_id pid)
{
    syscall_command_run(led_command_result, driver, regs, pid);
}

static const struct syscall_driver_ops led_driver_ops = {
    .command = led_command,
};

void led_driver_init(struct led_driver *driver, struct hil_led *const *leds, size_t count)
{
    *driver = (struct led_driver){
        .driver = { .ops = &led_driver_ops, .grant = NULL },
        .leds = leds,
        .count = (uint32_t)count,
    };
    for (size_t i = 0; i < count; i++) {
        hil_led_off(leds[i]);
    }
}
