/* SPDX-License-Identifier: Apache-2.0 OR MIT */
/*
 * Host tests for the key-value record store (capsules/extra/kv_store.c).
 *
 * The store runs over a fake flash with NOR semantics (tests/fakes/fake_flash.h): 16 pages of
 * 512 bytes erased two at a time. The banks are pages 2-3 and 4-5, so each bank holds about 1000
 * bytes of records and compaction comes quickly; the pages around them must never change. A
 * recording client checks that done() comes exactly once per accepted operation and never
 * inside a kv_store_* call.
 *
 * Usage: make build/host/kv_store_test (or `make unit` for every test).
 *
 * Invariants: each test starts from erased flash, fresh deferred calls and a fresh store.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include "capsules/kv_store.h"
#include "fake_flash.h"
#include "kernel/deferred_call.h"
#include "storage_fixture.h"

#define PAGE 512u
#define PAGES 16u
#define ERASE_PAGES 2u
#define FIRST_PAGE 2u
#define BANK_PAGES 2u
#define BANK0 (FIRST_PAGE * PAGE)
#define BANK1 ((FIRST_PAGE + BANK_PAGES) * PAGE)
#define REGION_END ((FIRST_PAGE + 2u * BANK_PAGES) * PAGE)

static uint8_t memory[PAGE * PAGES];
static struct fake_flash flash;
static struct kv_store store;
static uint8_t page_buf[PAGE];
static uint8_t out_buf[PAGE];
static const struct kv_store_config config = { .first_page = FIRST_PAGE,
                                               .bank_pages = BANK_PAGES };

/* The recording client. */
static struct kv_store_client client;
static unsigned done_count;
static err_t last_status;
static uint32_t last_len;
static uint8_t *last_key;
static uint8_t *last_value;

/* Operation buffers lent to the store. */
static uint8_t key[KV_STORE_KEY_MAX];
static uint8_t value[KV_STORE_VALUE_MAX];
static uint8_t got[KV_STORE_VALUE_MAX];

/* Each lists its own write id where it should reach its own records (Tock grants exactly the
 * listed ids). */
static const struct storage_permissions owner = {
    .is_present = true, .write_id = 1, .read_count = 1, .read_ids = { 1 }, .modify_count = 1,
    .modify_ids = { 1 } };
static const struct storage_permissions other = {
    .is_present = true, .write_id = 2, .read_count = 1, .read_ids = { 2 }, .modify_count = 1,
    .modify_ids = { 2 } };
static const struct storage_permissions reader = {
    .is_present = true, .write_id = 3, .read_count = 2, .read_ids = { 3, 1 } };
static const struct storage_permissions modifier = {
    .is_present = true, .write_id = 4, .read_count = 2, .read_ids = { 4, 1 }, .modify_count = 2,
    .modify_ids = { 4, 1 } };
static const struct storage_permissions unlisted = { .is_present = true, .write_id = 5 };
static const struct storage_permissions no_tlv = { .is_present = false };
static const struct storage_permissions read_only = {
    .is_present = true, .write_id = 0, .read_count = 1, .read_ids = { 1 }, .modify_count = 1,
    .modify_ids = { 1 } };

static void client_done(struct kv_store_client *c, uint8_t *k, uint8_t *v, uint32_t value_len,
                        err_t status)
{
    (void)c;
    done_count++;
    last_status = status;
    last_len = value_len;
    last_key = k;
    last_value = v;
}

static const struct kv_store_client_ops client_ops = { .done = client_done };

static void fresh_store(void)
{
    deferred_call_reset_for_test();
    fake_flash_init(&flash, memory, PAGE, PAGES, ERASE_PAGES);
    assert_int_equal(kv_store_init(&store, &flash.flash, &config, page_buf, out_buf, PAGE),
                     ERR_OK);
    client.ops = &client_ops;
    store.client = &client;
}

