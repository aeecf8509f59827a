/* SPDX-License-Identifier: Apache-2.0 OR MIT */
/*
 * Host tests for the RAM-backed flash model (chips/ram_flash/ram_flash.c).
 *
 * A recorder is the flash's client; the test drives completion by servicing deferred calls,
 * and every downcall sets `in_downcall` so the recorder fails if called back inside one.
 *
 * Usage: make build/host/ram_flash_test (or `make unit` for every test).
 *
 * Invariants: each test starts from setup() with fresh deferred calls and an erased flash of
 * 8 pages of 32 bytes, erased 4 pages at a time.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include "container.h"
#include "kernel/deferred_call.h"
#include "ram_flash/ram_flash.h"

#define PAGE 32u
#define PAGES 8u
#define ERASE_PAGES 4u

struct recorder {
    struct hil_flash_client client;
    unsigned reads, writes, erases;
    uint8_t *buf;
    size_t len;
    err_t status;
    bool requeue_read; /* read page 0 from the erase callback */
};

static uint8_t storage[PAGE * PAGES];
static struct ram_flash flash;
static struct recorder rec;
static uint8_t page[PAGE];
static bool in_downcall;

static void read_done(struct hil_flash_client *client, uint8_t *buf, size_t len, err_t status)
{
    struct recorder *r = CONTAINER_OF(client, struct recorder, client);
    assert_false(in_downcall);
    r->reads++;
    r->buf = buf;
    r->len = len;
    r->status = status;
}

static void write_done(struct hil_flash_client *client, uint8_t *buf, size_t len, err_t status)
{
    struct recorder *r = CONTAINER_OF(client, struct recorder, client);
    assert_false(in_downcall);
    r->writes++;
    r->buf = buf;
    r->len = len;
    r->status = status;
}

static void erase_done(struct hil_flash_client *client, err_t status)
{
    struct recorder *r = CONTAINER_OF(client, struct recorder, client);
    assert_false(in_downcall);
    r->erases++;
    r->status = status;
    if (r->requeue_read) {
        r->requeue_read = false;
        assert_int_equal(hil_flash_read_page(&flash.flash, 0, page, PAGE), ERR_OK);
    }
}

static const struct hil_flash_client_ops recorder_ops = {
    .read_done = read_done, .write_done = write_done, .erase_done = erase_done
};

static int setup(void **state)
{
    (void)state;
    deferred_call_reset_for_test();
    memset(storage, 0x5A, sizeof storage); /* garbage: init must erase it */
    assert_int_equal(ram_flash_init(&flash, storage, sizeof storage, PAGE, ERASE_PAGES), ERR_OK);
    rec = (struct recorder){ .client = { .ops = &recorder_ops }, .status = ERR_FAIL };
    hil_flash_set_client(&flash.flash, &rec.client);
    in_downcall = false;
    return 0;
}

static err_t do_write(uint32_t n, uint8_t fill)
{
    memset(page, fill, PAGE);
    in_downcall = true;
    err_t err = hil_flash_write_page(&flash.flash, n, page, PAGE);
    in_downcall = false;
    return err;
}

static err_t do_read(uint32_t n)
{
    memset(page, 0xEE, PAGE);
    in_downcall = true;
    err_t err = hil_flash_read_page(&flash.flash, n, page, PAGE);
    in_downcall = false;
    return err;
}

static err_t do_erase(uint32_t n)
{
    in_downcall = true;
    err_t err = hil_flash_erase_page(&flash.flash, n);
    in_downcall = false;
    return err;
}

static void expect_page_filled(uint32_t n, uint8_t value)
{
    for (size_t i = 0; i < PAGE; i++) {
        assert_int_equal(ram_flash_byte(&flash, n * PAGE + i), value);
    }
}

