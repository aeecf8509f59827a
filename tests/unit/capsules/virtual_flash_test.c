/* SPDX-License-Identifier: Apache-2.0 OR MIT */
/*
 * Host tests for the flash virtualizer (virtualizers/virtual_flash.c).
 *
 * A fake flash (NOR semantics over a host array) stands for the hardware; recorders stand for
 * clients and log every callback. Every downcall the test makes sets `in_downcall`, and
 * recorders fail if called meanwhile.
 *
 * Usage: make build/host/virtual_flash_test (or `make unit` for every test).
 *
 * Invariants: each test starts from setup() with fresh deferred calls, flash, mux and devices.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include "capsules/virtual_flash.h"
#include "container.h"
#include "fake_flash.h"
#include "kernel/deferred_call.h"

#define PAGE 16u
#define PAGES 8u
#define ERASE_PAGES 4u

struct recorder {
    struct hil_flash_client client;
    struct virtual_flash *device;
    char tag;
    unsigned reads, writes, erases;
    uint8_t *buf;
    size_t len;
    err_t status;
    unsigned requeue; /* read page 0 again from the callback this many times */
    uint8_t page[PAGE];
};

static uint8_t memory[PAGE * PAGES];
static struct fake_flash hw;
static struct mux_flash mux;
static struct virtual_flash dev_a, dev_b, dev_c;
static struct recorder rec_a, rec_b, rec_c;
static char order[64];
static size_t order_len;
static bool in_downcall;

static void record(struct recorder *r, uint8_t *buf, size_t len, err_t status)
{
    assert_false(in_downcall);
    r->buf = buf;
    r->len = len;
    r->status = status;
    order[order_len++] = r->tag;
    order[order_len] = '\0';
    if (r->requeue > 0) {
        r->requeue--;
        assert_int_equal(hil_flash_read_page(&r->device->flash, 0, r->page, PAGE), ERR_OK);
    }
}

static void recorder_read_done(struct hil_flash_client *client, uint8_t *buf, size_t len,
                               err_t status)
{
    struct recorder *r = CONTAINER_OF(client, struct recorder, client);
    r->reads++;
    record(r, buf, len, status);
}

static void recorder_write_done(struct hil_flash_client *client, uint8_t *buf, size_t len,
                                err_t status)
{
    struct recorder *r = CONTAINER_OF(client, struct recorder, client);
    r->writes++;
    record(r, buf, len, status);
}

static void recorder_erase_done(struct hil_flash_client *client, err_t status)
{
    struct recorder *r = CONTAINER_OF(client, struct recorder, client);
    r->erases++;
    record(r, NULL, 0, status);
}

static const struct hil_flash_client_ops recorder_ops = {
    .read_done = recorder_read_done,
    .write_done = recorder_write_done,
    .erase_done = recorder_erase_done,
};

static void recorder_init(struct recorder *r, struct virtual_flash *device, char tag)
{
    *r = (struct recorder){
        .client = { .ops = &recorder_ops }, .device = device, .tag = tag, .status = ERR_FAIL
    };
    hil_flash_set_client(&device->flash, &r->client);
}

static int setup(void **state)
{
    (void)state;
    deferred_call_reset_for_test();
    memset(memory, 0xFF, sizeof memory);
    fake_flash_init(&hw, memory, PAGE, PAGES, ERASE_PAGES);
    assert_int_equal(mux_flash_init(&mux, &hw.flash), ERR_OK);
    virtual_flash_init(&dev_a, &mux);
    virtual_flash_init(&dev_b, &mux);
    virtual_flash_init(&dev_c, &mux);
    recorder_init(&rec_a, &dev_a, 'A');
    recorder_init(&rec_b, &dev_b, 'B');
    recorder_init(&rec_c, &dev_c, 'C');
    order[0] = '\0';
    order_len = 0;
    in_downcall = false;
    return 0;
}

static err_t do_read(struct recorder *r, uint32_t page)
{
    in_downcall = true;
    err_t err = hil_flash_read_page(&r->device->flash, page, r->page, PAGE);
    in_downcall = false;
    return err;
}

static err_t do_write(struct recorder *r, uint32_t page, uint8_t fill)
{
    memset(r->page, fill, PAGE);
    in_downcall = true;
    err_t err = hil_flash_write_page(&r->device->flash, page, r->page, PAGE);
    in_downcall = false;
    return err;
}

static err_t do_erase(struct recorder *r, uint32_t page)
{
    in_downcall = true;
    err_t err = hil_flash_erase_page(&r->device->flash, page);
    in_downcall = false;
    return err;
}

static void drain(void)
{
    for (unsigned guard = 0; guard < 100; guard++) {
        deferred_call_service();
        if (!hw.is_busy) {
            if (!deferred_call_has_pending()) {
                return;
            }
            continue;
        }
        fake_flash_complete(&hw, ERR_OK);
    }
    fail_msg("drain: still busy after 100 steps");
}

static void test_geometry_is_the_devices(void **state)
{
    (void)state;
    struct hil_flash_geometry g = hil_flash_geometry(&dev_b.flash);
    assert_int_equal(g.page_size, PAGE);
    assert_int_equal(g.page_count, PAGES);
    assert_int_equal(g.erase_pages, ERASE_PAGES);
}

