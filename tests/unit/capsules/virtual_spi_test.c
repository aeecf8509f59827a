/* SPDX-License-Identifier: Apache-2.0 OR MIT */
/*
 * Host tests for the SPI virtualizer (virtualizers/virtual_spi.c).
 *
 * A fake SPI controller stands for the hardware; recorders stand for clients and log every
 * callback. Every downcall the test makes sets `in_downcall`, and recorders fail if called
 * meanwhile.
 *
 * Usage: make build/host/virtual_spi_test (or `make unit` for every test).
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

#include "capsules/virtual_spi.h"
#include "container.h"
#include "fake_spi.h"
#include "kernel/deferred_call.h"

struct recorder {
    struct hil_spi_master_client client;
    struct virtual_spi *device;
    char tag;
    unsigned callbacks;
    uint8_t *tx;
    uint8_t *rx;
    size_t len;
    err_t status;
    unsigned requeue; /* transfer again from the callback this many times */
    uint8_t tx_storage[8];
    uint8_t rx_storage[8];
};

static struct fake_spi hw;
static struct mux_spi mux;
static struct virtual_spi dev_a, dev_b, dev_c;
static struct recorder rec_a, rec_b, rec_c;
static char order[64]; /* tags of callbacks, in order */
static size_t order_len;
static bool in_downcall;

static void recorder_done(struct hil_spi_master_client *client, uint8_t *tx, uint8_t *rx,
                          size_t len, err_t status)
{
    struct recorder *r = CONTAINER_OF(client, struct recorder, client);
    assert_false(in_downcall);
    r->callbacks++;
    r->tx = tx;
    r->rx = rx;
    r->len = len;
    r->status = status;
    order[order_len++] = r->tag;
    order[order_len] = '\0';
    if (r->requeue > 0) {
        r->requeue--;
        assert_int_equal(hil_spi_read_write(&r->device->spi, tx, rx, 1), ERR_OK);
    }
}

static const struct hil_spi_master_client_ops recorder_ops = { .read_write_done = recorder_done };

static void recorder_init(struct recorder *r, struct virtual_spi *device, char tag)
{
    *r = (struct recorder){
        .client = { .ops = &recorder_ops },
        .device = device,
        .tag = tag,
        .status = ERR_FAIL,
    };
    for (size_t i = 0; i < sizeof r->tx_storage; i++) {
        r->tx_storage[i] = (uint8_t)(tag + i);
    }
    hil_spi_set_client(&device->spi, &r->client);
}

static int setup(void **state)
{
    (void)state;
    deferred_call_reset_for_test();
    fake_spi_init(&hw, 4, 1000);
    assert_int_equal(mux_spi_init(&mux, &hw.spi), ERR_OK);
    virtual_spi_init(&dev_a, &mux, 0);
    virtual_spi_init(&dev_b, &mux, 1);
    virtual_spi_init(&dev_c, &mux, 2);
    recorder_init(&rec_a, &dev_a, 'A');
    recorder_init(&rec_b, &dev_b, 'B');
    recorder_init(&rec_c, &dev_c, 'C');
    order[0] = '\0';
    order_len = 0;
    in_downcall = false;
    return 0;
}

static err_t transfer(struct recorder *r, size_t len)
{
    in_downcall = true;
    err_t err = hil_spi_read_write(&r->device->spi, r->tx_storage, r->rx_storage, len);
    in_downcall = false;
    return err;
}

static void drain(void)
{
    for (unsigned guard = 0; guard < 100; guard++) {
        deferred_call_service();
        if (!fake_spi_busy(&hw)) {
            if (!deferred_call_has_pending()) {
                return;
            }
            continue;
        }
        fake_spi_complete(&hw, ERR_OK);
    }
    fail_msg("drain: still busy after 100 steps");
}

