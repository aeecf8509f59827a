/* SPDX-License-Identifier: Apache-2.0 OR MIT */
/*
 * Host tests for the UART virtualizer (virtualizers/virtual_uart.c).
 *
 * A fake UART stands for the hardware; recorders stand for clients and log every callback.
 * Every downcall the test makes sets `in_downcall`, and recorders fail if called meanwhile.
 *
 * Usage: make build/host/virtual_uart_test (or `make unit` for every test).
 *
 * Invariants: each test starts from setup() with fresh deferred calls, UART, mux and devices.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include "capsules/virtual_uart.h"
#include "container.h"
#include "fake_uart.h"
#include "kernel/deferred_call.h"

struct recorder {
    struct hil_uart_tx_client tx_client;
    struct hil_uart_rx_client rx_client;
    struct virtual_uart *device;
    char tag;
    unsigned tx_callbacks;
    uint8_t *tx_buf;
    size_t tx_len;
    err_t tx_status;
    unsigned requeue_tx; /* transmit again from the callback this many times */
    unsigned rx_callbacks;
    uint8_t *rx_buf;
    size_t rx_len;
    err_t rx_status;
    char received[64]; /* every byte received, in order */
    size_t received_len;
    unsigned requeue_rx; /* receive again from the callback this many times */
    uint8_t rx_storage[16];
    size_t rx_request;
};

static struct fake_uart hw;
static struct mux_uart mux;
static struct virtual_uart dev_a, dev_b, dev_c;
static struct recorder rec_a, rec_b, rec_c;
static uint8_t mux_rx_buf[16];
static char order[512]; /* tags of transmit callbacks, in order */
static size_t order_len;
static bool in_downcall;
static uint8_t byte_a = 'A', byte_b = 'B', byte_c = 'C';
/* Whole lines: round robin applies between them. */
static uint8_t line_a = '\n', line_b = '\n', line_c = '\n';

static void recorder_transmitted(struct hil_uart_tx_client *client, uint8_t *buf, size_t len,
                                 err_t status)
{
    struct recorder *r = CONTAINER_OF(client, struct recorder, tx_client);
    assert_false(in_downcall);
    r->tx_callbacks++;
    r->tx_buf = buf;
    r->tx_len = len;
    r->tx_status = status;
    order[order_len++] = r->tag;
    order[order_len] = '\0';
    if (r->requeue_tx > 0) {
        r->requeue_tx--;
        assert_int_equal(hil_uart_tx_transmit(&r->device->tx, buf, 1), ERR_OK);
    }
}

static void recorder_received(struct hil_uart_rx_client *client, uint8_t *buf, size_t len,
                              err_t status)
{
    struct recorder *r = CONTAINER_OF(client, struct recorder, rx_client);
    assert_false(in_downcall);
    r->rx_callbacks++;
    r->rx_buf = buf;
    r->rx_len = len;
    r->rx_status = status;
    memcpy(r->received + r->received_len, buf, len);
    r->received_len += len;
    r->received[r->received_len] = '\0';
    if (r->requeue_rx > 0) {
        r->requeue_rx--;
        assert_int_equal(hil_uart_rx_receive(&r->device->rx, r->rx_storage, r->rx_request),
                         ERR_OK);
    }
}

static const struct hil_uart_tx_client_ops recorder_tx_ops = { .transmitted =
                                                                   recorder_transmitted };
static const struct hil_uart_rx_client_ops recorder_rx_ops = { .received = recorder_received };

static void recorder_init(struct recorder *r, struct virtual_uart *device, char tag)
{
    *r = (struct recorder){
        .tx_client = { .ops = &recorder_tx_ops },
        .rx_client = { .ops = &recorder_rx_ops },
        .device = device,
        .tag = tag,
        .tx_status = ERR_FAIL,
        .rx_status = ERR_FAIL,
    };
    hil_uart_tx_set_client(&device->tx, &r->tx_client);
    hil_uart_rx_set_client(&device->rx, &r->rx_client);
}

