/* SPDX-License-Identifier: Apache-2.0 OR MIT */
/*
 * allow_kernel_ptr: read-write allow a buffer in kernel RAM; the kernel must refuse.
 *
 * Expected output:
 *   allow_kernel_ptr: rw allow of kernel RAM at 0x20000000      (RISC-V: 0x80200000)
 *   allow_kernel_ptr: INVAL
 * then exit 0.
 *
 * Usage: load with heartbeat.
 *
 * Invariants: none.
 */
#include <stdint.h>
#include <stdio.h>

#include "../common/test_report.h"

int main(void)
{
    uint32_t address = TOCKC_KERNEL_RAM_ADDR;
    printf("allow_kernel_ptr: rw allow of kernel RAM at 0x%08lx\n", (unsigned long)address);
    test_report_outcome("allow_kernel_ptr", tock_syscall_allow_readwrite(1, 1, address, 16));
    return 0;
}
