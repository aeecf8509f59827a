/* SPDX-License-Identifier: Apache-2.0 OR MIT */
/*
 * msg_basic: a client of msg_server exercising one call at a time: echo, reply truncation,
 * oversized request, one outstanding call per client, cancel, leases, a lease re-allowed during
 * the call, client identity, and descriptor status.
 *
 * Expected output (in order): "msg_basic: echo 'ping' code 4", "msg_basic: truncated 8 of 16",
 * "msg_basic: big request: SIZE", "msg_basic: second send: ALREADY",
 * "msg_basic: cancelled: CANCEL CANCELLED", "msg_basic: write lease 'abcdwritten!mnop'",
 * "msg_basic: server sees me as 'msg_basic' on endpoint 0", "msg_basic: status LIVE",
 * "msg_basic: done". Lines with FAIL mean a check failed.
 *
 * Invariants: none.
 */
#include <stdio.h>
#include <string.h>

#include <libtock-sync/services/alarm.h>

#include "../msg_common/msg_test.h"

static char reply_buf[64];
static uint8_t big[IPC_MAX_MSG + 1];
static const char read_lease[] = "lease-data";
static char write_lease[17] = "abcdefghijklmnop";
static char other_lease[8] = "other";

static void echo(uint32_t server)
{
    size_t len = 0;
    uint32_t code = 0;
    int rc = ipc_call(server, MSG_OP_ECHO, "ping", 4, reply_buf, sizeof reply_buf, 0, &len,
                      &code);
    reply_buf[len < sizeof reply_buf ? len : sizeof reply_buf - 1] = '\0';
    printf("msg_basic: echo '%s' code %lu%s\n", reply_buf, (unsigned long)code,
           rc == RETURNCODE_SUCCESS ? "" : " FAIL");
}

static void truncation(uint32_t server)
{
    char small[8];
    struct ipc_reply reply;
    int rc = ipc_send(server, MSG_OP_ECHO, "0123456789abcdef", 16, small, sizeof small, 0, NULL);
    if (rc == RETURNCODE_SUCCESS) {
        rc = ipc_wait_reply(&reply);
    }
    printf("msg_basic: truncated %lu of %lu%s\n", (unsigned long)reply.len,
           (unsigned long)reply.code,
           rc == RETURNCODE_SUCCESS && reply.is_truncated ? "" : " FAIL");
}

static void one_call_at_a_time(uint32_t server)
{
    size_t len = 0;
    uint32_t code = 0;
    int rc = ipc_call(server, MSG_OP_ECHO, big, sizeof big, reply_buf, sizeof reply_buf, 0,
                      &len, &code);
    printf("msg_basic: big request: %s\n", msg_rc(rc));
    rc = ipc_send(server, MSG_OP_LATE, NULL, 0, NULL, 0, 0, NULL);
    if (rc != RETURNCODE_SUCCESS) {
        printf("msg_basic: FAIL send %s\n", msg_rc(rc));
        return;
    }
    rc = ipc_send(server, MSG_OP_ECHO, "x", 1, NULL, 0, 0, NULL);
    printf("msg_basic: second send: %s\n", msg_rc(rc));
    rc = ipc_cancel();
    struct ipc_reply reply;
    int status = ipc_wait_reply(&reply);
    printf("msg_basic: cancelled: %s %s%s\n", msg_rc(status), ipc_reason_name(reply.code),
           rc == RETURNCODE_SUCCESS ? "" : " FAIL");
    libtocksync_alarm_delay_ms(400); /* the server finishes the late call (its reply drops) */
}

static void leases(uint32_t server)
{
    size_t len = 0;
    uint32_t code = 0;
    if (ipc_lease_read(1, read_lease, strlen(read_lease)) != RETURNCODE_SUCCESS ||
        ipc_lease_write(2, write_lease, 16) != RETURNCODE_SUCCESS) {
        printf("msg_basic: FAIL lease allow\n");
        return;
    }
    int rc = ipc_call(server, MSG_OP_LEASES, NULL, 0, NULL, 0, 0, &len, &code);
    ipc_lease_clear(2);
    printf("msg_basic: write lease '%s'%s\n", write_lease, rc == RETURNCODE_SUCCESS ? "" : " FAIL");
    /* Re-allow lease 1 while the server holds the call: its borrow must fail. */
    rc = ipc_send(server, MSG_OP_LEASE_CHANGE, NULL, 0, NULL, 0, 0, NULL);
    (void)ipc_lease_read(1, other_lease, sizeof other_lease);
    struct ipc_reply reply;
    if (rc == RETURNCODE_SUCCESS) {
        rc = ipc_wait_reply(&reply);
    }
    ipc_lease_clear(1);
    if (rc != RETURNCODE_SUCCESS) {
        printf("msg_basic: FAIL lease change call %s\n", msg_rc(rc));
    }
}

static void identity(uint32_t server)
{
    size_t len = 0;
    uint32_t code = 0;
    memset(reply_buf, 0, sizeof reply_buf);
    int rc = ipc_call(server, MSG_OP_WHO, NULL, 0, reply_buf, sizeof reply_buf - 1, 0, &len,
                      &code);
    printf("msg_basic: server sees me as '%s' on endpoint %lu%s\n", reply_buf,
           (unsigned long)code, rc == RETURNCODE_SUCCESS ? "" : " FAIL");
    uint32_t state = 0, badge = 0;
    rc = ipc_name_status(server, &state, &badge);
    printf("msg_basic: status %s%s\n", state == IPC_DESC_LIVE ? "LIVE" : "not live",
           rc == RETURNCODE_SUCCESS && badge != 0 ? "" : " FAIL");
}

int main(void)
{
    uint32_t server = 0;
    int rc = ipc_name_lookup_wait(MSG_SERVER_NAME, &server);
    if (rc != RETURNCODE_SUCCESS) {
        printf("msg_basic: FAIL lookup %s\n", msg_rc(rc));
        return 1;
    }
    echo(server);
    truncation(server);
    one_call_at_a_time(server);
    leases(server);
    identity(server);
    printf("msg_basic: done\n");
    return 0;
}
