/* SPDX-License-Identifier: Apache-2.0 OR MIT */
/*
 * msg_dies: a client that exits in the middle of a call. It offers a read lease, sends HOLD
 * (msg_server keeps the call 300 ms, then borrows the lease and replies), and exits 50 ms later,
 * after the server has received the call. The server must see its borrow fail with
 * CANCEL/PEER_DEAD and its reply dropped, and keep serving others.
 *
 * Expected output: "msg_dies: exiting mid-call".
 *
 * Invariants: none.
 */
#include <stdio.h>

#include <libtock-sync/services/alarm.h>

#include "../msg_common/msg_test.h"

static const char lease[] = "secret lease";

int main(void)
{
    uint32_t server = 0;
    if (ipc_name_lookup_wait(MSG_SERVER_NAME, &server) != RETURNCODE_SUCCESS ||
        ipc_lease_read(1, lease, sizeof lease) != RETURNCODE_SUCCESS) {
        printf("msg_dies: FAIL setup\n");
        return 1;
    }
    static char reply[16];
    int rc = ipc_send(server, MSG_OP_HOLD, NULL, 0, reply, sizeof reply, 0, NULL);
    if (rc != RETURNCODE_SUCCESS) {
        printf("msg_dies: FAIL send %s\n", msg_rc(rc));
        return 1;
    }
    libtocksync_alarm_delay_ms(50);
    printf("msg_dies: exiting mid-call\n");
    tock_exit(0);
}
