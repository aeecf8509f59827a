/* SPDX-License-Identifier: Apache-2.0 OR MIT */
/*
 * The CLINT machine timer as a 32-bit wrap-safe alarm (low word of mtime), sharing mtimecmp with
 * the scheduler through arch/riscv.h. An alarm already due fires from the next interrupt
 * service, never inside set_alarm.
 */
#include "arch/riscv.h"
#include "container.h"
#include "qemu_virt/virt.h"

static ticks_t now(struct hil_alarm *a)
{
    (void)a;
    return (ticks_t)riscv_timer_now();
}

static uint32_t frequency(struct hil_alarm *a)
{
    (void)a;
    return riscv_timer_frequency();
}

static void set_alarm(struct hil_alarm *a, ticks_t reference, ticks_t dt)
{
    struct clint_alarm *alarm = CONTAINER_OF(a, struct clint_alarm, alarm);
    alarm->reference = reference;
    alarm->dt = dt;
    alarm->armed = true;
    uint64_t current = riscv_timer_now();
    ticks_t low = (ticks_t)current;
    uint64_t deadline = current;
    if (!hil_alarm_has_expired(reference, dt, low)) {
        deadline = current + (ticks_t)(reference + dt - low);
    }
    riscv_timer_set_alarm(deadline);
}

static ticks_t get_alarm(struct hil_alarm *a)
{
    struct clint_alarm *alarm = CONTAINER_OF(a, struct clint_alarm, alarm);
    return alarm->reference + alarm->dt;
}

static err_t disarm(struct hil_alarm *a)
{
    CONTAINER_OF(a, struct clint_alarm, alarm)->armed = false;
    riscv_timer_clear_alarm();
    return ERR_OK;
}

static bool is_armed(struct hil_alarm *a)
{
    return CONTAINER_OF(a, struct clint_alarm, alarm)->armed;
}

static ticks_t minimum_dt(struct hil_alarm *a)
{
    (void)a;
    return 1;
}

void clint_alarm_handle_interrupt(struct clint_alarm *alarm)
{
    if (!alarm->armed || !riscv_timer_alarm_due()) {
        return;
    }
    alarm->armed = false;
    riscv_timer_clear_alarm();
    hil_alarm_fire(&alarm->alarm);
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

void clint_alarm_init(struct clint_alarm *alarm)
{
    *alarm = (struct clint_alarm){ .alarm = { .ops = &ops, .client = NULL } };
    riscv_timer_init(VIRT_CLINT_MTIME, VIRT_CLINT_MTIMECMP0, VIRT_TIMER_HZ);
}
