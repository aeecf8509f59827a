/* SPDX-License-Identifier: Apache-2.0 OR MIT */
/*
 * Host tests for the key-value syscall driver (capsules/extra/kv_driver.c).
 *
 * The driver runs over the real record store (capsules/extra/kv_store.c) on a fake flash (8
 * pages of 512 bytes, erased one at a time, banks of 2 pages), fake grants and processes, and the
 * real command queue. Each fake process's storage permissions come from a table the test fills,
 * through the driver's permission lookup, as the board's come from struct process.
 *
 * Usage: make build/host/kv_driver_test (or `make unit` for every test).
 *
 * Invariants: each test starts from erased flash, fresh deferred calls and grants, and three
 * processes: a (write id 1), b (write id 2, may read 1) and c (write id 3, may read and modify
 * 1).
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include "driver_command.h"

#include "capsules/driver_num.h"
#include "capsules/kv_driver.h"
#include "fake_flash.h"
#include "fake_grant.h"
#include "kernel/deferred_call.h"
#include "storage_fixture.h"

#define PAGE 512u
#define PAGES 8u
#define PROCESSES 8u

static uint8_t memory[PAGE * PAGES];
static struct fake_flash flash;
static struct kv_store store;
static struct kv_driver kv;
static uint8_t page_buf[PAGE];
static uint8_t out_buf[PAGE];
static uint8_t key_buf[KV_STORE_KEY_MAX];
static uint8_t value_buf[KV_STORE_VALUE_MAX];
static struct cmd_queue_entry entries[PROCESSES];
static const struct kv_store_config store_config = { .first_page = 0, .bank_pages = 2 };
static struct storage_permissions permissions[FAKE_GRANT_MAX_PROCESSES];
static unsigned lookups;
static struct process_id a, b, c;


static err_t lookup(void *ctx, struct process_id pid, struct storage_permissions *out)
{
    (void)ctx;
    lookups++;
    if (!fake_process_is_alive(pid)) {
        return ERR_INVAL;
    }
    *out = permissions[pid.index];
    return ERR_OK;
}

static const struct kv_driver_config driver_config = { .permissions = lookup, .ctx = NULL };

static int setup(void **state)
{
    (void)state;
    deferred_call_reset_for_test();
    fake_grant_reset();
    memset(memory, 0xFF, sizeof memory);
    memset(permissions, 0, sizeof permissions);
    fake_flash_init(&flash, memory, PAGE, PAGES, 1);
    assert_int_equal(kv_store_init(&store, &flash.flash, &store_config, page_buf, out_buf, PAGE),
                     ERR_OK);
    assert_int_equal(kv_driver_init(&kv, &store, &driver_config, key_buf, value_buf,
                                    &storage_still_clock, entries, PROCESSES, NULL),
                     ERR_OK);
    a = fake_process_create();
    b = fake_process_create();
    c = fake_process_create();
    /* As the corpus apps' TLVs do, each lists its own write id to read and modify its keys. */
    permissions[a.index] = (struct storage_permissions){
        .is_present = true, .write_id = 1, .read_count = 1, .read_ids = { 1 },
        .modify_count = 1, .modify_ids = { 1 } };
    permissions[b.index] = (struct storage_permissions){
        .is_present = true, .write_id = 2, .read_count = 2, .read_ids = { 2, 1 },
        .modify_count = 1, .modify_ids = { 2 } };
    permissions[c.index] = (struct storage_permissions){
        .is_present = true, .write_id = 3, .read_count = 2, .read_ids = { 3, 1 },
        .modify_count = 2, .modify_ids = { 3, 1 } };
    lookups = 0;
    return 0;
}

static struct syscall_return command(struct process_id pid, uint32_t num)
{
    return driver_command(&kv.driver, num, 0, 0, pid);
}

static void expect_success(struct syscall_return r)
{
    assert_int_equal(r.variant, SYSCALL_SUCCESS);
}

static void expect_failure(struct syscall_return r, err_t err)
{
    assert_int_equal(r.variant, SYSCALL_FAILURE);
    assert_int_equal(r.values[0], err);
}

