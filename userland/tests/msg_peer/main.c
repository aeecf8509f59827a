/* SPDX-License-Identifier: Apache-2.0 OR MIT */
/*
 * msg_peer: the well-behaved client next to a misbehaving one: five echo calls to msg_server,
 * 150 ms apart, each with a 2 s timeout so that a stuck server shows as a failure, not a hang.
 *
 * Expected output: "msg_peer: echo 1 ok" ... "msg_peer: echo 5 ok", "msg_peer: done".
 *
 * Invariants: none.
 */
#include <stdio.h>
#include <string.h>

#include <libtock-sync/services/alarm.h>

#include "../msg_common/msg_test.h"

int main(void)
{
    uint32_t server = 0;
    if (ipc_name_lookup_wait(MSG_SERVER_NAME, &server) != RETURNCODE_SUCCESS) {
        printf("msg_peer: FAIL lookup\n");
        return 1;
    }
    for (int i = 1; i <= 5; i++) {
        char reply[8] = { 0 };
        size_t len = 0;
        uint32_t code = 0;
        int rc = ipc_call(server, MSG_OP_ECHO, "peer", 4, reply, sizeof reply, 2000, &len, &code);
        if (rc != RETURNCODE_SUCCESS || len != 4 || memcmp(reply, "peer", 4) != 0) {
            printf("msg_peer: FAIL echo %d: %s %s\n", i, msg_rc(rc), ipc_reason_name(code));
        } else {
            printf("msg_peer: echo %d ok\n", i);
        }
        libtocksync_alarm_delay_ms(150);
    }
    printf("msg_peer: done\n");
    return 0;
}