static int setup(void **state)
{
    (void)state;
    memset(memory, 0xFF, sizeof memory);
    memset(memory, 0xA5, BANK0);                             /* canaries around the banks */
    memset(memory + REGION_END, 0x5A, sizeof memory - REGION_END);
    fresh_store();
    done_count = 0;
    return 0;
}

static void expect_canaries(void)
{
    for (size_t i = 0; i < BANK0; i++) {
        assert_int_equal(memory[i], 0xA5);
    }
    for (size_t i = REGION_END; i < sizeof memory; i++) {
        assert_int_equal(memory[i], 0x5A);
    }
}

/* Deferred calls and flash completions until everything is idle. */
static void run(void)
{
    assert_true(storage_settle(&flash, 10000)); /* false: never idle */
}

static uint32_t use_key(const char *k)
{
    uint32_t len = (uint32_t)strlen(k);
    memcpy(key, k, len);
    return len;
}

static uint32_t use_value(const char *v)
{
    uint32_t len = (uint32_t)strlen(v);
    memcpy(value, v, len);
    return len;
}

/* Run one operation to its end; returns its status (done() must come exactly once, and not
 * inside the call). */
static err_t finish_op(err_t started)
{
    assert_int_equal(started, ERR_OK);
    unsigned before = done_count;
    assert_int_equal(done_count, before);
    run();
    assert_int_equal(done_count, before + 1);
    return last_status;
}

static err_t do_set(const char *k, const char *v, const struct storage_permissions *p)
{
    uint32_t key_len = use_key(k);
    uint32_t value_len = use_value(v);
    unsigned before = done_count;
    err_t err = kv_store_set(&store, key, key_len, value, value_len, p);
    assert_int_equal(done_count, before); /* never inside the call */
    return finish_op(err);
}

static err_t do_add(const char *k, const char *v, const struct storage_permissions *p)
{
    uint32_t key_len = use_key(k);
    uint32_t value_len = use_value(v);
    return finish_op(kv_store_add(&store, key, key_len, value, value_len, p));
}

static err_t do_update(const char *k, const char *v, const struct storage_permissions *p)
{
    uint32_t key_len = use_key(k);
    uint32_t value_len = use_value(v);
    return finish_op(kv_store_update(&store, key, key_len, value, value_len, p));
}

static err_t do_delete(const char *k, const struct storage_permissions *p)
{
    uint32_t key_len = use_key(k);
    return finish_op(kv_store_delete(&store, key, key_len, p));
}

static err_t do_get(const char *k, uint32_t cap, const struct storage_permissions *p)
{
    uint32_t key_len = use_key(k);
    memset(got, 0, sizeof got);
    return finish_op(kv_store_get(&store, key, key_len, got, cap, p));
}

static void check_value(const char *k, const char *want, const struct storage_permissions *p)
{
    assert_int_equal(do_get(k, sizeof got, p), ERR_OK);
    assert_int_equal(last_len, strlen(want));
    assert_memory_equal(got, want, strlen(want));
    assert_ptr_equal(last_key, key);
    assert_ptr_equal(last_value, got);
}

static uint32_t get_u32(const uint8_t *p)
{
    return (uint32_t)p[0] | ((uint32_t)p[1] << 8) | ((uint32_t)p[2] << 16) |
           ((uint32_t)p[3] << 24);
}

static size_t count_kind(enum fake_flash_kind kind)
{
    size_t n = 0;
    for (size_t i = 0; i < flash.log_len; i++) {
        n += flash.log[i].kind == kind;
    }
    return n;
}

/* ---------------------------------------------------------------- basics */

static void test_first_operation_formats_erased_flash(void **state)
{
    (void)state;
    uint32_t key_len = use_key("k");
    assert_int_equal(kv_store_get(&store, key, key_len, got, sizeof got, &owner), ERR_OK);
    assert_int_equal(done_count, 0);
    run();
    assert_int_equal(done_count, 1);
    assert_int_equal(last_status, ERR_NOSUPPORT);
    assert_int_equal(last_len, 0);
    assert_int_equal(get_u32(memory + BANK0), 0x31564B54u); /* "TKV1" */
    assert_int_equal(get_u32(memory + BANK0 + 4), 1);       /* generation 1 */
    assert_true(store.is_mounted);
    assert_int_equal(store.active, 0);
    expect_canaries();
}

