/* SPDX-License-Identifier: Apache-2.0 OR MIT */
/*
 * Host tests for the nonvolatile storage driver (capsules/extra/nonvolatile_storage.c).
 *
 * The driver runs over a fake flash with NOR semantics (tests/fakes/fake_flash.h) and fake
 * grants and processes; the real command queue orders processes. Two layouts: 16 pages of
 * 16 bytes erased one page at a time, and the same erased four pages at a time with a spare
 * unit. The flash log shows which operations the driver chose.
 *
 * Usage: make build/host/nonvolatile_storage_test (or `make unit` for every test).
 *
 * Invariants: each test starts from a setup with fresh deferred calls, grants and flash; the
 * region is pages 0..7 (128 bytes).
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
#include "capsules/nonvolatile_storage.h"
#include "fake_flash.h"
#include "fake_grant.h"
#include "kernel/deferred_call.h"
#include "storage_fixture.h"

#define PAGE 16u
#define PAGES 16u
#define REGION_PAGES 8u
#define REGION (PAGE * REGION_PAGES)
#define PROCESSES 4u

static uint8_t memory[PAGE * PAGES];
static struct fake_flash flash;
static struct nonvolatile_storage nvs;
static uint8_t page_buf[PAGE];
static struct cmd_queue_entry entries[PROCESSES];
static struct nonvolatile_storage_config config;
static struct process_id a, b;
static uint8_t data_a[REGION], data_b[REGION];


static void setup_with(uint32_t erase_pages)
{
    deferred_call_reset_for_test();
    fake_grant_reset();
    memset(memory, 0xFF, sizeof memory);
    fake_flash_init(&flash, memory, PAGE, PAGES, erase_pages);
    config = (struct nonvolatile_storage_config){ .first_page = 0, .page_count = REGION_PAGES,
                                                  .spare_page = 12 };
    assert_int_equal(nonvolatile_storage_init(&nvs, &flash.flash, &config, page_buf,
                                              sizeof page_buf, &storage_still_clock, entries,
                                              PROCESSES, NULL),
                     ERR_OK);
    a = fake_process_create();
    b = fake_process_create();
    memset(data_a, 0, sizeof data_a);
    memset(data_b, 0, sizeof data_b);
}

static int setup_single(void **state)
{
    (void)state;
    setup_with(1);
    return 0;
}

static int setup_units(void **state)
{
    (void)state;
    setup_with(4);
    return 0;
}

static struct syscall_return command(struct process_id pid, uint32_t num, uint32_t arg0,
                                     uint32_t arg1)
{
    return driver_command(&nvs.driver, num, arg0, arg1, pid);
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

/* Deferred calls and flash completions until everything is idle. */
static void run(void)
{
    assert_true(storage_settle(&flash, 1000)); /* false: never idle */
}

static void write_bytes(struct process_id pid, uint8_t *data, uint32_t offset, uint32_t len)
{
    fake_process_allow_ro(pid, NVM_STORAGE_DRIVER_NUM, NONVOLATILE_STORAGE_ALLOW_RO_WRITE, data,
                          len);
    expect_success(command(pid, NONVOLATILE_STORAGE_CMD_WRITE, offset, len));
}

static void read_bytes(struct process_id pid, uint8_t *data, uint32_t offset, uint32_t len)
{
    fake_process_allow_rw(pid, NVM_STORAGE_DRIVER_NUM, NONVOLATILE_STORAGE_ALLOW_RW_READ, data,
                          len);
    expect_success(command(pid, NONVOLATILE_STORAGE_CMD_READ, offset, len));
}

/* The i-th upcall: (subscribe, length, status). */
static void expect_upcall(size_t i, struct process_id pid, uint32_t subscribe, uint32_t length,
                          err_t status)
{
    assert_true(i < fake_grant_upcall_count());
    const struct fake_upcall *u = fake_grant_upcall(i);
    assert_int_equal(u->driver_num, NVM_STORAGE_DRIVER_NUM);
    assert_int_equal(u->pid.index, pid.index);
    assert_int_equal(u->subscribe_num, subscribe);
    assert_int_equal(u->args[0], length);
    assert_int_equal(u->args[1], status);
    assert_int_equal(u->args[2], 0);
}

static size_t count_ops(enum fake_flash_kind kind)
{
    size_t n = 0;
    for (size_t i = 0; i < flash.log_len; i++) {
        n += flash.log[i].kind == kind;
    }
    return n;
}

