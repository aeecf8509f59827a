/* SPDX-License-Identifier: Apache-2.0 OR MIT */
/*
 * ipc_client_withdraws: shares a buffer with ipc_keeper, waits for its answer, then clears the
 * share (read-write allow of length 0) and writes a secret into the same memory while staying
 * alive. The clear must have withdrawn the keeper's mapping: its later read faults it.
 *
 * Expected output: "ipc_client_withdraws: answered", "ipc_client_withdraws: withdrawn, secret
 * written", then "ipc_client_withdraws: still alive" lines.
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
        printf("ipc_client_withdraws: FAIL share or notify\n");
        return 1;
    }
    (void)yield_wait_for(IPC_DRIVER_NUM, (uint32_t)keeper);
    printf("ipc_client_withdraws: answered\n");
    if (ipc_share(keeper, NULL, 0) != RETURNCODE_SUCCESS) {
        printf("ipc_client_withdraws: FAIL could not clear the share\n");
        return 1;
    }
    strcpy(buf, "the new secret");
    printf("ipc_client_withdraws: withdrawn, secret written\n");
    for (;;) {
        libtocksync_alarm_delay_ms(200);
        printf("ipc_client_withdraws: still alive\n");
    }
}
