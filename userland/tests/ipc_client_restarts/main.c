/* SPDX-License-Identifier: Apache-2.0 OR MIT */
/*
 * ipc_client_restarts: shares a buffer with ipc_keeper, waits for its answer, then restarts
 * itself (exit-restart), which must withdraw the keeper's mapping of the buffer just as an exit
 * does. The restarted instance stays quiet; LED 1 (state survives restarts) tells it apart.
 *
 * Expected output: "ipc_client_restarts: answered, restarting", then
 * "ipc_client_restarts: restarted, not sharing".
 *
 * Invariants: none.
 */
#include <stdint.h>
#include <stdio.h>

#include <libtock/interface/led.h>
#include <libtock/interface/syscalls/led_syscalls.h>
#include <libtock/kernel/ipc.h>

#include "../common/test_ipc_share.h"

static char buf[64] __attribute__((aligned(64)));

int main(void)
{
    int restarted = 0;
    if (libtock_led_command_read(1, &restarted) == RETURNCODE_SUCCESS && restarted != 0) {
        printf("ipc_client_restarts: restarted, not sharing\n");
        for (;;) {
            yield();
        }
    }
    size_t keeper = 0;
    if (test_ipc_share_with_keeper(buf, sizeof buf, &keeper) != RETURNCODE_SUCCESS) {
        printf("ipc_client_restarts: FAIL share or notify\n");
        return 1;
    }
    (void)libtock_led_on(1);
    printf("ipc_client_restarts: answered, restarting\n");
    tock_restart(0);
}
