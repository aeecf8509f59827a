/* SPDX-License-Identifier: Apache-2.0 OR MIT */
/*
 * latched_flood: a process that floods its own upcall ring still gets each completion of a
 * queued driver (key-value, 0x50003) exactly once (record 030: completions are latched).
 *
 * It floods its ring with its own alarm upcalls (FLOOD alarms that expire at once, more than
 * the ring's 9 entries, taken by no yield), then starts an asynchronous set and yields until
 * its completion callback has run (round 1, Yield-Wait: the ring's upcalls come first, then the
 * latched completion); it counts both. Round 2 floods again and does a synchronous set, which
 * waits in Yield-WaitFor for the completion. Before latched upcalls the completion found the
 * ring full and was dropped, and round 1 never ended.
 *
 * Packed with storage permissions (userland.mk: write id 0x30).
 *
 * Expected output, in order:
 *   latched_flood: ring flooded: <n> alarm upcalls of <FLOOD>   (n at most 9: the ring)
 *   latched_flood: async completion once, status 0
 *   latched_flood: ring flooded again: <n> alarm upcalls
 *   latched_flood: sync set under flood: 0
 *   latched_flood: done, completions 1
 * Any failed check prints "latched_flood: FAIL <what>".
 *
 * Invariants: one key-value request outstanding at a time; the alarm driver is used raw (not
 * through libtock's alarm service), so nothing else subscribes to it.
 */
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>

#include <libtock-sync/storage/kv.h>
#include <libtock/peripherals/syscalls/alarm_syscalls.h>
#include <libtock/storage/kv.h>
#include <libtock/tock.h>

#define KEY(s) (const uint8_t *)(s), (uint32_t)(sizeof(s) - 1u)

enum { FLOOD = 20 };

static volatile uint32_t alarms;
static volatile uint32_t completions;
static volatile returncode_t completion_status;

static void on_alarm(int now, int scheduled, int unused, void *ud)
{
    (void)now;
    (void)scheduled;
    (void)unused;
    (void)ud;
    alarms++;
}

static void on_set(returncode_t ret)
{
    completion_status = ret;
    completions++;
}

/* FLOOD alarm upcalls for this process, none taken: each set expires at once. */
static bool flood(void)
{
    for (uint32_t i = 0; i < FLOOD; i++) {
        uint32_t now = 0;
        if (libtock_alarm_command_read(&now) != RETURNCODE_SUCCESS ||
            libtock_alarm_command_set_absolute(now, 0) != RETURNCODE_SUCCESS) {
            return false;
        }
        for (volatile uint32_t spin = 0; spin < 2000u; spin++) {
        }
    }
    return true;
}

static void drain(void)
{
    while (yield_no_wait()) {
    }
}

int main(void)
{
    if (libtock_alarm_set_upcall(on_alarm, NULL) != RETURNCODE_SUCCESS || !flood()) {
        printf("latched_flood: FAIL alarm\n");
        return 1;
    }
    /* Round 1: the completion arrives while the ring is full; Yield-Wait takes it. */
    if (libtock_kv_set(KEY("flood"), KEY("one"), on_set) != RETURNCODE_SUCCESS) {
        printf("latched_flood: FAIL async set refused\n");
        return 1;
    }
    while (completions == 0) {
        yield();
    }
    drain();
    printf("latched_flood: ring flooded: %lu alarm upcalls of %u\n", (unsigned long)alarms,
           (unsigned)FLOOD);
    if (completions != 1) {
        printf("latched_flood: FAIL %lu completions\n", (unsigned long)completions);
        return 1;
    }
    printf("latched_flood: async completion once, status %d\n", (int)completion_status);

    /* Round 2: the ring fills again; the synchronous set waits in Yield-WaitFor. */
    alarms = 0;
    if (!flood()) {
        printf("latched_flood: FAIL alarm\n");
        return 1;
    }
    returncode_t ret = libtocksync_kv_set(KEY("flood"), KEY("two"));
    drain();
    printf("latched_flood: ring flooded again: %lu alarm upcalls\n", (unsigned long)alarms);
    printf("latched_flood: sync set under flood: %d\n", (int)ret);
    drain();
    printf("latched_flood: done, completions %lu\n", (unsigned long)completions);
    return 0;
}