static int setup(void **state)
{
    (void)state;
    deferred_call_reset_for_test();
    fake_uart_init(&hw);
    assert_int_equal(mux_uart_init(&mux, &hw.tx, &hw.rx, mux_rx_buf, sizeof mux_rx_buf), ERR_OK);
    virtual_uart_init(&dev_a, &mux);
    virtual_uart_init(&dev_b, &mux);
    virtual_uart_init(&dev_c, &mux);
    recorder_init(&rec_a, &dev_a, 'A');
    recorder_init(&rec_b, &dev_b, 'B');
    recorder_init(&rec_c, &dev_c, 'C');
    order[0] = '\0';
    order_len = 0;
    in_downcall = false;
    return 0;
}

static err_t transmit(struct virtual_uart *v, uint8_t *buf, size_t len)
{
    in_downcall = true;
    err_t err = hil_uart_tx_transmit(&v->tx, buf, len);
    in_downcall = false;
    return err;
}

static err_t transmit_abort(struct virtual_uart *v)
{
    in_downcall = true;
    err_t err = hil_uart_tx_abort(&v->tx);
    in_downcall = false;
    return err;
}

static err_t receive(struct recorder *r, size_t len)
{
    in_downcall = true;
    r->rx_request = len;
    err_t err = hil_uart_rx_receive(&r->device->rx, r->rx_storage, len);
    in_downcall = false;
    return err;
}

static err_t receive_abort(struct virtual_uart *v)
{
    in_downcall = true;
    err_t err = hil_uart_rx_abort(&v->rx);
    in_downcall = false;
    return err;
}

/* ---------------------------------------------------------------- transmit */

static void test_transmit_ok_gives_exactly_one_callback_with_buffer(void **state)
{
    (void)state;
    uint8_t text[] = "hello";
    assert_int_equal(transmit(&dev_a, text, 5), ERR_OK);
    assert_true(fake_uart_tx_busy(&hw));
    deferred_call_service();
    assert_int_equal(rec_a.tx_callbacks, 0);
    fake_uart_complete(&hw);
    assert_int_equal(rec_a.tx_callbacks, 1);
    assert_ptr_equal(rec_a.tx_buf, text);
    assert_int_equal(rec_a.tx_len, 5);
    assert_int_equal(rec_a.tx_status, ERR_OK);
    assert_string_equal(hw.output, "hello");
    deferred_call_service();
    assert_int_equal(rec_a.tx_callbacks, 1);
    assert_false(fake_uart_tx_busy(&hw));
}

static void test_transmit_busy_while_outstanding_and_one_callback(void **state)
{
    (void)state;
    assert_int_equal(transmit(&dev_a, &byte_a, 1), ERR_OK);
    assert_int_equal(transmit(&dev_a, &byte_a, 1), ERR_BUSY);
    fake_uart_complete(&hw);
    deferred_call_service();
    assert_int_equal(rec_a.tx_callbacks, 1);
    assert_int_equal(hw.transmit_calls, 1);
}

static void test_transmit_zero_length_fails_without_callback(void **state)
{
    (void)state;
    assert_int_equal(transmit(&dev_a, &byte_a, 0), ERR_SIZE);
    assert_int_equal(transmit(&dev_a, NULL, 1), ERR_SIZE);
    deferred_call_service();
    assert_int_equal(rec_a.tx_callbacks, 0);
    assert_int_equal(hw.transmit_calls, 0);
}

static void test_hardware_refusal_reported_from_deferred_call(void **state)
{
    (void)state;
    hw.next_transmit_result = ERR_OFF;
    assert_int_equal(transmit(&dev_a, &byte_a, 1), ERR_OK);
    assert_int_equal(rec_a.tx_callbacks, 0); /* never inside the downcall */
    deferred_call_service();
    assert_int_equal(rec_a.tx_callbacks, 1);
    assert_int_equal(rec_a.tx_status, ERR_OFF);
    assert_int_equal(rec_a.tx_len, 0);
    assert_ptr_equal(rec_a.tx_buf, &byte_a);
    /* The device is usable again. */
    assert_int_equal(transmit(&dev_a, &byte_a, 1), ERR_OK);
    fake_uart_complete(&hw);
    assert_int_equal(rec_a.tx_callbacks, 2);
    assert_int_equal(rec_a.tx_status, ERR_OK);
}

