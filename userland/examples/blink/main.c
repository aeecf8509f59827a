/* SPDX-License-Identifier: Apache-2.0 OR MIT */
/*
 * blink: walk a binary counter over the board's LEDs, one step every 250 ms, forever.
 *
 * Expected output: "blink: <n> LEDs" once (or "blink: no LEDs" and exit 1), then nothing.
 *
 * Usage: any board with an LED driver.
 *
 * Invariants: none.
 */
#include <stdint.h>
#include <stdio.h>

#include <libtock-sync/services/alarm.h>
#include <libtock/interface/led.h>

int main(void)
{
    int count = 0;
    if (libtock_led_count(&count) != RETURNCODE_SUCCESS || count <= 0) {
        printf("blink: no LEDs\n");
        return 1;
    }
    printf("blink: %d LEDs\n", count);
    for (uint32_t step = 0;; step++) {
        for (int led = 0; led < count && led < 32; led++) {
            if ((step >> led) & 1u) {
                (void)libtock_led_on(led);
            } else {
                (void)libtock_led_off(led);
            }
        }
        libtocksync_alarm_delay_ms(250);
    }
}
