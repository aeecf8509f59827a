/* SPDX-License-Identifier: Apache-2.0 OR MIT */
/*
 * Host tests for the app flash driver (capsules/extra/app_flash_driver.c): writes land in the
 * flash only inside what the board's policy allows, bits going 0 -> 1 take an erase that keeps
 * the rest of the page, and refusals come at the command.
 *
 * The driver runs over a fake NOR flash of 8 pages of 32 bytes with single-page erase units,
 * mapped at address BASE; the policy allows each process one range (its "writeable region").
 *
 * Usage: make build/host/app_flash_driver_test (or `make unit`).
 *
 * Invariants: each test starts from fresh flash (bytes 0..255 = their index), grants, driver.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include "driver_command.h"

#include "capsules/app_flash_driver.h"
#include "capsules/driver_num.h"
#include "fake_flash.h"
#include "fake_grant.h"
#include "kernel/deferred_call.h"
#include "storage_fixture.h"

#define PAGE 32u
#define PAGES 8u
#define BASE 0x00100000u
#define PROCESSES 4u

static uint8_t memory[PAGE * PAGES];
static struct fake_flash flash;
static struct app_flash_driver drv;
static uint8_t page_buf[PAGE];
static struct cmd_queue_entry entries[PROCESSES];
static uintptr_t region_start[FAKE_GRANT_MAX_PROCESSES];
static uint32_t region_len[FAKE_GRANT_MAX_PROCESSES];
static struct process_id a, b;

static bool is_writeable(void *ctx, struct process_id pid, uintptr_t address, uint32_t len)
{
    (void)ctx;
    uintptr_t start = region_start[pid.index];
    return address >= start && address - start <= region_len[pid.index] &&
           len <= region_len[pid.index] - (address - start);
}

static const struct app_flash_driver_config config = { .is_writeable = is_writeable,
                                                       .ctx = NULL, .base = BASE };

static int setup(void **state)
{
    (void)state;
    deferred_call_reset_for_test();
    fake_grant_reset();
    for (size_t i = 0; i < sizeof memory; i++) {
        memory[i] = (uint8_t)i;
    }
    fake_flash_init(&flash, memory, PAGE, PAGES, 1);
    assert_int_equal(app_flash_driver_init(&drv, &flash.flash, &config, page_buf, PAGE,
                                           &storage_still_clock, entries, PROCESSES, NULL),
                     ERR_OK);
    a = fake_process_create();
    b = fake_process_create();
    region_start[a.index] = BASE + 40; /* bytes 40..55, across no page boundary but one */
    region_len[a.index] = 16;
    region_start[b.index] = BASE + 60; /* bytes 60..75: crosses from page 1 into page 2 */
    region_len[b.index] = 16;
    return 0;
}

static void run(void)
{
    assert_true(storage_settle(&flash, 10000)); /* false: never idle */
}

static struct syscall_return command(struct process_id pid, uint32_t num, uint32_t address)
{
    return driver_command(&drv.driver, num, address, 0, pid);
}

static err_t write(struct process_id pid, uint32_t address, const void *data, size_t len)
{
    fake_process_allow_ro(pid, APP_FLASH_DRIVER_NUM, 0, data, len);
    size_t before = fake_grant_upcall_count();
    struct syscall_return r = command(pid, APP_FLASH_DRIVER_CMD_WRITE, address);
    if (r.variant != SYSCALL_SUCCESS) {
        return (err_t)(r.values[0] | 0x100);
    }
    run();
    assert_int_equal(fake_grant_upcall_count(), before + 1);
    const struct fake_upcall *u = fake_grant_upcall(before);
    assert_int_equal(u->subscribe_num, APP_FLASH_DRIVER_SUBSCRIBE_DONE);
    assert_int_equal(u->args[1], 0);
    assert_int_equal(u->args[2], 0);
    return (err_t)u->args[0];
}

#define SYNC(e) ((err_t)((e) | 0x100))

