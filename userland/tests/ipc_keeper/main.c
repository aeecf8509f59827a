/* SPDX-License-Identifier: Apache-2.0 OR MIT */
/*
 * ipc_keeper: an IPC service that keeps the address of a client's shared buffer and touches it
 * again after the client has exited. The kernel must have withdrawn the mapping, so that read
 * faults this service (and only it).
 *
 * Expected output: "ipc_keeper: ready", "ipc_keeper: got <text>", then after the client is gone
 * "ipc_keeper: reading the departed client's buffer" and a fault. "ipc_keeper: FAIL ..." means
 * the stale read succeeded.
 *
 * Invariants: none.
 */
#include <stdint.h>
#include <stdio.h>

#include <libtock-sync/services/alarm.h>
#include <libtock/kernel/ipc.h>

static volatile uintptr_t kept;

static void on_request(int client, int len, int buf, void *ud)
{
    (void)ud;
    (void)len;
    kept = (uintptr_t)buf;
    printf("ipc_keeper: got %s\n", (const char *)kept);
    (void)ipc_notify_client((size_t)client);
}

int main(void)
{
    if (ipc_register_service_callback("ipc_keeper", on_request, NULL) != RETURNCODE_SUCCESS) {
        printf("ipc_keeper: FAIL could not register\n");
        return 1;
    }
    printf("ipc_keeper: ready\n");
    while (kept == 0) {
        yield();
    }
    libtocksync_alarm_delay_ms(300); /* the client exits meanwhile */
    printf("ipc_keeper: reading the departed client's buffer\n");
    /* SAFETY: deliberately stale: the point of the test is that this faults. */
    char c = *(volatile char *)kept;
    printf("ipc_keeper: FAIL read '%c' after the client exited\n", c);
    return 1;
}
