/* SPDX-License-Identifier: Apache-2.0 OR MIT */
/*
 * ipc_late_service: a Tock-compatible IPC service that subscribes its callback only 300 ms after
 * it starts, so a client's first notification reaches it unsubscribed; the kernel must hold that
 * notification and deliver it when the service subscribes. It upper-cases the text in the
 * client's shared buffer and notifies the client back.
 *
 * Expected output: "ipc_late_service: subscribing", then "ipc_late_service: served <n>" per
 * request.
 *
 * Invariants: the buffer is the client's memory, mapped here by the kernel while the client lives.
 */
#include <stdint.h>
#include <stdio.h>

#include <libtock-sync/services/alarm.h>
#include <libtock/kernel/ipc.h>

static int served;

static void on_request(int client, int len, int buf, void *ud)
{
    (void)ud;
    char *text = (char *)(uintptr_t)buf;
    for (int i = 0; i < len && text[i] != '\0'; i++) {
        if (text[i] >= 'a' && text[i] <= 'z') {
            text[i] = (char)(text[i] - 'a' + 'A');
        }
    }
    served++;
    printf("ipc_late_service: served %d\n", served);
    (void)ipc_notify_client((size_t)client);
}

int main(void)
{
    libtocksync_alarm_delay_ms(300); /* the client notifies meanwhile */
    printf("ipc_late_service: subscribing\n");
    if (ipc_register_service_callback("ipc_late_service", on_request, NULL) !=
        RETURNCODE_SUCCESS) {
        printf("ipc_late_service: FAIL could not register\n");
        return 1;
    }
    for (;;) {
        yield();
    }
}
