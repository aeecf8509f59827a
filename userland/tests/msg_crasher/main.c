/* SPDX-License-Identifier: Apache-2.0 OR MIT */
/*
 * msg_crasher: a server ("crasher") that faults while it holds a call. Opcode 9 makes it wait
 * 300 ms (so other calls queue up) and then trap with an undefined syscall class; the kernel
 * restarts it and the new instance registers again. Any other opcode is echoed.
 *
 * Expected output: "msg_crasher: ready", "msg_crasher: crashing with a call held", the kernel's
 * fault report, then "msg_crasher: ready" again from the restarted instance.
 *
 * Invariants: none.
 */
#include <stdio.h>

#include <libtock-sync/services/alarm.h>

#include "../msg_common/msg_test.h"
#include "tock_syscall_arch.h"

#define MSG_OP_CRASH 9

static uint8_t request[64];

int main(void)
{
    if (ipc_serve(true) != RETURNCODE_SUCCESS ||
        ipc_name_register("crasher", 0) != RETURNCODE_SUCCESS) {
        printf("msg_crasher: FAIL setup\n");
        return 1;
    }
    printf("msg_crasher: ready\n");
    for (;;) {
        struct ipc_message msg;
        if (ipc_recv(request, sizeof request, 0, 0, &msg) != RETURNCODE_SUCCESS ||
            msg.is_notification) {
            continue;
        }
        if (msg.opcode == MSG_OP_CRASH) {
            libtocksync_alarm_delay_ms(300);
            printf("msg_crasher: crashing with a call held\n");
            tock_syscall_undefined_class();
        }
        (void)ipc_reply(msg.token, (uint32_t)msg.len, request, msg.len, NULL);
    }
}
