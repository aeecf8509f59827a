/* SPDX-License-Identifier: Apache-2.0 OR MIT */
/*
 * kv_crash_write: writes a growing sequence of keys (kv_common/kv_crash.h) until the runner
 * kills QEMU, printing an ack line after each completed set. It resumes after the last key
 * already present, so boots on one flash file extend one sequence.
 *
 * Permissions (userland.mk): write id 0x70.
 *
 * Expected output: "kv_crash_write: resume at <m>", then for i = m, m+1, ...:
 * "kv_crash_write: ack key <i>" and "kv_crash_write: ack last <i>". A failed set prints
 * "kv_crash_write: FAIL ..." and exits.
 *
 * Usage: PowerCutCase kills it mid-sequence (tests/board/cases.py).
 *
 * Invariants: one operation outstanding at a time; an ack line is printed only after the set
 * completed with SUCCESS.
 */
#include <stdint.h>
#include <stdio.h>

#include <libtock-sync/storage/kv.h>

#include "../kv_common/kv_crash.h"
#include "../kv_common/kv_test.h"

int main(void)
{
    kv_test_app = "kv_crash_write";
    uint8_t key[KV_CRASH_KEY_MAX];
    uint8_t value[KV_CRASH_VALUE_MAX];
    uint8_t got[KV_CRASH_VALUE_MAX];
    uint32_t i = 0;
    for (;;) {
        uint32_t len = 0;
        returncode_t ret = libtocksync_kv_get(key, kv_crash_key(i, key), got, sizeof got, &len);
        if (ret != RETURNCODE_SUCCESS) {
            break;
        }
        i++;
    }
    printf("kv_crash_write: resume at %lu\n", (unsigned long)i);
    for (;; i++) {
        uint32_t key_len = kv_crash_key(i, key);
        uint32_t value_len = kv_crash_value(i, value);
        kv_expect(libtocksync_kv_set(key, key_len, value, value_len), RETURNCODE_SUCCESS,
                  "set key");
        printf("kv_crash_write: ack key %lu\n", (unsigned long)i);
        uint8_t last[4] = { (uint8_t)i, (uint8_t)(i >> 8), (uint8_t)(i >> 16),
                            (uint8_t)(i >> 24) };
        kv_expect(libtocksync_kv_set(KV_STR("last"), last, 4), RETURNCODE_SUCCESS, "set last");
        printf("kv_crash_write: ack last %lu\n", (unsigned long)i);
    }
    return 0;
}
