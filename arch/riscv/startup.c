/* SPDX-License-Identifier: Apache-2.0 OR MIT */
/*
 * Reset path after riscv_start (trap.S set sp and mtvec; the kernel uses no gp): copy .data, zero .bss, enable the
 * machine timer and external interrupts in mie (they only trap from U-mode), run board_main.
 */
#include "arch/riscv.h"

#include <stddef.h>
#include <stdint.h>

extern uint32_t _sidata, _sdata, _edata, _sbss, _ebss;

void riscv_reset(void);
void board_main(void);

uint32_t riscv_read_mip(void)
{
    uint32_t mip;
    /* SAFETY: reads the mip CSR. */
    __asm__ volatile("csrr %0, mip" : "=r"(mip));
    return mip;
}

void riscv_enable_interrupts(uint32_t mie_bits)
{
    /* SAFETY: sets bits in mie; mstatus.MIE stays clear, so the kernel is never interrupted. */
    __asm__ volatile("csrs mie, %0" ::"r"(mie_bits) : "memory");
}

void riscv_sleep_unless(bool (*has_work)(void))
{
    if (!has_work()) {
        /* SAFETY: with mstatus.MIE clear, wfi returns once an enabled interrupt is pending. */
        __asm__ volatile("wfi" ::: "memory");
    }
}

void riscv_reset(void)
{
    /* Word-aligned by the linker script; memcpy/memset move whole words (libraries/mem.c). */
    __builtin_memcpy(&_sdata, &_sidata, (size_t)((char *)&_edata - (char *)&_sdata));
    __builtin_memset(&_sbss, 0, (size_t)((char *)&_ebss - (char *)&_sbss));
    riscv_enable_interrupts(RISCV_MIP_MTIP | RISCV_MIP_MEIP);
    board_main();
    for (;;) {
    }
}
