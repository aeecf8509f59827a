/* SPDX-License-Identifier: Apache-2.0 OR MIT */
/*
 * CMSDK APB timer pair as a wrap-safe 32-bit alarm (see cmsdk/timer.h).
 *
 * set_alarm decides once whether the window (reference, dt) has ended and fixes the target
 * count `deadline` (one tick ahead when it has ended, so the alarm fires from the interrupt and
 * never inside set_alarm). The compare timer counts down to it. The interrupt fires the alarm
 * unless the counter is still short of `deadline` (the two timers can be a tick apart): that is
 * told from a late interrupt by looking at most MAX_EARLY ticks ahead, never by asking the
 * window again, which a late interrupt of an alarm with a long dt would fail.
 */
#include "cmsdk/timer.h"

#include "container.h"

#include <stddef.h>

#define CTRL_ENABLE 0x1u
#define CTRL_IRQ_ENABLE 0x8u
#define MIN_DT 2u
#define MAX_EARLY 0x80000000u /* far more than the two timers ever differ */

_Static_assert(offsetof(struct cmsdk_timer_registers, intstatus) == 0xC, "CMSDK timer layout");

static ticks_t now(struct hil_alarm *a)
{
    struct cmsdk_alarm *alarm = CONTAINER_OF(a, struct cmsdk_alarm, alarm);
    return 0xFFFFFFFFu - alarm->counter->value;
}

static uint32_t frequency(struct hil_alarm *a)
{
    return CONTAINER_OF(a, struct cmsdk_alarm, alarm)->frequency_hz;
}

/* Start the compare timer for `remaining` (>= 1) ticks. Its reload value is 1, not
 * `remaining`: QEMU, with idle time skipped (-icount sleep=off, the benchmarks' and tests'
 * fast clock), wakes a CPU halted in wfi only at the timer's next event after the interrupt,
 * its reload, so a reload of `remaining` made every alarm fire a whole dt late; with 1 it is
 * one tick. On hardware the reload never matters: the interrupt handler stops the timer. */
static void program(struct cmsdk_alarm *alarm, ticks_t remaining)
{
    alarm->compare->ctrl = 0;
    alarm->compare->intstatus = 1;
    alarm->compare->reload = 1;
    alarm->compare->value = remaining;
    alarm->compare->ctrl = CTRL_ENABLE | CTRL_IRQ_ENABLE;
}

static void set_alarm(struct hil_alarm *a, ticks_t reference, ticks_t dt)
{
    struct cmsdk_alarm *alarm = CONTAINER_OF(a, struct cmsdk_alarm, alarm);
    alarm->reference = reference;
    alarm->dt = dt;
    alarm->armed = true;
    ticks_t current = now(a);
    ticks_t remaining = 1;
    if (!hil_alarm_has_expired(reference, dt, current)) {
        remaining = reference + dt - current;
    }
    alarm->deadline = current + remaining;
    program(alarm, remaining);
}

static ticks_t get_alarm(struct hil_alarm *a)
{
    struct cmsdk_alarm *alarm = CONTAINER_OF(a, struct cmsdk_alarm, alarm);
    return alarm->reference + alarm->dt;
}

static err_t disarm(struct hil_alarm *a)
{
    struct cmsdk_alarm *alarm = CONTAINER_OF(a, struct cmsdk_alarm, alarm);
    alarm->armed = false;
    alarm->compare->ctrl = 0;
    alarm->compare->intstatus = 1;
    return ERR_OK;
}

static bool is_armed(struct hil_alarm *a)
{
    return CONTAINER_OF(a, struct cmsdk_alarm, alarm)->armed;
}

static ticks_t minimum_dt(struct hil_alarm *a)
{
    (void)a;
    return MIN_DT;
}

void cmsdk_alarm_handle_interrupt(struct cmsdk_alarm *alarm)
{
    alarm->compare->ctrl = 0;
    alarm->compare->intstatus = 1;
    if (!alarm->armed) {
        return;
    }
    ticks_t remaining = alarm->deadline - now(&alarm->alarm);
    if (remaining != 0 && remaining < MAX_EARLY) {
        program(alarm, remaining); /* woke early (counter granularity): wait for the rest */
        return;
    }
    alarm->armed = false;
    hil_alarm_fire(&alarm->alarm);
}

bool cmsdk_alarm_interrupt_asserted(const struct cmsdk_alarm *alarm)
{
    return (alarm->compare->intstatus & 1u) != 0 && (alarm->compare->ctrl & CTRL_IRQ_ENABLE) != 0;
}

static const struct hil_alarm_ops ops = {
    .now = now,
    .frequency = frequency,
    .set_alarm = set_alarm,
    .get_alarm = get_alarm,
    .disarm = disarm,
    .is_armed = is_armed,
    .minimum_dt = minimum_dt,
};

void cmsdk_alarm_init(struct cmsdk_alarm *alarm, uintptr_t counter_base, uintptr_t compare_base,
                      uint32_t frequency_hz)
{
    *alarm = (struct cmsdk_alarm){
        .alarm = { .ops = &ops, .client = NULL },
        /* SAFETY: the board's addresses of two CMSDK timer register blocks. */
        .counter = (struct cmsdk_timer_registers *)counter_base,
        .compare = (struct cmsdk_timer_registers *)compare_base,
        .frequency_hz = frequency_hz,
    };
    alarm->compare->ctrl = 0;
    alarm->counter->ctrl = 0;
    alarm->counter->reload = 0xFFFFFFFFu;
    alarm->counter->value = 0xFFFFFFFFu;
    alarm->counter->ctrl = CTRL_ENABLE;
}
