/* SPDX-License-Identifier: Apache-2.0 OR MIT */
/*
 * app_loader_dies: sets up a load, writes one chunk, holds the loader for 100 ms and exits
 * mid-load: the kernel must erase what it wrote and free the loader (app_loader_test, booted
 * beside it, waits for it and then installs its app).
 *
 * Expected output, in order:
 *   app_loader_dies: wrote a chunk
 *   app_loader_dies: exiting mid-load
 * Any other result prints "app_loader_dies: FAIL <what> <status>".
 *
 * Usage: boot with app_loader_test (tests/board/cases.py).
 *
 * Invariants: none.
 */
#include <stdint.h>
#include <stdio.h>

#include <libtock-sync/services/alarm.h>
#include <libtock/tock.h>

#include "../app_loader_test/loader.h"

static uint8_t junk[LOADER_CHUNK];

int main(void)
{
    int st = loader_command(LOADER_SETUP, 8192, 0);
    if (st == 0) {
        st = loader_wait(LOADER_UPCALL_SETUP);
    }
    for (uint32_t i = 0; i < LOADER_CHUNK; i++) {
        junk[i] = (uint8_t)(0xA5u ^ i);
    }
    if (st == 0) {
        st = loader_write_image(junk, LOADER_CHUNK, 0xFFFFFFFFu, LOADER_CHUNK, false);
    }
    if (st != 0) {
        printf("app_loader_dies: FAIL load %d\n", st);
        return 1;
    }
    printf("app_loader_dies: wrote a chunk\n");
    libtocksync_alarm_delay_ms(100);
    printf("app_loader_dies: exiting mid-load\n");
    return 0;
}