static void test_transfer_ok_gives_one_callback_with_buffers_and_data(void **state)
{
    (void)state;
    assert_int_equal(transfer(&rec_a, 4), ERR_OK);
    assert_true(fake_spi_busy(&hw));
    deferred_call_service();
    assert_int_equal(rec_a.callbacks, 0);
    fake_spi_complete(&hw, ERR_OK);
    assert_int_equal(rec_a.callbacks, 1);
    assert_ptr_equal(rec_a.tx, rec_a.tx_storage);
    assert_ptr_equal(rec_a.rx, rec_a.rx_storage);
    assert_int_equal(rec_a.len, 4);
    assert_int_equal(rec_a.status, ERR_OK);
    assert_memory_equal(rec_a.rx_storage, rec_a.tx_storage, 4); /* the fake loops back */
    deferred_call_service();
    assert_int_equal(rec_a.callbacks, 1);
    assert_false(fake_spi_busy(&hw));
}

static void test_second_transfer_on_same_device_is_busy(void **state)
{
    (void)state;
    assert_int_equal(transfer(&rec_a, 1), ERR_OK);
    assert_int_equal(transfer(&rec_a, 1), ERR_BUSY);
    drain();
    assert_int_equal(rec_a.callbacks, 1);
    assert_int_equal(hw.read_write_calls, 1);
}

static void test_bad_sizes_fail_without_callback(void **state)
{
    (void)state;
    assert_int_equal(transfer(&rec_a, 0), ERR_SIZE);
    in_downcall = true;
    assert_int_equal(hil_spi_read_write(&dev_a.spi, NULL, rec_a.rx_storage, 1), ERR_SIZE);
    in_downcall = false;
    drain();
    assert_int_equal(rec_a.callbacks, 0);
    assert_int_equal(hw.read_write_calls, 0);
}

static void test_write_only_transfer_with_null_rx(void **state)
{
    (void)state;
    in_downcall = true;
    assert_int_equal(hil_spi_read_write(&dev_a.spi, rec_a.tx_storage, NULL, 3), ERR_OK);
    in_downcall = false;
    fake_spi_complete(&hw, ERR_OK);
    assert_int_equal(rec_a.callbacks, 1);
    assert_null(rec_a.rx);
    assert_int_equal(rec_a.len, 3);
}

static void test_each_device_configuration_is_applied_before_its_transfer(void **state)
{
    (void)state;
    assert_int_equal(hil_spi_set_rate(&dev_a.spi, 2000000), ERR_OK);
    assert_int_equal(hil_spi_set_polarity(&dev_a.spi, HIL_SPI_IDLE_HIGH), ERR_OK);
    assert_int_equal(hil_spi_set_phase(&dev_a.spi, HIL_SPI_SAMPLE_TRAILING), ERR_OK);
    assert_int_equal(hil_spi_set_chip_select(&dev_b.spi, 3), ERR_OK);
    assert_int_equal(hil_spi_set_rate(&dev_b.spi, 500000), ERR_OK);
    assert_int_equal(hw.set_calls, 0); /* recorded only: the controller is untouched */
    assert_int_equal(transfer(&rec_a, 1), ERR_OK);
    assert_int_equal(transfer(&rec_b, 1), ERR_OK);
    assert_int_equal(transfer(&rec_c, 1), ERR_OK);
    drain();
    assert_string_equal(order, "ABC");
    assert_int_equal(hw.log_len, 3);
    assert_int_equal(hw.log[0].chip_select, 0);
    assert_int_equal(hw.log[0].rate_hz, 2000000);
    assert_int_equal(hw.log[0].polarity, HIL_SPI_IDLE_HIGH);
    assert_int_equal(hw.log[0].phase, HIL_SPI_SAMPLE_TRAILING);
    assert_int_equal(hw.log[0].first_byte, 'A');
    assert_int_equal(hw.log[1].chip_select, 3);
    assert_int_equal(hw.log[1].rate_hz, 500000);
    assert_int_equal(hw.log[1].polarity, HIL_SPI_IDLE_LOW); /* not A's settings */
    assert_int_equal(hw.log[1].phase, HIL_SPI_SAMPLE_LEADING);
    assert_int_equal(hw.log[2].chip_select, 2);
    assert_int_equal(hw.log[2].rate_hz, VIRTUAL_SPI_DEFAULT_RATE_HZ);
}

