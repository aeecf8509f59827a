/* SPDX-License-Identifier: Apache-2.0 OR MIT */
/*
 * alarm_accuracy: short alarms fire on time, not a whole dt late, also under the benchmarks'
 * QEMU clock (-icount shift=0,align=off,sleep=off, where idle time is skipped).
 *
 * Rounds of dt = 1, 2, 5 and 10 ms (in ticks), each set with command 6 (reference = now, dt)
 * and waited for with yield-wait-for; after each the app reads the counter. A round passes when
 * the upcall carries reference + dt and the counter is past it by less than dt / 2 + 1 ms of
 * ticks (a whole dt late, the fault this app was written for, fails).
 *
 * Expected output:
 *   alarm_accuracy: dt <ticks> late <ticks> (kernel <ticks>) ok      (4 rounds)
 *   alarm_accuracy: done
 *
 * Invariants: none.
 */
#include <stdint.h>
#include <stdio.h>

#include <libtock/peripherals/syscalls/alarm_syscalls.h>

#include "../common/test_alarm.h"

static int round_trip(uint32_t dt, uint32_t frequency)
{
    uint32_t reference = 0;
    libtock_alarm_command_read(&reference);
    struct test_alarm_wait w;
    if (test_alarm_wait(reference, dt, &w) != 0) {
        printf("alarm_accuracy: FAIL set_absolute\n");
        return 1;
    }
    uint32_t expiration = reference + dt;
    uint32_t late = w.now - expiration;
    uint32_t allowed = dt / 2u + frequency / 1000u;
    const char *verdict = "ok";
    if (w.upcall_expiration != expiration) {
        verdict = "FAIL (wrong expiration)";
    } else if (w.now - reference < dt) {
        verdict = "FAIL (early)";
    } else if (late > allowed) {
        verdict = "FAIL (late)";
    }
    printf("alarm_accuracy: dt %lu late %lu (kernel %lu) %s\n", (unsigned long)dt,
           (unsigned long)late, (unsigned long)(w.upcall_now - expiration), verdict);
    return verdict[0] == 'o' ? 0 : 1;
}

int main(void)
{
    uint32_t frequency = 0;
    libtock_alarm_command_get_frequency(&frequency);
    static const uint32_t ms[] = { 1, 2, 5, 10 };
    int failed = 0;
    for (unsigned i = 0; i < sizeof ms / sizeof ms[0]; i++) {
        failed |= round_trip(frequency / 1000u * ms[i], frequency);
    }
    printf("alarm_accuracy: %s\n", failed ? "FAIL" : "done");
    return failed;
}