/* Deferred calls (the command queue, the store's reports) and flash completions until idle. */
static void run(void)
{
    assert_true(storage_settle(&flash, 10000)); /* false: never idle */
}

static void allow_key(struct process_id pid, const char *key)
{
    fake_process_allow_ro(pid, KV_DRIVER_NUM, KV_DRIVER_ALLOW_RO_KEY, key, strlen(key));
}

static void allow_value(struct process_id pid, const char *value)
{
    fake_process_allow_ro(pid, KV_DRIVER_NUM, KV_DRIVER_ALLOW_RO_VALUE, value, strlen(value));
}

static void allow_out(struct process_id pid, void *buf, size_t len)
{
    fake_process_allow_rw(pid, KV_DRIVER_NUM, KV_DRIVER_ALLOW_RW_VALUE, buf, len);
}

/* The i-th upcall: (status, value_length, 0) on subscribe 0 for pid. */
static void expect_upcall(size_t i, struct process_id pid, err_t status, uint32_t length)
{
    assert_true(i < fake_grant_upcall_count());
    const struct fake_upcall *u = fake_grant_upcall(i);
    assert_int_equal(u->driver_num, KV_DRIVER_NUM);
    assert_int_equal(u->pid.index, pid.index);
    assert_int_equal(u->pid.id, pid.id);
    assert_int_equal(u->subscribe_num, KV_DRIVER_SUBSCRIBE_DONE);
    assert_int_equal(u->args[0], status);
    assert_int_equal(u->args[1], length);
    assert_int_equal(u->args[2], 0);
}

/* Run one command of pid to its end; returns the upcall's status (exactly one must come). */
static err_t operate(struct process_id pid, uint32_t num)
{
    size_t before = fake_grant_upcall_count();
    expect_success(command(pid, num));
    assert_int_equal(fake_grant_upcall_count(), before); /* never inside the command */
    run();
    assert_int_equal(fake_grant_upcall_count(), before + 1);
    const struct fake_upcall *u = fake_grant_upcall(before);
    assert_int_equal(u->pid.index, pid.index);
    return (err_t)u->args[0];
}

static err_t set(struct process_id pid, uint32_t num, const char *key, const char *value)
{
    allow_key(pid, key);
    allow_value(pid, value);
    return operate(pid, num);
}

static err_t get(struct process_id pid, const char *key, char *out, size_t len)
{
    allow_key(pid, key);
    allow_out(pid, out, len);
    return operate(pid, KV_DRIVER_CMD_GET);
}

static void expect_get(struct process_id pid, const char *key, const char *want)
{
    char out[64];
    memset(out, 0, sizeof out);
    assert_int_equal(get(pid, key, out, sizeof out), ERR_OK);
    expect_upcall(fake_grant_upcall_count() - 1, pid, ERR_OK, strlen(want));
    assert_string_equal(out, want);
}

/* ---------------------------------------------------------------- commands */

static void test_exists_and_unknown_commands(void **state)
{
    (void)state;
    struct process_id none = fake_process_create(); /* no storage permissions */
    expect_success(command(none, 0));
    expect_success(command(a, 0));
    expect_failure(command(a, 7), ERR_NOSUPPORT);
    expect_failure(command(a, 100), ERR_NOSUPPORT);
}

static void test_process_without_permissions_has_null_permissions(void **state)
{
    (void)state;
    assert_int_equal(set(a, KV_DRIVER_CMD_SET, "k", "v"), ERR_OK);
    struct process_id none = fake_process_create();
    allow_key(none, "k");
    allow_value(none, "v");
    /* Writes are refused at the command, before anything is queued. */
    expect_failure(command(none, KV_DRIVER_CMD_SET), ERR_INVAL);
    expect_failure(command(none, KV_DRIVER_CMD_ADD), ERR_INVAL);
    expect_failure(command(none, KV_DRIVER_CMD_UPDATE), ERR_INVAL);
    /* get and delete are answered NOSUPPORT, as for a key that does not exist. */
    char out[8];
    assert_int_equal(get(none, "k", out, sizeof out), ERR_NOSUPPORT);
    assert_int_equal(get(none, "nokey", out, sizeof out), ERR_NOSUPPORT);
    allow_key(none, "k");
    assert_int_equal(operate(none, KV_DRIVER_CMD_DELETE), ERR_NOSUPPORT);
    /* Garbage collection needs no permission in Tock. */
    assert_int_equal(operate(none, KV_DRIVER_CMD_GARBAGE_COLLECT), ERR_OK);
    expect_get(a, "k", "v");
}

