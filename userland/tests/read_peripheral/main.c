/* SPDX-License-Identifier: Apache-2.0 OR MIT */
/*
 * read_peripheral: load a word from the board's first peripheral range; the kernel must fault
 * the process and name the address a peripheral.
 *
 * Expected output: "read_peripheral: reading a peripheral at 0x40000000" (RISC-V: 0x00100000),
 * then a fault whose report ends in ": peripheral". "read_peripheral: FAIL ..." means the read
 * succeeded.
 *
 * Usage: the address is APPS_PERIPHERAL_ADDR in userland.mk (board.json memory.peripherals).
 *
 * Invariants: none.
 */
#include <stdint.h>
#include <stdio.h>

int main(void)
{
    uint32_t address = TOCKC_PERIPHERAL_ADDR;
    printf("read_peripheral: reading a peripheral at 0x%08lx\n", (unsigned long)address);
    /* SAFETY: deliberately invalid: the point of the test is that this faults. */
    uint32_t value = *(volatile uint32_t *)(uintptr_t)address;
    printf("read_peripheral: FAIL read 0x%08lx without a fault\n", (unsigned long)value);
    return 1;
}
