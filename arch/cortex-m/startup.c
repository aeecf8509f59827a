/* SPDX-License-Identifier: Apache-2.0 OR MIT */
/*
 * Reset entry and vector table: copy .data, zero .bss, enable the configurable fault handlers,
 * then call board_main(). The linker script places .vectors at the reset vector address.
 */
#include "arch/cortexm.h"

#include <stddef.h>
#include <stdint.h>

_Static_assert(CORTEXM_IRQ_COUNT == 32, "the vector table lists 32 device interrupts");

#define SCB_AIRCR 0xE000ED0Cu
#define AIRCR_VECTKEY (0x05FAu << 16)
#define AIRCR_SYSRESETREQ (1u << 2)
#define SCB_SHCSR 0xE000ED24u
#define SCB_CCR 0xE000ED14u
#define SHCSR_FAULTS_ENABLE ((1u << 16) | (1u << 17) | (1u << 18))
#define CCR_DIV_0_TRP (1u << 4)

extern uint32_t _sidata, _sdata, _edata, _sbss, _ebss, _estack;

void cortexm_reset_handler(void);
void cortexm_svc_handler(void);
void cortexm_pendsv_handler(void);
void cortexm_irq_handler(void);
void cortexm_systick_handler(void);
void cortexm_fault_handler(void);
void board_main(void);

static void unexpected_handler(void)
{
    for (;;) {
    }
}

typedef void (*vector_fn)(void);

struct vector_table {
    uint32_t *initial_sp;
    vector_fn handlers[15 + CORTEXM_IRQ_COUNT];
};

__attribute__((section(".vectors"), used)) static const struct vector_table vectors = {
    &_estack,
    {
    cortexm_reset_handler,
    unexpected_handler, /* NMI */
    cortexm_fault_handler,
    cortexm_fault_handler,
    cortexm_fault_handler,
    cortexm_fault_handler,
    unexpected_handler,
    unexpected_handler,
    unexpected_handler,
    unexpected_handler,
    cortexm_svc_handler,
    unexpected_handler,
    unexpected_handler,
    cortexm_pendsv_handler, /* the kernel's way into a process */
    cortexm_systick_handler,
    /* 16 + n: device interrupt n */
    cortexm_irq_handler, cortexm_irq_handler, cortexm_irq_handler, cortexm_irq_handler,
    cortexm_irq_handler, cortexm_irq_handler, cortexm_irq_handler, cortexm_irq_handler,
    cortexm_irq_handler, cortexm_irq_handler, cortexm_irq_handler, cortexm_irq_handler,
    cortexm_irq_handler, cortexm_irq_handler, cortexm_irq_handler, cortexm_irq_handler,
    cortexm_irq_handler, cortexm_irq_handler, cortexm_irq_handler, cortexm_irq_handler,
    cortexm_irq_handler, cortexm_irq_handler, cortexm_irq_handler, cortexm_irq_handler,
    cortexm_irq_handler, cortexm_irq_handler, cortexm_irq_handler, cortexm_irq_handler,
    cortexm_irq_handler, cortexm_irq_handler, cortexm_irq_handler, cortexm_irq_handler,
    },
};

void cortexm_system_reset(void)
{
    /* SAFETY: SCB AIRCR; the key makes the write count, SYSRESETREQ asks the system for a reset
     * (priority grouping is written back as read). The barrier completes the write; the wait
     * covers the time the reset takes to arrive. */
    uint32_t aircr = *(volatile uint32_t *)SCB_AIRCR & 0x0700u;
    *(volatile uint32_t *)SCB_AIRCR = AIRCR_VECTKEY | aircr | AIRCR_SYSRESETREQ;
    __asm__ volatile("dsb" ::: "memory");
    for (;;) {
    }
}

void cortexm_reset_handler(void)
{
    /* Word-aligned by the linker script; memcpy/memset move whole words (libraries/mem.c). */
    __builtin_memcpy(&_sdata, &_sidata, (size_t)((char *)&_edata - (char *)&_sdata));
    __builtin_memset(&_sbss, 0, (size_t)((char *)&_ebss - (char *)&_sbss));
    /* SAFETY: SCB registers; enables MemManage/BusFault/UsageFault so process faults do not
     * escalate to HardFault, and traps divide by zero. */
    *(volatile uint32_t *)SCB_SHCSR |= SHCSR_FAULTS_ENABLE;
    *(volatile uint32_t *)SCB_CCR |= CCR_DIV_0_TRP;
    board_main();
    for (;;) {
    }
}
