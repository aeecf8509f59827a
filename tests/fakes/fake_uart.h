/* SPDX-License-Identifier: Apache-2.0 OR MIT */
/*
 * Fake UART for host tests: the test drives every completion.
 *
 * transmit()/receive() return whatever the test put in next_transmit_result /
 * next_receive_result (ERR_OK by default) and, on ERR_OK, take the buffer. Nothing completes
 * until the test calls fake_uart_complete*() or fake_uart_feed(); a completion is never
 * delivered inside a transmit/receive/abort call, and a completion started while another one's
 * callback is still running fails the test (no re-entrant callbacks). Abort calls only record
 * the request; the test delivers its completion (fake_uart_complete_tx_with, fake_uart_rx_finish).
 *
 * Usage:
 *     static struct fake_uart hw;
 *     fake_uart_init(&hw);
 *     ... code under test transmits on &hw.tx ...
 *     fake_uart_complete(&hw);              // transmitted(buf, len, ERR_OK)
 *     assert_string_equal(hw.output, "...");
 *
 * Invariants: tx_buf != NULL iff a transmission is outstanding; the same for rx_buf.
 */
#pragma once

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "errorcode.h"
#include "hil/uart.h"

#define FAKE_UART_OUTPUT_MAX 4096u

struct fake_uart {
    struct hil_uart_tx tx;
    struct hil_uart_rx rx;
    err_t next_transmit_result; /* returned by the next transmit() (then reset to ERR_OK) */
    err_t next_receive_result;  /* returned by the next receive() (then reset to ERR_OK) */
    uint8_t *tx_buf;            /* outstanding transmission */
    size_t tx_len;
    uint8_t *rx_buf; /* outstanding reception */
    size_t rx_len;
    size_t rx_position;
    unsigned transmit_calls; /* accepted or not */
    unsigned receive_calls;
    unsigned tx_abort_calls;
    unsigned rx_abort_calls;
    bool is_tx_abort_asked;
    bool is_rx_abort_asked;
    unsigned callback_depth; /* > 0 while a client's callback runs */
    size_t dropped_rx;       /* bytes fed while no reception was outstanding */
    char output[FAKE_UART_OUTPUT_MAX + 1]; /* every byte completed so far, NUL-terminated */
    size_t output_len;
};

void fake_uart_init(struct fake_uart *uart);
bool fake_uart_tx_busy(const struct fake_uart *uart);
bool fake_uart_rx_busy(const struct fake_uart *uart);
/* Complete the outstanding transmission: all bytes, ERR_OK. Fails the test if none. */
void fake_uart_complete(struct fake_uart *uart);
/* Complete it with only the first `len` bytes sent and `status`. */
void fake_uart_complete_tx_with(struct fake_uart *uart, size_t len, err_t status);
/* Deliver bytes as if they arrived on the line: each goes into the outstanding reception, which
 * completes with ERR_OK when full (the client may start another, which gets the next bytes);
 * bytes arriving with no reception outstanding are dropped and counted. */
void fake_uart_feed(struct fake_uart *uart, const char *bytes, size_t len);
/* Complete the outstanding reception now with the bytes so far and `status` (ERR_CANCEL after
 * an abort, ERR_FAIL for a line error). Fails the test if none. */
void fake_uart_rx_finish(struct fake_uart *uart, err_t status);