static void fill_pattern(uint8_t *data, uint32_t len, uint8_t seed)
{
    for (uint32_t i = 0; i < len; i++) {
        data[i] = (uint8_t)(seed + i * 7u);
    }
}

/* ---------------------------------------------------------------- commands */

static void test_exists_size_and_unknown_commands(void **state)
{
    (void)state;
    expect_success(command(a, 0, 0, 0));
    struct syscall_return r = command(a, NONVOLATILE_STORAGE_CMD_SIZE, 0, 0);
    assert_int_equal(r.variant, SYSCALL_SUCCESS_U32);
    assert_int_equal(r.values[0], REGION);
    expect_failure(command(a, 9, 0, 0), ERR_NOSUPPORT);
}

static void test_range_allow_and_busy_errors(void **state)
{
    (void)state;
    uint8_t buf[8];
    expect_failure(command(a, NONVOLATILE_STORAGE_CMD_READ, 0, 4), ERR_RESERVE); /* no allow */
    fake_process_allow_rw(a, NVM_STORAGE_DRIVER_NUM, 0, buf, sizeof buf);
    expect_failure(command(a, NONVOLATILE_STORAGE_CMD_READ, REGION - 3, 4), ERR_INVAL);
    expect_failure(command(a, NONVOLATILE_STORAGE_CMD_READ, REGION + 1, 0), ERR_INVAL);
    expect_failure(command(a, NONVOLATILE_STORAGE_CMD_READ, 4, UINT32_MAX), ERR_INVAL);
    expect_success(command(a, NONVOLATILE_STORAGE_CMD_READ, REGION - 4, 4));
    expect_failure(command(a, NONVOLATILE_STORAGE_CMD_READ, 0, 4), ERR_BUSY);
    assert_int_equal(fake_grant_upcall_count(), 0); /* nothing inside the command */
    run();
    expect_upcall(0, a, NONVOLATILE_STORAGE_SUBSCRIBE_READ_DONE, 4, ERR_OK);
    expect_success(command(a, NONVOLATILE_STORAGE_CMD_READ, 0, 4)); /* free again */
    run();
}

static void test_read_across_pages_returns_flash_bytes(void **state)
{
    (void)state;
    for (size_t i = 0; i < REGION; i++) {
        memory[i] = (uint8_t)i;
    }
    uint8_t buf[40];
    read_bytes(a, buf, 10, 30); /* pages 0, 1 and 2 */
    run();
    expect_upcall(0, a, NONVOLATILE_STORAGE_SUBSCRIBE_READ_DONE, 30, ERR_OK);
    for (size_t i = 0; i < 30; i++) {
        assert_int_equal(buf[i], 10 + i);
    }
    assert_int_equal(count_ops(FAKE_FLASH_READ), 3);
    assert_int_equal(count_ops(FAKE_FLASH_WRITE) + count_ops(FAKE_FLASH_ERASE), 0);
}

static void test_length_is_clipped_to_the_allow(void **state)
{
    (void)state;
    uint8_t buf[5];
    read_bytes(a, buf, 0, 5);
    fake_process_allow_rw(a, NVM_STORAGE_DRIVER_NUM, 0, buf, 3);
    run(); /* clipped when queued: 5; the allow shrank to 3 before it ran */
    expect_upcall(0, a, NONVOLATILE_STORAGE_SUBSCRIBE_READ_DONE, 0, ERR_SIZE);
    fake_grant_clear_upcalls();
    expect_success(command(a, NONVOLATILE_STORAGE_CMD_READ, 0, 50));
    run();
    expect_upcall(0, a, NONVOLATILE_STORAGE_SUBSCRIBE_READ_DONE, 3, ERR_OK);
}

static void test_zero_length_completes_with_an_upcall(void **state)
{
    (void)state;
    uint8_t buf[4];
    fake_process_allow_rw(a, NVM_STORAGE_DRIVER_NUM, 0, buf, sizeof buf);
    expect_success(command(a, NONVOLATILE_STORAGE_CMD_READ, 0, 0));
    run();
    expect_upcall(0, a, NONVOLATILE_STORAGE_SUBSCRIBE_READ_DONE, 0, ERR_OK);
    assert_int_equal(flash.log_len, 0);
}

