/* SPDX-License-Identifier: Apache-2.0 OR MIT */
/*
 * allow_other_ptr: read-write allow a buffer in another process's RAM; the kernel must refuse.
 *
 * The target is APPS_OTHER_RAM_ADDR when the build sets it, otherwise the first byte after this
 * process's own allocation (memop 3), as in read_other_ram.
 *
 * Expected output:
 *   allow_other_ptr: rw allow of RAM outside this process at 0x<addr>
 *   allow_other_ptr: INVAL
 * then exit 0.
 *
 * Usage: load with heartbeat.
 *
 * Invariants: none.
 */
#include <stdint.h>
#include <stdio.h>

#include <libtock/tock.h>

#include "../common/test_report.h"

int main(void)
{
    uint32_t address = TOCKC_OTHER_RAM_ADDR;
    if (address == 0) {
        address = (uint32_t)(uintptr_t)tock_app_memory_ends_at();
    }
    printf("allow_other_ptr: rw allow of RAM outside this process at 0x%08lx\n",
           (unsigned long)address);
    test_report_outcome("allow_other_ptr", tock_syscall_allow_readwrite(1, 1, address, 16));
    return 0;
}
