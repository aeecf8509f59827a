/* SPDX-License-Identifier: Apache-2.0 OR MIT */
/*
 * mps2-an385 interrupt service for the kernel loop (see mps2/an385.h).
 */
#include "arch/cortexm.h"
#include "mps2/an385.h"

#include <stddef.h>

/* The one chip of this image; kernel_chip_ops take no context. */
static struct mps2_an385_chip *the_chip;

/* May be true once after the last line was serviced: service_pending_interrupts then finds
 * none and clears it. */
static bool has_pending_interrupts(void)
{
    return cortexm_nvic_may_be_pending();
}

static void dispatch(struct mps2_an385_chip *chip, uint32_t irq)
{
    switch (irq) {
    case MPS2_IRQ_UART0_RX:
        cmsdk_uart_handle_rx_interrupt(chip->uart0);
        break;
    case MPS2_IRQ_UART0_TX:
        cmsdk_uart_handle_tx_interrupt(chip->uart0);
        break;
    case MPS2_IRQ_TIMER0:
        cmsdk_alarm_handle_interrupt(chip->alarm);
        break;
    default:
        break; /* not ours: stays disabled */
    }
}

static void service_pending_interrupts(void)
{
    int32_t irq;
    while ((irq = cortexm_nvic_next_pending()) >= 0) {
        cortexm_nvic_clear_pending((uint32_t)irq);
        dispatch(the_chip, (uint32_t)irq);
        if (irq == MPS2_IRQ_UART0_RX || irq == MPS2_IRQ_UART0_TX || irq == MPS2_IRQ_TIMER0) {
            cortexm_nvic_enable((uint32_t)irq);
        }
    }
}

static void sleep(void)
{
    cortexm_sleep_unless(has_pending_interrupts);
}

const struct kernel_chip_ops mps2_an385_chip_ops = {
    .has_pending_interrupts = has_pending_interrupts,
    .service_pending_interrupts = service_pending_interrupts,
    .sleep = sleep,
};

void mps2_an385_chip_init(struct mps2_an385_chip *chip, struct cmsdk_uart *uart0,
                          struct cmsdk_alarm *alarm)
{
    *chip = (struct mps2_an385_chip){ .uart0 = uart0, .alarm = alarm };
    the_chip = chip;
    cortexm_systick_set_clock_mhz(MPS2_CLOCK_HZ / 1000000u);
    cortexm_nvic_enable(MPS2_IRQ_UART0_RX);
    cortexm_nvic_enable(MPS2_IRQ_UART0_TX);
    cortexm_nvic_enable(MPS2_IRQ_TIMER0);
}
