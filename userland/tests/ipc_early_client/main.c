/* SPDX-License-Identifier: Apache-2.0 OR MIT */
/*
 * ipc_early_client: a client of ipc_late_service that notifies it at once, before the service
 * has subscribed (the kernel holds the notification until it does), then waits for the answer
 * with Yield-WaitFor. Its second request is answered while it sleeps on the alarm with no IPC
 * callback subscribed; that answer is held too and arrives when it subscribes one.
 *
 * Expected output: "ipc_early_client: notified before the service subscribed",
 * "ipc_early_client: first answer: EARLY BIRD", "ipc_early_client: second answer: LATE WORM",
 * "ipc_early_client: done". Lines with FAIL mean a refused call or a wrong answer.
 *
 * Invariants: the buffer is not touched while the service works on it.
 */
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include <libtock-sync/services/alarm.h>
#include <libtock/kernel/ipc.h>

static char buf[64] __attribute__((aligned(64)));
static bool answered;

static void on_answer(int service, int len, int addr, void *ud)
{
    (void)service;
    (void)len;
    (void)addr;
    (void)ud;
    answered = true;
}

int main(void)
{
    size_t service = 0;
    if (ipc_discover("ipc_late_service", &service) != RETURNCODE_SUCCESS) {
        printf("ipc_early_client: FAIL no ipc_late_service\n");
        return 1;
    }
    strcpy(buf, "early bird");
    if (ipc_share(service, buf, sizeof buf) != RETURNCODE_SUCCESS ||
        ipc_notify_service(service) != RETURNCODE_SUCCESS) {
        printf("ipc_early_client: FAIL share or notify refused\n");
        return 1;
    }
    printf("ipc_early_client: notified before the service subscribed\n");
    yield_waitfor_return_t answer = yield_wait_for(IPC_DRIVER_NUM, (uint32_t)service);
    if (answer.data0 != service) {
        printf("ipc_early_client: FAIL answer from %lu\n", (unsigned long)answer.data0);
    }
    printf("ipc_early_client: first answer: %s\n", buf);

    strcpy(buf, "late worm");
    if (ipc_notify_service(service) != RETURNCODE_SUCCESS) {
        printf("ipc_early_client: FAIL second notify refused\n");
        return 1;
    }
    libtocksync_alarm_delay_ms(300); /* answered meanwhile, with nothing subscribed here */
    if (ipc_register_client_callback(service, on_answer, NULL) != RETURNCODE_SUCCESS) {
        printf("ipc_early_client: FAIL could not subscribe\n");
        return 1;
    }
    while (!answered) {
        yield();
    }
    printf("ipc_early_client: second answer: %s\n", buf);
    printf("ipc_early_client: done\n");
    return 0;
}
