/* SPDX-License-Identifier: Apache-2.0 OR MIT */
/*
 * sched_periodic: a periodic task that measures how late it wakes, for the scheduler cases
 * (doc/reference/027-schedulers.md). Every 5 ms (an absolute schedule: reference + k * period,
 * so lateness does not accumulate) it waits for the alarm with yield-wait-for and reads the
 * counter; after 10 periods of warm-up (an MLFQ needs a slice or two to demote the spinners
 * it competes with) it measures 40 and reports the largest lateness in microseconds and
 * whether it stayed under 1 ms, a tenth of the kernel's 10 ms scheduling tick.
 *
 * Expected output:
 *   sched_periodic: started
 *   sched_periodic: max late <us> us over 40 periods: ok        (or: over 1 ms)
 *
 * Invariants: none.
 */
#include <stdint.h>
#include <stdio.h>

#include <libtock/peripherals/syscalls/alarm_syscalls.h>

#include "../common/test_alarm.h"

#define WARMUP 10u
#define PERIODS 40u
#define PERIOD_MS 5u

int main(void)
{
    uint32_t frequency = 0;
    libtock_alarm_command_get_frequency(&frequency);
    uint32_t period = frequency / 1000u * PERIOD_MS;
    printf("sched_periodic: started\n");
    uint32_t reference = 0;
    libtock_alarm_command_read(&reference);
    uint32_t max_late = 0;
    for (uint32_t k = 0; k < WARMUP + PERIODS; k++) {
        struct test_alarm_wait w;
        if (test_alarm_wait(reference, period, &w) != 0) {
            printf("sched_periodic: FAIL set alarm\n");
            return 1;
        }
        uint32_t late = w.now - (reference + period);
        if (k >= WARMUP && late > max_late) {
            max_late = late;
        }
        reference += period;
    }
    uint32_t late_us = (uint32_t)((uint64_t)max_late * 1000000u / frequency);
    printf("sched_periodic: max late %lu us over %u periods: %s\n", (unsigned long)late_us,
           PERIODS, late_us < 1000u ? "ok" : "over 1 ms");
    return 0;
}
