/* SPDX-License-Identifier: Apache-2.0 OR MIT */
/*
 * kv_hammer: several copies loaded together use the key-value driver at once; each must get
 * exactly the results a store of its own would give, and never be refused as busy.
 *
 * All copies share one write id (userland.mk: 0x30) but each names its keys after its own RAM
 * address (memop 2), so their keys never collide. Each copy runs ROUNDS rounds over KEYS keys,
 * keeping a model of what the store must hold: set a pseudo-random value and read it back;
 * every third round update it; every fifth, delete it, check it is gone, add it back and check
 * that a second add is refused; every sixteenth, garbage-collect. At the end every key is read
 * and compared with the model. The pseudo-random values (8..63 bytes) make the log grow, so on
 * a small bank the store also compacts by itself while the others wait.
 *
 * Expected output: "kv_hammer <L>: start", then "kv_hammer <L>: <ROUNDS> rounds ok" (L: a
 * letter from the RAM address). Any mismatch prints "kv_hammer <L>: FAIL ..." and exits.
 *
 * Invariants: one operation outstanding at a time per copy.
 */
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include <libtock-sync/storage/kv.h>
#include <libtock/tock.h>

#include "../kv_common/kv_test.h"

enum {
    ROUNDS = 60,
    KEYS = 4,
    VALUE_MAX = 64,
    MEMOP_MEMORY_START = 2,
};

struct model {
    bool is_present;
    uint32_t len;
    uint8_t value[VALUE_MAX];
};

static char app_name[24];
static char keys[KEYS][16];
static struct model model[KEYS];
static uint32_t prng_state;

static uint32_t next_random(void)
{
    prng_state = prng_state * 1103515245u + 12345u;
    return prng_state >> 8;
}

static const uint8_t *key_bytes(uint32_t k)
{
    return (const uint8_t *)keys[k];
}

static uint32_t key_len(uint32_t k)
{
    return (uint32_t)strlen(keys[k]);
}

static void fresh_value(uint32_t k)
{
    model[k].len = 8u + next_random() % (VALUE_MAX - 8u);
    for (uint32_t i = 0; i < model[k].len; i++) {
        model[k].value[i] = (uint8_t)next_random();
    }
}

static void check_key(uint32_t k, const char *what)
{
    if (model[k].is_present) {
        kv_expect_value(key_bytes(k), key_len(k), model[k].value, model[k].len, what);
    } else {
        uint8_t buf[8];
        uint32_t len = 0;
        kv_expect(libtocksync_kv_get(key_bytes(k), key_len(k), buf, sizeof buf, &len),
                  RETURNCODE_ENOSUPPORT, what);
    }
}

static void round_of(uint32_t round)
{
    uint32_t k = round % KEYS;
    fresh_value(k);
    kv_expect(libtocksync_kv_set(key_bytes(k), key_len(k), model[k].value, model[k].len),
              RETURNCODE_SUCCESS, "set");
    model[k].is_present = true;
    check_key(k, "get after set");
    if (round % 3 == 0) {
        fresh_value(k);
        kv_expect(libtocksync_kv_update(key_bytes(k), key_len(k), model[k].value, model[k].len),
                  RETURNCODE_SUCCESS, "update");
        check_key(k, "get after update");
    }
    if (round % 5 == 0) {
        kv_expect(libtocksync_kv_delete(key_bytes(k), key_len(k)), RETURNCODE_SUCCESS, "delete");
        model[k].is_present = false;
        check_key(k, "get after delete");
        fresh_value(k);
        kv_expect(libtocksync_kv_add(key_bytes(k), key_len(k), model[k].value, model[k].len),
                  RETURNCODE_SUCCESS, "add");
        model[k].is_present = true;
        kv_expect(libtocksync_kv_add(key_bytes(k), key_len(k), model[k].value, 1),
                  RETURNCODE_ENOSUPPORT, "second add");
        check_key(k, "get after add");
    }
    if (round % 16 == 15) {
        kv_expect(libtocksync_kv_garbage_collect(), RETURNCODE_SUCCESS, "garbage collect");
    }
}

int main(void)
{
    memop_return_t start = memop(MEMOP_MEMORY_START, 0);
    char letter = (char)('A' + (((start.data >> 12) ^ (start.data >> 16)) % 8u));
    snprintf(app_name, sizeof app_name, "kv_hammer %c", letter);
    kv_test_app = app_name;
    prng_state = start.data;
    for (uint32_t k = 0; k < KEYS; k++) {
        snprintf(keys[k], sizeof keys[k], "h%08lx.%lu", (unsigned long)start.data,
                 (unsigned long)k);
        model[k].is_present = false;
    }
    printf("%s: start\n", app_name);
    for (uint32_t round = 0; round < ROUNDS; round++) {
        round_of(round);
    }
    for (uint32_t k = 0; k < KEYS; k++) {
        check_key(k, "final check");
    }
    printf("%s: %u rounds ok\n", app_name, (unsigned)ROUNDS);
    return 0;
}