static void test_write_read_erase_each_call_back_once_with_nor_semantics(void **state)
{
    (void)state;
    assert_int_equal(do_write(&rec_a, 1, 0x0F), ERR_OK);
    deferred_call_service();
    assert_int_equal(rec_a.writes, 0);
    fake_flash_complete(&hw, ERR_OK);
    assert_int_equal(rec_a.writes, 1);
    assert_ptr_equal(rec_a.buf, rec_a.page);
    assert_int_equal(rec_a.len, PAGE);
    assert_int_equal(do_write(&rec_a, 1, 0x3C), ERR_OK);
    drain();
    assert_int_equal(do_read(&rec_a, 1), ERR_OK);
    drain();
    assert_int_equal(rec_a.reads, 1);
    assert_int_equal(rec_a.status, ERR_OK);
    assert_int_equal(rec_a.page[0], 0x0C); /* 0x0F & 0x3C: bits only went 1 -> 0 */
    assert_int_equal(do_erase(&rec_a, 0), ERR_OK);
    drain();
    assert_int_equal(rec_a.erases, 1);
    assert_int_equal(do_read(&rec_a, 1), ERR_OK);
    drain();
    assert_int_equal(rec_a.page[PAGE - 1], 0xFF);
}

static void test_argument_errors_fail_without_callback(void **state)
{
    (void)state;
    assert_int_equal(do_read(&rec_a, PAGES), ERR_INVAL);
    assert_int_equal(do_erase(&rec_a, 1), ERR_INVAL); /* not the start of an erase unit */
    assert_int_equal(do_erase(&rec_a, PAGES), ERR_INVAL);
    in_downcall = true;
    assert_int_equal(hil_flash_write_page(&dev_a.flash, 0, rec_a.page, PAGE - 1), ERR_SIZE);
    assert_int_equal(hil_flash_read_page(&dev_a.flash, 0, NULL, PAGE), ERR_SIZE);
    in_downcall = false;
    drain();
    assert_int_equal(rec_a.reads + rec_a.writes + rec_a.erases, 0);
    assert_int_equal(hw.calls, 0);
}

static void test_second_operation_on_same_device_is_busy(void **state)
{
    (void)state;
    assert_int_equal(do_read(&rec_a, 0), ERR_OK);
    assert_int_equal(do_erase(&rec_a, 0), ERR_BUSY);
    assert_int_equal(do_read(&rec_b, 0), ERR_OK);
    drain();
    assert_int_equal(rec_a.reads, 1);
    assert_int_equal(rec_a.erases, 0);
    assert_int_equal(rec_b.reads, 1);
}

static void test_device_refusal_and_failure_are_reported_to_the_right_client(void **state)
{
    (void)state;
    hw.next_result = ERR_BUSY; /* A's start is refused */
    assert_int_equal(do_write(&rec_a, 0, 0x00), ERR_OK);
    assert_int_equal(do_erase(&rec_b, 4), ERR_OK);
    assert_int_equal(rec_a.writes, 0);
    deferred_call_service(); /* A told; B started */
    assert_int_equal(rec_a.writes, 1);
    assert_int_equal(rec_a.status, ERR_BUSY);
    assert_ptr_equal(rec_a.buf, rec_a.page);
    fake_flash_complete(&hw, ERR_FAIL);
    assert_int_equal(rec_b.erases, 1);
    assert_int_equal(rec_b.status, ERR_FAIL);
    assert_int_equal(memory[0], 0xFF); /* A's write never happened */
}

static void test_single_client_requeueing_from_callback_is_served_again(void **state)
{
    (void)state;
    rec_a.requeue = 2;
    assert_int_equal(do_read(&rec_a, 0), ERR_OK);
    drain();
    assert_string_equal(order, "AAA");
}

static void test_round_robin_when_client_requeues_from_callback(void **state)
{
    (void)state;
    rec_a.requeue = 1;
    assert_int_equal(do_read(&rec_a, 0), ERR_OK);
    assert_int_equal(do_read(&rec_b, 0), ERR_OK);
    drain();
    assert_string_equal(order, "ABA");
}

static void test_round_robin_three_devices_with_greedy_clients(void **state)
{
    (void)state;
    rec_b.requeue = 2;
    rec_c.requeue = 2;
    assert_int_equal(do_erase(&rec_a, 0), ERR_OK);
    assert_int_equal(do_read(&rec_b, 0), ERR_OK);
    assert_int_equal(do_read(&rec_c, 0), ERR_OK);
    drain();
    assert_string_equal(order, "ABCBCBC");
}

static struct hil_flash_geometry bad_geometry(struct hil_flash *flash)
{
    (void)flash;
    return (struct hil_flash_geometry){ .page_size = 16, .page_count = 6, .erase_pages = 4 };
}

static void test_init_rejects_impossible_geometry(void **state)
{
    (void)state;
    static const struct hil_flash_ops bad_ops = { .geometry = bad_geometry };
    struct hil_flash bad = { .ops = &bad_ops, .client = NULL };
    struct mux_flash other;
    assert_int_equal(mux_flash_init(&other, &bad), ERR_INVAL);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup(test_geometry_is_the_devices, setup),
        cmocka_unit_test_setup(test_write_read_erase_each_call_back_once_with_nor_semantics,
                               setup),
        cmocka_unit_test_setup(test_argument_errors_fail_without_callback, setup),
        cmocka_unit_test_setup(test_second_operation_on_same_device_is_busy, setup),
        cmocka_unit_test_setup(test_device_refusal_and_failure_are_reported_to_the_right_client,
                               setup),
        cmocka_unit_test_setup(test_single_client_requeueing_from_callback_is_served_again,
                               setup),
        cmocka_unit_test_setup(test_round_robin_when_client_requeues_from_callback, setup),
        cmocka_unit_test_setup(test_round_robin_three_devices_with_greedy_clients, setup),
        cmocka_unit_test_setup(test_init_rejects_impossible_geometry, setup),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
