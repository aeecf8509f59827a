/* SPDX-License-Identifier: Apache-2.0 OR MIT */
/*
 * Alarm Yield-WaitFor helper.
 *
 * Usage: see alarm_syscalls.h.
 *
 * Invariants: none.
 */
#include "alarm_syscalls.h"

#include <libtock/services/alarm.h>

returncode_t libtocksync_alarm_yield_wait_for(void)
{
    (void)yield_wait_for(DRIVER_NUM_ALARM, 0);
    libtock_alarm_dispatch();
    return RETURNCODE_SUCCESS;
}