static void test_init_erases_and_reports_geometry(void **state)
{
    (void)state;
    for (uint32_t n = 0; n < PAGES; n++) {
        expect_page_filled(n, 0xFF);
    }
    struct hil_flash_geometry g = hil_flash_geometry(&flash.flash);
    assert_int_equal(g.page_size, PAGE);
    assert_int_equal(g.page_count, PAGES);
    assert_int_equal(g.erase_pages, ERASE_PAGES);
}

static void test_operations_complete_later_exactly_once(void **state)
{
    (void)state;
    assert_int_equal(do_write(2, 0x12), ERR_OK);
    assert_int_equal(rec.writes, 0);
    expect_page_filled(2, 0xFF); /* nothing happens inside the call */
    deferred_call_service();
    assert_int_equal(rec.writes, 1);
    assert_ptr_equal(rec.buf, page);
    assert_int_equal(rec.len, PAGE);
    assert_int_equal(rec.status, ERR_OK);
    expect_page_filled(2, 0x12);
    deferred_call_service();
    assert_int_equal(rec.writes, 1);
    assert_int_equal(do_read(2), ERR_OK);
    deferred_call_service();
    assert_int_equal(rec.reads, 1);
    assert_int_equal(page[0], 0x12);
    assert_int_equal(page[PAGE - 1], 0x12);
}

static void test_write_only_clears_bits(void **state)
{
    (void)state;
    assert_int_equal(do_write(1, 0xF0), ERR_OK);
    deferred_call_service();
    assert_int_equal(do_write(1, 0x3C), ERR_OK);
    deferred_call_service();
    expect_page_filled(1, 0x30); /* 0xF0 & 0x3C: a 0 bit cannot be written back to 1 */
    assert_int_equal(do_write(1, 0xFF), ERR_OK);
    deferred_call_service();
    expect_page_filled(1, 0x30);
}

static void test_erase_sets_the_whole_unit_and_nothing_else(void **state)
{
    (void)state;
    for (uint32_t n = 0; n < PAGES; n++) {
        assert_int_equal(do_write(n, (uint8_t)n), ERR_OK);
        deferred_call_service();
    }
    assert_int_equal(do_erase(4), ERR_OK);
    deferred_call_service();
    assert_int_equal(rec.erases, 1);
    assert_int_equal(rec.status, ERR_OK);
    for (uint32_t n = 0; n < 4; n++) {
        expect_page_filled(n, (uint8_t)n);
    }
    for (uint32_t n = 4; n < PAGES; n++) {
        expect_page_filled(n, 0xFF);
    }
    assert_int_equal(do_write(5, 0xA5), ERR_OK); /* erased pages take any data again */
    deferred_call_service();
    expect_page_filled(5, 0xA5);
}

static void test_one_operation_at_a_time(void **state)
{
    (void)state;
    assert_int_equal(do_write(0, 0x00), ERR_OK);
    assert_int_equal(do_read(1), ERR_BUSY);
    assert_int_equal(do_erase(0), ERR_BUSY);
    deferred_call_service();
    assert_int_equal(rec.writes, 1);
    assert_int_equal(rec.reads + rec.erases, 0);
    assert_int_equal(do_read(1), ERR_OK);
    deferred_call_service();
    assert_int_equal(rec.reads, 1);
}

static void test_next_operation_may_start_from_callback(void **state)
{
    (void)state;
    rec.requeue_read = true;
    assert_int_equal(do_erase(0), ERR_OK);
    deferred_call_service();
    assert_int_equal(rec.erases, 1);
    assert_int_equal(rec.reads, 0); /* not inside the erase callback either */
    deferred_call_service();
    assert_int_equal(rec.reads, 1);
}

static void test_argument_errors_fail_without_callback(void **state)
{
    (void)state;
    assert_int_equal(do_read(PAGES), ERR_INVAL);
    assert_int_equal(do_erase(2), ERR_INVAL);
    assert_int_equal(do_erase(PAGES), ERR_INVAL);
    in_downcall = true;
    assert_int_equal(hil_flash_write_page(&flash.flash, 0, page, PAGE + 1), ERR_SIZE);
    assert_int_equal(hil_flash_write_page(&flash.flash, 0, NULL, PAGE), ERR_SIZE);
    in_downcall = false;
    deferred_call_service();
    assert_int_equal(rec.reads + rec.writes + rec.erases, 0);
    expect_page_filled(0, 0xFF);
}

