/* SPDX-License-Identifier: Apache-2.0 OR MIT */
/*
 * Shared helper for the alarm test apps (see test_alarm.h).
 */
#include "test_alarm.h"

#include <libtock/peripherals/syscalls/alarm_syscalls.h>
#include <libtock/tock.h>

int test_alarm_wait(uint32_t reference, uint32_t dt, struct test_alarm_wait *out)
{
    if (libtock_alarm_command_set_absolute(reference, dt) != RETURNCODE_SUCCESS) {
        return -1;
    }
    yield_waitfor_return_t fired = yield_wait_for(DRIVER_NUM_ALARM, 0);
    out->upcall_now = fired.data0;
    out->upcall_expiration = fired.data1;
    libtock_alarm_command_read(&out->now);
    return 0;
}
