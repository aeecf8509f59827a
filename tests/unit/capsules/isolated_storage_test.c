/* SPDX-License-Identifier: Apache-2.0 OR MIT */
/*
 * Host tests for the isolated nonvolatile storage driver
 * (capsules/extra/isolated_nonvolatile_storage.c): identities and isolation between apps, the
 * permission checks, region bounds, the two ways of giving no buffer, the directory surviving a
 * reboot, and a full directory.
 *
 * The driver runs over the real flash mux and two virtual devices on a fake NOR flash (pages of
 * 64 bytes, erased four at a time), fake grants and processes, and the real command queue.
 *
 * Usage: make build/host/isolated_storage_test (or `make unit`).
 *
 * Invariants: each test starts from a fresh flash, grants and driver; regions are 2 pages (128
 * bytes); three of them exist.
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
#include "capsules/isolated_nonvolatile_storage.h"
#include "capsules/virtual_flash.h"
#include "fake_flash.h"
#include "fake_grant.h"
#include "kernel/deferred_call.h"
#include "storage_fixture.h"

#define PAGE 64u
#define PAGES 16u
#define REGION 128u
#define PROCESSES 6u

static uint8_t memory[PAGE * PAGES];
static struct fake_flash hw;
static struct mux_flash mux;
static struct virtual_flash data_dev, dir_dev;
static struct isolated_storage invs;
static uint8_t page_buf[PAGE], dir_buf[PAGE];
static struct cmd_queue_entry entries[PROCESSES];
static struct storage_permissions perms[FAKE_GRANT_MAX_PROCESSES];

/* Directory page 4, regions at pages 5-6, 7-8, 9-10 (units 1 and 2), spare unit 3. */
static const struct isolated_storage_config config = {
    .first_page = 4, .region_count = 3, .region_pages = 2, .spare_page = 12,
    .permissions = storage_permissions_from_table, .ctx = perms };

static void start_driver(void)
{
    deferred_call_reset_for_test();
    fake_flash_init(&hw, memory, PAGE, PAGES, 4);
    assert_int_equal(mux_flash_init(&mux, &hw.flash), ERR_OK);
    virtual_flash_init(&data_dev, &mux);
    virtual_flash_init(&dir_dev, &mux);
    assert_int_equal(isolated_storage_init(&invs, &data_dev.flash, &dir_dev.flash, &config,
                                           page_buf, dir_buf, PAGE, &storage_still_clock, entries,
                                           PROCESSES, NULL),
                     ERR_OK);
}

static int setup(void **state)
{
    (void)state;
    memset(memory, 0xFF, sizeof memory);
    memset(perms, 0, sizeof perms);
    fake_grant_reset();
    start_driver();
    return 0;
}

static struct process_id app(uint32_t id)
{
    struct process_id pid = fake_process_create();
    perms[pid.index] = storage_permissions_self_only(id);
    return pid;
}

static void run(void)
{
    assert_true(storage_settle(&hw, 100000)); /* false: never idle */
}

static struct syscall_return command(struct process_id pid, uint32_t num, uint32_t lo,
                                     uint32_t hi)
{
    return driver_command(&invs.driver, num, lo, hi, pid);
}

/* Run one command to its upcall; *value gets the upcall's second argument. */
static err_t operate(struct process_id pid, uint32_t num, uint32_t offset, uint32_t *value)
{
    size_t before = fake_grant_upcall_count();
    struct syscall_return r = command(pid, num, offset, 0);
    if (r.variant != SYSCALL_SUCCESS) {
        return (err_t)r.values[0] | 0x100; /* a synchronous refusal, told apart */
    }
    assert_int_equal(fake_grant_upcall_count(), before);
    run();
    assert_int_equal(fake_grant_upcall_count(), before + 1);
    const struct fake_upcall *u = fake_grant_upcall(before);
    assert_int_equal(u->driver_num, ISOLATED_NVM_STORAGE_DRIVER_NUM);
    assert_int_equal(u->pid.index, pid.index);
    uint32_t want_subscribe = num == ISOLATED_STORAGE_CMD_SIZE    ? 0u
                              : num == ISOLATED_STORAGE_CMD_READ ? 1u
                                                                 : 2u;
    assert_int_equal(u->subscribe_num, want_subscribe);
    if (value != NULL) {
        *value = u->args[1];
    }
    return (err_t)u->args[0];
}

#define SYNC(e) ((err_t)((e) | 0x100))

