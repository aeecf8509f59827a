/* SPDX-License-Identifier: Apache-2.0 OR MIT */
/*
 * Power-loss tests for the key-value record store (capsules/extra/kv_store.c): the power is
 * cut in every program and erase of a workload, in every tear variant of the fake flash
 * (tests/fakes/fake_flash.h), and the store mounted again over what the cut left must show:
 *  - every acknowledged operation (done() said ERR_OK before the cut) in effect;
 *  - each key either as the last acknowledged operation left it or, for the key of the
 *    operation in flight, as that operation would leave it -- never another value, never a
 *    torn one, never a deleted key back;
 *  - a store that still sets, overwrites, deletes and compacts, and mounts again afterwards
 *    with everything in place.
 *
 * The workload (sets, overwrites, add, update, deletes and an explicit compaction on a store
 * of two 2-page banks, small enough that appends compact on their own several times) runs with
 * one-page erase units and with 2-page units (a bank is one unit, as on the boards). It is run
 * once uncut to count its programs and erases, N; then for every k in 1..N and every tear
 * variant it runs again from erased flash with the power cut in operation k.
 *
 * Usage: make build/host/kv_powercut_test (or `make unit`).
 *
 * Invariants: every run starts from erased flash, fresh deferred calls and a fresh store; the
 * model (`acked`, `in_flight`) is updated only from done() callbacks.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include <cmocka.h>

#include "capsules/kv_store.h"
#include "fake_flash.h"
#include "kernel/deferred_call.h"
#include "storage_fixture.h"

#define PAGE 512u
#define PAGES 8u
#define BANK_PAGES 2u
#define KEYS 6u
#define NO_VERSION 0u /* the key is absent */

static uint8_t memory[PAGE * PAGES];
static struct fake_flash flash;
static struct kv_store store;
static uint8_t page_buf[PAGE];
static uint8_t out_buf[PAGE];
static uint32_t erase_pages; /* 1, or 2: a bank is one erase unit, as on the boards */
static const struct kv_store_config config = { .first_page = 2, .bank_pages = BANK_PAGES };
static const struct storage_permissions owner = {
    .is_present = true, .write_id = 7, .read_count = 1, .read_ids = { 7 }, .modify_count = 1,
    .modify_ids = { 7 } };

static struct kv_store_client client;
static bool is_done;
static err_t done_status;
static uint32_t done_len;
static uint8_t key_buf[8];
static uint8_t value_buf[KV_STORE_VALUE_MAX];

/* What the flash must show: per key, the version the last acknowledged operation left
 * (NO_VERSION: absent), and the operation in flight when the power died. */
static uint8_t acked[KEYS];
static bool has_in_flight;
static uint32_t in_flight_key;
static uint8_t in_flight_version;

static void client_done(struct kv_store_client *c, uint8_t *k, uint8_t *v, uint32_t value_len,
                        err_t status)
{
    (void)c;
    (void)k;
    (void)v;
    is_done = true;
    done_status = status;
    done_len = value_len;
}

static const struct kv_store_client_ops client_ops = { .done = client_done };

/* A reboot: a fresh store over the memory as it is, with the power on. */
static void boot(void)
{
    deferred_call_reset_for_test();
    fake_flash_init(&flash, memory, PAGE, PAGES, erase_pages);
    assert_int_equal(kv_store_init(&store, &flash.flash, &config, page_buf, out_buf, PAGE),
                     ERR_OK);
    client.ops = &client_ops;
    store.client = &client;
}

/* Until idle, or until the power is cut (nothing completes then). */
static void run(void)
{
    assert_true(storage_settle(&flash, 10000)); /* false: never idle */
}

static uint32_t value_len_of(uint32_t key, uint8_t version)
{
    return 8u + (key * 29u + version * 53u) % 90u;
}

/* The value of `key` at `version`: length and every byte depend on both. */
static uint32_t make_value(uint32_t key, uint8_t version, uint8_t *out)
{
    uint32_t len = value_len_of(key, version);
    for (uint32_t i = 0; i < len; i++) {
        out[i] = (uint8_t)(key * 31u + version * 17u + i * 7u + 1u);
    }
    return len;
}

static uint32_t use_key(uint32_t key)
{
    key_buf[0] = 'k';
    key_buf[1] = (uint8_t)('0' + key);
    return 2;
}

enum op_kind { OP_SET, OP_ADD, OP_UPDATE, OP_DELETE, OP_COMPACT };

struct op {
    enum op_kind kind;
    uint8_t key;
    uint8_t version; /* what a set/add/update writes */
};