static void test_own_write_id_grants_only_what_is_listed(void **state)
{
    (void)state;
    /* Like libtock-c's kv_no_read: writes under 9091, may modify 9091, reads nothing. */
    struct process_id no_read = fake_process_create();
    permissions[no_read.index] = (struct storage_permissions){
        .is_present = true, .write_id = 9091, .modify_count = 1, .modify_ids = { 9091 } };
    char out[8];
    assert_int_equal(set(no_read, KV_DRIVER_CMD_SET, "nr", "1"), ERR_OK);
    assert_int_equal(get(no_read, "nr", out, sizeof out), ERR_NOSUPPORT);
    assert_int_equal(set(no_read, KV_DRIVER_CMD_SET, "nr", "2"), ERR_OK);
    assert_int_equal(set(no_read, KV_DRIVER_CMD_UPDATE, "nr", "3"), ERR_OK);
    allow_key(no_read, "nr");
    assert_int_equal(operate(no_read, KV_DRIVER_CMD_DELETE), ERR_OK);
    /* Like kv_no_modify: writes under 9092, may read 9092, modifies nothing. */
    struct process_id no_modify = fake_process_create();
    permissions[no_modify.index] = (struct storage_permissions){
        .is_present = true, .write_id = 9092, .read_count = 1, .read_ids = { 9092 } };
    assert_int_equal(set(no_modify, KV_DRIVER_CMD_SET, "nm", "1"), ERR_OK);
    expect_get(no_modify, "nm", "1");
    assert_int_equal(set(no_modify, KV_DRIVER_CMD_SET, "nm", "2"), ERR_NOSUPPORT);
    assert_int_equal(set(no_modify, KV_DRIVER_CMD_UPDATE, "nm", "2"), ERR_NOSUPPORT);
    allow_key(no_modify, "nm");
    assert_int_equal(operate(no_modify, KV_DRIVER_CMD_DELETE), ERR_NOSUPPORT);
    expect_get(no_modify, "nm", "1");
    /* add of an existing key fails whoever wrote it. */
    assert_int_equal(set(no_modify, KV_DRIVER_CMD_ADD, "nm", "3"), ERR_NOSUPPORT);
    /* A process with modify rights but write_id 0 may delete (delete needs no write id). */
    struct process_id deleter = fake_process_create();
    permissions[deleter.index] = (struct storage_permissions){
        .is_present = true, .write_id = 0, .modify_count = 1, .modify_ids = { 9092 } };
    allow_key(deleter, "nm");
    assert_int_equal(operate(deleter, KV_DRIVER_CMD_DELETE), ERR_OK);
    assert_int_equal(get(no_modify, "nm", out, sizeof out), ERR_NOSUPPORT);
}

