/* SPDX-License-Identifier: Apache-2.0 OR MIT */
/*
 * mps2-an385 interrupt service for the kernel loop (see mps2/an385.h): the kernel's chip_*
 * functions for this image.
 */
#include "arch/cortexm.h"
#include "mps2/an385.h"

#include <stddef.h>

/* May be true once after the last line was serviced: chip_service_pending_interrupts then
 * finds none and clears it. */
bool chip_has_pending_interrupts(const struct kernel_chip *chip)
{
    (void)chip;
    return cortexm_nvic_may_be_pending();
}

static void dispatch(struct kernel_chip *chip, uint32_t irq)
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

void chip_service_pending_interrupts(struct kernel_chip *chip)
{
    int32_t irq;
    while ((irq = cortexm_nvic_next_pending()) >= 0) {
        cortexm_nvic_clear_pending((uint32_t)irq);
        dispatch(chip, (uint32_t)irq);
        if (irq == MPS2_IRQ_TIMER0) {
            /* An expired compare timer fires again every tick (reload 1) until its handler
             * stops it, so the line was pended again meanwhile: clear that stale pend (else a
             * second, empty service follows) and pend again only if the timer still drives
             * its line. The line is level, so an edge after this check pends as usual. */
            cortexm_nvic_clear_pending((uint32_t)irq);
            if (cmsdk_alarm_interrupt_asserted(chip->alarm)) {
                cortexm_nvic_set_pending((uint32_t)irq);
            }
        }
        if (irq == MPS2_IRQ_UART0_RX || irq == MPS2_IRQ_UART0_TX || irq == MPS2_IRQ_TIMER0) {
            cortexm_nvic_enable((uint32_t)irq);
        }
    }
}

void chip_sleep(struct kernel_chip *chip)
{
    (void)chip;
    cortexm_sleep_unless(cortexm_nvic_may_be_pending);
}

void mps2_an385_chip_init(struct kernel_chip *chip, struct cmsdk_uart *uart0,
                          struct cmsdk_alarm *alarm)
{
    *chip = (struct kernel_chip){ .uart0 = uart0, .alarm = alarm };
    cortexm_systick_set_clock_mhz(MPS2_CLOCK_HZ / 1000000u);
    cortexm_nvic_enable(MPS2_IRQ_UART0_RX);
    cortexm_nvic_enable(MPS2_IRQ_UART0_TX);
    cortexm_nvic_enable(MPS2_IRQ_TIMER0);
}
