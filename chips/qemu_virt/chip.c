/* SPDX-License-Identifier: Apache-2.0 OR MIT */
/*
 * QEMU virt interrupt service for the kernel loop: PLIC claim/complete for external lines, the
 * machine timer for the alarm (see qemu_virt/virt.h).
 */
#include "arch/riscv.h"
#include "qemu_virt/virt.h"

#include <stddef.h>

#define PLIC_PRIORITY(irq) (VIRT_PLIC_BASE + 4u * (irq))
#define PLIC_ENABLE_CONTEXT0 (VIRT_PLIC_BASE + 0x2000u)
#define PLIC_THRESHOLD_CONTEXT0 (VIRT_PLIC_BASE + 0x200000u)
#define PLIC_CLAIM_CONTEXT0 (VIRT_PLIC_BASE + 0x200004u)

/* The one chip of this image; kernel_chip_ops take no context. */
static struct qemu_virt_chip *the_chip;

static volatile uint32_t *plic(uint32_t address)
{
    /* SAFETY: PLIC registers of QEMU virt, hart 0 machine-mode context. */
    return (volatile uint32_t *)(uintptr_t)address;
}

static bool has_pending_interrupts(void)
{
    return (riscv_read_mip() & RISCV_MIP_MEIP) != 0 || riscv_timer_alarm_due();
}

static void service_pending_interrupts(void)
{
    uint32_t irq;
    while ((irq = *plic(PLIC_CLAIM_CONTEXT0)) != 0) {
        if (irq == VIRT_IRQ_UART0) {
            ns16550_handle_interrupt(the_chip->uart0);
        } else if (the_chip->rng != NULL && irq == the_chip->rng->irq) {
            virtio_rng_handle_interrupt(the_chip->rng);
        }
        *plic(PLIC_CLAIM_CONTEXT0) = irq; /* complete */
    }
    if (riscv_timer_alarm_due()) {
        clint_alarm_handle_interrupt(the_chip->alarm);
    }
}

static void sleep(void)
{
    riscv_sleep_unless(has_pending_interrupts);
}

const struct kernel_chip_ops qemu_virt_chip_ops = {
    .has_pending_interrupts = has_pending_interrupts,
    .service_pending_interrupts = service_pending_interrupts,
    .sleep = sleep,
};

void qemu_virt_chip_init(struct qemu_virt_chip *chip, struct ns16550 *uart0,
                         struct clint_alarm *alarm)
{
    *chip = (struct qemu_virt_chip){ .uart0 = uart0, .alarm = alarm, .rng = NULL };
    the_chip = chip;
    *plic(PLIC_PRIORITY(VIRT_IRQ_UART0)) = 1;
    *plic(PLIC_ENABLE_CONTEXT0) = 1u << VIRT_IRQ_UART0;
    *plic(PLIC_THRESHOLD_CONTEXT0) = 0;
}

void qemu_virt_chip_add_rng(struct qemu_virt_chip *chip, struct virtio_rng *rng)
{
    chip->rng = rng;
    *plic(PLIC_PRIORITY(rng->irq)) = 1;
    *plic(PLIC_ENABLE_CONTEXT0) = *plic(PLIC_ENABLE_CONTEXT0) | (1u << rng->irq);
}
