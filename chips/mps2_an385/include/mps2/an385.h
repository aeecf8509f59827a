/* SPDX-License-Identifier: Apache-2.0 OR MIT */
/*
 * The mps2-an385 chip as QEMU models it: peripheral addresses, interrupt lines, the FPGA-IO LEDs
 * and the interrupt service the kernel loop calls.
 *
 * Usage: static struct kernel_chip chip; mps2_an385_chip_init(&chip, &uart0, &alarm);
 *        kernel config .chip = &chip (chip.c implements the kernel's chip_* functions).
 * Invariants: the chip object is a board static; interrupt lines left pending by the generic
 * handler are serviced here, cleared and re-enabled.
 */
#pragma once

#include <stdint.h>

#include "cmsdk/timer.h"
#include "cmsdk/uart.h"
#include "hil/led.h"
#include "kernel/kernel.h"

#define MPS2_CLOCK_HZ 25000000u
#define MPS2_TIMER0_BASE 0x40000000u
#define MPS2_TIMER1_BASE 0x40001000u
#define MPS2_UART0_BASE 0x40004000u
#define MPS2_FPGAIO_BASE 0x40028000u
#define MPS2_IRQ_UART0_RX 0u
#define MPS2_IRQ_UART0_TX 1u
#define MPS2_IRQ_TIMER0 8u
#define MPS2_IRQ_TIMER1 9u
#define MPS2_LED_COUNT 2u

/* The kernel's struct kernel_chip, as this chip defines it (one chip per image). */
struct kernel_chip {
    struct cmsdk_uart *uart0;
    struct cmsdk_alarm *alarm; /* counter on TIMER1, compare on TIMER0 */
};

struct mps2_fpgaio_led {
    struct hil_led led;
    uint32_t mask;
};

void mps2_an385_chip_init(struct kernel_chip *chip, struct cmsdk_uart *uart0,
                          struct cmsdk_alarm *alarm);

void mps2_fpgaio_led_init(struct mps2_fpgaio_led *led, uint32_t index);
