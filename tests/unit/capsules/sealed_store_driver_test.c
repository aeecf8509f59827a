/* SPDX-License-Identifier: Apache-2.0 OR MIT */
/*
 * Host tests for the sealed store syscall driver (capsules/extra/sealed_store_driver.c) over the
 * real sealed store, crypto engine units (the MAC through the digest virtualizer, as the boards
 * wire it) and RAM-backed flash, with fake grants and processes and the real command queue.
 *
 * What is checked: seal then open returns the record; records are bound to the storage write
 * id, so another app can neither open nor overwrite one (NOSUPPORT) while a process with the
 * same write id (a later version of the app) can; a process without a write id, a slot out of
 * range, a missing or oversized record allow and a second outstanding request are refused at
 * the command with nothing queued; a record altered in flash fails (FAIL) and yields nothing; a
 * short destination gets SIZE and the length, nothing copied; several processes are served in
 * arrival order, never BUSY; a process that dies with its request running gets no upcall, the
 * operation completes, the kernel buffer is wiped and the next request runs; one that dies with
 * its request queued is forgotten.
 *
 * Usage: make build/host/sealed_store_driver_test (or `make unit` for every test).
 *
 * Invariants: each test starts from setup() with an erased flash, no processes and idle units.
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
#include "capsules/sealed_store_driver.h"
#include "capsules/virtual_digest.h"
#include "crypto_engine/aes.h"
#include "crypto_engine/engine.h"
#include "crypto_engine/sha.h"
#include "fake_grant.h"
#include "kernel/deferred_call.h"
#include "ram_flash/ram_flash.h"
#include "support/mutex.h"

#define PAGE_LEN 256u
#define ERASE_PAGES 2u
#define SLOTS 3u
#define RECORD_MAX (PAGE_LEN - SEALED_STORE_OVERHEAD)

static const struct sealed_store_keys keys = {
    .encrypt = { 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16 },
    .mac = { 0x21, 0x22, 0x23 },
};
static const struct sealed_store_region region = { .first_page = 0, .slots = SLOTS };

static struct mutex_dispatcher mutexes;
static struct crypto_engine engine;
static struct crypto_engine_aes store_aes;
static struct crypto_engine_sha sha_unit;
static struct mux_digest digest_mux;
static struct virtual_digest store_mac;
static uint8_t flash_storage[PAGE_LEN * ERASE_PAGES * SLOTS];
static struct ram_flash flash;
static uint8_t page[PAGE_LEN];
static struct sealed_store store;
static uint8_t record_buf[RECORD_MAX];
static struct cmd_queue_entry entries[FAKE_GRANT_MAX_PROCESSES];
static struct sealed_store_driver driver;
static struct storage_permissions permissions[FAKE_GRANT_MAX_PROCESSES];
static struct process_id a, a2, b, none;

static void fail_on_violation(const struct mutex_violation *violation, void *ctx)
{
    (void)ctx;
    fail_msg("mutex violation %s", mutex_violation_name(violation->kind));
}

static uint32_t no_clock(void *ctx)
{
    (void)ctx;
    return 0;
}

static const struct mutex_dispatcher_config mutex_checks = {
    .on_violation = fail_on_violation, .now = no_clock, .is_debug = false
};
static const struct cmd_queue_config queue_config = {
    .now = no_clock, .clock_ctx = NULL, .session_idle_ticks = 0
};

static err_t lookup(void *ctx, struct process_id pid, struct storage_permissions *out)
{
    (void)ctx;
    if (!fake_process_is_alive(pid)) {
        return ERR_INVAL;
    }
    *out = permissions[pid.index];
    return ERR_OK;
}

static const struct sealed_store_driver_config driver_config = { .permissions = lookup,
                                                                 .ctx = NULL };

static struct storage_permissions with_write_id(uint32_t id)
{
    return (struct storage_permissions){ .is_present = true, .write_id = id, .read_count = 1,
                                         .read_ids = { id }, .modify_count = 1,
                                         .modify_ids = { id } };
}

static int setup(void **state)
{
    (void)state;
    deferred_call_reset_for_test();
    fake_grant_reset();
    memset(permissions, 0, sizeof permissions);
    assert_int_equal(mutex_dispatcher_init(&mutexes, &mutex_checks), ERR_OK);
    assert_int_equal(crypto_engine_init(&engine, &mutexes), ERR_OK);
    crypto_engine_aes_init(&store_aes, &engine);
    crypto_engine_sha_init(&sha_unit, &engine);
    assert_int_equal(mux_digest_init(&digest_mux, &sha_unit.digest), ERR_OK);
    virtual_digest_init(&store_mac, &digest_mux);
    memset(flash_storage, 0xFF, sizeof flash_storage);
    assert_int_equal(ram_flash_init_loaded(&flash, flash_storage, sizeof flash_storage, PAGE_LEN,
                                           ERASE_PAGES),
                     ERR_OK);
    assert_int_equal(sealed_store_init(&store, &store_aes.aes, &store_mac.digest, &flash.flash,
                                       &keys, &region, page, sizeof page),
                     ERR_OK);
    assert_int_equal(sealed_store_driver_init(&driver, &store, &driver_config, record_buf,
                                              sizeof record_buf, &queue_config, entries,
                                              FAKE_GRANT_MAX_PROCESSES, NULL),
                     ERR_OK);
    a = fake_process_create();
    a2 = fake_process_create(); /* the same app's write id: a later version of it */
    b = fake_process_create();
    none = fake_process_create(); /* no storage permissions */
    permissions[a.index] = with_write_id(0x21);
    permissions[a2.index] = with_write_id(0x21);
    permissions[b.index] = with_write_id(0x22);
    return 0;
}

