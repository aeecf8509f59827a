/* SPDX-License-Identifier: Apache-2.0 OR MIT */
/*
 * kv_noperm: an app packed without storage permissions finds the key-value driver with Tock's
 * null permissions: writes are refused with INVAL before anything is queued, get and delete are
 * answered NOSUPPORT (as for a key that is not there), garbage collection works.
 *
 * Expected output:
 *   kv_noperm: get NOSUPPORT set INVAL delete NOSUPPORT add INVAL update INVAL gc SUCCESS
 *   kv_noperm: done
 * Any failed check prints "kv_noperm: FAIL <what>" and exits.
 *
 * Invariants: none.
 */
#include <stdio.h>

#include <libtock-sync/storage/kv.h>

#include "../kv_common/kv_test.h"

int main(void)
{
    kv_test_app = "kv_noperm";
    if (!libtocksync_kv_exists()) {
        kv_fail("no key-value driver");
    }
    uint8_t buf[8];
    uint32_t len = 0;
    returncode_t get = libtocksync_kv_get(KV_STR("k"), buf, sizeof buf, &len);
    returncode_t set = libtocksync_kv_set(KV_STR("k"), KV_STR("v"));
    returncode_t del = libtocksync_kv_delete(KV_STR("k"));
    returncode_t add = libtocksync_kv_add(KV_STR("k"), KV_STR("v"));
    returncode_t update = libtocksync_kv_update(KV_STR("k"), KV_STR("v"));
    returncode_t gc = libtocksync_kv_garbage_collect();
    printf("kv_noperm: get %s set %s delete %s add %s update %s gc %s\n", kv_name(get),
           kv_name(set), kv_name(del), kv_name(add), kv_name(update), kv_name(gc));
    kv_expect(get, RETURNCODE_ENOSUPPORT, "get");
    kv_expect(set, RETURNCODE_EINVAL, "set");
    kv_expect(del, RETURNCODE_ENOSUPPORT, "delete");
    kv_expect(add, RETURNCODE_EINVAL, "add");
    kv_expect(update, RETURNCODE_EINVAL, "update");
    kv_expect(gc, RETURNCODE_SUCCESS, "gc");
    printf("kv_noperm: done\n");
    return 0;
}