static void test_init_rejects_bad_layouts(void **state)
{
    (void)state;
    struct ram_flash other;
    assert_int_equal(ram_flash_init(&other, NULL, sizeof storage, PAGE, 1), ERR_INVAL);
    assert_int_equal(ram_flash_init(&other, storage, sizeof storage, 0, 1), ERR_INVAL);
    assert_int_equal(ram_flash_init(&other, storage, sizeof storage, PAGE, 0), ERR_INVAL);
    assert_int_equal(ram_flash_init(&other, storage, 0, PAGE, 1), ERR_INVAL);
    assert_int_equal(ram_flash_init(&other, storage, PAGE * 6, PAGE, 4), ERR_INVAL);
}

/* A fresh chip reads blank through the driver without boot writing the buffer; the first write
 * to a unit fills it with 0xFF before programming, so garbage never shows through. */
static void test_fresh_chip_reads_blank_and_writes_over_no_garbage(void **state)
{
    (void)state;
    assert_int_equal(storage[0], 0x5A); /* init did not touch the buffer */
    assert_int_equal(do_read(1), ERR_OK);
    deferred_call_service();
    for (size_t i = 0; i < PAGE; i++) {
        assert_int_equal(page[i], 0xFF);
    }
    assert_int_equal(do_write(1, 0xF0), ERR_OK);
    deferred_call_service();
    expect_page_filled(1, 0xF0); /* 0xFF & 0xF0, not 0x5A & 0xF0 */
    for (uint32_t n = 0; n < ERASE_PAGES; n++) {
        if (n != 1) {
            for (size_t i = 0; i < PAGE; i++) {
                assert_int_equal(storage[n * PAGE + i], 0xFF); /* the unit was filled */
            }
        }
    }
    assert_int_equal(do_erase(0), ERR_OK); /* blank again: reads 0xFF, a write starts fresh */
    deferred_call_service();
    expect_page_filled(1, 0xFF);
    assert_int_equal(do_write(1, 0x0F), ERR_OK);
    deferred_call_service();
    expect_page_filled(1, 0x0F);
}

/* Loaded memory (app flash) is also read directly: its erases write 0xFF at once. */
static void test_loaded_memory_is_erased_in_place(void **state)
{
    (void)state;
    memset(storage, 0x33, sizeof storage);
    assert_int_equal(ram_flash_init_loaded(&flash, storage, sizeof storage, PAGE, ERASE_PAGES),
                     ERR_OK);
    hil_flash_set_client(&flash.flash, &rec.client);
    assert_int_equal(do_erase(4), ERR_OK);
    deferred_call_service();
    for (size_t i = 0; i < PAGE * ERASE_PAGES; i++) {
        assert_int_equal(storage[4 * PAGE + i], 0xFF);
        assert_int_equal(storage[i], 0x33);
    }
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup(test_init_erases_and_reports_geometry, setup),
        cmocka_unit_test_setup(test_operations_complete_later_exactly_once, setup),
        cmocka_unit_test_setup(test_write_only_clears_bits, setup),
        cmocka_unit_test_setup(test_erase_sets_the_whole_unit_and_nothing_else, setup),
        cmocka_unit_test_setup(test_one_operation_at_a_time, setup),
        cmocka_unit_test_setup(test_next_operation_may_start_from_callback, setup),
        cmocka_unit_test_setup(test_argument_errors_fail_without_callback, setup),
        cmocka_unit_test_setup(test_init_rejects_bad_layouts, setup),
        cmocka_unit_test_setup(test_fresh_chip_reads_blank_and_writes_over_no_garbage, setup),
        cmocka_unit_test_setup(test_loaded_memory_is_erased_in_place, setup),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