static void test_write_inside_region_lands_and_keeps_the_rest(void **state)
{
    (void)state;
    static const uint8_t state_bytes[8] = { 0xFE, 0xCA, 0, 0, 7, 0, 0, 0 };
    assert_int_equal(write(a, BASE + 44, state_bytes, 8), ERR_OK);
    assert_memory_equal(memory + 44, state_bytes, 8);
    for (size_t i = 0; i < sizeof memory; i++) {
        if (i < 44 || i >= 52) {
            assert_int_equal(memory[i], (uint8_t)i); /* the erase kept the page's other bytes */
        }
    }
    /* Rewriting the same bytes needs no flash write at all. */
    size_t log_before = flash.log_len;
    assert_int_equal(write(a, BASE + 44, state_bytes, 8), ERR_OK);
    assert_int_equal(flash.log_len, log_before + 1); /* one page read */
}

static void test_write_across_pages(void **state)
{
    (void)state;
    uint8_t data[16];
    memset(data, 0x11, sizeof data);
    assert_int_equal(write(b, BASE + 60, data, 16), ERR_OK);
    assert_memory_equal(memory + 60, data, 16);
    assert_int_equal(memory[59], 59);
    assert_int_equal(memory[76], 76);
}

static void test_refusals(void **state)
{
    (void)state;
    uint8_t data[17] = { 0 };
    assert_int_equal(write(a, BASE + 44, data, 13), SYNC(ERR_INVAL)); /* past its end */
    assert_int_equal(write(a, BASE + 39, data, 2), SYNC(ERR_INVAL));  /* before its start */
    assert_int_equal(write(a, BASE + 60, data, 4), SYNC(ERR_INVAL));  /* b's region */
    assert_int_equal(write(a, 0x1000, data, 4), SYNC(ERR_INVAL));     /* not the flash */
    assert_int_equal(write(a, BASE + 40, NULL, 0), SYNC(ERR_RESERVE));
    assert_int_equal(command(a, 2, BASE).values[0], ERR_NOSUPPORT);
    assert_int_equal(command(a, 0, 0).variant, SYSCALL_SUCCESS);
    for (size_t i = 0; i < sizeof memory; i++) {
        assert_int_equal(memory[i], (uint8_t)i);
    }
}

static void test_second_request_while_pending_is_nomem(void **state)
{
    (void)state;
    uint8_t data[4] = { 0 };
    fake_process_allow_ro(a, APP_FLASH_DRIVER_NUM, 0, data, 4);
    assert_int_equal(command(a, APP_FLASH_DRIVER_CMD_WRITE, BASE + 40).variant,
                     SYSCALL_SUCCESS);
    assert_int_equal(command(a, APP_FLASH_DRIVER_CMD_WRITE, BASE + 40).values[0], ERR_NOMEM);
    run();
    assert_int_equal(fake_grant_upcall_count(), 1);
}

static void test_process_dying_after_erase_still_gets_its_page_programmed(void **state)
{
    (void)state;
    uint8_t data[4] = { 0xFF, 0xFF, 0xFF, 0xFF }; /* bits 0 -> 1: an erase */
    fake_process_allow_ro(a, APP_FLASH_DRIVER_NUM, 0, data, 4);
    assert_int_equal(command(a, APP_FLASH_DRIVER_CMD_WRITE, BASE + 40).variant,
                     SYSCALL_SUCCESS);
    for (unsigned guard = 0;
         guard < 100 && !(flash.is_busy && flash.current.kind == FAKE_FLASH_ERASE); guard++) {
        deferred_call_service();
        if (flash.is_busy && flash.current.kind != FAKE_FLASH_ERASE) {
            fake_flash_complete(&flash, ERR_OK);
        }
    }
    assert_true(flash.is_busy);
    drv.queue.exit_hook.on_exit(&drv.queue.exit_hook, a);
    fake_process_kill(a);
    run();
    assert_int_equal(fake_grant_upcall_count(), 0);
    for (size_t i = 32; i < 64; i++) {
        assert_int_equal(memory[i], i >= 40 && i < 44 ? 0xFF : (uint8_t)i);
    }
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup(test_write_inside_region_lands_and_keeps_the_rest, setup),
        cmocka_unit_test_setup(test_write_across_pages, setup),
        cmocka_unit_test_setup(test_refusals, setup),
        cmocka_unit_test_setup(test_second_request_while_pending_is_nomem, setup),
        cmocka_unit_test_setup(test_process_dying_after_erase_still_gets_its_page_programmed,
                               setup),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
