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

static volatile uint32_t *plic(uint32_t address)
{
    /* SAFETY: PLIC registers of QEMU virt, hart 0 machine-mode context. */
    return (volatile uint32_t *)(uintptr_t)address;
}

static bool any_pending(void)
{
    return (riscv_read_mip() & RISCV_MIP_MEIP) != 0 || riscv_timer_alarm_due();
}

bool chip_has_pending_interrupts(const struct kernel_chip *chip)
{
    (void)chip;
    return any_pending();
}

void chip_service_pending_interrupts(struct kernel_chip *chip)
{
    uint32_t irq;
    while ((irq = *plic(PLIC_CLAIM_CONTEXT0)) != 0) {
        if (irq == VIRT_IRQ_UART0) {
            ns16550_handle_interrupt(chip->uart0);
        } else if (chip->rng != NULL && irq == chip->rng->irq) {
            virtio_rng_handle_interrupt(chip->rng);
        }
        *plic(PLIC_CLAIM_CONTEXT0) = irq; /* complete */
    }
    if (riscv_timer_alarm_due()) {
        clint_alarm_handle_interrupt(chip->alarm);
    }
}

void chip_sleep(struct kernel_chip *chip)
{
    (void)chip;
    riscv_sleep_unless(any_pending);
}

void qemu_virt_chip_init(struct kernel_chip *chip, struct ns16550 *uart0,
                         struct clint_alarm *alarm)
{
    *chip = (struct kernel_chip){ .uart0 = uart0, .alarm = alarm, .rng = NULL };
    *plic(PLIC_PRIORITY(VIRT_IRQ_UART0)) = 1;
    *plic(PLIC_ENABLE_CONTEXT0) = 1u << VIRT_IRQ_UART0;
    *plic(PLIC_THRESHOLD_CONTEXT0) = 0;
}

void qemu_virt_chip_add_rng(struct kernel_chip *chip, struct virtio_rng *rng)
{
    chip->rng = rng;
    *plic(PLIC_PRIORITY(rng->irq)) = 1;
    *plic(PLIC_ENABLE_CONTEXT0) = *plic(PLIC_ENABLE_CONTEXT0) | (1u << rng->irq);
}
