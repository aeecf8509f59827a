/* SPDX-License-Identifier: Apache-2.0 OR MIT */
/*
 * msg_flooder: calls msg_server's SLOW opcode (20 ms of service each) back to back, forever.
 * It can never hold more than one call (a second SEND fails with ALREADY), and FIFO receive
 * puts each new call behind everyone already waiting.
 *
 * Expected output: "msg_flooder: second send: ALREADY", "msg_flooder: flooding",
 * "msg_flooder: 100 calls".
 *
 * Invariants: none.
 */
#include <stdio.h>

#include "../msg_common/msg_test.h"

int main(void)
{
    uint32_t server = 0;
    if (ipc_name_lookup_wait(MSG_SERVER_NAME, &server) != RETURNCODE_SUCCESS) {
        printf("msg_flooder: FAIL lookup\n");
        return 1;
    }
    int rc = ipc_send(server, MSG_OP_SLOW, "f", 1, NULL, 0, 0, NULL);
    int second = ipc_send(server, MSG_OP_SLOW, "f", 1, NULL, 0, 0, NULL);
    printf("msg_flooder: second send: %s\n", msg_rc(second));
    struct ipc_reply reply;
    if (rc == RETURNCODE_SUCCESS) {
        rc = ipc_wait_reply(&reply);
    }
    printf("msg_flooder: flooding\n");
    for (uint32_t calls = 1;; calls++) {
        size_t len = 0;
        uint32_t code = 0;
        rc = ipc_call(server, MSG_OP_SLOW, "f", 1, NULL, 0, 0, &len, &code);
        if (rc != RETURNCODE_SUCCESS) {
            printf("msg_flooder: FAIL call %s\n", msg_rc(rc));
        }
        if (calls == 100) {
            printf("msg_flooder: 100 calls\n");
        }
    }
}
