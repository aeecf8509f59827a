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
 * Invariants: the service never waits for a client: replies and borrows complete at once, and a
 * client that vanishes mid-call only makes them fail.
 */
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

int main(void)
{
    if (ipc_serve(true) != RETURNCODE_SUCCESS ||
        ipc_name_register("upper", 0) != RETURNCODE_SUCCESS) {
        printf("upper_service: cannot register\n");
        return 1;
    }
    printf("upper_service: ready\n");
    for (;;) {
        struct ipc_message msg;
        if (ipc_recv(text, sizeof text, 0, 0, &msg) != RETURNCODE_SUCCESS ||
            msg.is_notification) {
            continue;
        }
        switch (msg.opcode) {
        case 1:
            upper(text, msg.len);
            (void)ipc_reply(msg.token, 0, text, msg.len, NULL);
            break;
        case 2:
            (void)ipc_reply(msg.token, upper_lease(msg.token), NULL, 0, NULL);
            break;
        case 3:
            (void)ipc_reply(msg.token, 0, NULL, 0, NULL);
            (void)ipc_post_badge(msg.badge, 0x1, NULL);
            break;
        default:
            (void)ipc_reply(msg.token, 0xFFFF, NULL, 0, NULL);
            break;
        }
    }
}
