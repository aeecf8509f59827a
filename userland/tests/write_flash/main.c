/* SPDX-License-Identifier: Apache-2.0 OR MIT */
/*
 * write_flash: store to a constant in this process's own flash; the kernel must fault it
 * (process flash is read/execute only).
 *
 * Expected output: "write_flash: writing own flash at 0x<addr>", then a fault.
 * "write_flash: FAIL ..." means the store did not fault.
 *
 * Usage: load with heartbeat.
 *
 * Invariants: none.
 */
#include <stdint.h>
#include <stdio.h>

static const uint32_t flash_word = 0x600df00du;

int main(void)
{
    uintptr_t address = (uintptr_t)&flash_word;
    printf("write_flash: writing own flash at 0x%08lx\n", (unsigned long)address);
    /* SAFETY: deliberately invalid: the point of the test is that this faults. */
    *(volatile uint32_t *)address = 0xbadc0ffeu;
    printf("write_flash: FAIL store did not fault (word now 0x%08lx)\n",
           (unsigned long)*(volatile const uint32_t *)address);
    return 1;
}
