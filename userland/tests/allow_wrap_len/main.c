/* SPDX-License-Identifier: Apache-2.0 OR MIT */
/*
 * allow_wrap_len: read-write allow a buffer of its own whose length wraps the address space;
 * the kernel must refuse.
 *
 * Expected output:
 *   allow_wrap_len: rw allow of an own buffer with a wrapping length
 *   allow_wrap_len: INVAL
 * then exit 0.
 *
 * Usage: load with heartbeat.
 *
 * Invariants: none.
 */
#include <stdint.h>
#include <stdio.h>

#include "../common/test_report.h"

static uint8_t buffer[16];

int main(void)
{
    uint32_t address = (uint32_t)(uintptr_t)buffer;
    uint32_t wrapping_len = 0u - address + 16u; /* address + len = 16 (mod 2^32) */
    printf("allow_wrap_len: rw allow of an own buffer with a wrapping length\n");
    test_report_outcome("allow_wrap_len",
                        tock_syscall_allow_readwrite(1, 1, address, wrapping_len));
    return 0;
}
