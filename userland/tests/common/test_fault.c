/* SPDX-License-Identifier: Apache-2.0 OR MIT */
/*
 * See test_fault.h.
 */
#include "test_fault.h"

#include <stdio.h>
#include <stdlib.h>

#include <libtock-sync/services/alarm.h>

void test_fault_after_ms(const char *name, uint32_t ms)
{
    printf("%s: running\n", name);
    if (ms != 0) {
        libtocksync_alarm_delay_ms(ms);
    }
    printf("%s: faulting\n", name);
    /* SAFETY: deliberately invalid: the point of the test is that this faults. */
    *(volatile uint32_t *)(uintptr_t)0 = 1;
    printf("%s: FAIL wrote address 0 without a fault\n", name);
    exit(1);
}
