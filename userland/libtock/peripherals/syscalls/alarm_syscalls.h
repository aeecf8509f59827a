/* SPDX-License-Identifier: Apache-2.0 OR MIT */
/*
 * Alarm (driver 0x0) system calls (ABI §5.1): one per-process hardware alarm, 32-bit ticks.
 *
 * Upcall 0 arguments are (now, expiration, 0), both in left-justified 32-bit ticks.
 *
 * Usage: apps use services/alarm.h, which multiplexes many virtual alarms over this one.
 *
 * Invariants: setting an alarm replaces the previous one.
 */
#pragma once

#include "../../tock.h"

#ifdef __cplusplus
extern "C" {
#endif

#define DRIVER_NUM_ALARM 0x0

/* True when the alarm driver answers command 0. */
bool libtock_alarm_driver_exists(void);
bool libtock_alarm_exists(void);

/* Subscribe 0: upcall (now, expiration, 0, opaque) when the alarm fires. */
returncode_t libtock_alarm_set_upcall(subscribe_upcall callback, void *opaque);

/* Command 1: tick frequency in Hz. */
returncode_t libtock_alarm_command_get_frequency(uint32_t *frequency);

/* Command 2: current tick count. */
returncode_t libtock_alarm_command_read(uint32_t *time);

/* Command 3: cancel the pending alarm (RETURNCODE_EALREADY if none). */
returncode_t libtock_alarm_command_stop(void);

/* Command 5: fire at now + dt; *actual = the expiration the kernel chose. */
returncode_t libtock_alarm_command_set_relative(uint32_t dt, uint32_t *actual);

/* Command 6: fire at reference + dt (fires at once if that is already past). */
returncode_t libtock_alarm_command_set_absolute(uint32_t reference, uint32_t dt);

#ifdef __cplusplus
}
#endif