static void test_refusal_for_one_device_does_not_stall_the_others(void **state)
{
    (void)state;
    assert_int_equal(transmit(&dev_a, &byte_a, 1), ERR_OK);
    assert_int_equal(transmit(&dev_b, &byte_b, 1), ERR_OK);
    assert_int_equal(transmit(&dev_c, &byte_c, 1), ERR_OK);
    hw.next_transmit_result = ERR_FAIL; /* B's start will be refused */
    fake_uart_complete(&hw);            /* A done; B refused */
    assert_int_equal(rec_b.tx_callbacks, 0);
    deferred_call_service(); /* B told; C started */
    assert_int_equal(rec_b.tx_callbacks, 1);
    assert_int_equal(rec_b.tx_status, ERR_FAIL);
    fake_uart_complete(&hw);
    assert_string_equal(order, "ABC");
    assert_string_equal(hw.output, "AC");
}

static void test_round_robin_when_client_requeues_from_callback(void **state)
{
    (void)state;
    rec_a.requeue_tx = 1; /* A asks again from inside its callback */
    assert_int_equal(transmit(&dev_a, &line_a, 1), ERR_OK);
    assert_int_equal(transmit(&dev_b, &line_b, 1), ERR_OK);
    assert_int_equal(transmit(&dev_a, &line_a, 1), ERR_BUSY);
    fake_uart_complete(&hw);
    fake_uart_complete(&hw);
    fake_uart_complete(&hw);
    assert_string_equal(order, "ABA"); /* B was not starved by A's re-queue */
    assert_string_equal(hw.output, "\n\n\n");
    assert_false(fake_uart_tx_busy(&hw));
}

static void test_round_robin_three_devices_with_greedy_clients(void **state)
{
    (void)state;
    rec_a.requeue_tx = 2;
    rec_b.requeue_tx = 2;
    assert_int_equal(transmit(&dev_a, &line_a, 1), ERR_OK);
    assert_int_equal(transmit(&dev_b, &line_b, 1), ERR_OK);
    assert_int_equal(transmit(&dev_c, &line_c, 1), ERR_OK);
    while (fake_uart_tx_busy(&hw)) {
        fake_uart_complete(&hw);
    }
    assert_string_equal(order, "ABCABAB");
}

/* A line whose continuation is not queued from the transmitted() callback is given up: the
 * other devices go first, as round robin says. */
static void test_a_line_not_continued_from_the_callback_is_given_up(void **state)
{
    (void)state;
    static uint8_t piece[] = { 'a', 'b' };
    static uint8_t rest[] = { 'c', '\n' };
    rec_a.requeue_tx = 0;
    assert_int_equal(transmit(&dev_a, piece, 2), ERR_OK);
    assert_int_equal(transmit(&dev_b, &byte_b, 1), ERR_OK);
    fake_uart_complete(&hw); /* "ab" done; A's recorder queues nothing from its callback */
    assert_string_equal(hw.output, "ab");
    /* Nothing queued by A from its callback: the line is given up, B goes next. */
    assert_true(fake_uart_tx_busy(&hw));
    fake_uart_complete(&hw);
    assert_string_equal(hw.output, "abB");
    assert_int_equal(transmit(&dev_a, rest, 2), ERR_OK);
    fake_uart_complete(&hw);
    assert_string_equal(order, "ABA");
}

static void continue_line(struct hil_uart_tx_client *client, uint8_t *buf, size_t len,
                          err_t status);
static const struct hil_uart_tx_client_ops continue_ops = { .transmitted = continue_line };
static uint8_t line_rest[] = { 'c', 'd', '\n' };

static void continue_line(struct hil_uart_tx_client *client, uint8_t *buf, size_t len,
                          err_t status)
{
    (void)client;
    (void)len;
    (void)status;
    order[order_len++] = 'a';
    order[order_len] = '\0';
    if (buf != line_rest) {
        assert_int_equal(hil_uart_tx_transmit(&dev_a.tx, line_rest, sizeof line_rest), ERR_OK);
    }
}

