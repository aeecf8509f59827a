/* SPDX-License-Identifier: Apache-2.0 OR MIT */
/*
 * Alarm syscall driver (0x0): one one-shot alarm per process.
 *
 * Commands (ABI §5.1): 0 exists, 1 frequency, 2 now, 3 cancel, 4 NOSUPPORT, 5 set now + dt,
 * 6 set reference + dt. Subscribe 0 receives (now, expiration, 0) when the alarm fires.
 *
 * Usage (board):
 *     static struct virtual_alarm syscall_alarm;
 *     static struct alarm_driver alarm_driver;
 *     virtual_alarm_init(&syscall_alarm, &alarm_mux);
 *     boot_check(alarm_driver_init(&alarm_driver, &syscall_alarm.alarm, k), "alarm");
 *     drivers: { ALARM_DRIVER_NUM, &alarm_driver.driver }
 *
 * Invariants: see alarm.c.
 */
#pragma once

#include <stddef.h>

#include "errorcode.h"
#include "hil/alarm.h"
#include "kernel/grant.h"
#include "kernel/syscall_driver.h"

#define ALARM_CMD_EXISTS 0u
#define ALARM_CMD_FREQUENCY 1u
#define ALARM_CMD_NOW 2u
#define ALARM_CMD_STOP 3u
#define ALARM_CMD_SET_ABSOLUTE 4u /* deprecated: NOSUPPORT */
#define ALARM_CMD_SET_RELATIVE 5u
#define ALARM_CMD_SET_REFERENCE 6u
#define ALARM_SUBSCRIBE_FIRED 0u

struct alarm_driver {
    struct syscall_driver driver;
    struct hil_alarm_client alarm_client;
    struct hil_alarm *alarm; /* a virtual alarm used by this driver alone */
    struct grant grant;      /* struct alarm_app per process, U=1 */
    struct hil_alarm_clock clock; /* alarm's counter extended: expirations become deadlines */
};

/**
 * Boot only: become `alarm`'s client and create the per-process grant in kernel `k`.
 * Returns ERR_OK or grant_create's error (ERR_NOMEM, ERR_INVAL, ERR_ALREADY).
 */
MUST_CHECK err_t alarm_driver_init(struct alarm_driver *driver, struct hil_alarm *alarm,
                                   struct kernel *k);
