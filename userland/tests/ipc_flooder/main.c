/* SPDX-License-Identifier: Apache-2.0 OR MIT */
/*
 * ipc_flooder: finds heartbeat by its package name and sends it IPC notifications (both
 * directions) as fast as it can for 600 ms, while heartbeat, which never uses IPC, waits in
 * Yield-WaitFor for its alarm. Heartbeat must keep beating during and after the flood.
 *
 * Expected output: "ipc_flooder: flooding heartbeat", then "ipc_flooder: done, <n> notifies
 * sent, 0 refused", with heartbeat lines in between and after.
 *
 * Usage: load next to heartbeat.
 *
 * Invariants: none.
 */
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>

#include <libtock-sync/services/alarm.h>
#include <libtock/kernel/ipc.h>
#include <libtock/services/alarm.h>

static volatile bool stop;

static void on_stop(uint32_t now, uint32_t scheduled, void *opaque)
{
    (void)now;
    (void)scheduled;
    (void)opaque;
    stop = true;
}

int main(void)
{
    size_t target = 0;
    while (ipc_discover("heartbeat", &target) != RETURNCODE_SUCCESS) {
        libtocksync_alarm_delay_ms(10);
    }
    libtocksync_alarm_delay_ms(150); /* heartbeat is inside its alarm wait by now */
    printf("ipc_flooder: flooding heartbeat\n");
    libtock_alarm_t alarm;
    if (libtock_alarm_in_ms(600, on_stop, NULL, &alarm) != RETURNCODE_SUCCESS) {
        printf("ipc_flooder: FAIL no alarm\n");
        return 1;
    }
    uint32_t sent = 0, refused = 0;
    while (!stop) {
        for (uint32_t i = 0; i < 100; i++) {
            refused += ipc_notify_service(target) != RETURNCODE_SUCCESS;
            refused += ipc_notify_client(target) != RETURNCODE_SUCCESS;
            sent += 2;
        }
        (void)yield_no_wait(); /* lets on_stop run */
    }
    printf("ipc_flooder: done, %lu notifies sent, %lu refused\n", (unsigned long)sent,
           (unsigned long)refused);
    return 0;
}
