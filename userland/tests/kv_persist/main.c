/* SPDX-License-Identifier: Apache-2.0 OR MIT */
/*
 * kv_persist: counts boots in the key-value store, so a second boot on the same flash shows
 * that the first one's record survived (the store mounts the log it finds).
 *
 * Permissions (userland.mk): write id 0x40.
 *
 * Expected output: "kv_persist: fresh" (no count yet) or "kv_persist: found boot <k>", then
 * "kv_persist: boot <k+1> stored" and "kv_persist: done".
 * Any failed check prints "kv_persist: FAIL <what>" and exits.
 *
 * Usage: boot twice on one flash file (PersistenceCase).
 *
 * Invariants: one operation outstanding at a time.
 */
#include <stdint.h>
#include <stdio.h>

#include <libtock-sync/storage/kv.h>

#include "../kv_common/kv_test.h"

int main(void)
{
    kv_test_app = "kv_persist";
    uint8_t count = 0;
    uint32_t len = 0;
    returncode_t ret = libtocksync_kv_get(KV_STR("boots"), &count, 1, &len);
    if (ret == RETURNCODE_ENOSUPPORT) {
        count = 0;
        printf("kv_persist: fresh\n");
    } else {
        kv_expect(ret, RETURNCODE_SUCCESS, "get boots");
        if (len != 1) {
            kv_fail("boots length");
        }
        printf("kv_persist: found boot %u\n", (unsigned)count);
    }
    count++;
    kv_expect(libtocksync_kv_set(KV_STR("boots"), &count, 1), RETURNCODE_SUCCESS, "set boots");
    kv_expect_value(KV_STR("boots"), &count, 1, "get boots back");
    printf("kv_persist: boot %u stored\n", (unsigned)count);
    printf("kv_persist: done\n");
    return 0;
}