/* ---------------------------------------------------------------- writes */

static void test_write_to_blank_flash_programs_in_place(void **state)
{
    (void)state;
    fill_pattern(data_a, 20, 1);
    write_bytes(a, data_a, 6, 20); /* pages 0 and 1 */
    run();
    expect_upcall(0, a, NONVOLATILE_STORAGE_SUBSCRIBE_WRITE_DONE, 20, ERR_OK);
    assert_memory_equal(memory + 6, data_a, 20);
    assert_int_equal(memory[5], 0xFF);
    assert_int_equal(memory[26], 0xFF);
    assert_int_equal(count_ops(FAKE_FLASH_ERASE), 0);
    assert_int_equal(count_ops(FAKE_FLASH_WRITE), 2);
}

static void test_overwrite_with_single_page_units_erases_and_keeps_neighbours(void **state)
{
    (void)state;
    for (size_t i = 0; i < PAGE; i++) {
        memory[PAGE + i] = 0x10; /* page 1 holds old data */
    }
    data_a[0] = 0xEF; /* needs bits 0 -> 1 */
    write_bytes(a, data_a, PAGE + 4, 1);
    run();
    expect_upcall(0, a, NONVOLATILE_STORAGE_SUBSCRIBE_WRITE_DONE, 1, ERR_OK);
    assert_int_equal(memory[PAGE + 4], 0xEF);
    assert_int_equal(memory[PAGE + 3], 0x10); /* the rest of the page survived the erase */
    assert_int_equal(memory[PAGE + 5], 0x10);
    assert_int_equal(count_ops(FAKE_FLASH_ERASE), 1);
    assert_int_equal(flash.log[1].kind, FAKE_FLASH_ERASE);
    assert_int_equal(flash.log[1].page, 1);
}

static void test_unchanged_bytes_are_not_written(void **state)
{
    (void)state;
    memset(memory, 0x42, PAGE);
    memset(data_a, 0x42, 8);
    write_bytes(a, data_a, 0, 8);
    run();
    expect_upcall(0, a, NONVOLATILE_STORAGE_SUBSCRIBE_WRITE_DONE, 8, ERR_OK);
    assert_int_equal(flash.log_len, 1); /* one read */
}

static void test_overwrite_with_large_units_rewrites_through_the_spare(void **state)
{
    (void)state;
    for (size_t i = 0; i < 4 * PAGE; i++) {
        memory[4 * PAGE + i] = (uint8_t)(i | 0x80); /* unit 1: pages 4..7 full of data */
    }
    memset(memory + 6 * PAGE, 0xFF, PAGE); /* except page 6, blank */
    memset(memory + 12 * PAGE, 0x00, 4 * PAGE); /* the spare holds garbage */
    data_a[0] = 0x7F;
    data_a[1] = 0xFF;
    write_bytes(a, data_a, 5 * PAGE + 2, 2); /* page 5, bytes 2-3: 0 -> 1 bits */
    run();
    expect_upcall(0, a, NONVOLATILE_STORAGE_SUBSCRIBE_WRITE_DONE, 2, ERR_OK);
    assert_int_equal(memory[5 * PAGE + 2], 0x7F);
    assert_int_equal(memory[5 * PAGE + 3], 0xFF);
    for (size_t i = 0; i < 4 * PAGE; i++) {
        size_t at = 4 * PAGE + i;
        if (at == 5 * PAGE + 2 || at == 5 * PAGE + 3) {
            continue;
        }
        uint8_t want = (at >= 6 * PAGE && at < 7 * PAGE) ? 0xFF : (uint8_t)(i | 0x80);
        assert_int_equal(memory[at], want);
    }
    /* read 5, erase spare, program merged, copy 4 and 7 out (6 is blank), erase unit, copy
     * 4, 5 and 7 back */
    assert_int_equal(flash.log[0].kind, FAKE_FLASH_READ);
    assert_int_equal(flash.log[1].kind, FAKE_FLASH_ERASE);
    assert_int_equal(flash.log[1].page, 12);
    assert_int_equal(flash.log[2].kind, FAKE_FLASH_WRITE);
    assert_int_equal(flash.log[2].page, 13);
    assert_int_equal(count_ops(FAKE_FLASH_ERASE), 2);
    assert_int_equal(count_ops(FAKE_FLASH_WRITE), 1 + 2 + 3);
    for (size_t i = 0; i < flash.log_len; i++) {
        if (flash.log[i].kind == FAKE_FLASH_ERASE && i > 1) {
            assert_int_equal(flash.log[i].page, 4);
        }
    }
}