static void test_set_then_get_returns_value_and_length(void **state)
{
    (void)state;
    assert_int_equal(do_set("color", "blue", &owner), ERR_OK);
    assert_int_equal(last_len, 0);
    assert_ptr_equal(last_key, key);
    assert_ptr_equal(last_value, value);
    check_value("color", "blue", &owner);
    /* The record: live, key 5, value 4, write_id 1, right after the bank header. */
    const uint8_t *r = memory + BANK0 + KV_RECORD_BANK_HEADER_SIZE;
    assert_int_equal(r[0], 0x4B);
    assert_int_equal(r[1], 5);
    assert_int_equal(r[2], 4);
    assert_int_equal(get_u32(r + 4), 1);
    assert_memory_equal(r + 12, "colorblue", 9);
    expect_canaries();
}

static void test_short_buffer_gets_size_length_and_prefix(void **state)
{
    (void)state;
    assert_int_equal(do_set("shape", "round", &owner), ERR_OK);
    assert_int_equal(do_get("shape", 2, &owner), ERR_SIZE);
    assert_int_equal(last_len, 5);
    assert_memory_equal(got, "ro\0", 3);
    assert_int_equal(do_get("shape", 0, &owner), ERR_SIZE);
    assert_int_equal(last_len, 5);
}

static void test_overwrite_reads_new_value_and_marks_old_dead(void **state)
{
    (void)state;
    assert_int_equal(do_set("k", "one", &owner), ERR_OK);
    assert_int_equal(do_set("k", "two", &owner), ERR_OK);
    check_value("k", "two", &owner);
    const uint8_t *first = memory + BANK0 + KV_RECORD_BANK_HEADER_SIZE;
    assert_int_equal(first[0], 0x00); /* dead */
    assert_int_equal(first[16], 0x4B); /* the new one, 16 bytes on, live */
}

static void test_add_update_delete_outcomes(void **state)
{
    (void)state;
    assert_int_equal(do_add("k", "v1", &owner), ERR_OK);
    assert_int_equal(do_add("k", "v2", &owner), ERR_NOSUPPORT);
    check_value("k", "v1", &owner);
    assert_int_equal(do_update("missing", "x", &owner), ERR_NOSUPPORT);
    assert_int_equal(do_update("k", "v3", &owner), ERR_OK);
    check_value("k", "v3", &owner);
    assert_int_equal(do_delete("missing", &owner), ERR_NOSUPPORT);
    assert_int_equal(do_delete("k", &owner), ERR_OK);
    assert_int_equal(do_get("k", sizeof got, &owner), ERR_NOSUPPORT);
    assert_int_equal(do_delete("k", &owner), ERR_NOSUPPORT);
    assert_int_equal(do_update("k", "v4", &owner), ERR_NOSUPPORT);
    assert_int_equal(do_add("k", "v5", &owner), ERR_OK);
    check_value("k", "v5", &owner);
}

static void test_keys_are_compared_whole(void **state)
{
    (void)state;
    assert_int_equal(do_set("ab", "1", &owner), ERR_OK);
    assert_int_equal(do_set("abc", "2", &owner), ERR_OK);
    assert_int_equal(do_set("a", "3", &owner), ERR_OK);
    check_value("ab", "1", &owner);
    check_value("abc", "2", &owner);
    check_value("a", "3", &owner);
    assert_int_equal(do_get("b", sizeof got, &owner), ERR_NOSUPPORT);
}

/* ---------------------------------------------------------------- permissions */

