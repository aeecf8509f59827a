/* SPDX-License-Identifier: Apache-2.0 OR MIT */
/*
 * share_budget: maps offers from two share_owner instances (two regions each) until the kernel
 * refuses, and checks that the refusal comes at its mapping budget and that every region it
 * did map holds its owner's bytes.
 *
 * Expected output: "share_budget: mapped N, then NOMEM; budget N of N" (N = the board's
 * IPC_SHARE_MAX_MAPPED: 3 on mps2-an385, 2 on virt), then "share_budget: done".
 * "share_budget: FAIL ..." is a failure.
 *
 * Invariants: none.
 */
#include <stdio.h>
#include <string.h>

#include "../share_common/share_test.h"

#define BUDGET_NAME "share.budget"

int main(void)
{
    const char *const owners[] = { SHARE_OWNER_NAME, SHARE_OWNER2_NAME };
    if (ipc_name_register(BUDGET_NAME, 0) != RETURNCODE_SUCCESS) {
        printf("share_budget: FAIL register\n");
        return 1;
    }
    uint32_t mapped = 0;
    int refusal = RETURNCODE_SUCCESS;
    for (uint32_t o = 0; o < 2 && refusal == RETURNCODE_SUCCESS; o++) {
        uint32_t desc = 0;
        if (ipc_name_lookup_wait(owners[o], &desc) != RETURNCODE_SUCCESS) {
            printf("share_budget: FAIL lookup %s\n", owners[o]);
            return 1;
        }
        for (uint32_t slot = 0; slot < IPC_SHARE_SLOTS && refusal == RETURNCODE_SUCCESS;
             slot++) {
            uint8_t phase = 0;
            size_t got = 0;
            uint32_t offer = 0;
            int rc = ipc_call(desc, SHARE_OP_OFFER_SLOT0 + slot, BUDGET_NAME,
                              strlen(BUDGET_NAME), &phase, 1, 1000, &got, &offer);
            if (rc != RETURNCODE_SUCCESS || offer == 0) {
                printf("share_budget: FAIL offer: %s\n", msg_rc(rc));
                return 1;
            }
            void *region = NULL;
            size_t len = 0;
            refusal = ipc_share_map(desc, offer, &region, &len, NULL);
            if (refusal != RETURNCODE_SUCCESS) {
                break;
            }
            char expected[16];
            snprintf(expected, sizeof expected, "owner-data-%lu", (unsigned long)slot);
            if (len != SHARE_REGION_LEN || strcmp((const char *)region, expected) != 0) {
                printf("share_budget: FAIL region %lu of %s holds '%s'\n", (unsigned long)slot,
                       owners[o], (const char *)region);
                return 1;
            }
            mapped++;
        }
    }
    uint32_t now = 0, max = 0;
    (void)ipc_share_budget(&now, &max);
    printf("share_budget: mapped %lu, then %s; budget %lu of %lu\n", (unsigned long)mapped,
           msg_rc(refusal), (unsigned long)now, (unsigned long)max);
    printf("share_budget: done\n");
    return 0;
}
