/* SPDX-License-Identifier: Apache-2.0 OR MIT */
/*
 * msg_qclient: a client whose call is still QUEUED when its server (msg_crasher, busy with
 * msg_rclient's call) dies: the call must complete once with PEER_DEAD (the server is
 * restarted only after the fault policy's back-off).
 *
 * Expected output: "msg_qclient: queued call: UNINSTALLED PEER_DEAD", "msg_qclient: done".
 *
 * Invariants: none.
 */
#include <stdio.h>

#include <libtock-sync/services/alarm.h>

#include "../msg_common/msg_test.h"

int main(void)
{
    uint32_t server = 0;
    if (ipc_name_lookup_wait("crasher", &server) != RETURNCODE_SUCCESS) {
        printf("msg_qclient: FAIL lookup\n");
        return 1;
    }
    libtocksync_alarm_delay_ms(100); /* the server is now holding msg_rclient's call */
    char reply[8];
    size_t len = 0;
    uint32_t code = 0;
    int rc = ipc_call(server, 1, "q", 1, reply, sizeof reply, 0, &len, &code);
    printf("msg_qclient: queued call: %s %s\n", msg_rc(rc), ipc_reason_name(code));
    printf("msg_qclient: done\n");
    return 0;
}
