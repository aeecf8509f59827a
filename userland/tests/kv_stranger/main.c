/* SPDX-License-Identifier: Apache-2.0 OR MIT */
/*
 * kv_stranger: may read only kv_peer's keys (permissions: write id 0x23, read 0x22), and tries
 * every operation on kv_owner's secret once kv_peer says it is ready; all must be refused.
 *
 * Expected output, in order:
 *   kv_stranger: owner.secret: get NOSUPPORT delete NOSUPPORT update NOSUPPORT set NOSUPPORT
 *                add NOSUPPORT  (one line)
 *   kv_stranger: done
 * Any failed check prints "kv_stranger: FAIL <what>" and exits.
 *
 * Usage: load with kv_owner and kv_peer.
 *
 * Invariants: one operation outstanding at a time.
 */
#include <stdio.h>

#include <libtock-sync/storage/kv.h>

#include "../kv_common/kv_test.h"

int main(void)
{
    kv_test_app = "kv_stranger";
    kv_wait_for_key(KV_STR("peer.ready"));
    uint8_t buf[16];
    uint32_t len = 0;
    returncode_t get = libtocksync_kv_get(KV_STR("owner.secret"), buf, sizeof buf, &len);
    returncode_t del = libtocksync_kv_delete(KV_STR("owner.secret"));
    returncode_t update = libtocksync_kv_update(KV_STR("owner.secret"), KV_STR("mine"));
    returncode_t set = libtocksync_kv_set(KV_STR("owner.secret"), KV_STR("mine"));
    returncode_t add = libtocksync_kv_add(KV_STR("owner.secret"), KV_STR("mine"));
    printf("kv_stranger: owner.secret: get %s delete %s update %s set %s add %s\n",
           kv_name(get), kv_name(del), kv_name(update), kv_name(set), kv_name(add));
    kv_expect(get, RETURNCODE_ENOSUPPORT, "get owner.secret");
    kv_expect(del, RETURNCODE_ENOSUPPORT, "delete owner.secret");
    kv_expect(update, RETURNCODE_ENOSUPPORT, "update owner.secret");
    kv_expect(set, RETURNCODE_ENOSUPPORT, "set owner.secret");
    kv_expect(add, RETURNCODE_ENOSUPPORT, "add owner.secret");
    kv_expect(libtocksync_kv_set(KV_STR("stranger.done"), KV_STR("1")), RETURNCODE_SUCCESS,
              "set stranger.done");
    printf("kv_stranger: done\n");
    return 0;
}