/* A line sent in pieces, each next one queued from the callback, is not split by the others. */
static void test_a_continuation_from_the_callback_goes_before_others(void **state)
{
    (void)state;
    static uint8_t piece[] = { 'a', 'b' };
    struct hil_uart_tx_client continuing = { .ops = &continue_ops };
    hil_uart_tx_set_client(&dev_a.tx, &continuing);
    assert_int_equal(transmit(&dev_a, piece, 2), ERR_OK);
    assert_int_equal(transmit(&dev_b, &byte_b, 1), ERR_OK);
    assert_int_equal(transmit(&dev_c, &byte_c, 1), ERR_OK);
    while (fake_uart_tx_busy(&hw)) {
        fake_uart_complete(&hw);
    }
    assert_string_equal(hw.output, "abcd\nBC");
}

/* A client that never ends its line keeps the UART for at most MUX_UART_LINE_MAX bytes. */
static void test_an_endless_line_yields_after_the_limit(void **state)
{
    (void)state;
    rec_a.requeue_tx = MUX_UART_LINE_MAX + 10u;
    assert_int_equal(transmit(&dev_a, &byte_a, 1), ERR_OK);
    assert_int_equal(transmit(&dev_b, &byte_b, 1), ERR_OK);
    while (fake_uart_tx_busy(&hw)) {
        fake_uart_complete(&hw);
    }
    size_t b_at = (size_t)(strchr(order, 'B') - order);
    assert_int_equal(b_at, MUX_UART_LINE_MAX);
    assert_int_equal(strlen(order), MUX_UART_LINE_MAX + 12u);
}

static void test_abort_of_queued_transmission_reports_cancel_later(void **state)
{
    (void)state;
    assert_int_equal(transmit(&dev_a, &byte_a, 1), ERR_OK);
    assert_int_equal(transmit(&dev_b, &byte_b, 1), ERR_OK);
    assert_int_equal(transmit_abort(&dev_b), ERR_OK);
    assert_int_equal(rec_b.tx_callbacks, 0);
    deferred_call_service();
    assert_int_equal(rec_b.tx_callbacks, 1);
    assert_int_equal(rec_b.tx_status, ERR_CANCEL);
    assert_int_equal(rec_b.tx_len, 0);
    assert_ptr_equal(rec_b.tx_buf, &byte_b);
    fake_uart_complete(&hw);
    assert_int_equal(rec_a.tx_callbacks, 1);
    assert_false(fake_uart_tx_busy(&hw)); /* B never reached the hardware */
    assert_string_equal(hw.output, "A");
}

static void test_abort_of_inflight_transmission_stops_hardware(void **state)
{
    (void)state;
    uint8_t text[] = "abcdef";
    assert_int_equal(transmit(&dev_a, text, 6), ERR_OK);
    assert_int_equal(transmit_abort(&dev_a), ERR_OK);
    assert_true(hw.is_tx_abort_asked);
    fake_uart_complete_tx_with(&hw, 2, ERR_CANCEL);
    assert_int_equal(rec_a.tx_callbacks, 1);
    assert_int_equal(rec_a.tx_status, ERR_CANCEL);
    assert_int_equal(rec_a.tx_len, 2);
    assert_int_equal(transmit_abort(&dev_a), ERR_ALREADY);
    deferred_call_service();
    assert_int_equal(rec_a.tx_callbacks, 1);
}

static void test_abort_with_nothing_outstanding_is_already(void **state)
{
    (void)state;
    assert_int_equal(transmit_abort(&dev_a), ERR_ALREADY);
    assert_int_equal(receive_abort(&dev_a), ERR_ALREADY);
    deferred_call_service();
    assert_int_equal(rec_a.tx_callbacks + rec_a.rx_callbacks, 0);
}

/* ---------------------------------------------------------------- receive */