static void test_records_are_isolated_by_write_id(void **state)
{
    (void)state;
    assert_int_equal(do_set("secret", "s1", &owner), ERR_OK);
    /* No read or modify permission for write_id 1: everything on the key is refused. */
    assert_int_equal(do_get("secret", sizeof got, &other), ERR_NOSUPPORT);
    assert_int_equal(last_len, 0);
    assert_int_equal(do_delete("secret", &other), ERR_NOSUPPORT);
    assert_int_equal(do_update("secret", "x", &other), ERR_NOSUPPORT);
    assert_int_equal(do_set("secret", "x", &other), ERR_NOSUPPORT);
    assert_int_equal(do_add("secret", "x", &other), ERR_NOSUPPORT); /* it exists */
    /* Read permission only. */
    check_value("secret", "s1", &reader);
    assert_int_equal(do_delete("secret", &reader), ERR_NOSUPPORT);
    assert_int_equal(do_set("secret", "x", &reader), ERR_NOSUPPORT);
    check_value("secret", "s1", &owner);
    /* Modify permission: the update is tagged with the modifier's own write_id, 4... */
    assert_int_equal(do_update("secret", "s2", &modifier), ERR_OK);
    check_value("secret", "s2", &modifier);
    /* ...so the first owner, who may not read 4, no longer can. */
    assert_int_equal(do_get("secret", sizeof got, &owner), ERR_NOSUPPORT);
    assert_int_equal(do_delete("secret", &modifier), ERR_OK);
}

static void test_write_id_zero_may_read_and_delete_but_not_write(void **state)
{
    (void)state;
    assert_int_equal(do_set("k", "v", &owner), ERR_OK);
    uint32_t key_len = use_key("k");
    uint32_t value_len = use_value("w");
    assert_int_equal(kv_store_set(&store, key, key_len, value, value_len, &read_only), ERR_INVAL);
    assert_int_equal(kv_store_add(&store, key, key_len, value, value_len, &read_only), ERR_INVAL);
    assert_int_equal(kv_store_update(&store, key, key_len, value, value_len, &read_only),
                     ERR_INVAL);
    check_value("k", "v", &read_only);
    assert_int_equal(do_delete("k", &read_only), ERR_OK);
    assert_int_equal(done_count, 3); /* set, get, delete: no done() after a refusal */
}

static void test_own_write_id_alone_grants_nothing(void **state)
{
    (void)state;
    /* `unlisted` writes under 5 but lists no ids: it cannot read back, overwrite or delete. */
    assert_int_equal(do_set("mine", "m1", &unlisted), ERR_OK);
    assert_int_equal(do_get("mine", sizeof got, &unlisted), ERR_NOSUPPORT);
    assert_int_equal(do_set("mine", "m2", &unlisted), ERR_NOSUPPORT);
    assert_int_equal(do_update("mine", "m2", &unlisted), ERR_NOSUPPORT);
    assert_int_equal(do_delete("mine", &unlisted), ERR_NOSUPPORT);
    /* Nobody else lists 5 either. */
    assert_int_equal(do_get("mine", sizeof got, &modifier), ERR_NOSUPPORT);
}

static void test_null_permissions_read_and_delete_nothing(void **state)
{
    (void)state;
    assert_int_equal(do_set("k", "v", &owner), ERR_OK);
    assert_int_equal(do_get("k", sizeof got, &no_tlv), ERR_NOSUPPORT);
    assert_int_equal(do_get("absent", sizeof got, &no_tlv), ERR_NOSUPPORT);
    assert_int_equal(do_delete("k", &no_tlv), ERR_NOSUPPORT);
    check_value("k", "v", &owner);
}

static void test_zero_length_value(void **state)
{
    (void)state;
    assert_int_equal(do_set("e", "", &owner), ERR_OK);
    assert_int_equal(do_get("e", sizeof got, &owner), ERR_OK);
    assert_int_equal(last_len, 0);
    assert_int_equal(do_update("e", "full", &owner), ERR_OK);
    check_value("e", "full", &owner);
    assert_int_equal(do_update("e", "", &owner), ERR_OK);
    assert_int_equal(do_get("e", 0, &owner), ERR_OK); /* fits in no room at all */
    assert_int_equal(last_len, 0);
    assert_int_equal(do_delete("e", &owner), ERR_OK);
    assert_int_equal(do_add("e", "", &owner), ERR_OK);
    assert_int_equal(do_get("e", sizeof got, &owner), ERR_OK);
    assert_int_equal(last_len, 0);
}

