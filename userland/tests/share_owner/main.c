/* SPDX-License-Identifier: Apache-2.0 OR MIT */
/*
 * share_owner: an IPC_SHARE owner. It registers "share.owner" (or "share.owner2" when a first
 * instance has that name), checks that a buffer the MPU/PMP cannot cover exactly is refused,
 * then serves share_test.h's opcodes: it offers its two 256-byte regions to whoever asks, shows
 * what a peer wrote into region 0, revokes on request, and crashes on request.
 *
 * Expected output: "share_owner: unaligned buffer refused: INVAL", "share_owner: ready as
 * <name>", then one line per request ("offered slot N", "sees '<text>'", "revoked",
 * "crashing"). "share_owner: FAIL ..." is a failure.
 *
 * Invariants: region i holds "owner-data-<i>" from boot until a peer writes it.
 */
#include <stdio.h>
#include <string.h>

#include <libtock-sync/services/alarm.h>

#include "../share_common/share_test.h"
#include "tock_syscall_arch.h"

static char regions[IPC_SHARE_SLOTS][SHARE_REGION_LEN] __attribute__((aligned(SHARE_REGION_LEN)));
static uint32_t offers[IPC_SHARE_SLOTS];
static uint32_t peer_desc[IPC_SHARE_SLOTS];
static uint8_t request[IPC_NAME_LEN + 1];
static uint8_t offers_made;

/* Offer region `slot` to the process registered under the request's name. */
static void offer_to(const struct ipc_message *msg, uint32_t slot)
{
    request[msg->len < IPC_NAME_LEN ? msg->len : IPC_NAME_LEN] = 0;
    if (offers[slot] != 0) {
        (void)ipc_share_revoke(offers[slot]);
        offers[slot] = 0;
    }
    if (peer_desc[slot] != 0) {
        (void)ipc_name_close(peer_desc[slot]);
        peer_desc[slot] = 0;
    }
    uint32_t offer = 0, reason = 0;
    int rc = ipc_name_lookup((const char *)request, &peer_desc[slot]);
    if (rc == RETURNCODE_SUCCESS) {
        rc = ipc_share_offer(peer_desc[slot], slot, regions[slot], SHARE_REGION_LEN, &offer,
                             &reason);
    }
    if (rc != RETURNCODE_SUCCESS) {
        printf("share_owner: FAIL offer slot %lu to %s: %s %s\n", (unsigned long)slot,
               (const char *)request, msg_rc(rc), ipc_reason_name(reason));
        (void)ipc_reply(msg->token, 0, NULL, 0, NULL);
        return;
    }
    offers[slot] = offer;
    offers_made++;
    printf("share_owner: offered slot %lu to %s\n", (unsigned long)slot, (const char *)request);
    uint8_t phase = (uint8_t)(offers_made - 1u);
    (void)ipc_reply(msg->token, offer, &phase, 1, NULL);
}

int main(void)
{
    for (uint32_t i = 0; i < IPC_SHARE_SLOTS; i++) {
        snprintf(regions[i], SHARE_REGION_LEN, "owner-data-%lu", (unsigned long)i);
    }
    /* Exactness: not a region the hardware can cover exactly, so the allow itself fails. */
    uint32_t unused = 0;
    int rc = ipc_share_offer(1, 0, regions[0] + 1, 100, &unused, NULL);
    printf("share_owner: unaligned buffer refused: %s\n", msg_rc(rc));
    const char *name = SHARE_OWNER_NAME;
    if (ipc_serve(true) != RETURNCODE_SUCCESS) {
        printf("share_owner: FAIL serve\n");
        return 1;
    }
    rc = ipc_name_register(name, 0);
    if (rc == RETURNCODE_EALREADY) {
        name = SHARE_OWNER2_NAME;
        rc = ipc_name_register(name, 0);
    }
    if (rc != RETURNCODE_SUCCESS) {
        printf("share_owner: FAIL register: %s\n", msg_rc(rc));
        return 1;
    }
    printf("share_owner: ready as %s\n", name);
    for (;;) {
        struct ipc_message msg;
        if (ipc_recv(request, IPC_NAME_LEN, 0, 0, &msg) != RETURNCODE_SUCCESS ||
            msg.is_notification) {
            continue;
        }
        switch (msg.opcode) {
        case SHARE_OP_OFFER_SLOT0:
        case SHARE_OP_OFFER_SLOT0 + 1:
            offer_to(&msg, msg.opcode - SHARE_OP_OFFER_SLOT0);
            break;
        case SHARE_OP_CHECK:
            regions[0][SHARE_REGION_LEN - 1] = 0;
            printf("share_owner: sees '%s'\n", regions[0]);
            (void)ipc_reply(msg.token, 0, NULL, 0, NULL);
            break;
        case SHARE_OP_REVOKE:
            rc = ipc_share_revoke(offers[0]);
            offers[0] = 0;
            printf("share_owner: revoked: %s\n", msg_rc(rc));
            (void)ipc_reply(msg.token, 0, NULL, 0, NULL);
            break;
        case SHARE_OP_CRASH:
            (void)ipc_reply(msg.token, 0, NULL, 0, NULL);
            printf("share_owner: crashing\n");
            tock_syscall_undefined_class();
            break;
        default:
            (void)ipc_reply(msg.token, 0, NULL, 0, NULL);
            break;
        }
    }
}
