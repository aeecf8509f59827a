/* SPDX-License-Identifier: Apache-2.0 OR MIT */
/*
 * msg_polite: an occasional client next to msg_flooder. Five SLOW calls (20 ms service each);
 * with FIFO receive and one call per client, each waits at most for the call in service plus
 * one call per other client, so every call must complete within 150 ms.
 *
 * Expected output: "msg_polite: 5 calls, max latency under 150 ms", "msg_polite: done".
 *
 * Invariants: none.
 */
#include <stdio.h>

#include <libtock-sync/services/alarm.h>

#include "../msg_common/msg_test.h"

int main(void)
{
    uint32_t server = 0;
    if (ipc_name_lookup_wait(MSG_SERVER_NAME, &server) != RETURNCODE_SUCCESS) {
        printf("msg_polite: FAIL lookup\n");
        return 1;
    }
    libtocksync_alarm_delay_ms(200); /* let the flood start */
    uint32_t worst = 0;
    for (int i = 0; i < 5; i++) {
        size_t len = 0;
        uint32_t code = 0;
        uint32_t start = msg_ticks();
        int rc = ipc_call(server, MSG_OP_SLOW, "p", 1, NULL, 0, 2000, &len, &code);
        uint32_t took = msg_elapsed_ms(start);
        if (rc != RETURNCODE_SUCCESS) {
            printf("msg_polite: FAIL call %s %s\n", msg_rc(rc), ipc_reason_name(code));
        }
        worst = took > worst ? took : worst;
        libtocksync_alarm_delay_ms(30);
    }
    printf("msg_polite: (max latency %lu ms)\n", (unsigned long)worst);
    if (worst < 150) {
        printf("msg_polite: 5 calls, max latency under 150 ms\n");
    } else {
        printf("msg_polite: FAIL max latency %lu ms\n", (unsigned long)worst);
    }
    printf("msg_polite: done\n");
    return 0;
}
