/* SPDX-License-Identifier: Apache-2.0 OR MIT */
/*
 * Alarm virtualizer: many one-shot alarms over one hardware alarm.
 *
 * struct mux_alarm is the hardware alarm's only client. Each struct virtual_alarm offers the
 * full hil_alarm to one client. The hardware is armed for the earliest pending virtual alarm
 * (at most HIL_ALARM_MAX_WAIT ticks ahead); when it fires, every virtual alarm that has expired
 * fires, then the hardware is re-armed.
 *
 * Usage (board):
 *     static struct mux_alarm alarm_mux;
 *     static struct virtual_alarm syscall_alarm, scheduler_alarm;
 *     boot_check(mux_alarm_init(&alarm_mux, &timer.alarm), "alarm mux");
 *     virtual_alarm_init(&syscall_alarm, &alarm_mux);
 *     ... alarm_driver_init(&alarm_driver, &syscall_alarm.alarm, k)
 *
 * Invariants: see virtual_alarm.c.
 */
#pragma once

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "errorcode.h"
#include "hil/alarm.h"
#include "list.h"
#include "kernel/deferred_call.h"

struct mux_alarm;

struct virtual_alarm {
    struct hil_alarm alarm; /* clients see the hardware's HIL */
    struct list_node node; /* in mux->armed while is_linked */
    struct mux_alarm *mux;
    ticks_t reference; /* as set: get_alarm reports reference + dt */
    ticks_t dt;
    uint64_t deadline; /* on mux->clock; valid while is_armed */
    bool is_armed;
    bool is_linked; /* on mux->armed: armed, or disarmed/fired and not yet dropped by a walk */
};

struct mux_alarm {
    struct hil_alarm_client hw_client; /* the mux is the hardware's only client */
    struct hil_alarm *hw;
    struct list armed;            /* of struct virtual_alarm, in the order they were set */
    struct hil_alarm_clock clock; /* the hardware's counter, extended to 64 bits */
    bool is_firing;               /* inside process(): re-arming waits until it ends */
    struct deferred_call expired; /* processes alarms that were already due when set */
};

/**
 * Boot only: make `mux` the only client of `hw` and register its deferred call.
 * Returns ERR_OK or ERR_NOMEM (no deferred-call slot).
 */
MUST_CHECK err_t mux_alarm_init(struct mux_alarm *mux, struct hil_alarm *hw);

/**
 * Boot only: link `v` into `mux`; its client is then set with hil_alarm_set_client(&v->alarm, c).
 * The virtual alarm behaves as hil/alarm.h describes: set_alarm(reference, dt) replaces any
 * pending alarm and fires once when now leaves [reference, reference + dt) modulo 2^32, never
 * inside set_alarm (an alarm already due fires from the mux's deferred call); any dt up to
 * 2^32 - 1 is honoured, and an alarm handled late still fires. disarm always returns ERR_OK and
 * no callback follows it.
 */
void virtual_alarm_init(struct virtual_alarm *v, struct mux_alarm *mux);
