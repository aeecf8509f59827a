/* SPDX-License-Identifier: Apache-2.0 OR MIT */
/*
 * kv_crash_check: after kv_crash_write was killed mid-write, checks the key-value store it
 * left: keys c0..c<m-1> all present with exactly their values (none torn), the next few
 * absent, "last" consistent with m, and a new write reads back.
 *
 * Permissions (userland.mk): write id 0x70, as kv_crash_write.
 *
 * Expected output: "kv_crash_check: keys <m> last <L>" (L: "none" when absent), then
 * "kv_crash_check: new write ok" and "kv_crash_check: verdict PASS". Any failed check prints
 * "kv_crash_check: FAIL <what>" and "kv_crash_check: verdict FAIL". The runner compares m and L
 * with the ack lines it saw.
 *
 * Usage: PowerCutCase boots it on the flash file the killed writer left.
 *
 * Invariants: one operation outstanding at a time.
 */
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include <libtock-sync/storage/kv.h>

#include "../kv_common/kv_crash.h"
#include "../kv_common/kv_test.h"

static void verdict_fail(const char *what)
{
    printf("kv_crash_check: FAIL %s\n", what);
    printf("kv_crash_check: verdict FAIL\n");
    tock_exit(1);
}

/* 1: c<i> holds its value; 0: absent; fails on anything else (a torn or foreign value). */
static int key_present(uint32_t i)
{
    uint8_t key[KV_CRASH_KEY_MAX];
    uint8_t want[KV_CRASH_VALUE_MAX];
    uint8_t got[64];
    uint32_t len = 0;
    returncode_t ret = libtocksync_kv_get(key, kv_crash_key(i, key), got, sizeof got, &len);
    if (ret == RETURNCODE_ENOSUPPORT) {
        return 0;
    }
    if (ret != RETURNCODE_SUCCESS) {
        verdict_fail("get key");
    }
    uint32_t want_len = kv_crash_value(i, want);
    if (len != want_len || memcmp(got, want, want_len) != 0) {
        printf("kv_crash_check: key %lu holds a wrong value (%lu bytes)\n", (unsigned long)i,
               (unsigned long)len);
        verdict_fail("torn value");
    }
    return 1;
}

int main(void)
{
    kv_test_app = "kv_crash_check";
    uint32_t m = 0;
    while (key_present(m)) {
        m++;
    }
    for (uint32_t i = m + 1; i < m + 4; i++) {
        if (key_present(i)) {
            verdict_fail("a key after a missing one");
        }
    }
    uint8_t last[8];
    uint32_t len = 0;
    returncode_t ret = libtocksync_kv_get(KV_STR("last"), last, sizeof last, &len);
    if (ret == RETURNCODE_ENOSUPPORT) {
        if (m > 1) {
            verdict_fail("last missing");
        }
        printf("kv_crash_check: keys %lu last none\n", (unsigned long)m);
    } else {
        if (ret != RETURNCODE_SUCCESS || len != 4) {
            verdict_fail("last unreadable");
        }
        uint32_t l = (uint32_t)last[0] | (uint32_t)last[1] << 8 | (uint32_t)last[2] << 16 |
                     (uint32_t)last[3] << 24;
        /* The writer sets c<i>, then last = i: last is m-1, or m-2 if cut before it. */
        if (l >= m || l + 2u < m) {
            verdict_fail("last does not match the keys");
        }
        printf("kv_crash_check: keys %lu last %lu\n", (unsigned long)m, (unsigned long)l);
    }
    uint8_t probe[6] = { 'p', 'r', 'o', 'b', (uint8_t)m, (uint8_t)(m >> 8) };
    if (libtocksync_kv_set(KV_STR("probe"), probe, sizeof probe) != RETURNCODE_SUCCESS) {
        verdict_fail("new write");
    }
    uint8_t got[8];
    if (libtocksync_kv_get(KV_STR("probe"), got, sizeof got, &len) != RETURNCODE_SUCCESS ||
        len != sizeof probe || memcmp(got, probe, sizeof probe) != 0) {
        verdict_fail("new write read back");
    }
    printf("kv_crash_check: new write ok\n");
    printf("kv_crash_check: verdict PASS\n");
    return 0;
}
