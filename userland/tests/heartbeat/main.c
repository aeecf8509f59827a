/* SPDX-License-Identifier: Apache-2.0 OR MIT */
/*
 * heartbeat: the well-behaved neighbour in every isolation test.
 *
 * Expected output, forever, one line about every 100 ms:
 *   heartbeat 1
 *   heartbeat 2
 *   ...
 * If it stops while another app misbehaves, isolation failed.
 *
 * Usage: load next to the app under test.
 *
 * Invariants: none.
 */
#include <stdint.h>
#include <stdio.h>

#include <libtock-sync/services/alarm.h>

int main(void)
{
    for (uint32_t beat = 1;; beat++) {
        printf("heartbeat %lu\n", (unsigned long)beat);
        libtocksync_alarm_delay_ms(100);
    }
}
