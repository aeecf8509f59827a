/* SPDX-License-Identifier: Apache-2.0 OR MIT */
/*
 * Synchronous alarm over the virtual alarms.
 *
 * Usage: see alarm.h.
 *
 * Invariants: the stack-allocated alarm handles below are never left pending on return.
 */
#include "alarm.h"

#include "syscalls/alarm_syscalls.h"

static void set_flag(uint32_t now, uint32_t scheduled, void *opaque)
{
    (void)now;
    (void)scheduled;
    bool *flag = opaque;
    *flag = true;
}

int libtocksync_alarm_delay_ms(uint32_t ms)
{
    bool fired = false;
    libtock_alarm_t alarm;
    int ret = libtock_alarm_in_ms(ms, set_flag, &fired, &alarm);
    if (ret != RETURNCODE_SUCCESS) {
        libtock_alarm_ms_cancel(&alarm);
        return ret;
    }
    while (!fired) {
        (void)libtocksync_alarm_yield_wait_for();
    }
    return RETURNCODE_SUCCESS;
}

int libtocksync_alarm_yield_for_with_timeout(bool *cond, uint32_t ms)
{
    bool timed_out = false;
    libtock_alarm_t alarm;
    int ret = libtock_alarm_in_ms(ms, set_flag, &timed_out, &alarm);
    if (ret != RETURNCODE_SUCCESS) {
        libtock_alarm_ms_cancel(&alarm);
        return ret;
    }
    while (!*cond) {
        if (timed_out) {
            return RETURNCODE_FAIL;
        }
        yield();
    }
    libtock_alarm_ms_cancel(&alarm);
    return RETURNCODE_SUCCESS;
}
