/* SPDX-License-Identifier: Apache-2.0 OR MIT */
/*
 * msg_cycle_a: first of three servers that call each other (cycle.a -> cycle.b -> cycle.c).
 * A call to itself and every call that would close a cycle while the chain is waiting must
 * fail with WOULD_DEADLOCK; once the chain has unwound, cycle.c's call to cycle.a succeeds.
 *
 * Expected output: "msg_cycle_a: call self: FAIL WOULD_DEADLOCK", "msg_cycle_a: reply from b:
 * 42", "msg_cycle_a: served a later call".
 *
 * Invariants: none.
 */
#include <stdio.h>

#include "../msg_common/msg_test.h"

int main(void)
{
    uint32_t self = 0, b = 0;
    if (ipc_serve(true) != RETURNCODE_SUCCESS ||
        ipc_name_register("cycle.a", 0) != RETURNCODE_SUCCESS ||
        ipc_name_lookup_wait("cycle.a", &self) != RETURNCODE_SUCCESS ||
        ipc_name_lookup_wait("cycle.b", &b) != RETURNCODE_SUCCESS) {
        printf("msg_cycle_a: FAIL setup\n");
        return 1;
    }
    size_t len = 0;
    uint32_t code = 0;
    int rc = ipc_call(self, 1, NULL, 0, NULL, 0, 0, &len, &code);
    printf("msg_cycle_a: call self: %s %s\n", msg_rc(rc), ipc_reason_name(code));
    rc = ipc_call(b, 1, NULL, 0, NULL, 0, 0, &len, &code);
    printf("msg_cycle_a: reply from b: %lu%s\n", (unsigned long)code,
           rc == RETURNCODE_SUCCESS ? "" : " FAIL");
    struct ipc_message msg;
    rc = ipc_recv(NULL, 0, 0, 0, &msg);
    if (rc == RETURNCODE_SUCCESS) {
        rc = ipc_reply(msg.token, 7, NULL, 0, NULL);
    }
    printf("msg_cycle_a: served a later call%s\n", rc == RETURNCODE_SUCCESS ? "" : " FAIL");
    return 0;
}
