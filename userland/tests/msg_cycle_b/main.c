/* SPDX-License-Identifier: Apache-2.0 OR MIT */
/*
 * msg_cycle_b: middle of the cycle test. Receives cycle.a's call, tries to call cycle.a back
 * (A -> B -> A: must fail with WOULD_DEADLOCK), then calls cycle.c and answers cycle.a with
 * cycle.c's response code.
 *
 * Expected output: "msg_cycle_b: call a: FAIL WOULD_DEADLOCK", "msg_cycle_b: done".
 *
 * Invariants: none.
 */
#include <stdio.h>

#include "../msg_common/msg_test.h"

int main(void)
{
    uint32_t a = 0, c = 0;
    if (ipc_serve(true) != RETURNCODE_SUCCESS ||
        ipc_name_register("cycle.b", 0) != RETURNCODE_SUCCESS ||
        ipc_name_lookup_wait("cycle.a", &a) != RETURNCODE_SUCCESS ||
        ipc_name_lookup_wait("cycle.c", &c) != RETURNCODE_SUCCESS) {
        printf("msg_cycle_b: FAIL setup\n");
        return 1;
    }
    struct ipc_message msg;
    if (ipc_recv(NULL, 0, 0, 0, &msg) != RETURNCODE_SUCCESS) {
        printf("msg_cycle_b: FAIL recv\n");
        return 1;
    }
    size_t len = 0;
    uint32_t code = 0;
    int rc = ipc_call(a, 1, NULL, 0, NULL, 0, 0, &len, &code);
    printf("msg_cycle_b: call a: %s %s\n", msg_rc(rc), ipc_reason_name(code));
    rc = ipc_call(c, 1, NULL, 0, NULL, 0, 0, &len, &code);
    if (rc != RETURNCODE_SUCCESS) {
        printf("msg_cycle_b: FAIL call c %s\n", msg_rc(rc));
    }
    rc = ipc_reply(msg.token, code, NULL, 0, NULL);
    printf("msg_cycle_b: done%s\n", rc == RETURNCODE_SUCCESS ? "" : " FAIL");
    return 0;
}