static void test_zero_length_values_are_stored(void **state)
{
    (void)state;
    char out[8];
    /* An empty allow ... */
    assert_int_equal(set(a, KV_DRIVER_CMD_SET, "empty", ""), ERR_OK);
    assert_int_equal(get(a, "empty", out, sizeof out), ERR_OK);
    expect_upcall(fake_grant_upcall_count() - 1, a, ERR_OK, 0);
    /* ... and no allow at all both mean an empty value. */
    allow_key(a, "none");
    fake_process_allow_ro(a, KV_DRIVER_NUM, KV_DRIVER_ALLOW_RO_VALUE, NULL, 0);
    assert_int_equal(operate(a, KV_DRIVER_CMD_ADD), ERR_OK);
    assert_int_equal(get(a, "none", out, sizeof out), ERR_OK);
    expect_upcall(fake_grant_upcall_count() - 1, a, ERR_OK, 0);
    /* An update to an empty value, and back. */
    assert_int_equal(set(a, KV_DRIVER_CMD_SET, "k", "value"), ERR_OK);
    assert_int_equal(set(a, KV_DRIVER_CMD_UPDATE, "k", ""), ERR_OK);
    assert_int_equal(get(a, "k", out, sizeof out), ERR_OK);
    expect_upcall(fake_grant_upcall_count() - 1, a, ERR_OK, 0);
    assert_int_equal(set(a, KV_DRIVER_CMD_UPDATE, "k", "v2"), ERR_OK);
    expect_get(a, "k", "v2");
}

static void test_write_id_zero_may_not_write_but_may_read(void **state)
{
    (void)state;
    assert_int_equal(set(a, KV_DRIVER_CMD_SET, "k", "v"), ERR_OK);
    permissions[b.index].write_id = 0;
    allow_key(b, "k");
    allow_value(b, "w");
    expect_failure(command(b, KV_DRIVER_CMD_SET), ERR_INVAL);
    expect_failure(command(b, KV_DRIVER_CMD_ADD), ERR_INVAL);
    expect_failure(command(b, KV_DRIVER_CMD_UPDATE), ERR_INVAL);
    expect_get(b, "k", "v");
}

static void test_missing_or_oversized_buffers_are_refused(void **state)
{
    (void)state;
    expect_failure(command(a, KV_DRIVER_CMD_GET), ERR_RESERVE);
    expect_failure(command(a, KV_DRIVER_CMD_DELETE), ERR_RESERVE);
    expect_failure(command(a, KV_DRIVER_CMD_SET), ERR_RESERVE);
    allow_key(a, "k");
    static char long_key[KV_STORE_KEY_MAX + 1];
    static char long_value[KV_STORE_VALUE_MAX + 1];
    memset(long_key, 'k', sizeof long_key);
    memset(long_value, 'v', sizeof long_value);
    fake_process_allow_ro(a, KV_DRIVER_NUM, KV_DRIVER_ALLOW_RO_KEY, long_key, sizeof long_key);
    expect_failure(command(a, KV_DRIVER_CMD_GET), ERR_SIZE);
    allow_key(a, "k");
    fake_process_allow_ro(a, KV_DRIVER_NUM, KV_DRIVER_ALLOW_RO_VALUE, long_value,
                          sizeof long_value);
    expect_failure(command(a, KV_DRIVER_CMD_SET), ERR_SIZE);
    /* The limits themselves are fine. */
    fake_process_allow_ro(a, KV_DRIVER_NUM, KV_DRIVER_ALLOW_RO_KEY, long_key,
                          KV_STORE_KEY_MAX);
    fake_process_allow_ro(a, KV_DRIVER_NUM, KV_DRIVER_ALLOW_RO_VALUE, long_value,
                          KV_STORE_VALUE_MAX);
    assert_int_equal(operate(a, KV_DRIVER_CMD_SET), ERR_OK);
    run();
    assert_int_equal(fake_grant_upcall_count(), 1);
}

static void test_second_request_while_pending_is_nomem(void **state)
{
    (void)state;
    allow_key(a, "k");
    expect_success(command(a, KV_DRIVER_CMD_GET));
    expect_failure(command(a, KV_DRIVER_CMD_GET), ERR_NOMEM);
    expect_failure(command(a, KV_DRIVER_CMD_GARBAGE_COLLECT), ERR_NOMEM);
    deferred_call_service(); /* started: still pending */
    expect_failure(command(a, KV_DRIVER_CMD_DELETE), ERR_NOMEM);
    assert_int_equal(fake_grant_upcall_count(), 0);
    run();
    expect_upcall(0, a, ERR_NOSUPPORT, 0);
    assert_int_equal(fake_grant_upcall_count(), 1);
    assert_int_equal(operate(a, KV_DRIVER_CMD_GARBAGE_COLLECT), ERR_OK); /* free again */
}