static void test_long_write_mixes_in_place_and_rewrite(void **state)
{
    (void)state;
    memset(memory, 0x00, PAGE); /* page 0 is all zero bits: needs a rewrite */
    fill_pattern(data_a, REGION, 3);
    write_bytes(a, data_a, 0, REGION);
    run();
    expect_upcall(0, a, NONVOLATILE_STORAGE_SUBSCRIBE_WRITE_DONE, REGION, ERR_OK);
    assert_memory_equal(memory, data_a, REGION);
    uint8_t back[REGION];
    read_bytes(a, back, 0, REGION);
    run();
    expect_upcall(1, a, NONVOLATILE_STORAGE_SUBSCRIBE_READ_DONE, REGION, ERR_OK);
    assert_memory_equal(back, data_a, REGION);
}

static void test_processes_are_served_in_arrival_order(void **state)
{
    (void)state;
    fill_pattern(data_a, 8, 10);
    fill_pattern(data_b, 8, 20);
    write_bytes(b, data_b, 0, 8);
    write_bytes(a, data_a, 0, 8); /* same bytes: b first, then a overwrites */
    run();
    expect_upcall(0, b, NONVOLATILE_STORAGE_SUBSCRIBE_WRITE_DONE, 8, ERR_OK);
    expect_upcall(1, a, NONVOLATILE_STORAGE_SUBSCRIBE_WRITE_DONE, 8, ERR_OK);
    assert_memory_equal(memory, data_a, 8);
}

static void test_flash_failure_reports_the_bytes_done(void **state)
{
    (void)state;
    fill_pattern(data_a, 2 * PAGE, 5);
    write_bytes(a, data_a, 0, 2 * PAGE);
    deferred_call_service();
    fake_flash_complete(&flash, ERR_OK);   /* read page 0 */
    fake_flash_complete(&flash, ERR_OK);   /* program page 0 */
    fake_flash_complete(&flash, ERR_OK);   /* read page 1 */
    fake_flash_complete(&flash, ERR_FAIL); /* program page 1 fails */
    run();
    expect_upcall(0, a, NONVOLATILE_STORAGE_SUBSCRIBE_WRITE_DONE, PAGE, ERR_FAIL);
    expect_success(command(a, NONVOLATILE_STORAGE_CMD_WRITE, 0, 1)); /* usable again */
    run();
}

static void test_process_dying_mid_rewrite_still_restores_the_unit(void **state)
{
    (void)state;
    memset(memory + 4 * PAGE, 0x11, 4 * PAGE);
    data_a[0] = 0xEE;
    write_bytes(a, data_a, 4 * PAGE, 1);
    fill_pattern(data_b, 4, 50);
    write_bytes(b, data_b, 0, 4);
    deferred_call_service();
    fake_flash_complete(&flash, ERR_OK); /* read page 4 (merge) */
    fake_flash_complete(&flash, ERR_OK); /* erase the spare */
    fake_process_kill(a);
    nvs.queue.exit_hook.on_exit(&nvs.queue.exit_hook, a);
    run();
    assert_int_equal(memory[4 * PAGE], 0xEE); /* the accepted write finished */
    assert_int_equal(memory[4 * PAGE + 1], 0x11);
    assert_int_equal(memory[7 * PAGE + 15], 0x11);
    assert_memory_equal(memory, data_b, 4); /* and b ran afterwards */
    assert_int_equal(fake_grant_upcall_count_for(NVM_STORAGE_DRIVER_NUM, a, 1), 0);
    assert_int_equal(fake_grant_upcall_count_for(NVM_STORAGE_DRIVER_NUM, b, 1), 1);
}

static void test_process_dying_mid_read_stops_and_lets_others_run(void **state)
{
    (void)state;
    uint8_t buf[3 * PAGE];
    read_bytes(a, buf, 0, sizeof buf);
    uint8_t other[4];
    read_bytes(b, other, 0, sizeof other);
    deferred_call_service();
    fake_flash_complete(&flash, ERR_OK); /* first page of a's read */
    fake_process_kill(a);
    nvs.queue.exit_hook.on_exit(&nvs.queue.exit_hook, a);
    run();
    assert_int_equal(fake_grant_upcall_count_for(NVM_STORAGE_DRIVER_NUM, a, 0), 0);
    assert_int_equal(fake_grant_upcall_count_for(NVM_STORAGE_DRIVER_NUM, b, 0), 1);
    assert_true(count_ops(FAKE_FLASH_READ) <= 3); /* a's read did not run to its end */
}