static void test_start_refusals_and_busy(void **state)
{
    (void)state;
    uint32_t key_len = use_key("k");
    assert_int_equal(kv_store_get(&store, key, 0, got, 1, &owner), ERR_SIZE);
    assert_int_equal(kv_store_get(&store, key, KV_STORE_KEY_MAX + 1, got, 1, &owner), ERR_SIZE);
    assert_int_equal(kv_store_get(&store, NULL, 1, got, 1, &owner), ERR_SIZE);
    assert_int_equal(kv_store_get(&store, key, key_len, NULL, 1, &owner), ERR_SIZE);
    assert_int_equal(kv_store_set(&store, key, key_len, value, KV_STORE_VALUE_MAX + 1, &owner),
                     ERR_SIZE);
    assert_int_equal(kv_store_set(&store, key, key_len, value, 1, &no_tlv), ERR_INVAL);
    assert_int_equal(kv_store_add(&store, key, key_len, value, 1, &no_tlv), ERR_INVAL);
    assert_int_equal(kv_store_update(&store, key, key_len, value, 1, &no_tlv), ERR_INVAL);
    assert_int_equal(flash.calls, 0);
    assert_int_equal(kv_store_get(&store, key, key_len, NULL, 0, &owner), ERR_OK);
    assert_int_equal(kv_store_compact(&store), ERR_BUSY);
    assert_int_equal(kv_store_delete(&store, key, key_len, &owner), ERR_BUSY);
    run();
    assert_int_equal(done_count, 1);
    assert_int_equal(last_status, ERR_NOSUPPORT);
}

/* ---------------------------------------------------------------- compaction */

static void test_full_bank_compacts_and_keeps_live_values(void **state)
{
    (void)state;
    assert_int_equal(do_set("keep", "kept", &owner), ERR_OK);
    char text[64];
    for (unsigned i = 0; i < 40; i++) {
        memset(text, 'a' + (char)(i % 26), 40);
        text[40] = '\0';
        assert_int_equal(do_set("churn", text, &owner), ERR_OK);
    }
    assert_true(store.compactions > 0);
    check_value("churn", text, &owner);
    check_value("keep", "kept", &owner);
    expect_canaries();
}

static void test_nomem_when_live_values_fill_the_bank(void **state)
{
    (void)state;
    char name[8];
    char big[KV_STORE_VALUE_MAX + 1];
    memset(big, 'x', KV_STORE_VALUE_MAX);
    big[KV_STORE_VALUE_MAX] = '\0';
    unsigned stored = 0;
    err_t err = ERR_OK;
    for (unsigned i = 0; i < 10 && err == ERR_OK; i++) {
        name[0] = 'k';
        name[1] = (char)('0' + i);
        name[2] = '\0';
        err = do_set(name, big, &owner);
        stored += err == ERR_OK;
    }
    assert_int_equal(err, ERR_NOMEM);
    assert_int_equal(stored, 2); /* 272-byte records: one per 512-byte page, compaction or not */
    for (unsigned i = 0; i < stored; i++) {
        name[1] = (char)('0' + i);
        assert_int_equal(do_get(name, sizeof got, &owner), ERR_OK);
        assert_int_equal(last_len, KV_STORE_VALUE_MAX);
    }
    /* Deleting one makes room again. */
    assert_int_equal(do_delete("k0", &owner), ERR_OK);
    assert_int_equal(do_set("k9", "small", &owner), ERR_OK);
}

