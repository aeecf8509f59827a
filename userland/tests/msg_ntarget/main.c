/* SPDX-License-Identifier: Apache-2.0 OR MIT */
/*
 * msg_ntarget: the target of a notification flood ("ntarget"). It lets anyone post bits 0x1
 * and 0x4 (not 0x2), then waits for bit 0x4 only, while msg_poster posts 0x1 twenty thousand
 * times, tries the ungranted 0x2, and finally posts 0x4. The whole flood must then arrive as
 * one event with bits 0x1, with nothing else pending (and no trace of 0x2).
 *
 * Expected output: "msg_ntarget: ready", "msg_ntarget: done bit 0x4", "msg_ntarget: flood
 * arrived as one event, bits 0x1", "msg_ntarget: nothing more pending", "msg_ntarget: done".
 *
 * Invariants: none.
 */
#include <stdio.h>

#include "../msg_common/msg_test.h"

/* RECV without a buffer: 1 if an event was queued at once, 0 if armed, -1 on error. */
static int arm(uint32_t mask)
{
    syscall_return_t r = command(IPC_MSG_DRIVER_NUM, 11, (int)mask, 0);
    return r.type == TOCK_SYSCALL_SUCCESS_U32 ? (int)r.data[0] : -1;
}

int main(void)
{
    if (ipc_grant_post(0, 0x1 | 0x4) != RETURNCODE_SUCCESS ||
        ipc_name_register("ntarget", 0) != RETURNCODE_SUCCESS) {
        printf("msg_ntarget: FAIL setup\n");
        return 1;
    }
    printf("msg_ntarget: ready\n");
    uint32_t bits = 0;
    int rc = ipc_wait_notification(0x4, &bits);
    printf("msg_ntarget: done bit 0x%lx%s\n", (unsigned long)bits,
           rc == RETURNCODE_SUCCESS ? "" : " FAIL");
    if (arm(0x1) != 1) {
        printf("msg_ntarget: FAIL flood bits not pending\n");
    }
    yield_waitfor_return_t event = yield_wait_for(IPC_MSG_DRIVER_NUM, 1);
    printf("msg_ntarget: flood arrived as one event, bits 0x%lx\n", (unsigned long)event.data1);
    printf("msg_ntarget: %s\n", arm(0x1 | 0x2 | 0x4) == 0 ? "nothing more pending" : "FAIL");
    printf("msg_ntarget: done\n");
    return 0;
}
