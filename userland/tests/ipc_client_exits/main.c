/* SPDX-License-Identifier: Apache-2.0 OR MIT */
/*
 * ipc_client_exits: shares a buffer with ipc_keeper, waits for its answer, then exits, which
 * must withdraw the keeper's mapping of the buffer.
 *
 * Expected output: "ipc_client_exits: answered", "ipc_client_exits: exiting".
 *
 * Invariants: none.
 */
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include <libtock-sync/services/alarm.h>
#include <libtock/kernel/ipc.h>

static char buf[64] __attribute__((aligned(64)));

int main(void)
{
    size_t keeper = 0;
    while (ipc_discover("ipc_keeper", &keeper) != RETURNCODE_SUCCESS) {
        libtocksync_alarm_delay_ms(10);
    }
    libtocksync_alarm_delay_ms(50);
    strcpy(buf, "kept secret");
    if (ipc_share(keeper, buf, sizeof buf) != RETURNCODE_SUCCESS ||
        ipc_notify_service(keeper) != RETURNCODE_SUCCESS) {
        printf("ipc_client_exits: FAIL share or notify\n");
        return 1;
    }
    (void)yield_wait_for(IPC_DRIVER_NUM, (uint32_t)keeper);
    printf("ipc_client_exits: answered\n");
    printf("ipc_client_exits: exiting\n");
    tock_exit(0);
}
