/* SPDX-License-Identifier: Apache-2.0 OR MIT */
/*
 * The bookkeeping every interrupt-driven UART driver needs around the UART HIL: the buffer lent
 * by a transmit or receive, how far it got, and completing it exactly once, never inside the
 * call that started or aborted it. A chip driver embeds one of each and only moves bytes.
 *
 * Usage: transmit() { return uart_tx_request_start(&u->tx_req, buf, len); } then, from the
 *        interrupt service, `while (uart_tx_request_has_next(..) && room) write(next(..))` and
 *        uart_tx_request_finish() once the hardware has sent everything.
 *
 * Invariants: buf is non-NULL exactly while a request is outstanding; the HIL's client gets
 * the buffer back exactly once.
 */
#pragma once

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "hil/uart.h"
#include "kernel/deferred_call.h"

struct uart_tx_request {
    struct hil_uart_tx *tx;
    uint8_t *buf;
    size_t len;
    size_t sent;
};

struct uart_rx_request {
    struct hil_uart_rx *rx;
    uint8_t *buf;
    size_t len;
    size_t received;
    bool is_aborting;
    struct deferred_call abort_done;
};

void uart_tx_request_init(struct uart_tx_request *t, struct hil_uart_tx *tx);
/* ERR_OK, ERR_BUSY (one is outstanding) or ERR_SIZE (len 0). */
MUST_CHECK err_t uart_tx_request_start(struct uart_tx_request *t, uint8_t *buf, size_t len);
/* ERR_OK (completes with the bytes already sent) or ERR_ALREADY (nothing outstanding). */
MUST_CHECK err_t uart_tx_request_abort(struct uart_tx_request *t);
bool uart_tx_request_is_active(const struct uart_tx_request *t);
bool uart_tx_request_has_next(const struct uart_tx_request *t);
uint8_t uart_tx_request_next(struct uart_tx_request *t);
/* Hand the buffer back with what was sent. Only when active and !has_next. */
void uart_tx_request_finish(struct uart_tx_request *t);

/* Returns ERR_NOMEM when no deferred-call slot is left. */
MUST_CHECK err_t uart_rx_request_init(struct uart_rx_request *r, struct hil_uart_rx *rx);
MUST_CHECK err_t uart_rx_request_start(struct uart_rx_request *r, uint8_t *buf, size_t len);
/* ERR_OK (received() follows from a deferred call, with ERR_CANCEL) or ERR_ALREADY. */
MUST_CHECK err_t uart_rx_request_abort(struct uart_rx_request *r);
/* A receive is outstanding (started, not yet handed back): the hardware's bytes have a place. */
bool uart_rx_request_is_active(const struct uart_rx_request *r);
/* A byte from the hardware: stored if a receive is outstanding (else dropped); the receive
 * completes when full. */
void uart_rx_request_byte(struct uart_rx_request *r, uint8_t byte);
