/* SPDX-License-Identifier: Apache-2.0 OR MIT */
/*
 * rot13_service: an IPC service (Tock-compatible IPC, driver 0x10000). A client shares a buffer
 * and notifies; the service applies ROT13 to the text in the client's buffer, in place, and
 * notifies the client back.
 *
 * Expected output: "rot13_service: ready", then "rot13_service: served <n>" per request.
 *
 * Invariants: the buffer is the client's memory, mapped into this process by the kernel only
 * while the client lives.
 */
#include <stdint.h>
#include <stdio.h>

#include <libtock/kernel/ipc.h>

static int served;

static char rotate(char c)
{
    if (c >= 'a' && c <= 'z') {
        return (char)('a' + (c - 'a' + 13) % 26);
    }
    if (c >= 'A' && c <= 'Z') {
        return (char)('A' + (c - 'A' + 13) % 26);
    }
    return c;
}

static void on_request(int client, int len, int buf, void *ud)
{
    (void)ud;
    char *text = (char *)(uintptr_t)buf;
    for (int i = 0; i < len && text[i] != '\0'; i++) {
        text[i] = rotate(text[i]);
    }
    served++;
    printf("rot13_service: served %d\n", served);
    (void)ipc_notify_client((size_t)client);
}

int main(void)
{
    if (ipc_register_service_callback("rot13_service", on_request, NULL) != RETURNCODE_SUCCESS) {
        printf("rot13_service: FAIL could not register\n");
        return 1;
    }
    printf("rot13_service: ready\n");
    for (;;) {
        yield();
    }
}
