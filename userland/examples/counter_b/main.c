/* SPDX-License-Identifier: Apache-2.0 OR MIT */
/*
 * counter_b: the other half of the multi-process demo; see counter_a.
 *
 * Sleeps with the synchronous alarm API, 200 ms per step, so it prints at about t = 200, 400,
 * 600, 800, 1000 ms after start.
 *
 * Expected output (interleaved with counter_a's when both run):
 *   counter_b: tock 1
 *   ...
 *   counter_b: tock 5
 *   counter_b: done
 * then exit 0.
 *
 * Usage: load together with counter_a.
 *
 * Invariants: none.
 */
#include <stdint.h>
#include <stdio.h>

#include <libtock-sync/services/alarm.h>

enum { TOCKS = 5 };

int main(void)
{
    for (uint32_t n = 1; n <= TOCKS; n++) {
        libtocksync_alarm_delay_ms(200);
        printf("counter_b: tock %lu\n", (unsigned long)n);
    }
    printf("counter_b: done\n");
    return 0;
}
