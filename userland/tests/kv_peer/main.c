/* SPDX-License-Identifier: Apache-2.0 OR MIT */
/*
 * kv_peer: may read and modify kv_owner's keys (permissions: write id 0x22, read 0x21, modify
 * 0x21), and does: reads both, updates one, deletes it, then publishes "peer.ready".
 *
 * Expected output, in order:
 *   kv_peer: read owner.shared=shared-v1
 *   kv_peer: updated and deleted owner.shared
 *   kv_peer: done
 * Any failed check prints "kv_peer: FAIL <what>" and exits.
 *
 * Usage: load with kv_owner and kv_stranger.
 *
 * Invariants: one operation outstanding at a time.
 */
#include <stdio.h>

#include <libtock-sync/storage/kv.h>

#include "../kv_common/kv_test.h"

int main(void)
{
    kv_test_app = "kv_peer";
    kv_wait_for_key(KV_STR("owner.shared"));
    kv_expect_value(KV_STR("owner.shared"), KV_STR("shared-v1"), "read owner.shared");
    kv_expect_value(KV_STR("owner.secret"), KV_STR("s3cret"), "read owner.secret");
    printf("kv_peer: read owner.shared=shared-v1\n");
    kv_expect(libtocksync_kv_update(KV_STR("owner.shared"), KV_STR("peer-v2")),
              RETURNCODE_SUCCESS, "update owner.shared");
    kv_expect_value(KV_STR("owner.shared"), KV_STR("peer-v2"), "read updated owner.shared");
    kv_expect(libtocksync_kv_delete(KV_STR("owner.shared")), RETURNCODE_SUCCESS,
              "delete owner.shared");
    printf("kv_peer: updated and deleted owner.shared\n");
    kv_expect(libtocksync_kv_set(KV_STR("peer.ready"), KV_STR("1")), RETURNCODE_SUCCESS,
              "set peer.ready");
    printf("kv_peer: done\n");
    return 0;
}
