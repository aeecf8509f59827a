/* SPDX-License-Identifier: Apache-2.0 OR MIT */
/*
 * brk_bad: ask for impossible program breaks; the kernel must refuse each with NOMEM and leave
 * the break where it was.
 *
 * Expected output:
 *   brk_bad: moving the break below mem_start, into the grant region and past the end of RAM
 *   brk_bad: below start: NOMEM
 *   brk_bad: into grant region: NOMEM
 *   brk_bad: past end: NOMEM
 *   brk_bad: break unchanged
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

enum { MEMOP_BRK = 0, MEMOP_SBRK = 1 };

int main(void)
{
    uint32_t start = (uint32_t)(uintptr_t)tock_app_memory_begins_at();
    uint32_t end = (uint32_t)(uintptr_t)tock_app_memory_ends_at();
    uint32_t grant = (uint32_t)(uintptr_t)tock_app_grant_begins_at();
    uint32_t before = tock_syscall_memop(MEMOP_SBRK, 0).r1;

    printf("brk_bad: moving the break below mem_start, into the grant region and past the end "
           "of RAM\n");
    test_report_outcome("brk_bad: below start", tock_syscall_memop(MEMOP_BRK, start - 16u));
    test_report_outcome("brk_bad: into grant region", tock_syscall_memop(MEMOP_BRK, grant + 64u));
    test_report_outcome("brk_bad: past end", tock_syscall_memop(MEMOP_BRK, end + 4096u));

    uint32_t after = tock_syscall_memop(MEMOP_SBRK, 0).r1;
    if (after == before) {
        printf("brk_bad: break unchanged\n");
    } else {
        printf("brk_bad: FAIL break moved from 0x%08lx to 0x%08lx\n", (unsigned long)before,
               (unsigned long)after);
    }
    return 0;
}
