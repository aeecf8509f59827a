/* SPDX-License-Identifier: Apache-2.0 OR MIT */
/*
 * alarm_long: alarms of almost a whole counter period (2^32 ticks) must fire once, on time,
 * after the 32-bit counter has wrapped; never early and never a period late.
 *
 * Two rounds, each 1 s after the previous one so that the expiration lies across the wrap:
 * dt = 2^32 - 1 (the longest), then the chunk libtock-c uses for long delays
 * (ms_to_ticks(ticks_to_ms(2^32 - 1)), under a millisecond short of 2^32). Each round is set
 * with command 6 (reference, dt) and waited for with yield-wait-for; the upcall must carry
 * reference + dt and arrive at most a second after it.
 *
 * Expected output:
 *   alarm_long: round 1: dt 4294967295 from <ref> at <freq> Hz
 *   alarm_long: round 1: fired late by <n> ticks (kernel <k>), ok
 *   alarm_long: round 2: dt <chunk> from <ref> at <freq> Hz
 *   alarm_long: round 2: fired late by <n> ticks (kernel <k>), ok
 *   alarm_long: done
 * A round a whole period late is caught by the board case (a heartbeat next to it); a round
 * that never fires shows as a timeout.
 *
 * Usage: QEMU with -icount sleep=off (tests/board/cases.py), or about 6 min (mps2) / 15 min
 * (virt) of real time otherwise.
 *
 * Invariants: none.
 */
#include <stdint.h>
#include <stdio.h>

#include <libtock-sync/services/alarm.h>
#include <libtock/peripherals/syscalls/alarm_syscalls.h>
#include <libtock/services/alarm.h>

#include "../common/test_alarm.h"

static uint32_t chunk_ticks(uint32_t frequency)
{
    /* libtock-c's longest single alarm: whole milliseconds of 2^32 - 1 ticks, back in ticks. */
    uint32_t ms = libtock_alarm_ticks_to_ms(UINT32_MAX);
    uint64_t ticks = (uint64_t)(ms / 1000u) * frequency;
    ticks += (uint64_t)(ms % 1000u) * frequency / 1000u;
    return (uint32_t)ticks;
}

static int round_trip(int round, uint32_t dt, uint32_t frequency)
{
    libtocksync_alarm_delay_ms(1000);
    uint32_t reference = 0;
    libtock_alarm_command_read(&reference);
    printf("alarm_long: round %d: dt %lu from %lu at %lu Hz\n", round, (unsigned long)dt,
           (unsigned long)reference, (unsigned long)frequency);
    struct test_alarm_wait w;
    if (test_alarm_wait(reference, dt, &w) != 0) {
        printf("alarm_long: FAIL set_absolute refused\n");
        return 1;
    }
    uint32_t now = w.now;
    uint32_t expiration = reference + dt;
    uint32_t late = now - expiration;
    if (w.upcall_expiration != expiration) {
        printf("alarm_long: FAIL round %d: upcall expiration %lu, want %lu\n", round,
               (unsigned long)w.upcall_expiration, (unsigned long)expiration);
        return 1;
    }
    if (now - reference < dt && late > frequency) {
        printf("alarm_long: FAIL round %d: fired early at %lu\n", round, (unsigned long)now);
        return 1;
    }
    if (late > frequency) {
        printf("alarm_long: FAIL round %d: fired %lu ticks late\n", round, (unsigned long)late);
        return 1;
    }
    printf("alarm_long: round %d: fired late by %lu ticks (kernel %lu), ok\n", round,
           (unsigned long)late, (unsigned long)(w.upcall_now - expiration));
    return 0;
}

int main(void)
{
    uint32_t frequency = 0;
    libtock_alarm_command_get_frequency(&frequency);
    if (round_trip(1, UINT32_MAX, frequency) != 0 ||
        round_trip(2, chunk_ticks(frequency), frequency) != 0) {
        return 1;
    }
    printf("alarm_long: done\n");
    return 0;
}