static err_t write_at(struct process_id pid, uint32_t offset, const void *data, size_t len)
{
    fake_process_allow_ro(pid, ISOLATED_NVM_STORAGE_DRIVER_NUM, 0, data, len);
    return operate(pid, ISOLATED_STORAGE_CMD_WRITE, offset, NULL);
}

static err_t read_at(struct process_id pid, uint32_t offset, void *out, size_t len)
{
    fake_process_allow_rw(pid, ISOLATED_NVM_STORAGE_DRIVER_NUM, 0, out, len);
    return operate(pid, ISOLATED_STORAGE_CMD_READ, offset, NULL);
}

static void test_size_and_allocation(void **state)
{
    (void)state;
    struct process_id a = app(0x1234);
    uint32_t size = 0;
    assert_int_equal(operate(a, ISOLATED_STORAGE_CMD_SIZE, 0, &size), ERR_OK);
    assert_int_equal(size, REGION);
    /* Entry 0 of the directory page now names 0x1234. */
    const uint8_t *e = memory + 4 * PAGE;
    assert_int_equal(e[0] | e[1] << 8 | e[2] << 16 | (uint32_t)e[3] << 24,
                     ISOLATED_STORAGE_MAGIC);
    assert_int_equal(e[8] | e[9] << 8, 0x1234);
    assert_int_equal(command(a, 0, 0, 0).variant, SYSCALL_SUCCESS);
    assert_int_equal(command(a, 4, 0, 0).values[0], ERR_NOSUPPORT);
}

static void test_apps_are_isolated(void **state)
{
    (void)state;
    struct process_id a = app(0xA);
    struct process_id b = app(0xB);
    static const char text_a[] = "written by A, 32 bytes of it....";
    static const char text_b[] = "B";
    assert_int_equal(write_at(a, 10, text_a, 32), ERR_OK);
    assert_int_equal(write_at(b, 10, text_b, 1), ERR_OK);
    uint8_t out[REGION];
    assert_int_equal(read_at(b, 0, out, sizeof out), ERR_OK);
    for (size_t i = 0; i < sizeof out; i++) {
        assert_int_equal(out[i], i == 10 ? 'B' : 0xFF); /* nothing of A's */
    }
    assert_int_equal(read_at(a, 10, out, 32), ERR_OK);
    assert_memory_equal(out, text_a, 32);
    /* An overwrite that needs an erase keeps the rest of A's region and B's. */
    static const char again[] = "A2";
    assert_int_equal(write_at(a, 10, again, 2), ERR_OK);
    assert_int_equal(read_at(a, 10, out, 32), ERR_OK);
    assert_memory_equal(out, "A2", 2);
    assert_memory_equal(out + 2, text_a + 2, 30);
    assert_int_equal(read_at(b, 10, out, 1), ERR_OK);
    assert_int_equal(out[0], 'B');
}

static void test_same_identity_finds_its_region_after_reboot(void **state)
{
    (void)state;
    struct process_id a = app(0x77);
    assert_int_equal(write_at(a, 0, "persist", 7), ERR_OK);
    fake_grant_reset();
    start_driver(); /* a reboot: same flash, fresh driver */
    memset(perms, 0, sizeof perms);
    struct process_id other = app(0x78);
    struct process_id again = app(0x77);
    uint8_t out[7];
    assert_int_equal(read_at(other, 0, out, 7), ERR_OK);
    assert_int_equal(out[0], 0xFF);
    assert_int_equal(read_at(again, 0, out, 7), ERR_OK);
    assert_memory_equal(out, "persist", 7);
}

static void test_permissions(void **state)
{
    (void)state;
    uint8_t buf[4] = { 1, 2, 3, 4 };
    /* No identity: a TLV with write_id 0, or none at all. */
    struct process_id none = fake_process_create();
    fake_process_allow_rw(none, ISOLATED_NVM_STORAGE_DRIVER_NUM, 0, buf, 4);
    assert_int_equal(operate(none, ISOLATED_STORAGE_CMD_SIZE, 0, NULL), SYNC(ERR_NOSUPPORT));
    assert_int_equal(operate(none, ISOLATED_STORAGE_CMD_READ, 0, NULL), SYNC(ERR_NOSUPPORT));
    /* Its own id must be listed to read (read ids) or write (modify ids). */
    struct process_id write_only = fake_process_create();
    perms[write_only.index] = (struct storage_permissions){
        .is_present = true, .write_id = 5, .modify_count = 1, .modify_ids = { 5 } };
    assert_int_equal(write_at(write_only, 0, buf, 4), ERR_OK);
    assert_int_equal(read_at(write_only, 0, buf, 4), SYNC(ERR_NOSUPPORT));
    struct process_id read_only = fake_process_create();
    perms[read_only.index] = (struct storage_permissions){
        .is_present = true, .write_id = 5, .read_count = 1, .read_ids = { 5 } };
    assert_int_equal(write_at(read_only, 0, buf, 4), SYNC(ERR_NOSUPPORT));
    uint8_t out[4];
    assert_int_equal(read_at(read_only, 0, out, 4), ERR_OK); /* the same identity: 5 */
    assert_memory_equal(out, buf, 4);
}

