/* SPDX-License-Identifier: Apache-2.0 OR MIT */
/*
 * Fake UART (see fake_uart.h): a test-driven implementation of the UART HILs.
 *
 * Usage: see fake_uart.h.
 *
 * Invariants: callbacks are delivered only from the fake_uart_* driver functions, one at a
 * time (callback_depth), after the fake's own state has been updated.
 */
#include "fake_uart.h"

#include <setjmp.h>
#include <stdarg.h>
#include <string.h>

#include <cmocka.h>

#include "container.h"

static err_t fake_transmit(struct hil_uart_tx *tx, uint8_t *buf, size_t len)
{
    struct fake_uart *uart = CONTAINER_OF(tx, struct fake_uart, tx);
    uart->transmit_calls++;
    err_t result = uart->next_transmit_result;
    uart->next_transmit_result = ERR_OK;
    if (result != ERR_OK) {
        return result;
    }
    if (uart->tx_buf != NULL) {
        return ERR_BUSY;
    }
    if (buf == NULL || len == 0) {
        return ERR_SIZE;
    }
    uart->tx_buf = buf;
    uart->tx_len = len;
    uart->is_tx_abort_asked = false;
    return ERR_OK;
}

static err_t fake_transmit_abort(struct hil_uart_tx *tx)
{
    struct fake_uart *uart = CONTAINER_OF(tx, struct fake_uart, tx);
    uart->tx_abort_calls++;
    if (uart->tx_buf == NULL) {
        return ERR_ALREADY;
    }
    uart->is_tx_abort_asked = true;
    return ERR_OK;
}

static err_t fake_receive(struct hil_uart_rx *rx, uint8_t *buf, size_t len)
{
    struct fake_uart *uart = CONTAINER_OF(rx, struct fake_uart, rx);
    uart->receive_calls++;
    err_t result = uart->next_receive_result;
    uart->next_receive_result = ERR_OK;
    if (result != ERR_OK) {
        return result;
    }
    if (uart->rx_buf != NULL) {
        return ERR_BUSY;
    }
    if (buf == NULL || len == 0) {
        return ERR_SIZE;
    }
    uart->rx_buf = buf;
    uart->rx_len = len;
    uart->rx_position = 0;
    uart->is_rx_abort_asked = false;
    return ERR_OK;
}

static err_t fake_receive_abort(struct hil_uart_rx *rx)
{
    struct fake_uart *uart = CONTAINER_OF(rx, struct fake_uart, rx);
    uart->rx_abort_calls++;
    if (uart->rx_buf == NULL) {
        return ERR_ALREADY;
    }
    uart->is_rx_abort_asked = true;
    return ERR_OK;
}

static const struct hil_uart_tx_ops fake_uart_tx_ops = {
    .transmit = fake_transmit,
    .abort = fake_transmit_abort,
};
static const struct hil_uart_rx_ops fake_uart_rx_ops = {
    .receive = fake_receive,
    .abort = fake_receive_abort,
};

void fake_uart_init(struct fake_uart *uart)
{
    *uart = (struct fake_uart){
        .tx = { .ops = &fake_uart_tx_ops, .client = NULL },
        .rx = { .ops = &fake_uart_rx_ops, .client = NULL },
        .next_transmit_result = ERR_OK,
        .next_receive_result = ERR_OK,
    };
}

bool fake_uart_tx_busy(const struct fake_uart *uart)
{
    return uart->tx_buf != NULL;
}

bool fake_uart_rx_busy(const struct fake_uart *uart)
{
    return uart->rx_buf != NULL;
}

static void enter_callback(struct fake_uart *uart)
{
    if (uart->callback_depth != 0) {
        fail_msg("fake_uart: completion delivered while a callback is running (re-entrant)");
    }
    uart->callback_depth++;
}

void fake_uart_complete_tx_with(struct fake_uart *uart, size_t len, err_t status)
{
    if (uart->tx_buf == NULL) {
        fail_msg("fake_uart: no transmission to complete");
    }
    if (len > uart->tx_len) {
        fail_msg("fake_uart: completing more bytes than lent");
    }
    uint8_t *buf = uart->tx_buf;
    size_t room = FAKE_UART_OUTPUT_MAX - uart->output_len;
    size_t copy = len < room ? len : room;
    memcpy(uart->output + uart->output_len, buf, copy);
    uart->output_len += copy;
    uart->output[uart->output_len] = '\0';
    uart->tx_buf = NULL;
    uart->tx_len = 0;
    uart->is_tx_abort_asked = false;
    enter_callback(uart);
    hil_uart_tx_done(&uart->tx, buf, len, status);
    uart->callback_depth--;
}

void fake_uart_complete(struct fake_uart *uart)
{
    fake_uart_complete_tx_with(uart, uart->tx_len, ERR_OK);
}

void fake_uart_rx_finish(struct fake_uart *uart, err_t status)
{
    if (uart->rx_buf == NULL) {
        fail_msg("fake_uart: no reception to finish");
    }
    uint8_t *buf = uart->rx_buf;
    size_t len = uart->rx_position;
    uart->rx_buf = NULL;
    uart->rx_len = 0;
    uart->rx_position = 0;
    uart->is_rx_abort_asked = false;
    enter_callback(uart);
    hil_uart_rx_done(&uart->rx, buf, len, status);
    uart->callback_depth--;
}

void fake_uart_feed(struct fake_uart *uart, const char *bytes, size_t len)
{
    for (size_t i = 0; i < len; i++) {
        if (uart->rx_buf == NULL) {
            uart->dropped_rx++;
            continue;
        }
        uart->rx_buf[uart->rx_position++] = (uint8_t)bytes[i];
        if (uart->rx_position == uart->rx_len) {
            fake_uart_rx_finish(uart, ERR_OK);
        }
    }
}
