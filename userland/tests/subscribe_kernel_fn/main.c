/* SPDX-License-Identifier: Apache-2.0 OR MIT */
/*
 * subscribe_kernel_fn: subscribe an upcall that points into kernel code; the kernel must refuse
 * (it would otherwise "call" kernel code in user mode, or worse).
 *
 * Expected output:
 *   subscribe_kernel_fn: subscribing kernel code at 0x00000101      (RISC-V: 0x80000100)
 *   subscribe_kernel_fn: INVAL
 * then exit 0.
 *
 * Usage: load with heartbeat.
 *
 * Invariants: none.
 */
#include <stdint.h>
#include <stdio.h>

#include "../common/test_report.h"

#if defined(__thumb__)
static const uint32_t code_pointer_bits = 1;
#else
static const uint32_t code_pointer_bits = 0;
#endif

int main(void)
{
    uint32_t upcall = TOCKC_KERNEL_CODE_ADDR | code_pointer_bits;
    printf("subscribe_kernel_fn: subscribing kernel code at 0x%08lx\n", (unsigned long)upcall);
    test_report_outcome("subscribe_kernel_fn", tock_syscall_subscribe(0, 0, upcall, 0));
    return 0;
}
