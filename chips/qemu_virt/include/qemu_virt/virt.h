/* SPDX-License-Identifier: Apache-2.0 OR MIT */
/*
 * QEMU RISC-V `virt` as tockc uses it: NS16550 UART0 through the PLIC, the CLINT machine timer as
 * the alarm, the interrupt service the kernel loop calls, and the test finisher that ends QEMU.
 *
 * Usage: ns16550_init(&uart0, VIRT_UART0_BASE); clint_alarm_init(&alarm);
 *        static struct kernel_chip chip; qemu_virt_chip_init(&chip, &uart0, &alarm);
 *        kernel config .chip = &chip (chip.c implements the kernel's chip_* functions);
 *        then, if virtio_rng_probe(&rng, ...) succeeded, qemu_virt_chip_add_rng(&chip, &rng).
 * Invariants: machine interrupts trap only from U-mode; the kernel finds pending work in mip
 * and the PLIC claim register.
 */
#pragma once

#include <stdbool.h>
#include <stdint.h>

#include "chips_common/uart_requests.h"
#include "hil/alarm.h"
#include "hil/led.h"
#include "hil/uart.h"
#include "kernel/deferred_call.h"
#include "kernel/kernel.h"
#include "virtio/virtio_rng.h"

#define VIRT_CLINT_MTIME 0x0200BFF8u
#define VIRT_CLINT_MTIMECMP0 0x02004000u
#define VIRT_TIMER_HZ 10000000u
#define VIRT_PLIC_BASE 0x0C000000u
#define VIRT_UART0_BASE 0x10000000u
#define VIRT_IRQ_UART0 10u
/* virtio-mmio transports: 8 slots 0x1000 apart; slot n interrupts on PLIC line 1 + n. */
#define VIRT_VIRTIO_BASE 0x10001000u
#define VIRT_VIRTIO_SLOTS 8u
#define VIRT_VIRTIO_STRIDE 0x1000u
#define VIRT_IRQ_VIRTIO0 1u
/* The SiFive test device ("sifive_test"): a word written here ends or resets the machine. */
#define VIRT_TEST_FINISHER_BASE 0x00100000u

struct ns16550 {
    struct hil_uart_tx tx;
    struct hil_uart_rx rx;
    volatile uint8_t *regs;
    struct uart_tx_request tx_req;
    struct uart_rx_request rx_req;
};

struct clint_alarm {
    struct hil_alarm alarm;
    ticks_t reference;
    ticks_t dt;
    bool armed;
};

/* The kernel's struct kernel_chip, as this chip defines it (one chip per image). */
struct kernel_chip {
    struct ns16550 *uart0;
    struct clint_alarm *alarm;
    struct virtio_rng *rng; /* NULL until qemu_virt_chip_add_rng */
};

MUST_CHECK err_t ns16550_init(struct ns16550 *uart, uintptr_t base);
void ns16550_handle_interrupt(struct ns16550 *uart);
void ns16550_putc_sync(struct ns16550 *uart, char c);

void clint_alarm_init(struct clint_alarm *alarm);
void clint_alarm_handle_interrupt(struct clint_alarm *alarm);

/* An LED whose state lives in RAM (virt has no LEDs; see ram_led.c). */
struct ram_led {
    struct hil_led led;
    bool is_on;
};
void ram_led_init(struct ram_led *led);

void qemu_virt_chip_init(struct kernel_chip *chip, struct ns16550 *uart0,
                         struct clint_alarm *alarm);
/* Boot only: route the probed virtio-rng's interrupt line (rng->irq) to it. */
void qemu_virt_chip_add_rng(struct kernel_chip *chip, struct virtio_rng *rng);

/* End QEMU with exit status `status` (1-65535) through the test finisher (test_finisher.c);
 * does not return under QEMU. For the board's panic exit (debug_set_panic_exit). */
void qemu_virt_exit_failure(uint16_t status);
/* Reset the whole machine through the test finisher (QEMU reloads the firmware and starts it
 * again); never returns. For the process console's `reset`. */
__attribute__((noreturn)) void qemu_virt_reset(void);
