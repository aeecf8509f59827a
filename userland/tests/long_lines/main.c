/* SPDX-License-Identifier: Apache-2.0 OR MIT */
/*
 * long_lines: print a 123-byte line every 20 ms for about 3 seconds, so that the process
 * console's answers, typed meanwhile, must find their way between lines longer than the
 * console's 64-byte staging buffer.
 *
 * Expected output: 150 lines "L:" followed by 120 copies of L, then "long_lines: done". A line
 * that is not whole means kernel output was put inside it.
 *
 * Invariants: each line is one printf, which the libc sends as one console write.
 */
#include <stdio.h>

#include <libtock-sync/services/alarm.h>

enum { LINE_LETTERS = 120, LINES = 150, PERIOD_MS = 20 };

int main(void)
{
    char line[LINE_LETTERS + 1];
    for (int i = 0; i < LINE_LETTERS; i++) {
        line[i] = 'L';
    }
    line[LINE_LETTERS] = '\0';
    for (int n = 0; n < LINES; n++) {
        printf("L:%s\n", line);
        libtocksync_alarm_delay_ms(PERIOD_MS);
    }
    printf("long_lines: done\n");
    return 0;
}
