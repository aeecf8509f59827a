/* SPDX-License-Identifier: Apache-2.0 OR MIT */
/*
 * kv_unlisted: an app whose Storage Permissions TLV gives it a write id (0x50) but lists it in
 * neither its read nor its modify ids. As in Tock, its own write id grants nothing by itself:
 * it may create a key, but not read it back, overwrite it or delete it.
 *
 * Expected output:
 *   kv_unlisted: set SUCCESS get NOSUPPORT overwrite NOSUPPORT update NOSUPPORT delete NOSUPPORT
 *   kv_unlisted: done
 * Any failed check prints "kv_unlisted: FAIL <what>" and exits.
 *
 * Invariants: none.
 */
#include <stdio.h>

#include <libtock-sync/storage/kv.h>

#include "../kv_common/kv_test.h"

int main(void)
{
    kv_test_app = "kv_unlisted";
    uint8_t buf[8];
    uint32_t len = 0;
    returncode_t set = libtocksync_kv_set(KV_STR("unlisted.k"), KV_STR("v1"));
    returncode_t get = libtocksync_kv_get(KV_STR("unlisted.k"), buf, sizeof buf, &len);
    returncode_t again = libtocksync_kv_set(KV_STR("unlisted.k"), KV_STR("v2"));
    returncode_t update = libtocksync_kv_update(KV_STR("unlisted.k"), KV_STR("v3"));
    returncode_t del = libtocksync_kv_delete(KV_STR("unlisted.k"));
    printf("kv_unlisted: set %s get %s overwrite %s update %s delete %s\n", kv_name(set),
           kv_name(get), kv_name(again), kv_name(update), kv_name(del));
    kv_expect(set, RETURNCODE_SUCCESS, "set");
    kv_expect(get, RETURNCODE_ENOSUPPORT, "get");
    kv_expect(again, RETURNCODE_ENOSUPPORT, "overwrite");
    kv_expect(update, RETURNCODE_ENOSUPPORT, "update");
    kv_expect(del, RETURNCODE_ENOSUPPORT, "delete");
    printf("kv_unlisted: done\n");
    return 0;
}