static void test_withdrawn_allow_reports_reserve(void **state)
{
    (void)state;
    write_bytes(a, data_a, 0, 4);
    fake_process_allow_ro(a, NVM_STORAGE_DRIVER_NUM, 0, NULL, 0);
    run();
    expect_upcall(0, a, NONVOLATILE_STORAGE_SUBSCRIBE_WRITE_DONE, 0, ERR_RESERVE);
}

/* ---------------------------------------------------------------- init */

static void test_init_rejects_bad_buffers_and_layouts(void **state)
{
    (void)state;
    struct nonvolatile_storage other;
    struct nonvolatile_storage_config bad = config;
    assert_int_equal(nonvolatile_storage_init(&other, &flash.flash, &config, page_buf, PAGE - 1,
                                              &storage_still_clock, entries, PROCESSES, NULL),
                     ERR_SIZE);
    bad.page_count = 0;
    assert_int_equal(nonvolatile_storage_init(&other, &flash.flash, &bad, page_buf, PAGE,
                                              &storage_still_clock, entries, PROCESSES, NULL),
                     ERR_INVAL);
    bad = config;
    bad.page_count = PAGES + 1;
    assert_int_equal(nonvolatile_storage_init(&other, &flash.flash, &bad, page_buf, PAGE,
                                              &storage_still_clock, entries, PROCESSES, NULL),
                     ERR_INVAL);
    bad = config;
    bad.spare_page = 4; /* inside the region */
    assert_int_equal(nonvolatile_storage_init(&other, &flash.flash, &bad, page_buf, PAGE,
                                              &storage_still_clock, entries, PROCESSES, NULL),
                     ERR_INVAL);
    bad = config;
    bad.spare_page = 10; /* not the start of a unit */
    assert_int_equal(nonvolatile_storage_init(&other, &flash.flash, &bad, page_buf, PAGE,
                                              &storage_still_clock, entries, PROCESSES, NULL),
                     ERR_INVAL);
    bad = config;
    bad.page_count = 6; /* not whole units */
    assert_int_equal(nonvolatile_storage_init(&other, &flash.flash, &bad, page_buf, PAGE,
                                              &storage_still_clock, entries, PROCESSES, NULL),
                     ERR_INVAL);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup(test_exists_size_and_unknown_commands, setup_single),
        cmocka_unit_test_setup(test_range_allow_and_busy_errors, setup_single),
        cmocka_unit_test_setup(test_read_across_pages_returns_flash_bytes, setup_single),
        cmocka_unit_test_setup(test_length_is_clipped_to_the_allow, setup_single),
        cmocka_unit_test_setup(test_zero_length_completes_with_an_upcall, setup_single),
        cmocka_unit_test_setup(test_write_to_blank_flash_programs_in_place, setup_single),
        cmocka_unit_test_setup(test_overwrite_with_single_page_units_erases_and_keeps_neighbours,
                               setup_single),
        cmocka_unit_test_setup(test_unchanged_bytes_are_not_written, setup_single),
        cmocka_unit_test_setup(test_overwrite_with_large_units_rewrites_through_the_spare,
                               setup_units),
        cmocka_unit_test_setup(test_long_write_mixes_in_place_and_rewrite, setup_units),
        cmocka_unit_test_setup(test_long_write_mixes_in_place_and_rewrite, setup_single),
        cmocka_unit_test_setup(test_processes_are_served_in_arrival_order, setup_units),
        cmocka_unit_test_setup(test_flash_failure_reports_the_bytes_done, setup_single),
        cmocka_unit_test_setup(test_process_dying_mid_rewrite_still_restores_the_unit,
                               setup_units),
        cmocka_unit_test_setup(test_process_dying_mid_read_stops_and_lets_others_run,
                               setup_single),
        cmocka_unit_test_setup(test_withdrawn_allow_reports_reserve, setup_single),
        cmocka_unit_test_setup(test_init_rejects_bad_buffers_and_layouts, setup_units),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