/* ---------------------------------------------------------------- helpers */

static struct syscall_return command(struct process_id pid, uint32_t num, uint32_t slot)
{
    return driver_command(&driver.driver, num, slot, 0, pid);
}

static void expect_success(struct syscall_return ret)
{
    assert_int_equal(ret.variant, SYSCALL_SUCCESS);
}

static void expect_failure(struct syscall_return ret, err_t err)
{
    assert_int_equal(ret.variant, SYSCALL_FAILURE);
    assert_int_equal(ret.values[0], err);
}

static void drain(void)
{
    for (unsigned rounds = 0; deferred_call_has_pending(); rounds++) {
        assert_true(rounds < 100000);
        deferred_call_service();
    }
}

static void allow_record(struct process_id pid, const void *buf, size_t len)
{
    fake_process_allow_ro(pid, SEALED_STORE_DRIVER_NUM, SEALED_STORE_DRIVER_ALLOW_RO_RECORD, buf,
                          len);
}

static void allow_dest(struct process_id pid, void *buf, size_t len)
{
    fake_process_allow_rw(pid, SEALED_STORE_DRIVER_NUM, SEALED_STORE_DRIVER_ALLOW_RW_RECORD, buf,
                          len);
}

static size_t upcalls_for(struct process_id pid)
{
    return fake_grant_upcall_count_for(SEALED_STORE_DRIVER_NUM, pid,
                                       SEALED_STORE_DRIVER_SUBSCRIBE_DONE);
}

/* The latest upcall, which must be pid's: (status, length). */
static void expect_upcall(struct process_id pid, err_t status, uint32_t len)
{
    size_t n = fake_grant_upcall_count();
    assert_true(n > 0);
    const struct fake_upcall *u = fake_grant_upcall(n - 1);
    assert_int_equal(u->driver_num, SEALED_STORE_DRIVER_NUM);
    assert_true(process_id_equal(u->pid, pid));
    assert_int_equal(u->subscribe_num, SEALED_STORE_DRIVER_SUBSCRIBE_DONE);
    assert_int_equal(u->args[0], status);
    assert_int_equal(u->args[1], len);
    assert_int_equal(u->args[2], 0);
}

static void seal(struct process_id pid, uint32_t slot, const char *text, err_t status)
{
    allow_record(pid, text, strlen(text));
    size_t before = upcalls_for(pid);
    expect_success(command(pid, SEALED_STORE_DRIVER_CMD_SEAL, slot));
    assert_int_equal(upcalls_for(pid), before); /* later, from the queue */
    drain();
    assert_int_equal(upcalls_for(pid), before + 1);
    expect_upcall(pid, status, status == ERR_OK ? (uint32_t)strlen(text) : 0);
}