/* Start one operation and run it; returns done's status, or ERR_FAIL when the power died
 * first (no done()). */
static err_t operate(const struct op *op)
{
    uint32_t klen = use_key(op->key);
    uint32_t vlen = op->kind <= OP_UPDATE ? make_value(op->key, op->version, value_buf) : 0;
    err_t err = ERR_FAIL;
    is_done = false;
    switch (op->kind) {
    case OP_SET:
        err = kv_store_set(&store, key_buf, klen, value_buf, vlen, &owner);
        break;
    case OP_ADD:
        err = kv_store_add(&store, key_buf, klen, value_buf, vlen, &owner);
        break;
    case OP_UPDATE:
        err = kv_store_update(&store, key_buf, klen, value_buf, vlen, &owner);
        break;
    case OP_DELETE:
        err = kv_store_delete(&store, key_buf, klen, &owner);
        break;
    case OP_COMPACT:
        err = kv_store_compact(&store);
        break;
    }
    assert_int_equal(err, ERR_OK);
    run();
    return is_done ? done_status : ERR_FAIL;
}

/* The workload: overwrites, deletes, add, update, an explicit compaction, and enough appends
 * (banks of ~1000 bytes, records of 24..112 bytes) that the store compacts by itself. */
static struct op workload[200];
static size_t workload_len;

static void build_workload(void)
{
    size_t n = 0;
    uint8_t version[KEYS] = { 0 };
    for (uint32_t round = 0; round < 8; round++) {
        for (uint32_t k = 0; k < KEYS; k++) {
            bool is_present = version[k] != NO_VERSION;
            uint32_t pick = (round + k) % 5u;
            struct op op = { .kind = OP_SET, .key = (uint8_t)k, .version = 0 };
            if (is_present && pick == 0) {
                op.kind = OP_DELETE;
            } else if (!is_present && pick == 1) {
                op.kind = OP_ADD;
            } else if (is_present && pick == 2) {
                op.kind = OP_UPDATE;
            }
            if (op.kind != OP_DELETE) {
                version[k]++;
                op.version = version[k];
            } else {
                version[k] = NO_VERSION;
            }
            workload[n++] = op;
        }
        if (round == 3) {
            workload[n++] = (struct op){ .kind = OP_COMPACT, .key = 0, .version = 0 };
        }
    }
    workload_len = n;
    /* A deleted key's version restarts from 1, which another run's value may share: keep
     * versions distinct per key instead. */
    uint8_t next[KEYS] = { 0 };
    for (size_t i = 0; i < n; i++) {
        if (workload[i].kind <= OP_UPDATE) {
            workload[i].version = ++next[workload[i].key];
        }
    }
}

/* The version `op` leaves its key at. */
static uint8_t version_after(const struct op *op)
{
    return op->kind == OP_DELETE ? NO_VERSION : op->version;
}

/* Runs the workload until the power dies; fills acked/in_flight. Returns the operations
 * acknowledged. */
static size_t run_workload(void)
{
    memset(acked, NO_VERSION, sizeof acked);
    has_in_flight = false;
    for (size_t i = 0; i < workload_len; i++) {
        const struct op *op = &workload[i];
        err_t status = operate(op);
        if (flash.is_cut && !is_done) {
            has_in_flight = op->kind != OP_COMPACT;
            in_flight_key = op->key;
            in_flight_version = version_after(op);
            return i;
        }
        assert_int_equal(status, ERR_OK);
        if (op->kind != OP_COMPACT) {
            acked[op->key] = version_after(op);
        }
        if (flash.is_cut) {
            return i + 1; /* cut right after the last operation's callback */
        }
    }
    return workload_len;
}

/* Reads `key`: returns its version, failing the test on a value that is no version of it. */
static uint8_t read_version(uint32_t key)
{
    uint32_t klen = use_key(key);
    static uint8_t got[KV_STORE_VALUE_MAX];
    is_done = false;
    assert_int_equal(kv_store_get(&store, key_buf, klen, got, sizeof got, &owner), ERR_OK);
    run();
    assert_true(is_done);
    if (done_status == ERR_NOSUPPORT) {
        return NO_VERSION;
    }
    assert_int_equal(done_status, ERR_OK);
    for (unsigned v = 1; v < 256; v++) {
        uint8_t want[KV_STORE_VALUE_MAX];
        uint32_t len = make_value(key, (uint8_t)v, want);
        if (len == done_len && memcmp(got, want, len) == 0) {
            return (uint8_t)v;
        }
    }
    fail_msg("key %u: a value that was never written (torn?), %u bytes", (unsigned)key,
             (unsigned)done_len);
    return NO_VERSION;
}

