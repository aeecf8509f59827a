/* SPDX-License-Identifier: Apache-2.0 OR MIT */
/*
 * read_other_ram: load a word from RAM that belongs to another process (or to no one); the
 * kernel must fault the process.
 *
 * The target is APPS_OTHER_RAM_ADDR when the build sets it, otherwise the first byte after this
 * process's own allocation (memop 3): process RAM is handed out consecutively, so that is the
 * next process's RAM or unallocated RAM, and neither may be readable.
 *
 * Expected output: "read_other_ram: reading RAM outside this process at 0x<addr>", then a
 * fault. "read_other_ram: FAIL ..." means the read succeeded.
 *
 * Usage: load with heartbeat; optionally build with APPS_OTHER_RAM_ADDR=<heartbeat's RAM>.
 *
 * Invariants: none.
 */
#include <stdint.h>
#include <stdio.h>

#include <libtock/tock.h>

int main(void)
{
    uint32_t address = TOCKC_OTHER_RAM_ADDR;
    if (address == 0) {
        address = (uint32_t)(uintptr_t)tock_app_memory_ends_at();
    }
    printf("read_other_ram: reading RAM outside this process at 0x%08lx\n",
           (unsigned long)address);
    /* SAFETY: deliberately invalid: the point of the test is that this faults. */
    uint32_t value = *(volatile uint32_t *)(uintptr_t)address;
    printf("read_other_ram: FAIL read 0x%08lx without a fault\n", (unsigned long)value);
    return 1;
}
