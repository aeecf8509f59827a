/* SPDX-License-Identifier: Apache-2.0 OR MIT */
/*
 * Host tests for the I2C virtualizer (virtualizers/virtual_i2c.c).
 *
 * A fake I2C controller stands for the hardware; recorders stand for clients and log every
 * callback. Every downcall the test makes sets `in_downcall`, and recorders fail if called
 * meanwhile.
 *
 * Usage: make build/host/virtual_i2c_test (or `make unit` for every test).
 *
 * Invariants: each test starts from setup() with fresh deferred calls, controller, mux and
 * devices.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include "capsules/virtual_i2c.h"
#include "container.h"
#include "fake_i2c.h"
#include "kernel/deferred_call.h"

struct recorder {
    struct hil_i2c_master_client client;
    struct virtual_i2c *device;
    char tag;
    unsigned callbacks;
    uint8_t *buf;
    size_t len;
    err_t status;
    unsigned requeue; /* write again from the callback this many times */
    uint8_t storage[8];
};

static struct fake_i2c hw;
static struct mux_i2c mux;
static struct virtual_i2c dev_a, dev_b, dev_c;
static struct recorder rec_a, rec_b, rec_c;
static char order[64];
static size_t order_len;
static bool in_downcall;

static void recorder_done(struct hil_i2c_master_client *client, uint8_t *buf, size_t len,
                          err_t status)
{
    struct recorder *r = CONTAINER_OF(client, struct recorder, client);
    assert_false(in_downcall);
    r->callbacks++;
    r->buf = buf;
    r->len = len;
    r->status = status;
    order[order_len++] = r->tag;
    order[order_len] = '\0';
    if (r->requeue > 0) {
        r->requeue--;
        assert_int_equal(hil_i2c_write(&r->device->i2c, 0x10, buf, 1), ERR_OK);
    }
}

static const struct hil_i2c_master_client_ops recorder_ops = { .command_done = recorder_done };

static void recorder_init(struct recorder *r, struct virtual_i2c *device, char tag)
{
    *r = (struct recorder){
        .client = { .ops = &recorder_ops }, .device = device, .tag = tag, .status = ERR_FAIL
    };
    hil_i2c_set_client(&device->i2c, &r->client);
}

static int setup(void **state)
{
    (void)state;
    deferred_call_reset_for_test();
    fake_i2c_init(&hw);
    assert_int_equal(mux_i2c_init(&mux, &hw.i2c), ERR_OK);
    virtual_i2c_init(&dev_a, &mux);
    virtual_i2c_init(&dev_b, &mux);
    virtual_i2c_init(&dev_c, &mux);
    recorder_init(&rec_a, &dev_a, 'A');
    recorder_init(&rec_b, &dev_b, 'B');
    recorder_init(&rec_c, &dev_c, 'C');
    order[0] = '\0';
    order_len = 0;
    in_downcall = false;
    return 0;
}

static err_t do_write(struct recorder *r, uint8_t address, size_t len)
{
    in_downcall = true;
    err_t err = hil_i2c_write(&r->device->i2c, address, r->storage, len);
    in_downcall = false;
    return err;
}

static err_t do_read(struct recorder *r, uint8_t address, size_t len)
{
    in_downcall = true;
    err_t err = hil_i2c_read(&r->device->i2c, address, r->storage, len);
    in_downcall = false;
    return err;
}

static err_t do_write_read(struct recorder *r, uint8_t address, size_t write_len,
                           size_t read_len)
{
    in_downcall = true;
    err_t err = hil_i2c_write_read(&r->device->i2c, address, r->storage, write_len, read_len);
    in_downcall = false;
    return err;
}

static void drain(void)
{
    for (unsigned guard = 0; guard < 100; guard++) {
        deferred_call_service();
        if (!fake_i2c_busy(&hw)) {
            if (!deferred_call_has_pending()) {
                return;
            }
            continue;
        }
        fake_i2c_complete(&hw, 1, ERR_OK);
    }
    fail_msg("drain: still busy after 100 steps");
}

static void test_each_operation_reaches_controller_and_calls_back_once(void **state)
{
    (void)state;
    assert_int_equal(do_write(&rec_a, 0x50, 3), ERR_OK);
    fake_i2c_complete(&hw, 3, ERR_OK);
    assert_int_equal(do_read(&rec_a, 0x51, 2), ERR_OK);
    fake_i2c_complete(&hw, 2, ERR_OK);
    assert_int_equal(do_write_read(&rec_a, 0x52, 1, 4), ERR_OK);
    hw.buf[0] = 0x99; /* the "device" answers */
    fake_i2c_complete(&hw, 4, ERR_OK);
    deferred_call_service();
    assert_int_equal(rec_a.callbacks, 3);
    assert_int_equal(rec_a.len, 4);
    assert_ptr_equal(rec_a.buf, rec_a.storage);
    assert_int_equal(rec_a.storage[0], 0x99);
    assert_int_equal(hw.log_len, 3);
    assert_int_equal(hw.log[0].kind, FAKE_I2C_WRITE);
    assert_int_equal(hw.log[0].address, 0x50);
    assert_int_equal(hw.log[0].write_len, 3);
    assert_int_equal(hw.log[1].kind, FAKE_I2C_READ);
    assert_int_equal(hw.log[1].read_len, 2);
    assert_int_equal(hw.log[2].kind, FAKE_I2C_WRITE_READ);
    assert_int_equal(hw.log[2].address, 0x52);
    assert_int_equal(hw.log[2].write_len, 1);
    assert_int_equal(hw.log[2].read_len, 4);
}

