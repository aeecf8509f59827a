/* SPDX-License-Identifier: Apache-2.0 OR MIT */
/*
 * counter_a: half of the multi-process demo; with counter_b its lines interleave.
 *
 * Uses the asynchronous alarm API: a one-shot 100 ms alarm, then a repeating 200 ms alarm, so it
 * prints at about t = 100, 300, 500, 700, 900 ms after start, while counter_b prints at 200,
 * 400, ... 1000 ms.
 *
 * Expected output (interleaved with counter_b's when both run):
 *   counter_a: tick 1
 *   ...
 *   counter_a: tick 5
 *   counter_a: done
 * then exit 0.
 *
 * Usage: load together with counter_b.
 *
 * Invariants: all printing happens in main; the callbacks only count.
 */
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>

#include <libtock/services/alarm.h>
#include <libtock/tock.h>

enum { TICKS = 5 };

static libtock_alarm_t start_alarm;
static libtock_alarm_t period_alarm;
static volatile uint32_t fired;

static void on_period(uint32_t now, uint32_t scheduled, void *opaque)
{
    (void)now;
    (void)scheduled;
    (void)opaque;
    fired++;
}

static void on_start(uint32_t now, uint32_t scheduled, void *opaque)
{
    (void)now;
    (void)scheduled;
    (void)opaque;
    fired++;
    libtock_alarm_repeating_every_ms(200, on_period, NULL, &period_alarm);
}

int main(void)
{
    uint32_t printed = 0;
    libtock_alarm_in_ms(100, on_start, NULL, &start_alarm);
    while (printed < TICKS) {
        yield();
        while (printed < fired && printed < TICKS) {
            printed++;
            printf("counter_a: tick %lu\n", (unsigned long)printed);
        }
    }
    libtock_alarm_ms_cancel(&period_alarm);
    printf("counter_a: done\n");
    return 0;
}
