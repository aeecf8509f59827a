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

#include <libtock/kernel/ipc.h>

#include "../common/test_ipc_share.h"

static char buf[64] __attribute__((aligned(64)));

int main(void)
{
    size_t keeper = 0;
    if (test_ipc_share_with_keeper(buf, sizeof buf, &keeper) != RETURNCODE_SUCCESS) {
        printf("ipc_client_exits: FAIL share or notify\n");
        return 1;
    }
    printf("ipc_client_exits: answered\n");
    printf("ipc_client_exits: exiting\n");
    tock_exit(0);
}
