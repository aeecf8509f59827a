/* SPDX-License-Identifier: Apache-2.0 OR MIT */
/*
 * Two CMSDK APB timers as one alarm: one free-running counter gives `now`, the other counts down
 * to the next compare and interrupts.
 *
 * Usage: cmsdk_alarm_init(&alarm, CMSDK_TIMER1_BASE, CMSDK_TIMER0_BASE, 25000000); the chip
 * calls cmsdk_alarm_handle_interrupt for the compare timer's line.
 *
 * Invariants: `armed` is true from set_alarm until the alarm fires or is disarmed; the compare
 * timer runs only while armed.
 */
#pragma once

#include <stdbool.h>
#include <stdint.h>

#include "hil/alarm.h"

struct cmsdk_timer_registers {
    volatile uint32_t ctrl;
    volatile uint32_t value;
    volatile uint32_t reload;
    volatile uint32_t intstatus; /* read: status; write 1: clear */
};

struct cmsdk_alarm {
    struct hil_alarm alarm;
    struct cmsdk_timer_registers *counter;
    struct cmsdk_timer_registers *compare;
    uint32_t frequency_hz;
    ticks_t reference;
    ticks_t dt;
    ticks_t deadline; /* the count at which the armed alarm is due, fixed by set_alarm */
    bool armed;
};

void cmsdk_alarm_init(struct cmsdk_alarm *alarm, uintptr_t counter_base, uintptr_t compare_base,
                      uint32_t frequency_hz);
void cmsdk_alarm_handle_interrupt(struct cmsdk_alarm *alarm);
/* The compare timer drives its interrupt line now (level: status set and interrupt enabled). */
bool cmsdk_alarm_interrupt_asserted(const struct cmsdk_alarm *alarm);