static void test_setters_busy_while_outstanding_and_reject_bad_values(void **state)
{
    (void)state;
    assert_int_equal(hil_spi_set_rate(&dev_a.spi, 0), ERR_INVAL);
    assert_int_equal(hil_spi_set_polarity(&dev_a.spi, (enum hil_spi_polarity)7), ERR_INVAL);
    assert_int_equal(hil_spi_set_phase(&dev_a.spi, (enum hil_spi_phase)7), ERR_INVAL);
    assert_int_equal(transfer(&rec_a, 1), ERR_OK);
    assert_int_equal(hil_spi_set_chip_select(&dev_a.spi, 1), ERR_BUSY);
    assert_int_equal(hil_spi_set_rate(&dev_a.spi, 5000), ERR_BUSY);
    assert_int_equal(hil_spi_set_polarity(&dev_a.spi, HIL_SPI_IDLE_HIGH), ERR_BUSY);
    assert_int_equal(hil_spi_set_phase(&dev_a.spi, HIL_SPI_SAMPLE_TRAILING), ERR_BUSY);
    assert_int_equal(hil_spi_set_rate(&dev_b.spi, 5000), ERR_OK); /* other devices are free */
    drain();
    assert_int_equal(hil_spi_set_chip_select(&dev_a.spi, 1), ERR_OK);
    assert_int_equal(dev_a.chip_select, 1);
}

static void test_configuration_refused_by_controller_is_reported_later(void **state)
{
    (void)state;
    assert_int_equal(hil_spi_set_chip_select(&dev_a.spi, 9), ERR_OK); /* the controller has 4 */
    assert_int_equal(hil_spi_set_rate(&dev_b.spi, 10), ERR_OK);       /* slower than it makes */
    assert_int_equal(transfer(&rec_a, 1), ERR_OK);
    assert_int_equal(transfer(&rec_b, 1), ERR_OK);
    assert_int_equal(transfer(&rec_c, 1), ERR_OK);
    assert_int_equal(rec_a.callbacks + rec_b.callbacks, 0); /* never inside the downcall */
    drain();
    assert_int_equal(rec_a.callbacks, 1);
    assert_int_equal(rec_a.status, ERR_INVAL);
    assert_ptr_equal(rec_a.tx, rec_a.tx_storage);
    assert_int_equal(rec_b.callbacks, 1);
    assert_int_equal(rec_b.status, ERR_INVAL);
    assert_int_equal(rec_c.callbacks, 1);
    assert_int_equal(rec_c.status, ERR_OK);
    assert_int_equal(hw.log_len, 1); /* only C reached the wire */
    assert_int_equal(hw.log[0].first_byte, 'C');
}

static void test_transfer_refused_by_controller_is_reported_later(void **state)
{
    (void)state;
    hw.next_read_write_result = ERR_OFF;
    assert_int_equal(transfer(&rec_a, 1), ERR_OK);
    assert_int_equal(rec_a.callbacks, 0);
    deferred_call_service();
    assert_int_equal(rec_a.callbacks, 1);
    assert_int_equal(rec_a.status, ERR_OFF);
    assert_int_equal(transfer(&rec_a, 1), ERR_OK); /* usable again */
    fake_spi_complete(&hw, ERR_OK);
    assert_int_equal(rec_a.callbacks, 2);
    assert_int_equal(rec_a.status, ERR_OK);
}

