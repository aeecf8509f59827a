/* SPDX-License-Identifier: Apache-2.0 OR MIT */
/*
 * Host tests of the UART request bookkeeping the chip drivers share (chips/common).
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include "chips_common/uart_requests.h"
#include "kernel/deferred_call.h"

struct recorder {
    struct hil_uart_tx_client tx_client;
    struct hil_uart_rx_client rx_client;
    int tx_calls;
    int rx_calls;
    size_t len;
    err_t status;
    uint8_t *buf;
};

static struct recorder rec;
static struct hil_uart_tx tx;
static struct hil_uart_rx rx;
static struct uart_tx_request tx_req;
static struct uart_rx_request rx_req;

static void transmitted(struct hil_uart_tx_client *c, uint8_t *buf, size_t len, err_t status)
{
    (void)c;
    rec.tx_calls++;
    rec.buf = buf;
    rec.len = len;
    rec.status = status;
}

static void received(struct hil_uart_rx_client *c, uint8_t *buf, size_t len, err_t status)
{
    (void)c;
    rec.rx_calls++;
    rec.buf = buf;
    rec.len = len;
    rec.status = status;
}

static const struct hil_uart_tx_client_ops tx_client_ops = { .transmitted = transmitted };
static const struct hil_uart_rx_client_ops rx_client_ops = { .received = received };

static int setup(void **state)
{
    (void)state;
    deferred_call_reset_for_test();
    rec = (struct recorder){ .tx_client = { &tx_client_ops }, .rx_client = { &rx_client_ops } };
    tx = (struct hil_uart_tx){ .ops = NULL, .client = &rec.tx_client };
    rx = (struct hil_uart_rx){ .ops = NULL, .client = &rec.rx_client };
    uart_tx_request_init(&tx_req, &tx);
    assert_int_equal(uart_rx_request_init(&rx_req, &rx), ERR_OK);
    return 0;
}

static void test_transmit_hands_out_bytes_then_returns_the_buffer_once(void **state)
{
    (void)state;
    uint8_t data[3] = { 'a', 'b', 'c' };
    assert_int_equal(uart_tx_request_start(&tx_req, data, 3), ERR_OK);
    assert_int_equal(uart_tx_request_start(&tx_req, data, 3), ERR_BUSY);
    uint8_t out[3];
    for (int i = 0; i < 3; i++) {
        assert_true(uart_tx_request_has_next(&tx_req));
        out[i] = uart_tx_request_next(&tx_req);
    }
    assert_false(uart_tx_request_has_next(&tx_req));
    assert_memory_equal(out, data, 3);
    assert_int_equal(rec.tx_calls, 0); /* nothing inside the calls */
    uart_tx_request_finish(&tx_req);
    assert_int_equal(rec.tx_calls, 1);
    assert_ptr_equal(rec.buf, data);
    assert_int_equal(rec.len, 3);
    assert_false(uart_tx_request_is_active(&tx_req));
}

static void test_transmit_of_nothing_is_size_and_abort_when_idle_is_already(void **state)
{
    (void)state;
    uint8_t data[1];
    assert_int_equal(uart_tx_request_start(&tx_req, data, 0), ERR_SIZE);
    assert_int_equal(uart_tx_request_abort(&tx_req), ERR_ALREADY);
}

static void test_transmit_abort_completes_with_the_bytes_sent(void **state)
{
    (void)state;
    uint8_t data[4] = { 1, 2, 3, 4 };
    assert_int_equal(uart_tx_request_start(&tx_req, data, 4), ERR_OK);
    (void)uart_tx_request_next(&tx_req);
    assert_int_equal(uart_tx_request_abort(&tx_req), ERR_OK);
    assert_false(uart_tx_request_has_next(&tx_req));
    uart_tx_request_finish(&tx_req);
    assert_int_equal(rec.len, 1);
}

static void test_receive_completes_when_full_and_drops_unrequested_bytes(void **state)
{
    (void)state;
    uart_rx_request_byte(&rx_req, 'x'); /* nobody reading: dropped */
    uint8_t buf[2];
    assert_int_equal(uart_rx_request_start(&rx_req, buf, 2), ERR_OK);
    assert_int_equal(uart_rx_request_start(&rx_req, buf, 2), ERR_BUSY);
    uart_rx_request_byte(&rx_req, 'h');
    assert_int_equal(rec.rx_calls, 0);
    uart_rx_request_byte(&rx_req, 'i');
    assert_int_equal(rec.rx_calls, 1);
    assert_int_equal(rec.status, ERR_OK);
    assert_memory_equal(buf, "hi", 2);
}

static void test_receive_abort_completes_later_with_cancel(void **state)
{
    (void)state;
    uint8_t buf[8];
    assert_int_equal(uart_rx_request_start(&rx_req, buf, 8), ERR_OK);
    uart_rx_request_byte(&rx_req, 'q');
    assert_int_equal(uart_rx_request_abort(&rx_req), ERR_OK);
    assert_int_equal(rec.rx_calls, 0); /* never inside abort */
    deferred_call_service();
    assert_int_equal(rec.rx_calls, 1);
    assert_int_equal(rec.status, ERR_CANCEL);
    assert_int_equal(rec.len, 1);
    assert_int_equal(uart_rx_request_abort(&rx_req), ERR_ALREADY);
    deferred_call_service();
    assert_int_equal(rec.rx_calls, 1);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup(test_transmit_hands_out_bytes_then_returns_the_buffer_once, setup),
        cmocka_unit_test_setup(test_transmit_of_nothing_is_size_and_abort_when_idle_is_already,
                               setup),
        cmocka_unit_test_setup(test_transmit_abort_completes_with_the_bytes_sent, setup),
        cmocka_unit_test_setup(test_receive_completes_when_full_and_drops_unrequested_bytes,
                               setup),
        cmocka_unit_test_setup(test_receive_abort_completes_later_with_cancel, setup),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