static void test_region_bounds_and_buffers(void **state)
{
    (void)state;
    struct process_id a = app(1);
    uint8_t buf[REGION + 1];
    memset(buf, 0x5A, sizeof buf);
    assert_int_equal(write_at(a, REGION - 4, buf, 4), ERR_OK); /* the last bytes */
    assert_int_equal(write_at(a, REGION - 4, buf, 5), SYNC(ERR_INVAL));
    assert_int_equal(write_at(a, REGION, buf, 1), SYNC(ERR_INVAL));
    assert_int_equal(write_at(a, 0, buf, REGION + 1), SYNC(ERR_INVAL));
    assert_int_equal(write_at(a, UINT32_MAX, buf, 4), SYNC(ERR_INVAL));
    fake_process_allow_ro(a, ISOLATED_NVM_STORAGE_DRIVER_NUM, 0, buf, 4);
    assert_int_equal(command(a, ISOLATED_STORAGE_CMD_WRITE, 0, 1).values[0], ERR_INVAL);
    /* An empty buffer is refused at once; no buffer is reported in the upcall. */
    assert_int_equal(read_at(a, 0, buf, 0), SYNC(ERR_RESERVE));
    assert_int_equal(read_at(a, 0, NULL, 0), ERR_RESERVE);
    assert_int_equal(write_at(a, 0, NULL, 0), ERR_RESERVE);
    /* The neighbouring region is untouched. */
    for (size_t i = 0; i < REGION; i++) {
        assert_int_equal(memory[(5 + 2) * PAGE + i], 0xFF);
    }
}

static void test_second_request_is_busy_and_full_directory_is_nomem(void **state)
{
    (void)state;
    struct process_id a = app(1);
    assert_int_equal(command(a, ISOLATED_STORAGE_CMD_SIZE, 0, 0).variant, SYSCALL_SUCCESS);
    assert_int_equal(command(a, ISOLATED_STORAGE_CMD_SIZE, 0, 0).values[0], ERR_BUSY);
    run();
    struct process_id b = app(2);
    struct process_id c = app(3);
    struct process_id d = app(4);
    assert_int_equal(operate(b, ISOLATED_STORAGE_CMD_SIZE, 0, NULL), ERR_OK);
    assert_int_equal(operate(c, ISOLATED_STORAGE_CMD_SIZE, 0, NULL), ERR_OK);
    assert_int_equal(operate(d, ISOLATED_STORAGE_CMD_SIZE, 0, NULL), ERR_NOMEM);
}

static void test_init_rejects_bad_layouts(void **state)
{
    (void)state;
    struct isolated_storage other;
    struct isolated_storage_config c = config;
    c.spare_page = 8; /* inside the area's units */
    assert_int_equal(isolated_storage_init(&other, &data_dev.flash, &dir_dev.flash, &c,
                                           page_buf, dir_buf, PAGE, &storage_still_clock, entries,
                                           PROCESSES, NULL),
                     ERR_INVAL);
    c = config;
    c.region_count = 7; /* past the flash */
    assert_int_equal(isolated_storage_init(&other, &data_dev.flash, &dir_dev.flash, &c,
                                           page_buf, dir_buf, PAGE, &storage_still_clock, entries,
                                           PROCESSES, NULL),
                     ERR_INVAL);
    assert_int_equal(isolated_storage_init(&other, &data_dev.flash, &dir_dev.flash, &config,
                                           page_buf, NULL, PAGE, &storage_still_clock, entries,
                                           PROCESSES, NULL),
                     ERR_SIZE);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup(test_size_and_allocation, setup),
        cmocka_unit_test_setup(test_apps_are_isolated, setup),
        cmocka_unit_test_setup(test_same_identity_finds_its_region_after_reboot, setup),
        cmocka_unit_test_setup(test_permissions, setup),
        cmocka_unit_test_setup(test_region_bounds_and_buffers, setup),
        cmocka_unit_test_setup(test_second_request_is_busy_and_full_directory_is_nomem, setup),
        cmocka_unit_test_setup(test_init_rejects_bad_layouts, setup),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