static void test_noack_reaches_the_client(void **state)
{
    (void)state;
    assert_int_equal(do_write(&rec_a, 0x50, 1), ERR_OK);
    assert_int_equal(rec_a.callbacks, 0);
    fake_i2c_complete(&hw, 0, ERR_NOACK);
    assert_int_equal(rec_a.callbacks, 1);
    assert_int_equal(rec_a.status, ERR_NOACK);
    assert_int_equal(rec_a.len, 0);
}

static void test_second_operation_on_same_device_is_busy(void **state)
{
    (void)state;
    assert_int_equal(do_write(&rec_a, 0x50, 1), ERR_OK);
    assert_int_equal(do_read(&rec_a, 0x50, 1), ERR_BUSY);
    assert_int_equal(do_write(&rec_b, 0x50, 1), ERR_OK); /* another device queues */
    drain();
    assert_int_equal(rec_a.callbacks, 1);
    assert_int_equal(rec_b.callbacks, 1);
    assert_int_equal(hw.start_calls, 2);
}

static void test_argument_errors_fail_without_callback(void **state)
{
    (void)state;
    assert_int_equal(do_write(&rec_a, 0x80, 1), ERR_INVAL);
    assert_int_equal(do_write(&rec_a, 0x50, 0), ERR_SIZE);
    assert_int_equal(do_read(&rec_a, 0x50, 0), ERR_SIZE);
    assert_int_equal(do_write_read(&rec_a, 0x50, 0, 1), ERR_SIZE);
    assert_int_equal(do_write_read(&rec_a, 0x50, 1, 0), ERR_SIZE);
    in_downcall = true;
    assert_int_equal(hil_i2c_write(&dev_a.i2c, 0x50, NULL, 1), ERR_SIZE);
    in_downcall = false;
    drain();
    assert_int_equal(rec_a.callbacks, 0);
    assert_int_equal(hw.start_calls, 0);
}

static void test_controller_refusal_is_reported_later_and_others_continue(void **state)
{
    (void)state;
    assert_int_equal(do_write(&rec_a, 0x50, 1), ERR_OK);
    assert_int_equal(do_write(&rec_b, 0x51, 1), ERR_OK);
    assert_int_equal(do_write(&rec_c, 0x52, 1), ERR_OK);
    hw.next_result = ERR_OFF;      /* B's start will be refused */
    fake_i2c_complete(&hw, 1, ERR_OK); /* A done; B refused */
    assert_int_equal(rec_b.callbacks, 0);
    deferred_call_service();
    assert_int_equal(rec_b.callbacks, 1);
    assert_int_equal(rec_b.status, ERR_OFF);
    assert_ptr_equal(rec_b.buf, rec_b.storage);
    fake_i2c_complete(&hw, 1, ERR_OK);
    assert_string_equal(order, "ABC");
}

static void test_refusal_of_first_operation_is_not_reported_inside_the_call(void **state)
{
    (void)state;
    hw.next_result = ERR_BUSY;
    assert_int_equal(do_read(&rec_a, 0x50, 1), ERR_OK);
    assert_int_equal(rec_a.callbacks, 0);
    deferred_call_service();
    assert_int_equal(rec_a.callbacks, 1);
    assert_int_equal(rec_a.status, ERR_BUSY);
}

static void test_single_client_requeueing_from_callback_is_served_again(void **state)
{
    (void)state;
    rec_a.requeue = 2;
    assert_int_equal(do_write(&rec_a, 0x10, 1), ERR_OK);
    drain();
    assert_string_equal(order, "AAA");
}

static void test_round_robin_when_client_requeues_from_callback(void **state)
{
    (void)state;
    rec_a.requeue = 1;
    assert_int_equal(do_write(&rec_a, 0x10, 1), ERR_OK);
    assert_int_equal(do_write(&rec_b, 0x10, 1), ERR_OK);
    drain();
    assert_string_equal(order, "ABA");
}

static void test_round_robin_three_devices_with_greedy_clients(void **state)
{
    (void)state;
    rec_a.requeue = 2;
    rec_c.requeue = 2;
    assert_int_equal(do_write(&rec_a, 0x10, 1), ERR_OK);
    assert_int_equal(do_write(&rec_b, 0x10, 1), ERR_OK);
    assert_int_equal(do_write(&rec_c, 0x10, 1), ERR_OK);
    drain();
    assert_string_equal(order, "ABCACAC");
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup(test_each_operation_reaches_controller_and_calls_back_once,
                               setup),
        cmocka_unit_test_setup(test_noack_reaches_the_client, setup),
        cmocka_unit_test_setup(test_second_operation_on_same_device_is_busy, setup),
        cmocka_unit_test_setup(test_argument_errors_fail_without_callback, setup),
        cmocka_unit_test_setup(test_controller_refusal_is_reported_later_and_others_continue,
                               setup),
        cmocka_unit_test_setup(test_refusal_of_first_operation_is_not_reported_inside_the_call,
                               setup),
        cmocka_unit_test_setup(test_single_client_requeueing_from_callback_is_served_again,
                               setup),
        cmocka_unit_test_setup(test_round_robin_when_client_requeues_from_callback, setup),
        cmocka_unit_test_setup(test_round_robin_three_devices_with_greedy_clients, setup),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
