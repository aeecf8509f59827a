/* SPDX-License-Identifier: Apache-2.0 OR MIT */
/*
 * kv_basic: the key-value driver (0x50003) for one app: set, get, update, delete, add and
 * update outcomes, a truncated get, the errors refused up front, garbage collection, and enough
 * overwrites to make the store compact by itself on a small bank.
 *
 * Packed with storage permissions (userland.mk: write id 0x10).
 *
 * Expected output, in order:
 *   kv_basic: set/get ok
 *   kv_basic: update ok
 *   kv_basic: add existing: NOSUPPORT
 *   kv_basic: update missing: NOSUPPORT
 *   kv_basic: delete ok, get after delete: NOSUPPORT
 *   kv_basic: add new ok
 *   kv_basic: short buffer: SIZE, length 5, 'ro'
 *   kv_basic: refused: key SIZE value SIZE no key RESERVE
 *   kv_basic: empty value ok, length 0
 *   kv_basic: async get ok
 *   kv_basic: garbage collect ok
 *   kv_basic: 80 overwrites ok
 *   kv_basic: done
 * Any failed check prints "kv_basic: FAIL <what>" and exits.
 *
 * Invariants: one operation outstanding at a time.
 */
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include <libtock-sync/storage/kv.h>
#include <libtock/storage/kv.h>
#include <libtock/tock.h>

#include "../kv_common/kv_test.h"

enum {
    OVERWRITES = 80,
    BIG = 120,
};

static uint8_t long_key[65];
static uint8_t long_value[257];
static uint8_t big[BIG];
static bool is_get_done;
static returncode_t get_result;
static int get_length;

static void get_done(returncode_t ret, int length)
{
    get_result = ret;
    get_length = length;
    is_get_done = true;
}

static void basics(void)
{
    kv_expect(libtocksync_kv_set(KV_STR("color"), KV_STR("blue")), RETURNCODE_SUCCESS,
              "set color");
    kv_expect_value(KV_STR("color"), KV_STR("blue"), "get color");
    printf("kv_basic: set/get ok\n");

    kv_expect(libtocksync_kv_update(KV_STR("color"), KV_STR("green")), RETURNCODE_SUCCESS,
              "update color");
    kv_expect_value(KV_STR("color"), KV_STR("green"), "get updated color");
    kv_expect(libtocksync_kv_set(KV_STR("color"), KV_STR("teal")), RETURNCODE_SUCCESS,
              "set over color");
    kv_expect_value(KV_STR("color"), KV_STR("teal"), "get overwritten color");
    printf("kv_basic: update ok\n");

    returncode_t ret = libtocksync_kv_add(KV_STR("color"), KV_STR("red"));
    kv_expect(ret, RETURNCODE_ENOSUPPORT, "add existing");
    kv_expect_value(KV_STR("color"), KV_STR("teal"), "color after failed add");
    printf("kv_basic: add existing: %s\n", kv_name(ret));

    ret = libtocksync_kv_update(KV_STR("missing"), KV_STR("x"));
    kv_expect(ret, RETURNCODE_ENOSUPPORT, "update missing");
    printf("kv_basic: update missing: %s\n", kv_name(ret));

    kv_expect(libtocksync_kv_delete(KV_STR("color")), RETURNCODE_SUCCESS, "delete color");
    uint8_t buf[16];
    uint32_t len = 0;
    ret = libtocksync_kv_get(KV_STR("color"), buf, sizeof buf, &len);
    kv_expect(ret, RETURNCODE_ENOSUPPORT, "get deleted");
    kv_expect(libtocksync_kv_delete(KV_STR("color")), RETURNCODE_ENOSUPPORT, "delete again");
    printf("kv_basic: delete ok, get after delete: %s\n", kv_name(ret));

    kv_expect(libtocksync_kv_add(KV_STR("shape"), KV_STR("round")), RETURNCODE_SUCCESS,
              "add shape");
    kv_expect_value(KV_STR("shape"), KV_STR("round"), "get shape");
    printf("kv_basic: add new ok\n");

    memset(buf, 0, sizeof buf);
    ret = libtocksync_kv_get(KV_STR("shape"), buf, 2, &len);
    kv_expect(ret, RETURNCODE_ESIZE, "short buffer");
    if (len != 5 || buf[0] != 'r' || buf[1] != 'o' || buf[2] != 0) {
        kv_fail("short buffer contents");
    }
    printf("kv_basic: short buffer: %s, length %lu, '%c%c'\n", kv_name(ret),
           (unsigned long)len, buf[0], buf[1]);
}