/* After the reboot: every key as acknowledged, or as the operation in flight leaves it. The
 * versions seen become the expected state. */
static void check_after_cut(unsigned k, unsigned tear, uint8_t *state)
{
    for (uint32_t key = 0; key < KEYS; key++) {
        uint8_t seen = read_version(key);
        bool is_acked = seen == acked[key];
        bool is_new = has_in_flight && in_flight_key == key && seen == in_flight_version;
        if (!is_acked && !is_new) {
            fail_msg("cut %u tear %u: key %u reads version %u; acknowledged %u, in flight %d",
                     k, tear, (unsigned)key, seen, acked[key],
                     has_in_flight && in_flight_key == key ? in_flight_version : -1);
        }
        state[key] = seen;
    }
}

static void expect_state(const uint8_t *state)
{
    for (uint32_t key = 0; key < KEYS; key++) {
        assert_int_equal(read_version(key), state[key]);
    }
}

/* After the reboot the store takes writes, deletes and a compaction, and mounts again. */
static void check_still_works(uint8_t *state)
{
    struct op op = { .kind = OP_SET, .key = 0, .version = 200 };
    assert_int_equal(operate(&op), ERR_OK);
    state[0] = 200;
    uint32_t victim = KEYS;
    for (uint32_t key = 1; key < KEYS && victim == KEYS; key++) {
        victim = state[key] != NO_VERSION ? key : KEYS;
    }
    if (victim != KEYS) {
        op = (struct op){ .kind = OP_DELETE, .key = (uint8_t)victim, .version = 0 };
        assert_int_equal(operate(&op), ERR_OK);
        state[victim] = NO_VERSION;
    }
    op = (struct op){ .kind = OP_COMPACT, .key = 0, .version = 0 };
    assert_int_equal(operate(&op), ERR_OK);
    for (uint8_t v = 201; v < 216; v++) { /* enough to compact by itself again */
        op = (struct op){ .kind = OP_SET, .key = (uint8_t)(v % KEYS), .version = v };
        assert_int_equal(operate(&op), ERR_OK);
        state[v % KEYS] = v;
    }
    expect_state(state);
    boot();
    expect_state(state);
}

static void fresh_boot(void)
{
    memset(memory, 0xFF, sizeof memory);
    boot();
}

static void workload_until_cut(void)
{
    (void)run_workload();
}

/* After the reboot: what the cut left is consistent, and the store still works. */
static void check_cut(unsigned k, unsigned tear)
{
    uint8_t seen[KEYS];
    check_after_cut(k, tear, seen);
    check_still_works(seen);
}

static unsigned count_program_erase(void)
{
    fresh_boot();
    assert_int_equal(run_workload(), workload_len);
    return flash.program_erase_done;
}

static void test_workload_uncut(void **state)
{
    erase_pages = (uint32_t)(uintptr_t)*state;
    build_workload();
    unsigned n = count_program_erase();
    unsigned compactions = store.compactions;
    assert_true(compactions >= 3); /* the workload does collect garbage */
    uint8_t want[KEYS];
    memcpy(want, acked, sizeof want);
    boot();
    expect_state(want);
    print_message("kv workload, erase units of %u pages: %zu operations, %u programs/erases, "
                  "%u compactions\n", (unsigned)erase_pages, workload_len, n, compactions);
}

static void test_power_cut_in_every_program_and_erase(void **state)
{
    erase_pages = (uint32_t)(uintptr_t)*state;
    build_workload();
    unsigned n = count_program_erase();
    static const struct storage_cut_campaign campaign = {
        .flash = &flash, .fresh_boot = fresh_boot, .workload = workload_until_cut,
        .reboot = boot, .check = check_cut };
    unsigned runs = storage_cut_everywhere(&campaign, n);
    print_message("kv power cuts, erase units of %u pages: %u crash points x %u tears = %u "
                  "remounts, all consistent\n", (unsigned)erase_pages, n,
                  (unsigned)FAKE_FLASH_TEAR_COUNT, runs);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_prestate(test_workload_uncut, (void *)1),
        cmocka_unit_test_prestate(test_power_cut_in_every_program_and_erase, (void *)1),
        cmocka_unit_test_prestate(test_workload_uncut, (void *)2),
        cmocka_unit_test_prestate(test_power_cut_in_every_program_and_erase, (void *)2),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