static void test_controller_failure_status_reaches_the_client(void **state)
{
    (void)state;
    assert_int_equal(transfer(&rec_a, 2), ERR_OK);
    assert_int_equal(transfer(&rec_b, 2), ERR_OK);
    fake_spi_complete(&hw, ERR_FAIL);
    assert_int_equal(rec_a.status, ERR_FAIL);
    assert_true(fake_spi_busy(&hw)); /* B started anyway */
    fake_spi_complete(&hw, ERR_OK);
    assert_int_equal(rec_b.status, ERR_OK);
}

static void test_single_client_requeueing_from_callback_is_served_again(void **state)
{
    (void)state;
    rec_a.requeue = 3;
    assert_int_equal(transfer(&rec_a, 1), ERR_OK);
    drain();
    assert_string_equal(order, "AAAA");
    assert_int_equal(hw.log_len, 4);
}

static void test_round_robin_when_client_requeues_from_callback(void **state)
{
    (void)state;
    rec_a.requeue = 1; /* A asks again from inside its callback */
    assert_int_equal(transfer(&rec_a, 1), ERR_OK);
    assert_int_equal(transfer(&rec_b, 1), ERR_OK);
    assert_int_equal(transfer(&rec_a, 1), ERR_BUSY);
    drain();
    assert_string_equal(order, "ABA"); /* B was not starved by A's re-queue */
}

static void test_round_robin_three_devices_with_greedy_clients(void **state)
{
    (void)state;
    rec_a.requeue = 2;
    rec_b.requeue = 2;
    assert_int_equal(transfer(&rec_a, 1), ERR_OK);
    assert_int_equal(transfer(&rec_b, 1), ERR_OK);
    assert_int_equal(transfer(&rec_c, 1), ERR_OK);
    drain();
    assert_string_equal(order, "ABCABAB");
}

static void test_round_robin_starts_after_last_served_not_at_list_head(void **state)
{
    (void)state;
    assert_int_equal(transfer(&rec_b, 1), ERR_OK); /* B served first */
    assert_int_equal(transfer(&rec_a, 1), ERR_OK);
    assert_int_equal(transfer(&rec_c, 1), ERR_OK);
    drain();
    assert_string_equal(order, "BCA"); /* after B comes C, then A */
}

static void unused_deferred(void *ctx)
{
    (void)ctx;
}

static void test_init_fails_without_deferred_call_slot(void **state)
{
    (void)state;
    static struct deferred_call fillers[DEFERRED_CALL_SLOTS];
    size_t filled = 0;
    while (filled < DEFERRED_CALL_SLOTS &&
           deferred_call_register(&fillers[filled], unused_deferred, NULL) == ERR_OK) {
        filled++;
    }
    struct mux_spi other;
    assert_int_equal(mux_spi_init(&other, &hw.spi), ERR_NOMEM);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup(test_transfer_ok_gives_one_callback_with_buffers_and_data, setup),
        cmocka_unit_test_setup(test_second_transfer_on_same_device_is_busy, setup),
        cmocka_unit_test_setup(test_bad_sizes_fail_without_callback, setup),
        cmocka_unit_test_setup(test_write_only_transfer_with_null_rx, setup),
        cmocka_unit_test_setup(test_each_device_configuration_is_applied_before_its_transfer,
                               setup),
        cmocka_unit_test_setup(test_setters_busy_while_outstanding_and_reject_bad_values, setup),
        cmocka_unit_test_setup(test_configuration_refused_by_controller_is_reported_later,
                               setup),
        cmocka_unit_test_setup(test_transfer_refused_by_controller_is_reported_later, setup),
        cmocka_unit_test_setup(test_controller_failure_status_reaches_the_client, setup),
        cmocka_unit_test_setup(test_single_client_requeueing_from_callback_is_served_again,
                               setup),
        cmocka_unit_test_setup(test_round_robin_when_client_requeues_from_callback, setup),
        cmocka_unit_test_setup(test_round_robin_three_devices_with_greedy_clients, setup),
        cmocka_unit_test_setup(test_round_robin_starts_after_last_served_not_at_list_head, setup),
        cmocka_unit_test_setup(test_init_fails_without_deferred_call_slot, setup),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
