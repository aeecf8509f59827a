/* SPDX-License-Identifier: Apache-2.0 OR MIT */
/*
 * NVIC helpers and race-free sleep.
 */
#include "arch/cortexm.h"

#define NVIC_ISER 0xE000E100u
#define NVIC_ICER 0xE000E180u
#define NVIC_ISPR 0xE000E200u
#define NVIC_ICPR 0xE000E280u

static volatile uint32_t *bank(uint32_t base, uint32_t irq)
{
    /* SAFETY: NVIC register banks, one 32-bit word per 32 interrupts. */
    return (volatile uint32_t *)(base + 4u * (irq / 32u));
}

void cortexm_nvic_enable(uint32_t irq)
{
    *bank(NVIC_ISER, irq) = 1u << (irq % 32u);
}

void cortexm_nvic_disable(uint32_t irq)
{
    *bank(NVIC_ICER, irq) = 1u << (irq % 32u);
}

void cortexm_nvic_clear_pending(uint32_t irq)
{
    *bank(NVIC_ICPR, irq) = 1u << (irq % 32u);
}

void cortexm_nvic_set_pending(uint32_t irq)
{
    *bank(NVIC_ISPR, irq) = 1u << (irq % 32u);
}

bool cortexm_nvic_is_pending(uint32_t irq)
{
    return (*bank(NVIC_ISPR, irq) & (1u << (irq % 32u))) != 0;
}

/* Set by cortexm_irq_handler (exceptions.S) after it pends a line; cleared here before each
 * scan, so a line pended during or after a scan that missed it leaves it set. While it is
 * clear no line is pending-and-masked, and the kernel loop's checks skip the NVIC. Starts
 * clear: only the handler masks and pends lines. */
volatile uint32_t cortexm_irq_pending;

bool cortexm_nvic_may_be_pending(void)
{
    return cortexm_irq_pending != 0;
}

int32_t cortexm_nvic_next_pending(void)
{
    if (cortexm_irq_pending == 0) {
        return -1;
    }
    cortexm_irq_pending = 0;
    for (uint32_t word = 0; word < CORTEXM_IRQ_COUNT / 32u; word++) {
        uint32_t pending = *bank(NVIC_ISPR, word * 32u) & ~*bank(NVIC_ISER, word * 32u);
        if (pending != 0) {
            cortexm_irq_pending = 1; /* there may be more: look again next time */
            return (int32_t)(word * 32u + (uint32_t)__builtin_ctz(pending));
        }
    }
    return -1;
}

void cortexm_sleep_unless(bool (*has_work)(void))
{
    /* SAFETY: PRIMASK masks interrupts around the check; WFI still wakes on a pending one,
     * which then runs after cpsie. */
    __asm__ volatile("cpsid i" ::: "memory");
    if (!has_work()) {
        __asm__ volatile("wfi" ::: "memory");
    }
    __asm__ volatile("cpsie i" ::: "memory");
}
