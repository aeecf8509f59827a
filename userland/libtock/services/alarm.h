/* SPDX-License-Identifier: Apache-2.0 OR MIT */
/*
 * Virtual alarms: any number of one-shot and repeating alarms over the one per-process kernel
 * alarm (libtock-c's libtock/services/alarm.h API).
 *
 * Pending alarms form a list ordered by time left; the kernel alarm is always armed for the
 * head. When it fires, every expired alarm is removed and its callback runs, then the kernel
 * alarm is re-armed for the new head. Callbacks run inside yield() (or inside the libtock-sync
 * calls that wait for the alarm event) and may set or cancel alarms.
 *
 * Usage:
 *   static libtock_alarm_t tick;
 *   libtock_alarm_repeating_every_ms(100, on_tick, NULL, &tick);
 *   for (;;) { yield(); }
 *
 * Invariants: an alarm handle is owned by the caller and must stay alive while it is pending;
 * a handle is in the list at most once (setting a pending handle again first cancels it).
 * Tick arithmetic wraps at 2^32; an alarm's reference must not lie in the future.
 */
#pragma once

#include <sys/time.h>

#include "../peripherals/syscalls/alarm_syscalls.h"
#include "../tock.h"

#ifdef __cplusplus
extern "C" {
#endif

/* (now, scheduled expiration, opaque), times in ticks. */
typedef void (*libtock_alarm_callback)(uint32_t, uint32_t, void *);

/* A one-shot alarm in ticks. Treat the fields as private. */
typedef struct alarm {
    uint32_t reference;
    uint32_t dt;
    libtock_alarm_callback callback;
    void *ud;
    struct alarm *next;
    struct alarm *prev;
} libtock_alarm_ticks_t;

/* An alarm in milliseconds, one-shot or repeating; any length (long ones are chained). Treat the
 * fields as private. */
typedef struct alarm_data {
    uint32_t interval_ms;     /* repeat period; 0 for a one-shot */
    uint32_t overflows_left;  /* whole maximum-length steps still to wait */
    uint32_t remaining_ticks; /* final partial step */
    libtock_alarm_callback callback;
    void *user_data;
    libtock_alarm_ticks_t alarm;
} libtock_alarm_t;

/* Ticks to milliseconds, rounded down. */
uint32_t libtock_alarm_ticks_to_ms(uint32_t ticks);

/*
 * Fire `callback` once the tick counter has advanced `dt` ticks past `reference`.
 * Returns RETURNCODE_SUCCESS or the kernel's error from arming the alarm.
 */
int libtock_alarm_at(uint32_t reference, uint32_t dt, libtock_alarm_callback callback,
                     void *opaque, libtock_alarm_ticks_t *alarm);

/* Remove a pending alarm; a no-op if it is not pending. Its callback will not run. */
void libtock_alarm_cancel(libtock_alarm_ticks_t *alarm);

/* Fill *tv with the tick counter as seconds and microseconds. Returns 0, or -1 without an
 * alarm driver. */
int libtock_alarm_gettimeasticks(struct timeval *tv, void *tzvp);

/* Fire `cb` once, `ms` milliseconds from now. Returns RETURNCODE_SUCCESS or a kernel error. */
int libtock_alarm_in_ms(uint32_t ms, libtock_alarm_callback cb, void *opaque,
                        libtock_alarm_t *alarm);

/* Fire `cb` every `ms` milliseconds (ms > 0) until cancelled, without drift: each period
 * starts at the previous expiration. */
void libtock_alarm_repeating_every_ms(uint32_t ms, libtock_alarm_callback cb, void *opaque,
                                      libtock_alarm_t *alarm);

/* Cancel an alarm set with libtock_alarm_in_ms or libtock_alarm_repeating_every_ms. */
void libtock_alarm_ms_cancel(libtock_alarm_t *alarm);

/*
 * tockc addition: handle one kernel alarm event. Runs the callbacks of all expired alarms and
 * re-arms the kernel alarm. The alarm upcall calls this; code that consumed the alarm event with
 * yield_wait_for(DRIVER_NUM_ALARM, 0) (libtock-sync) must call it instead.
 */
void libtock_alarm_dispatch(void);

#ifdef __cplusplus
}
#endif