/* ---------------------------------------------------------------- operations */

static void test_set_get_update_delete_add_upcalls(void **state)
{
    (void)state;
    assert_int_equal(set(a, KV_DRIVER_CMD_SET, "color", "blue"), ERR_OK);
    expect_upcall(0, a, ERR_OK, 0);
    expect_get(a, "color", "blue");
    assert_int_equal(set(a, KV_DRIVER_CMD_UPDATE, "color", "green"), ERR_OK);
    expect_get(a, "color", "green");
    assert_int_equal(set(a, KV_DRIVER_CMD_ADD, "color", "red"), ERR_NOSUPPORT);
    expect_upcall(fake_grant_upcall_count() - 1, a, ERR_NOSUPPORT, 0);
    assert_int_equal(set(a, KV_DRIVER_CMD_UPDATE, "missing", "x"), ERR_NOSUPPORT);
    allow_key(a, "color");
    assert_int_equal(operate(a, KV_DRIVER_CMD_DELETE), ERR_OK);
    expect_upcall(fake_grant_upcall_count() - 1, a, ERR_OK, 0);
    char out[8];
    assert_int_equal(get(a, "color", out, sizeof out), ERR_NOSUPPORT);
    expect_upcall(fake_grant_upcall_count() - 1, a, ERR_NOSUPPORT, 0);
    assert_int_equal(set(a, KV_DRIVER_CMD_ADD, "color", "red"), ERR_OK);
    expect_get(a, "color", "red");
    assert_int_equal(operate(a, KV_DRIVER_CMD_GARBAGE_COLLECT), ERR_OK);
    expect_upcall(fake_grant_upcall_count() - 1, a, ERR_OK, 0);
    expect_get(a, "color", "red");
}

static void test_short_or_missing_output_gets_size_and_full_length(void **state)
{
    (void)state;
    assert_int_equal(set(a, KV_DRIVER_CMD_SET, "shape", "round"), ERR_OK);
    char out[8];
    memset(out, 0, sizeof out);
    assert_int_equal(get(a, "shape", out, 2), ERR_SIZE);
    expect_upcall(fake_grant_upcall_count() - 1, a, ERR_SIZE, 5);
    assert_memory_equal(out, "ro\0", 3);
    allow_out(a, NULL, 0);
    assert_int_equal(operate(a, KV_DRIVER_CMD_GET), ERR_SIZE);
    expect_upcall(fake_grant_upcall_count() - 1, a, ERR_SIZE, 5);
    memset(out, 0, sizeof out);
    assert_int_equal(get(a, "shape", out, 5), ERR_OK);
    expect_upcall(fake_grant_upcall_count() - 1, a, ERR_OK, 5);
    assert_memory_equal(out, "round", 5);
}

static void test_permissions_isolate_writers(void **state)
{
    (void)state;
    assert_int_equal(set(a, KV_DRIVER_CMD_SET, "secret", "s1"), ERR_OK);
    struct process_id d = fake_process_create(); /* write id 4, no other rights */
    permissions[d.index] = (struct storage_permissions){ .is_present = true, .write_id = 4 };
    char out[16];
    assert_int_equal(get(d, "secret", out, sizeof out), ERR_NOSUPPORT);
    allow_key(d, "secret");
    assert_int_equal(operate(d, KV_DRIVER_CMD_DELETE), ERR_NOSUPPORT);
    assert_int_equal(set(d, KV_DRIVER_CMD_SET, "secret", "x"), ERR_NOSUPPORT);
    assert_int_equal(set(d, KV_DRIVER_CMD_UPDATE, "secret", "x"), ERR_NOSUPPORT);
    /* b may read but not modify; c may do both. */
    expect_get(b, "secret", "s1");
    allow_key(b, "secret");
    assert_int_equal(operate(b, KV_DRIVER_CMD_DELETE), ERR_NOSUPPORT);
    assert_int_equal(set(c, KV_DRIVER_CMD_UPDATE, "secret", "s2"), ERR_OK);
    expect_get(c, "secret", "s2");
    allow_key(c, "secret");
    assert_int_equal(operate(c, KV_DRIVER_CMD_DELETE), ERR_OK);
    assert_int_equal(get(a, "secret", out, sizeof out), ERR_NOSUPPORT);
}