static void test_garbage_collect_switches_banks_and_generations(void **state)
{
    (void)state;
    assert_int_equal(do_set("a", "1", &owner), ERR_OK);
    assert_int_equal(do_set("a", "2", &owner), ERR_OK);
    assert_int_equal(do_set("b", "3", &owner), ERR_OK);
    assert_int_equal(do_delete("b", &owner), ERR_OK);
    assert_int_equal(finish_op(kv_store_compact(&store)), ERR_OK);
    assert_null(last_key);
    assert_null(last_value);
    assert_int_equal(store.active, 1);
    assert_int_equal(get_u32(memory + BANK1 + 4), 2);
    /* Only the live record was copied. */
    const uint8_t *r = memory + BANK1 + KV_RECORD_BANK_HEADER_SIZE;
    assert_int_equal(r[0], 0x4B);
    assert_int_equal(r[16], 0xFF);
    check_value("a", "2", &owner);
    assert_int_equal(do_get("b", sizeof got, &owner), ERR_NOSUPPORT);
    assert_int_equal(finish_op(kv_store_compact(&store)), ERR_OK);
    assert_int_equal(store.active, 0);
    assert_int_equal(get_u32(memory + BANK0 + 4), 3);
    check_value("a", "2", &owner);
    expect_canaries();
}

/* ---------------------------------------------------------------- mounting */

static void test_remount_finds_the_log_and_appends_after_it(void **state)
{
    (void)state;
    assert_int_equal(do_set("a", "1", &owner), ERR_OK);
    assert_int_equal(do_set("b", "2", &owner), ERR_OK);
    assert_int_equal(finish_op(kv_store_compact(&store)), ERR_OK);
    assert_int_equal(do_set("c", "3", &owner), ERR_OK);
    uint32_t head_page = store.head_page;
    uint32_t head_offset = store.head_offset;
    fresh_store(); /* a reboot: nothing in RAM */
    check_value("a", "1", &owner);
    check_value("b", "2", &owner);
    check_value("c", "3", &owner);
    assert_int_equal(store.active, 1);
    assert_int_equal(store.generation, 2);
    assert_int_equal(store.head_page, head_page);
    assert_int_equal(store.head_offset, head_offset);
    assert_int_equal(do_set("d", "4", &owner), ERR_OK);
    check_value("d", "4", &owner);
}

static void test_remount_of_a_full_first_page_continues_on_the_next(void **state)
{
    (void)state;
    char text[201];
    memset(text, 'v', 200);
    text[200] = '\0';
    assert_int_equal(do_set("k1", text, &owner), ERR_OK); /* 216 bytes each: two fit page 0 */
    assert_int_equal(do_set("k2", text, &owner), ERR_OK);
    assert_int_equal(do_set("k3", text, &owner), ERR_OK); /* page 1 */
    assert_int_equal(store.head_page, 1);
    fresh_store();
    check_value("k3", text, &owner);
    assert_int_equal(store.head_page, 1);
    assert_int_equal(store.head_offset, 216);
}

static void test_interrupted_compaction_leaves_the_old_bank_in_charge(void **state)
{
    (void)state;
    assert_int_equal(do_set("a", "1", &owner), ERR_OK);
    assert_int_equal(kv_store_compact(&store), ERR_OK);
    /* Run until the header write, then lose it (power cut: the header never lands). */
    for (unsigned guard = 0; store.step != KV_STORE_COMMIT_WRITE; guard++) {
        assert_true(guard < 100);
        fake_flash_complete(&flash, ERR_OK);
    }
    fake_flash_complete(&flash, ERR_FAIL);
    assert_int_equal(done_count, 2);
    assert_int_equal(last_status, ERR_FAIL);
    assert_false(store.is_mounted);
    fresh_store();
    check_value("a", "1", &owner);
    assert_int_equal(store.active, 0);
    assert_int_equal(finish_op(kv_store_compact(&store)), ERR_OK);
    assert_int_equal(store.active, 1);
    check_value("a", "1", &owner);
}

