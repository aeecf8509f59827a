/* SPDX-License-Identifier: Apache-2.0 OR MIT */
/*
 * msg_forger: forged handles. Descriptors are per-process table indices and tokens name one
 * received call of one server, so made-up numbers must fail with INVAL (or, for a guessed
 * token of someone else's old call, be dropped) and never reach another process. The real
 * descriptor keeps working, and msg_peer is served throughout.
 *
 * Expected output: "msg_forger: forged descriptors: INVAL INVAL INVAL INVAL INVAL",
 * "msg_forger: forged name ops: INVAL INVAL INVAL INVAL", "msg_forger: forged tokens: INVAL
 * INVAL INVAL INVAL", "msg_forger: guessed tokens: none delivered", "msg_forger: cancel without
 * a call: INVAL", "msg_forger: post without a grant: NOSUPPORT", "msg_forger: forged badge:
 * INVAL", "msg_forger: real descriptor works", "msg_forger: done".
 *
 * Invariants: none.
 */
#include <stdio.h>
#include <string.h>

#include "../msg_common/msg_test.h"

static int raw(uint32_t driver, uint32_t cmd, uint32_t a, uint32_t b)
{
    syscall_return_t r = command(driver, cmd, (int)a, (int)b);
    if (r.type >= TOCK_SYSCALL_SUCCESS) {
        return RETURNCODE_SUCCESS;
    }
    return tock_status_to_returncode((statuscode_t)r.data[0]);
}

int main(void)
{
    uint32_t server = 0;
    if (ipc_name_lookup_wait(MSG_SERVER_NAME, &server) != RETURNCODE_SUCCESS) {
        printf("msg_forger: FAIL lookup\n");
        return 1;
    }
    /* Each line is printed with one printf: other apps print concurrently. */
    char line[96] = "msg_forger: forged descriptors:";
    const uint32_t descs[] = { 0, server + 1, 8, 9, 0xFFFF };
    for (unsigned i = 0; i < sizeof descs / sizeof descs[0]; i++) {
        strcat(line, " ");
        strcat(line, msg_rc(ipc_send(descs[i], MSG_OP_ECHO, "x", 1, NULL, 0, 0, NULL)));
    }
    printf("%s\n", line);
    uint32_t state = 0, badge = 0;
    printf("msg_forger: forged name ops: %s %s %s %s\n",
           msg_rc(ipc_post(server + 2, 1, NULL)), msg_rc(ipc_watch(server + 3, 1)),
           msg_rc(ipc_name_reopen(7)), msg_rc(ipc_name_status(6, &state, &badge)));
    const uint32_t tokens[] = { 0, 0x40000001u, 0x7FFFFF02u, 0xFFFFFF10u };
    strcpy(line, "msg_forger: forged tokens:");
    for (unsigned i = 0; i < sizeof tokens / sizeof tokens[0]; i++) {
        strcat(line, " ");
        strcat(line, msg_rc(ipc_reply(tokens[i], 0, "evil", 4, NULL)));
    }
    printf("%s\n", line);
    /* Tokens of calls other clients may have made to msg_server: never ours to answer. */
    int delivered = 0, other = 0;
    for (uint32_t slot = 1; slot <= 4; slot++) {
        for (uint32_t seq = 1; seq <= 16; seq++) {
            bool was_delivered = false;
            int rc = ipc_reply(slot | (seq << 8), 0, "evil", 4, &was_delivered);
            delivered += was_delivered ? 1 : 0;
            other += rc != RETURNCODE_SUCCESS && rc != RETURNCODE_EINVAL ? 1 : 0;
            uint8_t scratch[4];
            size_t copied = 0;
            rc = ipc_borrow_read(slot | (seq << 8), 1, 0, scratch, sizeof scratch, &copied, NULL);
            delivered += rc == RETURNCODE_SUCCESS ? 1 : 0;
        }
    }
    printf("msg_forger: guessed tokens: %s\n",
           delivered == 0 && other == 0 ? "none delivered" : "FAIL");
    printf("msg_forger: cancel without a call: %s\n", msg_rc(ipc_cancel()));
    printf("msg_forger: post without a grant: %s\n", msg_rc(ipc_post(server, 1, NULL)));
    printf("msg_forger: forged badge: %s\n",
           msg_rc(raw(IPC_MSG_DRIVER_NUM, 21, 0x000000FFu, 1)));
    char reply[4];
    size_t len = 0;
    uint32_t code = 0;
    int rc = ipc_call(server, MSG_OP_ECHO, "ok", 2, reply, sizeof reply, 0, &len, &code);
    printf("msg_forger: real descriptor %s\n", rc == RETURNCODE_SUCCESS ? "works" : "FAIL");
    printf("msg_forger: done\n");
    return 0;
}
