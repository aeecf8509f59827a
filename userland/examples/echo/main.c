/* SPDX-License-Identifier: Apache-2.0 OR MIT */
/*
 * echo: read console input and echo each line back.
 *
 * The kernel keeps no receive buffer: a byte that arrives while no read is pending is lost,
 * and a 1-byte read would lose the rest of a pasted line. So echo keeps a 32-byte read pending
 * and, when input goes quiet for 50 ms, aborts it to collect what has arrived (the abort's
 * read-done still carries the bytes), then starts the next read at once.
 *
 * Expected output: "echo: ready", then for every input line "<text>" (ended by CR or LF)
 * "echo: <text>". Empty lines are ignored; lines longer than 63 bytes are split. The input
 * "quit" prints "echo: bye" and exits 0.
 *
 * Usage: load with other apps and type (or paste) into the console.
 *
 * Invariants: all printing happens in main; the callbacks only record completion.
 */
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include <libtock-sync/services/alarm.h>
#include <libtock/interface/console.h>

enum { READ_CHUNK = 32, LINE_MAX = 64, IDLE_MS = 50 };

static uint8_t chunk[READ_CHUNK];
static bool read_done; /* written by an upcall, read after yields (which clobber memory) */
static volatile uint32_t read_len;

static void on_read(returncode_t status, uint32_t len)
{
    (void)status; /* CANCEL after an abort still carries the bytes received */
    read_len = len;
    read_done = true;
}

/* Wait for the next bytes of input; returns how many landed in `chunk`. */
static uint32_t read_some(void)
{
    read_done = false;
    read_len = 0;
    if (libtock_console_read(chunk, READ_CHUNK, on_read) != RETURNCODE_SUCCESS) {
        libtocksync_alarm_delay_ms(IDLE_MS);
        return 0;
    }
    if (libtocksync_alarm_yield_for_with_timeout(&read_done, IDLE_MS) !=
        RETURNCODE_SUCCESS) {
        (void)libtock_console_abort_read();
        yield_for(&read_done);
    }
    return read_len <= READ_CHUNK ? read_len : READ_CHUNK;
}

int main(void)
{
    char line[LINE_MAX];
    size_t len = 0;
    printf("echo: ready\n");
    for (;;) {
        uint32_t got = read_some();
        for (uint32_t i = 0; i < got; i++) {
            char c = (char)chunk[i];
            bool end_of_line = c == '\r' || c == '\n';
            if (!end_of_line) {
                line[len++] = c;
            }
            if ((!end_of_line && len < LINE_MAX - 1) || len == 0) {
                continue;
            }
            line[len] = '\0';
            len = 0;
            if (strcmp(line, "quit") == 0) {
                printf("echo: bye\n");
                return 0;
            }
            printf("echo: %s\n", line);
        }
    }
}
