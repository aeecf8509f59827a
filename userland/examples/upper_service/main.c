/* SPDX-License-Identifier: Apache-2.0 OR MIT */
/*
 * upper_service: an example server for tockc's new IPC. Registered as "upper", it upper-cases
 * text three ways:
 *   opcode 1  the request itself (<= IPC_MAX_MSG bytes), returned in the reply;
 *   opcode 2  any amount of text: read from the client's read lease 1 and written into its
 *             write lease 2, 64 bytes at a time (the response code is the byte count);
 *   opcode 3  "tell me when you are idle": the service posts bit 0x1 to the caller after
 *             replying (the caller must have granted it that bit).
 *
 * Expected output: "upper_service: ready".
 *
 * It replies and receives the next call in one system call (ipc_reply_recv) except after
 * opcode 3, whose post must follow its reply.
 *
 * Invariants: the service never waits for a client: replies and borrows complete at once, and a
 * client that vanishes mid-call only makes them fail.
 */
#include <stdbool.h>
#include <stdio.h>

#include <libtock/kernel/ipc_msg.h>

static char text[IPC_MAX_MSG];

static void upper(char *s, size_t len)
{
    for (size_t i = 0; i < len; i++) {
        if (s[i] >= 'a' && s[i] <= 'z') {
            s[i] = (char)(s[i] - 'a' + 'A');
        }
    }
}

/* Opcode 2: stream the read lease through a 64-byte window into the write lease. */
static uint32_t upper_lease(uint32_t token)
{
    char chunk[64];
    uint32_t offset = 0;
    for (;;) {
        size_t got = 0, put = 0;
        if (ipc_borrow_read(token, 1, offset, chunk, sizeof chunk, &got, NULL) !=
                RETURNCODE_SUCCESS ||
            got == 0) {
            return offset;
        }
        upper(chunk, got);
        if (ipc_borrow_write(token, 2, offset, chunk, got, &put, NULL) != RETURNCODE_SUCCESS ||
            put != got) {
            return offset;
        }
        offset += (uint32_t)got;
    }
}

/* Reply to msg's call and receive the next message into msg, in one system call; false if
 * nothing was received (the loop then receives afresh). */
static bool reply_and_receive(struct ipc_message *msg, uint32_t code, const void *rep, size_t len)
{
    return ipc_reply_recv(msg->token, code, rep, len, NULL, text, sizeof text, msg) ==
           RETURNCODE_SUCCESS;
}

int main(void)
{
    if (ipc_serve(true) != RETURNCODE_SUCCESS ||
        ipc_name_register("upper", 0) != RETURNCODE_SUCCESS) {
        printf("upper_service: cannot register\n");
        return 1;
    }
    printf("upper_service: ready\n");
    struct ipc_message msg;
    bool is_received = false;
    for (;;) {
        if (!is_received && ipc_recv(text, sizeof text, 0, 0, &msg) != RETURNCODE_SUCCESS) {
            continue;
        }
        is_received = false;
        if (msg.is_notification) {
            continue;
        }
        switch (msg.opcode) {
        case 1:
            upper(text, msg.len);
            is_received = reply_and_receive(&msg, 0, text, msg.len);
            break;
        case 2:
            is_received = reply_and_receive(&msg, upper_lease(msg.token), NULL, 0);
            break;
        case 3: /* the post must follow the reply: no receive in between */
            (void)ipc_reply(msg.token, 0, NULL, 0, NULL);
            (void)ipc_post_badge(msg.badge, 0x1, NULL);
            break;
        default:
            is_received = reply_and_receive(&msg, 0xFFFF, NULL, 0);
            break;
        }
    }
}
