/* SPDX-License-Identifier: Apache-2.0 OR MIT */
/*
 * The kernel's clock (kernel/kernel_clock.h) over one virtual alarm: milliseconds since boot
 * from the alarm's counter extended to 64 bits, and the fault policy's wake-ups.
 *
 * Usage (board):
 *     static struct virtual_alarm clock_alarm;
 *     static struct kernel_clock_alarm kernel_clock;
 *     virtual_alarm_init(&clock_alarm, &alarm_mux);
 *     kernel_clock_alarm_init(&kernel_clock, &clock_alarm.alarm, &kernel);   // sets the clock
 *
 * Invariants: the clock counts while a wake-up is pending, and the alarm is then armed for it
 * at most HIL_ALARM_MAX_WAIT ticks ahead, so the counter is read often enough for the count
 * to stay true however far the wake-up is; with none pending the alarm is idle (it costs the
 * alarm mux nothing) and the clock stops: the kernel only compares times it took while a
 * wake-up was pending (a back-off, a probation), and ms wrap after 49 days.
 */
#pragma once

#include <stdbool.h>
#include <stdint.h>

#include "hil/alarm.h"
#include "kernel/kernel.h"

struct kernel_clock_alarm {
    struct kernel_clock clock; /* what the kernel holds */
    struct hil_alarm_client client;
    struct hil_alarm *alarm; /* used by nothing else */
    struct kernel *kernel;
    ticks_t last;  /* the counter at the last reading */
    uint32_t rest; /* ticks since `ms` was last advanced */
    uint32_t ms;   /* milliseconds since init */
    uint32_t ticks_per_ms;
    bool is_running; /* false: the next reading restarts the count without advancing */
    uint32_t wake_ms; /* valid while is_wake_pending */
    bool is_wake_pending;
};

/* Boot only: take `alarm`, start the clock at 0 ms and give it to k (kernel_set_clock). */
void kernel_clock_alarm_init(struct kernel_clock_alarm *c, struct hil_alarm *alarm,
                             struct kernel *k);
