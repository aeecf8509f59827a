/* SPDX-License-Identifier: Apache-2.0 OR MIT */
/*
 * msg_rclient: a client whose server restarts mid-call. It watches the server, asks it to crash
 * while holding the call (msg_crasher opcode 9), and must get PEER_DEAD for that call (never a
 * hang: the server is dead until the fault policy's back-off ends), the watch bit, and once
 * the server runs again (status RESTARTED) PEER_RESTARTED on the stale descriptor and a
 * working call after REOPEN.
 *
 * Expected output: "msg_rclient: call: UNINSTALLED PEER_DEAD", "msg_rclient: watch bits 0x1",
 * "msg_rclient: status RESTARTED", "msg_rclient: old descriptor: UNINSTALLED PEER_RESTARTED",
 * "msg_rclient: reopened", "msg_rclient: echo after restart ok", "msg_rclient: done".
 *
 * Invariants: none.
 */
#include <stdio.h>

#include <libtock-sync/services/alarm.h>

#include "../msg_common/msg_test.h"

int main(void)
{
    uint32_t server = 0;
    if (ipc_name_lookup_wait("crasher", &server) != RETURNCODE_SUCCESS ||
        ipc_watch(server, 0x1) != RETURNCODE_SUCCESS) {
        printf("msg_rclient: FAIL setup\n");
        return 1;
    }
    size_t len = 0;
    uint32_t code = 0;
    int rc = ipc_call(server, 9, NULL, 0, NULL, 0, 0, &len, &code);
    printf("msg_rclient: call: %s %s\n", msg_rc(rc), ipc_reason_name(code));
    uint32_t bits = 0;
    rc = ipc_wait_notification(0x1, &bits);
    printf("msg_rclient: watch bits 0x%lx%s\n", (unsigned long)bits,
           rc == RETURNCODE_SUCCESS ? "" : " FAIL");
    uint32_t state = IPC_DESC_DEAD, badge = 0;
    for (int tries = 0; state != IPC_DESC_RESTARTED && tries < 100; tries++) {
        libtocksync_alarm_delay_ms(10);
        (void)ipc_name_status(server, &state, &badge);
    }
    printf("msg_rclient: status %s\n", state == IPC_DESC_RESTARTED ? "RESTARTED" : "FAIL");
    char reply[8];
    rc = ipc_call(server, 1, "hi", 2, reply, sizeof reply, 0, &len, &code);
    printf("msg_rclient: old descriptor: %s %s\n", msg_rc(rc), ipc_reason_name(code));
    for (int tries = 0; ipc_name_reopen(server) != RETURNCODE_SUCCESS; tries++) {
        if (tries == 100) {
            printf("msg_rclient: FAIL reopen\n");
            return 1;
        }
        libtocksync_alarm_delay_ms(20);
    }
    printf("msg_rclient: reopened\n");
    rc = ipc_call(server, 1, "hi", 2, reply, sizeof reply, 1000, &len, &code);
    printf("msg_rclient: echo after restart %s\n",
           rc == RETURNCODE_SUCCESS && len == 2 ? "ok" : "FAIL");
    printf("msg_rclient: done\n");
    return 0;
}
