/* SPDX-License-Identifier: Apache-2.0 OR MIT */
/*
 * Shared helpers for the key-value test apps (kv_*): result names, checks and string keys.
 *
 * Usage: #include "../kv_common/kv_test.h"; kv_test_app = "kv_basic";
 *        kv_expect(libtocksync_kv_set(KV_STR("k"), KV_STR("v")), RETURNCODE_SUCCESS, "set k");
 *
 * Invariants: a failed check prints "<app>: FAIL <what>: got <name> want <name>" and exits 1.
 */
#pragma once

#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include <libtock-sync/services/alarm.h>
#include <libtock-sync/storage/kv.h>
#include <libtock/tock.h>

#include "../common/test_report.h"

/* A string literal as (bytes, length) without its NUL. */
#define KV_STR(s) (const uint8_t *)(s), (uint32_t)(sizeof(s) - 1u)

static const char *kv_test_app = "kv";

/* "SUCCESS", "NOSUPPORT", ... for a returncode. */
static inline const char *kv_name(returncode_t ret)
{
    if (ret == RETURNCODE_SUCCESS) {
        return "SUCCESS";
    }
    const char *name = test_error_name((uint32_t)-ret);
    return name != NULL ? name : "?";
}

static inline void kv_fail(const char *what)
{
    printf("%s: FAIL %s\n", kv_test_app, what);
    tock_exit(1);
}

static inline void kv_expect(returncode_t got, returncode_t want, const char *what)
{
    if (got != want) {
        printf("%s: FAIL %s: got %s want %s\n", kv_test_app, what, kv_name(got), kv_name(want));
        tock_exit(1);
    }
}

/* get `key` and check that it holds exactly `want` (want_len bytes). */
static inline void kv_expect_value(const uint8_t *key, uint32_t key_len, const uint8_t *want,
                                   uint32_t want_len, const char *what)
{
    uint8_t buf[256];
    uint32_t len = 0;
    kv_expect(libtocksync_kv_get(key, key_len, buf, sizeof buf, &len), RETURNCODE_SUCCESS, what);
    if (len != want_len || memcmp(buf, want, want_len) != 0) {
        printf("%s: FAIL %s: wrong value (%lu bytes)\n", kv_test_app, what, (unsigned long)len);
        tock_exit(1);
    }
}

/* Poll (every 10 ms) until `key` exists and this app may read it. */
static inline void kv_wait_for_key(const uint8_t *key, uint32_t key_len)
{
    uint8_t buf[16];
    uint32_t len = 0;
    for (;;) {
        returncode_t ret = libtocksync_kv_get(key, key_len, buf, sizeof buf, &len);
        if (ret == RETURNCODE_SUCCESS || ret == RETURNCODE_ESIZE) {
            return;
        }
        kv_expect(ret, RETURNCODE_ENOSUPPORT, "waiting for a key");
        libtocksync_alarm_delay_ms(10);
    }
}