static void open_into(struct process_id pid, uint32_t slot, uint8_t *dest, size_t len)
{
    allow_dest(pid, dest, len);
    expect_success(command(pid, SEALED_STORE_DRIVER_CMD_OPEN, slot));
    drain();
}

static bool is_zero(const uint8_t *bytes, size_t len)
{
    for (size_t i = 0; i < len; i++) {
        if (bytes[i] != 0) {
            return false;
        }
    }
    return true;
}

/* ---------------------------------------------------------------- tests */

static void test_sealed_record_opens_again(void **state)
{
    (void)state;
    expect_success(command(none, 0, 0));
    assert_int_equal(command(a, SEALED_STORE_DRIVER_CMD_SLOTS, 0).values[0], SLOTS);
    assert_int_equal(command(a, SEALED_STORE_DRIVER_CMD_RECORD_MAX, 0).values[0], RECORD_MAX);
    seal(a, 1, "the combination is 12-34-56", ERR_OK);
    uint8_t dest[64] = { 0 };
    open_into(a, 1, dest, sizeof dest);
    expect_upcall(a, ERR_OK, 27);
    assert_memory_equal(dest, "the combination is 12-34-56", 27);
    assert_true(is_zero(record_buf, sizeof record_buf)); /* no plaintext left in the kernel */
    for (size_t i = 0; i < sizeof flash_storage - 27; i++) {
        assert_false(memcmp(&flash_storage[i], "combination", 11) == 0);
    }
}

static void test_records_are_bound_to_the_write_id(void **state)
{
    (void)state;
    seal(a, 0, "mine", ERR_OK);
    uint8_t dest[16] = { 0 };
    open_into(b, 0, dest, sizeof dest); /* another app */
    expect_upcall(b, ERR_NOSUPPORT, 0);
    assert_true(is_zero(dest, sizeof dest));
    seal(b, 0, "overwrite", ERR_NOSUPPORT); /* nor may it seal over it */
    open_into(a2, 0, dest, sizeof dest); /* the same app, another process */
    expect_upcall(a2, ERR_OK, 4);
    assert_memory_equal(dest, "mine", 4);
    seal(a2, 0, "mine, v2", ERR_OK);
    seal(b, 2, "b's own", ERR_OK); /* a free slot is anyone's */
    open_into(a, 2, dest, sizeof dest);
    expect_upcall(a, ERR_NOSUPPORT, 0);
}

static void test_command_refusals_queue_nothing(void **state)
{
    (void)state;
    uint8_t big[RECORD_MAX + 1] = { 1 };
    allow_record(none, "x", 1);
    expect_failure(command(none, SEALED_STORE_DRIVER_CMD_SEAL, 0), ERR_INVAL); /* no write id */
    expect_failure(command(none, SEALED_STORE_DRIVER_CMD_OPEN, 0), ERR_INVAL);
    expect_failure(command(a, SEALED_STORE_DRIVER_CMD_OPEN, SLOTS), ERR_INVAL);
    expect_failure(command(a, SEALED_STORE_DRIVER_CMD_SEAL, 0), ERR_RESERVE); /* no allow */
    allow_record(a, big, sizeof big);
    expect_failure(command(a, SEALED_STORE_DRIVER_CMD_SEAL, 0), ERR_SIZE);
    expect_failure(command(a, 9, 0), ERR_NOSUPPORT);
    assert_false(deferred_call_has_pending());
    allow_record(a, big, RECORD_MAX); /* exactly the maximum fits */
    expect_success(command(a, SEALED_STORE_DRIVER_CMD_SEAL, 0));
    expect_failure(command(a, SEALED_STORE_DRIVER_CMD_OPEN, 0), ERR_ALREADY);
    drain();
    expect_upcall(a, ERR_OK, RECORD_MAX);
    assert_int_equal(fake_grant_upcall_count(), 1);
}

