/* SPDX-License-Identifier: Apache-2.0 OR MIT */
/*
 * Alarm Yield-WaitFor helper: block for the next kernel alarm event and dispatch it to the
 * virtual alarms of libtock/services/alarm.h.
 *
 * Usage: libtocksync_alarm_yield_wait_for() in a loop until your virtual alarm has fired.
 *
 * Invariants: the event is never lost: the virtual alarm list sees it through
 * libtock_alarm_dispatch(), so other pending virtual alarms keep working.
 */
#pragma once

#include <libtock/peripherals/syscalls/alarm_syscalls.h>
#include <libtock/tock.h>

#ifdef __cplusplus
extern "C" {
#endif

/* Wait for one alarm event and run the callbacks of every expired virtual alarm. */
returncode_t libtocksync_alarm_yield_wait_for(void);

#ifdef __cplusplus
}
#endif
