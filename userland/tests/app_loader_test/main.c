/* SPDX-License-Identifier: Apache-2.0 OR MIT */
/*
 * app_loader_test: installs loaded_hello (embedded in this app's flash) at runtime through the
 * app loader (0x10001), after each refusal the issue asks for; doc/reference/028.
 *
 * Expected output, in order (the kernel's refusal lines between them):
 *   app_loader_test: bad sizes INVAL NOMEM
 *   app_loader_test: second setup BUSY
 *   app_loader_test: writes past the end INVAL, wrapping INVAL, with a non-blank tail INVAL
 *   app_loader_test: bad checksum refused FAIL
 *   app_loader_test: tampered body refused FAIL
 *   app_loader_test: aborted
 *   app_loader_test: rewrite ALREADY
 *   app_loader_test: loaded
 *   app_loader_test: write after load INVAL
 *   app_loader_test: done
 *   loaded_hello: running, loaded at runtime
 * While another process holds the loader, setup answers BUSY ("app_loader_test: waited for
 * the loader"). Any other result prints "app_loader_test: FAIL <what> <status>" and exits.
 *
 * Usage: boot it with a companion (tests/board/cases.py); on boards with fixed-address slots
 * the embedded build is slot 3's and APP_LOADER_PAYLOAD_ADDR that slot's TBF address.
 *
 * Invariants: one loader operation outstanding at a time.
 */
#include <stdint.h>
#include <stdio.h>

#include <libtock-sync/services/alarm.h>
#include <libtock/tock.h>

#include "loader.h"

extern const uint8_t app_loader_payload[];
extern const uint32_t app_loader_payload_size;

#define NO_FLIP 0xFFFFFFFFu
#define CHECKSUM_BYTE 12u

static void fail(const char *what, int status)
{
    printf("app_loader_test: FAIL %s %d\n", what, status);
    tock_exit(1);
}

static const char *name(int status)
{
    static const char *const names[] = { "OK",   "FAIL",    "BUSY",  "ALREADY", "OFF",
                                         "RESERVE", "INVAL", "SIZE", "CANCEL",  "NOMEM" };
    return status >= 0 && status < (int)(sizeof names / sizeof names[0]) ? names[status] : "?";
}

static void expect(const char *what, int status, int want)
{
    if (status != want) {
        fail(what, status);
    }
}

/* Set up for the payload, waiting while another process holds the loader. */
static void setup(void)
{
    uint32_t size = app_loader_payload_size;
    int st = loader_command(LOADER_SETUP, size, APP_LOADER_PAYLOAD_ADDR);
    for (int tries = 0; st == TOCK_STATUSCODE_BUSY && tries < 200; tries++) {
        if (tries == 0) {
            printf("app_loader_test: waited for the loader\n");
        }
        libtocksync_alarm_delay_ms(10);
        st = loader_command(LOADER_SETUP, size, APP_LOADER_PAYLOAD_ADDR);
    }
    expect("setup", st, 0);
    expect("setup done", loader_wait(LOADER_UPCALL_SETUP), 0);
}

/* Write a corrupted copy; finalize must refuse it and the room be erased. */
static void refused(const char *what, uint32_t flip)
{
    setup();
    expect(what,
           loader_write_image(app_loader_payload, app_loader_payload_size, flip, LOADER_CHUNK,
                              false),
           0);
    int st = loader_command(LOADER_FINALIZE, 0, 0);
    expect(what, st, TOCK_STATUSCODE_FAIL);
    expect("clean-up", loader_wait(LOADER_UPCALL_ABORT), 0);
    printf("app_loader_test: %s refused %s\n", what, name(st));
}

int main(void)
{
    libtocksync_alarm_delay_ms(50); /* a dying loader (app_loader_dies) sets up first */
    uint32_t size = app_loader_payload_size;
    setup();
    int second = loader_command(LOADER_SETUP, size, APP_LOADER_PAYLOAD_ADDR);
    expect("second setup", second, TOCK_STATUSCODE_BUSY);
    expect("abort", loader_command(LOADER_ABORT, 0, 0), 0);
    expect("abort done", loader_wait(LOADER_UPCALL_ABORT), 0);

    int tiny = loader_command(LOADER_SETUP, 8, APP_LOADER_PAYLOAD_ADDR);
    int huge = loader_command(LOADER_SETUP, 0x7FFFFF00u, APP_LOADER_PAYLOAD_ADDR);
    expect("tiny setup", tiny, TOCK_STATUSCODE_INVAL);
    expect("huge setup", huge, TOCK_STATUSCODE_NOMEM);
    printf("app_loader_test: bad sizes %s %s\n", name(tiny), name(huge));
    printf("app_loader_test: second setup %s\n", name(second));

    setup();
    allow_ro_return_t a = allow_readonly(LOADER_DRIVER, 0, app_loader_payload, LOADER_CHUNK);
    expect("allow", a.success ? 0 : (int)a.status, 0);
    int past = loader_command(LOADER_WRITE, size, 4);
    int wrapping = loader_command(LOADER_WRITE, 0xFFFFFE00u, LOADER_CHUNK);
    int tail = loader_command(LOADER_WRITE, size - 4u, 8); /* header bytes past the end */
    expect("past", past, TOCK_STATUSCODE_INVAL);
    expect("wrapping", wrapping, TOCK_STATUSCODE_INVAL);
    expect("tail", tail, TOCK_STATUSCODE_INVAL);
    printf("app_loader_test: writes past the end %s, wrapping %s, with a non-blank tail %s\n",
           name(past), name(wrapping), name(tail));
    expect("abort", loader_command(LOADER_ABORT, 0, 0), 0);
    expect("abort done", loader_wait(LOADER_UPCALL_ABORT), 0);

    refused("bad checksum", CHECKSUM_BYTE);
    uint32_t header_size = (uint32_t)app_loader_payload[2] | (uint32_t)app_loader_payload[3] << 8;
    refused("tampered body", header_size + 64u);

    setup();
    expect("half", loader_write_image(app_loader_payload, size / 2u, NO_FLIP, LOADER_CHUNK, false),
           0);
    expect("abort", loader_command(LOADER_ABORT, 0, 0), 0);
    expect("abort done", loader_wait(LOADER_UPCALL_ABORT), 0);
    printf("app_loader_test: aborted\n");

    setup();
    /* As libtock-c's loader sends it: 4 KiB chunks, the last one padded with zeros. */
    expect("image", loader_write_image(app_loader_payload, size, NO_FLIP, LOADER_BIG_CHUNK, true),
           0);
    int again = loader_write_image(app_loader_payload, LOADER_CHUNK, NO_FLIP, LOADER_CHUNK, false);
    expect("rewrite", again, TOCK_STATUSCODE_ALREADY);
    printf("app_loader_test: rewrite %s\n", name(again));
    expect("finalize", loader_command(LOADER_FINALIZE, 0, 0), 0);
    expect("finalize done", loader_wait(LOADER_UPCALL_FINALIZE), 0);
    expect("load", loader_command(LOADER_LOAD, 0, 0), 0);
    expect("load done", loader_wait(LOADER_UPCALL_LOAD), 0);
    printf("app_loader_test: loaded\n");

    int after = loader_command(LOADER_WRITE, 0, 4);
    expect("write after load", after, TOCK_STATUSCODE_INVAL);
    printf("app_loader_test: write after load %s\n", name(after));
    printf("app_loader_test: done\n");
    return 0;
}