static void test_received_bytes_go_to_every_receiving_device(void **state)
{
    (void)state;
    assert_int_equal(receive(&rec_a, 3), ERR_OK);
    assert_int_equal(receive(&rec_b, 3), ERR_OK);
    assert_int_equal(rec_a.rx_callbacks + rec_b.rx_callbacks, 0);
    fake_uart_feed(&hw, "abc", 3);
    assert_int_equal(rec_a.rx_callbacks, 1);
    assert_int_equal(rec_b.rx_callbacks, 1);
    assert_string_equal(rec_a.received, "abc");
    assert_string_equal(rec_b.received, "abc");
    assert_int_equal(rec_a.rx_status, ERR_OK);
    assert_ptr_equal(rec_a.rx_buf, rec_a.rx_storage);
    assert_int_equal(rec_c.rx_callbacks, 0); /* C was not receiving */
    assert_false(fake_uart_rx_busy(&hw));
}

static void test_hardware_reads_the_shortest_outstanding_length(void **state)
{
    (void)state;
    assert_int_equal(receive(&rec_a, 2), ERR_OK);
    assert_int_equal(hw.rx_len, 2);
    assert_int_equal(receive(&rec_b, 4), ERR_OK); /* longer: no need to disturb the hardware */
    assert_int_equal(hw.rx_abort_calls, 0);
    fake_uart_feed(&hw, "wx", 2);
    assert_string_equal(rec_a.received, "wx");
    assert_int_equal(rec_b.rx_callbacks, 0);
    assert_int_equal(hw.rx_len, 2); /* restarted for B's remaining 2 */
    fake_uart_feed(&hw, "yz", 2);
    assert_string_equal(rec_b.received, "wxyz");
    assert_int_equal(rec_b.rx_len, 4);
    assert_int_equal(rec_a.rx_callbacks, 1);
}

static void test_longer_reception_than_mux_buffer_is_served_in_pieces(void **state)
{
    (void)state;
    uint8_t big[40];
    rec_a.rx_request = sizeof big;
    in_downcall = true;
    assert_int_equal(hil_uart_rx_receive(&dev_a.rx, big, sizeof big), ERR_OK);
    in_downcall = false;
    assert_int_equal(hw.rx_len, sizeof mux_rx_buf);
    char line[41];
    for (size_t i = 0; i < 40; i++) {
        line[i] = (char)('a' + i % 26);
    }
    line[40] = '\0';
    fake_uart_feed(&hw, line, 40);
    assert_int_equal(rec_a.rx_callbacks, 1);
    assert_int_equal(rec_a.rx_len, 40);
    assert_memory_equal(big, line, 40);
}

static void test_shorter_reception_joining_resizes_hardware(void **state)
{
    (void)state;
    assert_int_equal(receive(&rec_a, 4), ERR_OK);
    fake_uart_feed(&hw, "ab", 2);
    assert_int_equal(receive(&rec_b, 1), ERR_OK);
    assert_true(hw.is_rx_abort_asked);
    assert_int_equal(rec_b.rx_callbacks, 0);
    fake_uart_rx_finish(&hw, ERR_CANCEL); /* the hardware hands over "ab" */
    /* Tock semantics: bytes in the completed hardware read go to every receiving device. */
    assert_int_equal(rec_b.rx_callbacks, 1);
    assert_string_equal(rec_b.received, "a");
    assert_int_equal(rec_b.rx_status, ERR_OK);
    assert_int_equal(rec_a.rx_callbacks, 0); /* A is not cancelled by B's join */
    assert_int_equal(hw.rx_len, 2);
    fake_uart_feed(&hw, "cd", 2);
    assert_int_equal(rec_a.rx_callbacks, 1);
    assert_string_equal(rec_a.received, "abcd");
    assert_int_equal(rec_a.rx_status, ERR_OK);
}