static void refusals(void)
{
    memset(long_key, 'k', sizeof long_key);
    memset(long_value, 'v', sizeof long_value);
    returncode_t key = libtocksync_kv_set(long_key, sizeof long_key, KV_STR("v"));
    returncode_t value = libtocksync_kv_set(KV_STR("k"), long_value, sizeof long_value);
    /* Raw commands without the allows they need. */
    returncode_t no_key = libtock_kv_command_get();
    kv_expect(libtock_kv_set_readonly_allow_key_buffer(KV_STR("k")), RETURNCODE_SUCCESS,
              "allow key");
    (void)libtock_kv_set_readonly_allow_key_buffer(NULL, 0);
    kv_expect(key, RETURNCODE_ESIZE, "long key");
    kv_expect(value, RETURNCODE_ESIZE, "long value");
    kv_expect(no_key, RETURNCODE_ERESERVE, "no key");
    printf("kv_basic: refused: key %s value %s no key %s\n", kv_name(key), kv_name(value),
           kv_name(no_key));
    /* No value allow, or an empty one, stores an empty value (as in Tock). */
    kv_expect(libtocksync_kv_set(KV_STR("empty"), NULL, 0), RETURNCODE_SUCCESS, "empty set");
    uint8_t probe[4];
    uint32_t probe_len = 99;
    kv_expect(libtocksync_kv_get(KV_STR("empty"), probe, sizeof probe, &probe_len),
              RETURNCODE_SUCCESS, "empty get");
    if (probe_len != 0) {
        kv_fail("empty value length");
    }
    kv_expect(libtocksync_kv_delete(KV_STR("empty")), RETURNCODE_SUCCESS, "empty delete");
    printf("kv_basic: empty value ok, length %lu\n", (unsigned long)probe_len);

    /* The async layer: a get and its callback. (A second request while one is pending is
     * NOMEM; the kernel finishes a request on these flashes before the process runs again, so
     * only the unit tests can catch one pending.) */
    uint8_t out[8];
    is_get_done = false;
    kv_expect(libtock_kv_get(KV_STR("shape"), out, sizeof out, get_done), RETURNCODE_SUCCESS,
              "async get");
    yield_for(&is_get_done);
    kv_expect(get_result, RETURNCODE_SUCCESS, "async get result");
    if (get_length != 5 || memcmp(out, "round", 5) != 0) {
        kv_fail("async get value");
    }
    (void)libtock_kv_set_readonly_allow_key_buffer(NULL, 0);
    (void)libtock_kv_set_readwrite_allow_output_buffer(NULL, 0);
    printf("kv_basic: async get ok\n");
}

static void fill_big(uint32_t round)
{
    for (uint32_t i = 0; i < BIG; i++) {
        big[i] = (uint8_t)(round * 31u + i);
    }
}

static void compaction(void)
{
    kv_expect(libtocksync_kv_garbage_collect(), RETURNCODE_SUCCESS, "garbage collect");
    kv_expect_value(KV_STR("shape"), KV_STR("round"), "shape after garbage collect");
    printf("kv_basic: garbage collect ok\n");

    /* 80 records of about 140 bytes: several times a 4 KiB bank, so the store must compact. */
    for (uint32_t round = 0; round < OVERWRITES; round++) {
        fill_big(round);
        kv_expect(libtocksync_kv_set(KV_STR("big"), big, BIG), RETURNCODE_SUCCESS, "set big");
        if (round % 16 == 0) {
            kv_expect_value(KV_STR("big"), big, BIG, "get big");
        }
    }
    kv_expect_value(KV_STR("big"), big, BIG, "get last big");
    kv_expect_value(KV_STR("shape"), KV_STR("round"), "shape after overwrites");
    printf("kv_basic: %u overwrites ok\n", (unsigned)OVERWRITES);
}

int main(void)
{
    kv_test_app = "kv_basic";
    if (!libtocksync_kv_exists()) {
        kv_fail("no key-value driver");
    }
    basics();
    refusals();
    compaction();
    printf("kv_basic: done\n");
    return 0;
}
