/* SPDX-License-Identifier: Apache-2.0 OR MIT */
/*
 * The supervisor's clock: a virtual alarm on the core component's alarm mux turned into the
 * kernel clock (capsules/kernel_clock_alarm.h), so the fault policy can back off before a
 * restart and tell a healthy run from a crash loop (doc/reference/023-fault-reports.md §3).
 *
 * Usage (board, full configuration, after core_component_setup):
 *     static struct supervisor_component supervisor;
 *     supervisor_component_setup(&supervisor, &core.alarm_mux, &kernel);
 */
#pragma once

#include "capsules/kernel_clock_alarm.h"
#include "capsules/virtual_alarm.h"
#include "kernel/kernel.h"

struct supervisor_component {
    struct virtual_alarm clock_alarm;
    struct kernel_clock_alarm clock;
};

void supervisor_component_setup(struct supervisor_component *s, struct mux_alarm *alarm_mux,
                                struct kernel *k);
