/* SPDX-License-Identifier: Apache-2.0 OR MIT */
/*
 * The supervisor's clock (see components/supervisor.h).
 */
#include "components/supervisor.h"

void supervisor_component_setup(struct supervisor_component *s, struct mux_alarm *alarm_mux,
                                struct kernel *k)
{
    virtual_alarm_init(&s->clock_alarm, alarm_mux);
    kernel_clock_alarm_init(&s->clock, &s->clock_alarm.alarm, k);
}
