/* SPDX-License-Identifier: Apache-2.0 OR MIT */
/*
 * read_kernel_ram: load a word from kernel RAM; the kernel must fault the process.
 *
 * Expected output: "read_kernel_ram: reading kernel RAM at 0x20000000" (RISC-V: 0x80200000),
 * then a fault. "read_kernel_ram: FAIL ..." means the read succeeded.
 *
 * Usage: the address is APPS_KERNEL_RAM_ADDR in userland.mk.
 *
 * Invariants: none.
 */
#include <stdint.h>
#include <stdio.h>

int main(void)
{
    uint32_t address = TOCKC_KERNEL_RAM_ADDR;
    printf("read_kernel_ram: reading kernel RAM at 0x%08lx\n", (unsigned long)address);
    /* SAFETY: deliberately invalid: the point of the test is that this faults. */
    uint32_t value = *(volatile uint32_t *)(uintptr_t)address;
    printf("read_kernel_ram: FAIL read 0x%08lx without a fault\n", (unsigned long)value);
    return 1;
}