static void test_processes_are_served_in_arrival_order(void **state)
{
    (void)state;
    allow_key(c, "kc");
    allow_value(c, "vc");
    allow_key(a, "ka");
    allow_value(a, "va");
    allow_key(b, "kb");
    allow_value(b, "vb");
    expect_success(command(c, KV_DRIVER_CMD_SET));
    expect_success(command(a, KV_DRIVER_CMD_SET));
    expect_success(command(b, KV_DRIVER_CMD_SET));
    run();
    assert_int_equal(fake_grant_upcall_count(), 3);
    expect_upcall(0, c, ERR_OK, 0);
    expect_upcall(1, a, ERR_OK, 0);
    expect_upcall(2, b, ERR_OK, 0);
    expect_get(a, "ka", "va");
    expect_get(c, "kc", "vc");
    expect_get(b, "kb", "vb");
}

static void test_values_are_copied_when_the_turn_comes(void **state)
{
    (void)state;
    /* a's request runs first; b's waits, and b changes its value allow meanwhile. */
    allow_key(a, "ka");
    allow_value(a, "va");
    allow_key(b, "kb");
    allow_value(b, "first");
    expect_success(command(a, KV_DRIVER_CMD_SET));
    expect_success(command(b, KV_DRIVER_CMD_SET));
    allow_value(b, "second");
    run();
    expect_get(b, "kb", "second");
}

static void test_withdrawn_allow_is_reported_in_the_upcall(void **state)
{
    (void)state;
    allow_key(a, "ka");
    allow_value(a, "va");
    allow_key(b, "kb");
    allow_value(b, "vb");
    expect_success(command(a, KV_DRIVER_CMD_SET));
    expect_success(command(b, KV_DRIVER_CMD_SET));
    fake_process_allow_ro(b, KV_DRIVER_NUM, KV_DRIVER_ALLOW_RO_KEY, NULL, 0);
    run();
    expect_upcall(0, a, ERR_OK, 0);
    expect_upcall(1, b, ERR_RESERVE, 0);
    char out[8];
    assert_int_equal(get(b, "kb", out, sizeof out), ERR_NOSUPPORT);
}

static void test_process_dying_mid_operation_gets_no_upcall_and_others_go_on(void **state)
{
    (void)state;
    allow_key(a, "ka");
    allow_value(a, "va");
    allow_key(b, "kb");
    allow_value(b, "vb");
    expect_success(command(a, KV_DRIVER_CMD_SET));
    expect_success(command(b, KV_DRIVER_CMD_SET));
    deferred_call_service(); /* a's request starts */
    assert_true(kv.is_running);
    fake_flash_complete(&flash, ERR_OK);
    fake_process_kill(a);
    kv.queue.exit_hook.on_exit(&kv.queue.exit_hook, a);
    run();
    assert_int_equal(fake_grant_upcall_count(), 1);
    expect_upcall(0, b, ERR_OK, 0);
    expect_get(b, "kb", "vb");
    /* a's set was finished by the store all the same (c may read write id 1). */
    expect_get(c, "ka", "va");
    assert_false(kv.is_running);
    assert_non_null(kv.key_buf);
    assert_non_null(kv.value_buf);
}

static void test_queued_request_of_a_dead_process_is_dropped(void **state)
{
    (void)state;
    allow_key(a, "ka");
    allow_value(a, "va");
    allow_key(b, "kb");
    allow_value(b, "vb");
    expect_success(command(a, KV_DRIVER_CMD_SET));
    expect_success(command(b, KV_DRIVER_CMD_SET));
    fake_process_kill(b);
    kv.queue.exit_hook.on_exit(&kv.queue.exit_hook, b);
    run();
    assert_int_equal(fake_grant_upcall_count(), 1);
    expect_upcall(0, a, ERR_OK, 0);
    char out[8];
    assert_int_equal(get(c, "kb", out, sizeof out), ERR_NOSUPPORT); /* never written */
}

