/* SPDX-License-Identifier: Apache-2.0 OR MIT */
/*
 * msg_cycle_c: end of the cycle test. While cycle.a waits for cycle.b and cycle.b waits for it,
 * calls to either would close a cycle (A -> B -> C -> A, B -> C -> B) and must fail with
 * WOULD_DEADLOCK; it answers cycle.b with 42, and afterwards calls cycle.a successfully.
 *
 * Expected output: "msg_cycle_c: call a: FAIL WOULD_DEADLOCK", "msg_cycle_c: call b: FAIL
 * WOULD_DEADLOCK", "msg_cycle_c: call a later: 7".
 *
 * Invariants: none.
 */
#include <stdio.h>

#include <libtock-sync/services/alarm.h>

#include "../msg_common/msg_test.h"

int main(void)
{
    uint32_t a = 0, b = 0;
    if (ipc_serve(true) != RETURNCODE_SUCCESS ||
        ipc_name_register("cycle.c", 0) != RETURNCODE_SUCCESS ||
        ipc_name_lookup_wait("cycle.a", &a) != RETURNCODE_SUCCESS ||
        ipc_name_lookup_wait("cycle.b", &b) != RETURNCODE_SUCCESS) {
        printf("msg_cycle_c: FAIL setup\n");
        return 1;
    }
    struct ipc_message msg;
    if (ipc_recv(NULL, 0, 0, 0, &msg) != RETURNCODE_SUCCESS) {
        printf("msg_cycle_c: FAIL recv\n");
        return 1;
    }
    size_t len = 0;
    uint32_t code = 0;
    int rc = ipc_call(a, 1, NULL, 0, NULL, 0, 0, &len, &code);
    printf("msg_cycle_c: call a: %s %s\n", msg_rc(rc), ipc_reason_name(code));
    rc = ipc_call(b, 1, NULL, 0, NULL, 0, 0, &len, &code);
    printf("msg_cycle_c: call b: %s %s\n", msg_rc(rc), ipc_reason_name(code));
    if (ipc_reply(msg.token, 42, NULL, 0, NULL) != RETURNCODE_SUCCESS) {
        printf("msg_cycle_c: FAIL reply\n");
    }
    libtocksync_alarm_delay_ms(100);
    rc = ipc_call(a, 1, NULL, 0, NULL, 0, 1000, &len, &code);
    printf("msg_cycle_c: call a later: %lu%s\n", (unsigned long)code,
           rc == RETURNCODE_SUCCESS ? "" : " FAIL");
    return 0;
}