static void test_abort_delivers_partial_bytes_with_cancel(void **state)
{
    (void)state;
    assert_int_equal(receive(&rec_a, 4), ERR_OK);
    fake_uart_feed(&hw, "ab", 2);
    assert_int_equal(receive_abort(&dev_a), ERR_OK);
    assert_int_equal(rec_a.rx_callbacks, 0);
    assert_int_equal(receive_abort(&dev_a), ERR_ALREADY);
    fake_uart_rx_finish(&hw, ERR_CANCEL);
    assert_int_equal(rec_a.rx_callbacks, 1);
    assert_int_equal(rec_a.rx_status, ERR_CANCEL);
    assert_int_equal(rec_a.rx_len, 2);
    assert_string_equal(rec_a.received, "ab");
    assert_false(fake_uart_rx_busy(&hw)); /* nobody else wants bytes */
    deferred_call_service();
    assert_int_equal(rec_a.rx_callbacks, 1);
}

static void test_abort_of_one_device_keeps_the_other_receiving(void **state)
{
    (void)state;
    assert_int_equal(receive(&rec_a, 4), ERR_OK);
    assert_int_equal(receive(&rec_b, 4), ERR_OK);
    fake_uart_feed(&hw, "ab", 2);
    assert_int_equal(receive_abort(&dev_a), ERR_OK);
    fake_uart_rx_finish(&hw, ERR_CANCEL);
    assert_int_equal(rec_a.rx_status, ERR_CANCEL);
    assert_string_equal(rec_a.received, "ab");
    assert_int_equal(rec_b.rx_callbacks, 0);
    assert_int_equal(hw.rx_len, 2);
    fake_uart_feed(&hw, "cd", 2);
    assert_int_equal(rec_b.rx_callbacks, 1);
    assert_string_equal(rec_b.received, "abcd");
    assert_int_equal(rec_a.rx_callbacks, 1);
}

static void test_receive_again_from_callback_gets_the_next_bytes(void **state)
{
    (void)state;
    rec_a.requeue_rx = 2;
    assert_int_equal(receive(&rec_a, 1), ERR_OK);
    fake_uart_feed(&hw, "xyz!", 4);
    assert_int_equal(rec_a.rx_callbacks, 3);
    assert_string_equal(rec_a.received, "xyz");
    assert_int_equal(hw.dropped_rx, 1); /* '!' arrived with nothing outstanding */
}

static void test_receive_refused_by_idle_hardware_fails_synchronously(void **state)
{
    (void)state;
    hw.next_receive_result = ERR_OFF;
    assert_int_equal(receive(&rec_a, 2), ERR_OFF);
    deferred_call_service();
    assert_int_equal(rec_a.rx_callbacks, 0);
    assert_int_equal(receive(&rec_a, 2), ERR_OK); /* nothing left outstanding */
}

static void test_receive_busy_and_size_errors(void **state)
{
    (void)state;
    assert_int_equal(receive(&rec_a, 0), ERR_SIZE);
    assert_int_equal(receive(&rec_a, 2), ERR_OK);
    assert_int_equal(receive(&rec_a, 2), ERR_BUSY);
    fake_uart_feed(&hw, "ok", 2);
    assert_int_equal(rec_a.rx_callbacks, 1);
}

static void test_restart_refusal_is_reported_from_deferred_call(void **state)
{
    (void)state;
    assert_int_equal(receive(&rec_a, 2), ERR_OK);
    assert_int_equal(receive(&rec_b, 4), ERR_OK);
    hw.next_receive_result = ERR_FAIL; /* the restart for B will be refused */
    fake_uart_feed(&hw, "ab", 2);
    assert_int_equal(rec_a.rx_callbacks, 1);
    assert_int_equal(rec_b.rx_callbacks, 0);
    deferred_call_service();
    assert_int_equal(rec_b.rx_callbacks, 1);
    assert_int_equal(rec_b.rx_status, ERR_FAIL);
    assert_string_equal(rec_b.received, "ab");
}

static void test_line_error_fails_every_reception(void **state)
{
    (void)state;
    assert_int_equal(receive(&rec_a, 4), ERR_OK);
    assert_int_equal(receive(&rec_b, 4), ERR_OK);
    fake_uart_feed(&hw, "a", 1);
    fake_uart_rx_finish(&hw, ERR_FAIL);
    assert_int_equal(rec_a.rx_status, ERR_FAIL);
    assert_int_equal(rec_b.rx_status, ERR_FAIL);
    assert_int_equal(rec_a.rx_len, 1);
    assert_false(fake_uart_rx_busy(&hw));
}