static void test_altered_record_fails_and_short_destination_gets_size(void **state)
{
    (void)state;
    seal(a, 1, "sixteen bytes!!!", ERR_OK);
    uint8_t dest[8] = { 0 };
    open_into(a, 1, dest, sizeof dest);
    expect_upcall(a, ERR_SIZE, 16);
    assert_true(is_zero(dest, sizeof dest)); /* nothing copied */
    flash_storage[PAGE_LEN * ERASE_PAGES + SEALED_STORE_HEADER_LEN + 3] ^= 0x10;
    uint8_t full[32] = { 0 };
    open_into(a, 1, full, sizeof full);
    expect_upcall(a, ERR_FAIL, 0);
    assert_true(is_zero(full, sizeof full));
    open_into(a, 2, full, sizeof full); /* never written */
    expect_upcall(a, ERR_INVAL, 0);
}

static void test_processes_are_served_in_arrival_order(void **state)
{
    (void)state;
    allow_record(b, "from b", 6);
    allow_record(a, "from a", 6);
    expect_success(command(b, SEALED_STORE_DRIVER_CMD_SEAL, 0));
    expect_success(command(a, SEALED_STORE_DRIVER_CMD_SEAL, 1));
    drain();
    assert_int_equal(fake_grant_upcall_count(), 2);
    assert_true(process_id_equal(fake_grant_upcall(0)->pid, b));
    assert_true(process_id_equal(fake_grant_upcall(1)->pid, a));
    assert_int_equal(fake_grant_upcall(0)->args[0], ERR_OK);
    assert_int_equal(fake_grant_upcall(1)->args[0], ERR_OK);
}

static void kill(struct process_id pid)
{
    fake_process_kill(pid);
    driver.queue.exit_hook.on_exit(&driver.queue.exit_hook, pid); /* as kernel/process.c does */
}

static void test_dying_process_request_is_finished_silently_and_the_next_runs(void **state)
{
    (void)state;
    allow_record(a, "dying words", 11);
    allow_record(b, "next", 4);
    expect_success(command(a, SEALED_STORE_DRIVER_CMD_SEAL, 0));
    expect_success(command(b, SEALED_STORE_DRIVER_CMD_SEAL, 1));
    for (unsigned i = 0; i < 3; i++) { /* a's request starts and is in the store */
        deferred_call_service();
    }
    assert_true(driver.is_running);
    assert_true(process_id_equal(driver.pid, a));
    kill(a);
    drain();
    assert_int_equal(upcalls_for(a), 0);
    assert_int_equal(upcalls_for(b), 1);
    expect_upcall(b, ERR_OK, 4);
    assert_true(is_zero(record_buf, sizeof record_buf));
    uint8_t dest[16] = { 0 };
    open_into(a2, 0, dest, sizeof dest); /* the store finished a's write: the flash is whole */
    expect_upcall(a2, ERR_OK, 11);
    assert_memory_equal(dest, "dying words", 11);
}

static void test_dying_process_queued_request_is_forgotten(void **state)
{
    (void)state;
    allow_record(a, "first", 5);
    allow_record(b, "never", 5);
    expect_success(command(a, SEALED_STORE_DRIVER_CMD_SEAL, 0));
    expect_success(command(b, SEALED_STORE_DRIVER_CMD_SEAL, 1));
    kill(b);
    drain();
    assert_int_equal(fake_grant_upcall_count(), 1);
    expect_upcall(a, ERR_OK, 5);
    uint8_t dest[8] = { 0 };
    open_into(a, 1, dest, sizeof dest);
    expect_upcall(a, ERR_INVAL, 0); /* b's record was never written */
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup(test_sealed_record_opens_again, setup),
        cmocka_unit_test_setup(test_records_are_bound_to_the_write_id, setup),
        cmocka_unit_test_setup(test_command_refusals_queue_nothing, setup),
        cmocka_unit_test_setup(test_altered_record_fails_and_short_destination_gets_size, setup),
        cmocka_unit_test_setup(test_processes_are_served_in_arrival_order, setup),
        cmocka_unit_test_setup(test_dying_process_request_is_finished_silently_and_the_next_runs,
                               setup),
        cmocka_unit_test_setup(test_dying_process_queued_request_is_forgotten, setup),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