static void test_three_processes_interleaving_get_their_own_results(void **state)
{
    (void)state;
    struct process_id p[3] = { a, b, c };
    static char keys[3][8];
    static char values[3][16];
    static char outs[3][16];
    for (unsigned round = 0; round < 30; round++) {
        for (unsigned i = 0; i < 3; i++) {
            keys[i][0] = (char)('a' + i);
            keys[i][1] = (char)('0' + round % 4);
            keys[i][2] = '\0';
            for (unsigned j = 0; j < 12; j++) {
                values[i][j] = (char)('A' + (round * 7 + i * 3 + j) % 26);
            }
            values[i][12] = '\0';
            allow_key(p[i], keys[i]);
            allow_value(p[i], values[i]);
            expect_success(command(p[i], KV_DRIVER_CMD_SET));
        }
        run();
        for (unsigned i = 0; i < 3; i++) {
            memset(outs[i], 0, sizeof outs[i]);
            allow_key(p[i], keys[i]);
            allow_out(p[i], outs[i], sizeof outs[i]);
            expect_success(command(p[i], KV_DRIVER_CMD_GET));
        }
        size_t before = fake_grant_upcall_count();
        run();
        for (unsigned i = 0; i < 3; i++) {
            expect_upcall(before + i, p[i], ERR_OK, 12);
            assert_string_equal(outs[i], values[i]);
        }
    }
    assert_true(store.compactions > 0);
}

static void test_init_rejects_missing_buffers(void **state)
{
    (void)state;
    struct kv_driver other;
    assert_int_equal(kv_driver_init(&other, &store, &driver_config, NULL, value_buf,
                                    &storage_still_clock, entries, PROCESSES, NULL),
                     ERR_SIZE);
    assert_int_equal(kv_driver_init(&other, &store, &driver_config, key_buf, NULL,
                                    &storage_still_clock, entries, PROCESSES, NULL),
                     ERR_SIZE);
    fake_grant_fail_next_create(ERR_NOMEM);
    assert_int_equal(kv_driver_init(&other, &store, &driver_config, key_buf, value_buf,
                                    &storage_still_clock, entries, PROCESSES, NULL),
                     ERR_NOMEM);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup(test_exists_and_unknown_commands, setup),
        cmocka_unit_test_setup(test_process_without_permissions_has_null_permissions, setup),
        cmocka_unit_test_setup(test_own_write_id_grants_only_what_is_listed, setup),
        cmocka_unit_test_setup(test_zero_length_values_are_stored, setup),
        cmocka_unit_test_setup(test_write_id_zero_may_not_write_but_may_read, setup),
        cmocka_unit_test_setup(test_missing_or_oversized_buffers_are_refused, setup),
        cmocka_unit_test_setup(test_second_request_while_pending_is_nomem, setup),
        cmocka_unit_test_setup(test_set_get_update_delete_add_upcalls, setup),
        cmocka_unit_test_setup(test_short_or_missing_output_gets_size_and_full_length, setup),
        cmocka_unit_test_setup(test_permissions_isolate_writers, setup),
        cmocka_unit_test_setup(test_processes_are_served_in_arrival_order, setup),
        cmocka_unit_test_setup(test_values_are_copied_when_the_turn_comes, setup),
        cmocka_unit_test_setup(test_withdrawn_allow_is_reported_in_the_upcall, setup),
        cmocka_unit_test_setup(
            test_process_dying_mid_operation_gets_no_upcall_and_others_go_on, setup),
        cmocka_unit_test_setup(test_queued_request_of_a_dead_process_is_dropped, setup),
        cmocka_unit_test_setup(test_three_processes_interleaving_get_their_own_results, setup),
        cmocka_unit_test_setup(test_init_rejects_missing_buffers, setup),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
