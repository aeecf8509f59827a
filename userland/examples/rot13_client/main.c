/* SPDX-License-Identifier: Apache-2.0 OR MIT */
/*
 * rot13_client: an IPC client of rot13_service. Shares a 64-byte buffer (a power of two aligned
 * to its size, which every MPU can map), asks the service to transform it three times, and waits
 * for each answer with Yield-WaitFor on the IPC upcall (no callback runs).
 *
 * Expected output: "rot13_client: Uryyb Jbeyq!", "rot13_client: Hello World!",
 * "rot13_client: Uryyb Jbeyq!", "rot13_client: done".
 *
 * Invariants: the buffer is not touched while the service works on it.
 */
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include <libtock-sync/services/alarm.h>
#include <libtock/kernel/ipc.h>

static char buf[64] __attribute__((aligned(64)));

int main(void)
{
    size_t service = 0;
    while (ipc_discover("rot13_service", &service) != RETURNCODE_SUCCESS) {
        libtocksync_alarm_delay_ms(10);
    }
    /* No need to wait for the service to subscribe: the kernel holds an early notification. */
    strcpy(buf, "Hello World!");
    if (ipc_share(service, buf, sizeof buf) != RETURNCODE_SUCCESS) {
        printf("rot13_client: FAIL share refused\n");
        return 1;
    }
    for (int round = 0; round < 3; round++) {
        if (ipc_notify_service(service) != RETURNCODE_SUCCESS) {
            printf("rot13_client: FAIL notify\n");
            return 1;
        }
        yield_waitfor_return_t answer = yield_wait_for(IPC_DRIVER_NUM, (uint32_t)service);
        if (answer.data0 != service) {
            printf("rot13_client: FAIL answer from %lu\n", (unsigned long)answer.data0);
        }
        printf("rot13_client: %s\n", buf);
    }
    printf("rot13_client: done\n");
    return 0;
}
