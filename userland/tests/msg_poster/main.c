/* SPDX-License-Identifier: Apache-2.0 OR MIT */
/*
 * msg_poster: floods msg_ntarget with notifications: one ungranted bit (must fail with
 * NOSUPPORT and leave the target untouched), 20000 posts of bit 0x1, then bit 0x4.
 *
 * Expected output: "msg_poster: ungranted bit: NOSUPPORT", "msg_poster: 20000 posts ok",
 * "msg_poster: done".
 *
 * Invariants: none.
 */
#include <stdio.h>

#include "../msg_common/msg_test.h"

int main(void)
{
    uint32_t target = 0;
    if (ipc_name_lookup_wait("ntarget", &target) != RETURNCODE_SUCCESS) {
        printf("msg_poster: FAIL lookup\n");
        return 1;
    }
    printf("msg_poster: ungranted bit: %s\n", msg_rc(ipc_post(target, 0x2, NULL)));
    int failures = 0;
    for (int i = 0; i < 20000; i++) {
        failures += ipc_post(target, 0x1, NULL) != RETURNCODE_SUCCESS ? 1 : 0;
    }
    printf("msg_poster: 20000 posts %s\n", failures == 0 ? "ok" : "FAIL");
    int rc = ipc_post(target, 0x4, NULL);
    printf("msg_poster: done%s\n", rc == RETURNCODE_SUCCESS ? "" : " FAIL");
    return 0;
}
