/* SPDX-License-Identifier: Apache-2.0 OR MIT */
/*
 * msg_timeout: per-call timeouts. A LATE call (msg_server replies after 300 ms) with a 50 ms
 * timeout must complete with CANCEL/TIMEOUT close to 50 ms; the client can call again at once
 * (the call queues behind the late one), and the server's late reply is dropped.
 *
 * Expected output: "msg_timeout: late call: CANCEL TIMEOUT", "msg_timeout: timed out in time",
 * "msg_timeout: echo after timeout ok", "msg_timeout: done".
 *
 * Invariants: none.
 */
#include <stdio.h>

#include "../msg_common/msg_test.h"

int main(void)
{
    uint32_t server = 0;
    if (ipc_name_lookup_wait(MSG_SERVER_NAME, &server) != RETURNCODE_SUCCESS) {
        printf("msg_timeout: FAIL lookup\n");
        return 1;
    }
    size_t len = 0;
    uint32_t code = 0;
    uint32_t start = msg_ticks();
    int rc = ipc_call(server, MSG_OP_LATE, NULL, 0, NULL, 0, 50, &len, &code);
    uint32_t took = msg_elapsed_ms(start);
    printf("msg_timeout: late call: %s %s\n", msg_rc(rc), ipc_reason_name(code));
    printf("msg_timeout: (took %lu ms)\n", (unsigned long)took);
    if (took >= 45 && took <= 150) {
        printf("msg_timeout: timed out in time\n");
    } else {
        printf("msg_timeout: FAIL timed out after %lu ms\n", (unsigned long)took);
    }
    char reply[8];
    rc = ipc_call(server, MSG_OP_ECHO, "again", 5, reply, sizeof reply, 0, &len, &code);
    printf("msg_timeout: echo after timeout %s\n",
           rc == RETURNCODE_SUCCESS && len == 5 ? "ok" : "FAIL");
    printf("msg_timeout: done\n");
    return 0;
}
