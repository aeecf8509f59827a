/* SPDX-License-Identifier: Apache-2.0 OR MIT */
/*
 * kv_owner: owns two keys in the key-value store and checks, once kv_peer and kv_stranger have
 * had their go at them, that only what its storage permissions allow others happened.
 *
 * Permissions (userland.mk): write id 0x21, may read 0x23 (kv_stranger's "done" key). kv_peer
 * (0x22) may read and modify 0x21's keys; kv_stranger (0x23) may only read 0x22's.
 *
 * Expected output, in order:
 *   kv_owner: stored
 *   kv_owner: secret intact
 *   kv_owner: shared deleted by peer
 *   kv_owner: peer's key: NOSUPPORT
 *   kv_owner: done
 * Any failed check prints "kv_owner: FAIL <what>" and exits.
 *
 * Usage: load with kv_peer and kv_stranger (tests/board/cases.py).
 *
 * Invariants: one operation outstanding at a time.
 */
#include <stdio.h>

#include <libtock-sync/storage/kv.h>

#include "../kv_common/kv_test.h"

int main(void)
{
    kv_test_app = "kv_owner";
    kv_expect(libtocksync_kv_set(KV_STR("owner.secret"), KV_STR("s3cret")), RETURNCODE_SUCCESS,
              "set secret");
    kv_expect(libtocksync_kv_set(KV_STR("owner.shared"), KV_STR("shared-v1")),
              RETURNCODE_SUCCESS, "set shared");
    printf("kv_owner: stored\n");

    kv_wait_for_key(KV_STR("stranger.done"));
    kv_expect_value(KV_STR("owner.secret"), KV_STR("s3cret"), "secret after the others");
    printf("kv_owner: secret intact\n");
    uint8_t buf[16];
    uint32_t len = 0;
    kv_expect(libtocksync_kv_get(KV_STR("owner.shared"), buf, sizeof buf, &len),
              RETURNCODE_ENOSUPPORT, "shared after peer's delete");
    printf("kv_owner: shared deleted by peer\n");
    returncode_t ret = libtocksync_kv_get(KV_STR("peer.ready"), buf, sizeof buf, &len);
    kv_expect(ret, RETURNCODE_ENOSUPPORT, "read peer's key");
    printf("kv_owner: peer's key: %s\n", kv_name(ret));
    printf("kv_owner: done\n");
    return 0;
}
