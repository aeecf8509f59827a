/* SPDX-License-Identifier: Apache-2.0 OR MIT */
/*
 * Synchronous alarm: sleep for a number of milliseconds (libtock-c's libtock-sync API).
 *
 * libtocksync_alarm_delay_ms() waits with Yield-WaitFor on the alarm driver only, so other
 * drivers' upcalls stay queued until the caller next yields; callbacks of other virtual alarms
 * that expire meanwhile do run.
 *
 * Usage: libtocksync_alarm_delay_ms(100);
 *
 * Invariants: none.
 */
#pragma once

#include <libtock/peripherals/syscalls/alarm_syscalls.h>
#include <libtock/services/alarm.h>
#include <libtock/tock.h>

#ifdef __cplusplus
extern "C" {
#endif

/* Block for at least `ms` milliseconds. Returns RETURNCODE_SUCCESS or the error from setting
 * the alarm (then it does not wait). */
int libtocksync_alarm_delay_ms(uint32_t ms);

/* yield() until *cond is true or `ms` milliseconds have passed. Returns RETURNCODE_SUCCESS if
 * *cond became true, RETURNCODE_FAIL on timeout. Other upcalls run while it waits. */
int libtocksync_alarm_yield_for_with_timeout(bool *cond, uint32_t ms);

#ifdef __cplusplus
}
#endif