static void test_update_interrupted_before_marking_reads_new_and_delete_kills_both(void **state)
{
    (void)state;
    assert_int_equal(do_set("k", "old", &owner), ERR_OK);
    uint32_t key_len = use_key("k");
    uint32_t value_len = use_value("new");
    assert_int_equal(kv_store_set(&store, key, key_len, value, value_len, &owner), ERR_OK);
    for (unsigned guard = 0; store.step != KV_STORE_KILL_WRITE; guard++) {
        assert_true(guard < 100);
        fake_flash_complete(&flash, ERR_OK);
    }
    fake_flash_complete(&flash, ERR_FAIL); /* the old record stays live */
    assert_int_equal(last_status, ERR_FAIL);
    fresh_store();
    check_value("k", "new", &owner); /* the later record wins */
    assert_int_equal(do_delete("k", &owner), ERR_OK);
    assert_int_equal(do_get("k", sizeof got, &owner), ERR_NOSUPPORT); /* the old one too */
}

static void test_corrupt_record_counts_as_dead(void **state)
{
    (void)state;
    assert_int_equal(do_set("k", "value", &owner), ERR_OK);
    memory[BANK0 + KV_RECORD_BANK_HEADER_SIZE + 13] &= 0x0F; /* a value byte */
    fresh_store();
    assert_int_equal(do_get("k", sizeof got, &owner), ERR_NOSUPPORT);
    assert_int_equal(do_add("k", "again", &owner), ERR_OK);
    check_value("k", "again", &owner);
}

static void test_garbage_after_the_log_is_skipped(void **state)
{
    (void)state;
    assert_int_equal(do_set("k", "v", &owner), ERR_OK);
    uint32_t end = store.head_offset;
    memory[BANK0 + end] = 0x11; /* a torn header: unreadable */
    fresh_store();
    check_value("k", "v", &owner);
    assert_int_equal(store.head_page, 1); /* the rest of page 0 is given up */
    assert_int_equal(do_set("j", "w", &owner), ERR_OK);
    check_value("j", "w", &owner);
    check_value("k", "v", &owner);
}

static void test_dirty_head_area_is_skipped_when_appending(void **state)
{
    (void)state;
    assert_int_equal(do_set("k", "v", &owner), ERR_OK);
    /* A stray programmed byte past the log's end that the mount cannot see (it is not where a
     * record header would start). */
    memory[BANK0 + store.head_offset + 5] = 0x00;
    fresh_store();
    assert_int_equal(do_set("j", "w", &owner), ERR_OK);
    assert_int_equal(store.head_page, 1);
    check_value("j", "w", &owner);
    check_value("k", "v", &owner);
}

/* ---------------------------------------------------------------- failures */

static void test_flash_failure_reports_fail_then_remounts(void **state)
{
    (void)state;
    assert_int_equal(do_set("k", "v", &owner), ERR_OK);
    uint32_t key_len = use_key("k");
    assert_int_equal(kv_store_get(&store, key, key_len, got, sizeof got, &owner), ERR_OK);
    fake_flash_complete(&flash, ERR_FAIL);
    assert_int_equal(done_count, 2);
    assert_int_equal(last_status, ERR_FAIL);
    assert_int_equal(last_len, 0);
    assert_false(store.is_mounted);
    check_value("k", "v", &owner);
    assert_true(store.is_mounted);
}

static void test_refused_flash_operation_is_reported_later(void **state)
{
    (void)state;
    uint32_t key_len = use_key("k");
    flash.next_result = ERR_BUSY;
    assert_int_equal(kv_store_get(&store, key, key_len, got, sizeof got, &owner), ERR_OK);
    assert_int_equal(done_count, 0);
    deferred_call_service();
    assert_int_equal(done_count, 1);
    assert_int_equal(last_status, ERR_FAIL);
    assert_int_equal(do_set("k", "v", &owner), ERR_OK);
}

