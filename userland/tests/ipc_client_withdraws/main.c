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

#include "../common/test_ipc_share.h"

static char buf[64] __attribute__((aligned(64)));

int main(void)
{
    size_t keeper = 0;
    if (test_ipc_share_with_keeper(buf, sizeof buf, &keeper) != RETURNCODE_SUCCESS) {
        printf("ipc_client_withdraws: FAIL share or notify\n");
        return 1;
    }
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
