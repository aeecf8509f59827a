/* SPDX-License-Identifier: Apache-2.0 OR MIT */
/*
 * share_peer: maps share_owner's region 0 and shows that it sees the owner's bytes, that the
 * owner sees its writes, and that each way of losing the mapping ends in a fault of this
 * process only. Each instance runs one phase, chosen by the owner's count of offers (the
 * board's fault policy restarts this process after each fault):
 *   0: map, read, write, have the owner check; then read the byte after the region (faults);
 *   1: map, have the owner revoke, read the region (faults);
 *   2: map, have the owner crash and restart, see the descriptor go stale, read the region
 *      (faults).
 *
 * Expected output: "share_peer: phase N" then per phase "mapped 256 bytes: 'owner-data-0'",
 * "reading past the end" / "reading after revoke" / "owner restarted: RESTARTED", "map with the
 * old descriptor: UNINSTALLED PEER_RESTARTED", "reading the restarted owner's old share", each
 * followed by the kernel's fault report. "share_peer: FAIL ..." is a failure.
 *
 * Invariants: none.
 */
#include <stdio.h>
#include <string.h>

#include <libtock-sync/services/alarm.h>

#include "../share_common/share_test.h"

#define PEER_NAME "share.peer"

static uint8_t phase;

static volatile char *map_region(uint32_t owner, uint32_t *offer, size_t *len)
{
    size_t got = 0;
    uint32_t code = 0;
    int rc = ipc_call(owner, SHARE_OP_OFFER_SLOT0, PEER_NAME, strlen(PEER_NAME), &phase, 1, 1000,
                      &got, &code);
    if (rc != RETURNCODE_SUCCESS || got != 1 || code == 0) {
        printf("share_peer: FAIL asking for an offer: %s %s\n", msg_rc(rc), ipc_reason_name(code));
        return NULL;
    }
    *offer = code;
    void *region = NULL;
    uint32_t reason = 0;
    rc = ipc_share_map(owner, *offer, &region, len, &reason);
    if (rc != RETURNCODE_SUCCESS) {
        printf("share_peer: FAIL map: %s %s\n", msg_rc(rc), ipc_reason_name(reason));
        return NULL;
    }
    printf("share_peer: phase %u\n", (unsigned)phase);
    printf("share_peer: mapped %lu bytes: '%s'\n", (unsigned long)*len, (const char *)region);
    return region;
}

static void owner_call(uint32_t owner, uint32_t op)
{
    size_t got = 0;
    uint32_t code = 0;
    int rc = ipc_call(owner, op, NULL, 0, NULL, 0, 1000, &got, &code);
    if (rc != RETURNCODE_SUCCESS) {
        printf("share_peer: FAIL op %lu: %s %s\n", (unsigned long)op, msg_rc(rc),
               ipc_reason_name(code));
    }
}

int main(void)
{
    uint32_t owner = 0, offer = 0;
    size_t len = 0;
    if (ipc_name_register(PEER_NAME, 0) != RETURNCODE_SUCCESS ||
        ipc_name_lookup_wait(SHARE_OWNER_NAME, &owner) != RETURNCODE_SUCCESS) {
        printf("share_peer: FAIL setup\n");
        return 1;
    }
    volatile char *region = map_region(owner, &offer, &len);
    if (region == NULL) {
        return 1;
    }
    char c;
    switch (phase) {
    case 0:
        strcpy((char *)region, "peer-wrote");
        owner_call(owner, SHARE_OP_CHECK);
        printf("share_peer: reading past the end\n");
        c = region[len];
        break;
    case 1:
        owner_call(owner, SHARE_OP_REVOKE);
        printf("share_peer: reading after revoke\n");
        c = region[0];
        break;
    default: {
        owner_call(owner, SHARE_OP_CRASH);
        /* DEAD while the owner waits for its restart, then RESTARTED. */
        uint32_t state = IPC_DESC_LIVE, badge = 0;
        for (int i = 0; i < 100 && state != IPC_DESC_RESTARTED; i++) {
            libtocksync_alarm_delay_ms(10);
            (void)ipc_name_status(owner, &state, &badge);
        }
        printf("share_peer: owner restarted: %s\n",
               state == IPC_DESC_RESTARTED ? "RESTARTED" : "FAIL not restarted");
        void *again = NULL;
        size_t again_len = 0;
        uint32_t reason = 0;
        int rc = ipc_share_map(owner, offer, &again, &again_len, &reason);
        printf("share_peer: map with the old descriptor: %s %s\n", msg_rc(rc),
               ipc_reason_name(reason));
        printf("share_peer: reading the restarted owner's old share\n");
        c = region[0];
        break;
    }
    }
    printf("share_peer: FAIL read '%c' without a mapping\n", c);
    return 1;
}