static void test_init_rejects_bad_buffers_and_layouts(void **state)
{
    (void)state;
    struct kv_store s;
    struct kv_store_config c = { .first_page = 2, .bank_pages = 2 };
    assert_int_equal(kv_store_init(&s, &flash.flash, &c, NULL, out_buf, PAGE), ERR_SIZE);
    assert_int_equal(kv_store_init(&s, &flash.flash, &c, page_buf, NULL, PAGE), ERR_SIZE);
    assert_int_equal(kv_store_init(&s, &flash.flash, &c, page_buf, out_buf, PAGE - 1), ERR_SIZE);
    c.bank_pages = 3; /* not whole erase units */
    assert_int_equal(kv_store_init(&s, &flash.flash, &c, page_buf, out_buf, PAGE), ERR_INVAL);
    c.bank_pages = 0;
    assert_int_equal(kv_store_init(&s, &flash.flash, &c, page_buf, out_buf, PAGE), ERR_INVAL);
    c = (struct kv_store_config){ .first_page = 1, .bank_pages = 2 };
    assert_int_equal(kv_store_init(&s, &flash.flash, &c, page_buf, out_buf, PAGE), ERR_INVAL);
    c = (struct kv_store_config){ .first_page = 12, .bank_pages = 4 }; /* past the end */
    assert_int_equal(kv_store_init(&s, &flash.flash, &c, page_buf, out_buf, PAGE), ERR_INVAL);
    struct fake_flash small;
    uint8_t small_memory[256 * 4];
    fake_flash_init(&small, small_memory, 256, 4, 1);
    c = (struct kv_store_config){ .first_page = 0, .bank_pages = 2 };
    assert_int_equal(kv_store_init(&s, &small.flash, &c, page_buf, out_buf, 256), ERR_SIZE);
    assert_int_equal(count_kind(FAKE_FLASH_READ), 0);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup(test_first_operation_formats_erased_flash, setup),
        cmocka_unit_test_setup(test_set_then_get_returns_value_and_length, setup),
        cmocka_unit_test_setup(test_short_buffer_gets_size_length_and_prefix, setup),
        cmocka_unit_test_setup(test_overwrite_reads_new_value_and_marks_old_dead, setup),
        cmocka_unit_test_setup(test_add_update_delete_outcomes, setup),
        cmocka_unit_test_setup(test_keys_are_compared_whole, setup),
        cmocka_unit_test_setup(test_records_are_isolated_by_write_id, setup),
        cmocka_unit_test_setup(test_write_id_zero_may_read_and_delete_but_not_write, setup),
        cmocka_unit_test_setup(test_own_write_id_alone_grants_nothing, setup),
        cmocka_unit_test_setup(test_null_permissions_read_and_delete_nothing, setup),
        cmocka_unit_test_setup(test_zero_length_value, setup),
        cmocka_unit_test_setup(test_start_refusals_and_busy, setup),
        cmocka_unit_test_setup(test_full_bank_compacts_and_keeps_live_values, setup),
        cmocka_unit_test_setup(test_nomem_when_live_values_fill_the_bank, setup),
        cmocka_unit_test_setup(test_garbage_collect_switches_banks_and_generations, setup),
        cmocka_unit_test_setup(test_remount_finds_the_log_and_appends_after_it, setup),
        cmocka_unit_test_setup(test_remount_of_a_full_first_page_continues_on_the_next, setup),
        cmocka_unit_test_setup(test_interrupted_compaction_leaves_the_old_bank_in_charge, setup),
        cmocka_unit_test_setup(
            test_update_interrupted_before_marking_reads_new_and_delete_kills_both, setup),
        cmocka_unit_test_setup(test_corrupt_record_counts_as_dead, setup),
        cmocka_unit_test_setup(test_garbage_after_the_log_is_skipped, setup),
        cmocka_unit_test_setup(test_dirty_head_area_is_skipped_when_appending, setup),
        cmocka_unit_test_setup(test_flash_failure_reports_fail_then_remounts, setup),
        cmocka_unit_test_setup(test_refused_flash_operation_is_reported_later, setup),
        cmocka_unit_test_setup(test_init_rejects_bad_buffers_and_layouts, setup),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