static void test_transmit_and_receive_are_independent(void **state)
{
    (void)state;
    assert_int_equal(transmit(&dev_a, &byte_a, 1), ERR_OK);
    assert_int_equal(receive(&rec_a, 1), ERR_OK);
    fake_uart_feed(&hw, "z", 1);
    assert_int_equal(rec_a.rx_callbacks, 1);
    assert_int_equal(rec_a.tx_callbacks, 0);
    fake_uart_complete(&hw);
    assert_int_equal(rec_a.tx_callbacks, 1);
}

/* ---------------------------------------------------------------- init */

static void unused_deferred(void *ctx)
{
    (void)ctx;
}

static void test_init_errors(void **state)
{
    (void)state;
    struct mux_uart other;
    assert_int_equal(mux_uart_init(&other, &hw.tx, &hw.rx, NULL, 4), ERR_SIZE);
    assert_int_equal(mux_uart_init(&other, &hw.tx, &hw.rx, mux_rx_buf, 0), ERR_SIZE);
    static struct deferred_call fillers[DEFERRED_CALL_SLOTS];
    size_t filled = 0;
    while (filled < DEFERRED_CALL_SLOTS &&
           deferred_call_register(&fillers[filled], unused_deferred, NULL) == ERR_OK) {
        filled++;
    }
    assert_int_equal(mux_uart_init(&other, &hw.tx, &hw.rx, mux_rx_buf, 4), ERR_NOMEM);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup(test_transmit_ok_gives_exactly_one_callback_with_buffer, setup),
        cmocka_unit_test_setup(test_transmit_busy_while_outstanding_and_one_callback, setup),
        cmocka_unit_test_setup(test_transmit_zero_length_fails_without_callback, setup),
        cmocka_unit_test_setup(test_hardware_refusal_reported_from_deferred_call, setup),
        cmocka_unit_test_setup(test_refusal_for_one_device_does_not_stall_the_others, setup),
        cmocka_unit_test_setup(test_round_robin_when_client_requeues_from_callback, setup),
        cmocka_unit_test_setup(test_round_robin_three_devices_with_greedy_clients, setup),
        cmocka_unit_test_setup(test_a_line_not_continued_from_the_callback_is_given_up, setup),
        cmocka_unit_test_setup(test_a_continuation_from_the_callback_goes_before_others, setup),
        cmocka_unit_test_setup(test_an_endless_line_yields_after_the_limit, setup),
        cmocka_unit_test_setup(test_abort_of_queued_transmission_reports_cancel_later, setup),
        cmocka_unit_test_setup(test_abort_of_inflight_transmission_stops_hardware, setup),
        cmocka_unit_test_setup(test_abort_with_nothing_outstanding_is_already, setup),
        cmocka_unit_test_setup(test_received_bytes_go_to_every_receiving_device, setup),
        cmocka_unit_test_setup(test_hardware_reads_the_shortest_outstanding_length, setup),
        cmocka_unit_test_setup(test_longer_reception_than_mux_buffer_is_served_in_pieces, setup),
        cmocka_unit_test_setup(test_shorter_reception_joining_resizes_hardware, setup),
        cmocka_unit_test_setup(test_abort_delivers_partial_bytes_with_cancel, setup),
        cmocka_unit_test_setup(test_abort_of_one_device_keeps_the_other_receiving, setup),
        cmocka_unit_test_setup(test_receive_again_from_callback_gets_the_next_bytes, setup),
        cmocka_unit_test_setup(test_receive_refused_by_idle_hardware_fails_synchronously, setup),
        cmocka_unit_test_setup(test_receive_busy_and_size_errors, setup),
        cmocka_unit_test_setup(test_restart_refusal_is_reported_from_deferred_call, setup),
        cmocka_unit_test_setup(test_line_error_fails_every_reception, setup),
        cmocka_unit_test_setup(test_transmit_and_receive_are_independent, setup),
        cmocka_unit_test_setup(test_init_errors, setup),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
