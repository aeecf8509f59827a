/* SPDX-License-Identifier: Apache-2.0 OR MIT */
/*
 * msg_server: the new-IPC test server ("msg.server"). Serves one call at a time; what it does
 * per opcode is listed in ../msg_common/msg_test.h. It prints only for the opcodes whose
 * outcome a test checks, so it can be flooded.
 *
 * Expected output: "msg_server: ready", then per test e.g. "msg_server: late reply dropped",
 * "msg_server: hold borrow: CANCEL PEER_DEAD", "msg_server: hold reply dropped",
 * "msg_server: lease past end: SIZE", "msg_server: write to read lease: INVAL",
 * "msg_server: borrow after reply: CANCEL", "msg_server: lease re-allowed: CANCEL CANCELLED".
 *
 * Invariants: never blocks on a client: every operation on a call completes at once.
 */
#include <stdio.h>
#include <string.h>

#include <libtock-sync/services/alarm.h>

#include "../msg_common/msg_test.h"

static uint8_t request[IPC_MAX_MSG];

static void print_borrow(const char *what, int rc, uint32_t reason)
{
    if (rc == RETURNCODE_ECANCEL) {
        printf("msg_server: %s: CANCEL %s\n", what, ipc_reason_name(reason));
    } else {
        printf("msg_server: %s: %s\n", what, msg_rc(rc));
    }
}

static void reply(const struct ipc_message *msg, uint32_t code, const void *data, size_t len,
                  const char *what)
{
    bool delivered = false;
    int rc = ipc_reply(msg->token, code, data, len, &delivered);
    if (rc != RETURNCODE_SUCCESS) {
        printf("msg_server: FAIL reply: %s\n", msg_rc(rc));
    } else if (what != NULL) {
        printf("msg_server: %s reply %s\n", what, delivered ? "delivered" : "dropped");
    }
}

static void leases(const struct ipc_message *msg)
{
    char chunk[17];
    size_t copied = 0;
    uint32_t reason = 0;
    int rc = ipc_borrow_read(msg->token, 1, 0, chunk, sizeof chunk - 1, &copied, &reason);
    chunk[copied] = '\0';
    printf("msg_server: read lease: %s %lu bytes '%s'\n", msg_rc(rc), (unsigned long)copied,
           chunk);
    uint32_t attrs = 0, len = 0;
    rc = ipc_borrow_info(msg->token, 1, &attrs, &len);
    printf("msg_server: lease info: %s attrs %lu len %lu\n", msg_rc(rc), (unsigned long)attrs,
           (unsigned long)len);
    rc = ipc_borrow_read(msg->token, 1, (uint32_t)len + 1u, chunk, sizeof chunk - 1, &copied,
                         &reason);
    printf("msg_server: lease past end: %s\n", msg_rc(rc));
    rc = ipc_borrow_write(msg->token, 1, 0, "x", 1, &copied, &reason);
    printf("msg_server: write to read lease: %s\n", msg_rc(rc));
    rc = ipc_borrow_read(msg->token, 3, 0, chunk, sizeof chunk - 1, &copied, &reason);
    printf("msg_server: missing lease: %s\n", msg_rc(rc));
    rc = ipc_borrow_write(msg->token, 2, 4, "written!", 8, &copied, &reason);
    printf("msg_server: write lease: %s %lu bytes\n", msg_rc(rc), (unsigned long)copied);
    reply(msg, 0, NULL, 0, NULL);
    rc = ipc_borrow_read(msg->token, 1, 0, chunk, sizeof chunk - 1, &copied, &reason);
    print_borrow("borrow after reply", rc, reason);
}

static void handle(const struct ipc_message *msg)
{
    uint8_t scratch[16];
    size_t copied = 0;
    uint32_t reason = 0;
    switch (msg->opcode) {
    case MSG_OP_ECHO:
        reply(msg, (uint32_t)msg->len, request, msg->len, NULL);
        break;
    case MSG_OP_SLOW:
        libtocksync_alarm_delay_ms(20);
        reply(msg, (uint32_t)msg->len, request, msg->len, NULL);
        break;
    case MSG_OP_LATE:
        libtocksync_alarm_delay_ms(300);
        reply(msg, 0, NULL, 0, "late");
        break;
    case MSG_OP_HOLD: {
        libtocksync_alarm_delay_ms(300);
        int rc = ipc_borrow_read(msg->token, 1, 0, scratch, sizeof scratch, &copied, &reason);
        print_borrow("hold borrow", rc, reason);
        reply(msg, 0, NULL, 0, "hold");
        break;
    }
    case MSG_OP_LEASES:
        leases(msg);
        break;
    case MSG_OP_LEASE_CHANGE: {
        libtocksync_alarm_delay_ms(100);
        int rc = ipc_borrow_read(msg->token, 1, 0, scratch, sizeof scratch, &copied, &reason);
        print_borrow("lease re-allowed", rc, reason);
        reply(msg, 0, NULL, 0, NULL);
        break;
    }
    case MSG_OP_WHO: {
        char name[IPC_NAME_LEN + 1];
        uint32_t badge = 0, endpoint = 0;
        int rc = ipc_client_info(msg->token, &badge, &endpoint, name, sizeof name);
        if (rc != RETURNCODE_SUCCESS || badge != msg->badge) {
            printf("msg_server: FAIL client info %s\n", msg_rc(rc));
        }
        reply(msg, endpoint, name, strlen(name), NULL);
        break;
    }
    default:
        reply(msg, 0xFFFFu, NULL, 0, NULL);
        break;
    }
}

int main(void)
{
    if (ipc_serve(true) != RETURNCODE_SUCCESS ||
        ipc_name_register(MSG_SERVER_NAME, 0) != RETURNCODE_SUCCESS) {
        printf("msg_server: FAIL setup\n");
        return 1;
    }
    printf("msg_server: ready\n");
    for (;;) {
        struct ipc_message msg;
        int rc = ipc_recv(request, sizeof request, 0, 0, &msg);
        if (rc != RETURNCODE_SUCCESS) {
            printf("msg_server: FAIL recv %s\n", msg_rc(rc));
            return 1;
        }
        if (!msg.is_notification) {
            handle(&msg);
        }
    }
}
