/* SPDX-License-Identifier: Apache-2.0 OR MIT */
/*
 * UART request bookkeeping shared by the chip UART drivers (see uart_requests.h).
 */
#include "chips_common/uart_requests.h"

void uart_tx_request_init(struct uart_tx_request *t, struct hil_uart_tx *tx)
{
    *t = (struct uart_tx_request){ .tx = tx };
}

err_t uart_tx_request_start(struct uart_tx_request *t, uint8_t *buf, size_t len)
{
    if (t->buf != NULL) {
        return ERR_BUSY;
    }
    if (len == 0) {
        return ERR_SIZE;
    }
    t->buf = buf;
    t->len = len;
    t->sent = 0;
    return ERR_OK;
}

err_t uart_tx_request_abort(struct uart_tx_request *t)
{
    if (t->buf == NULL) {
        return ERR_ALREADY;
    }
    t->len = t->sent; /* the next transmit-done interrupt completes it */
    return ERR_OK;
}

bool uart_tx_request_is_active(const struct uart_tx_request *t)
{
    return t->buf != NULL;
}

bool uart_rx_request_is_active(const struct uart_rx_request *r)
{
    return r->buf != NULL;
}

bool uart_tx_request_has_next(const struct uart_tx_request *t)
{
    return t->buf != NULL && t->sent < t->len;
}

uint8_t uart_tx_request_next(struct uart_tx_request *t)
{
    return t->buf[t->sent++];
}

void uart_tx_request_finish(struct uart_tx_request *t)
{
    uint8_t *buf = t->buf;
    size_t len = t->sent;
    t->buf = NULL;
    hil_uart_tx_done(t->tx, buf, len, ERR_OK);
}

static void finish_rx(struct uart_rx_request *r, err_t status)
{
    uint8_t *buf = r->buf;
    size_t len = r->received;
    r->buf = NULL;
    r->is_aborting = false;
    hil_uart_rx_done(r->rx, buf, len, status);
}

static void report_abort(void *ctx)
{
    struct uart_rx_request *r = ctx;
    if (r->buf != NULL && r->is_aborting) {
        finish_rx(r, ERR_CANCEL);
    }
}

err_t uart_rx_request_init(struct uart_rx_request *r, struct hil_uart_rx *rx)
{
    *r = (struct uart_rx_request){ .rx = rx };
    return deferred_call_register(&r->abort_done, report_abort, r);
}

err_t uart_rx_request_start(struct uart_rx_request *r, uint8_t *buf, size_t len)
{
    if (r->buf != NULL) {
        return ERR_BUSY;
    }
    if (len == 0) {
        return ERR_SIZE;
    }
    r->buf = buf;
    r->len = len;
    r->received = 0;
    r->is_aborting = false;
    return ERR_OK;
}

err_t uart_rx_request_abort(struct uart_rx_request *r)
{
    if (r->buf == NULL) {
        return ERR_ALREADY;
    }
    r->is_aborting = true;
    deferred_call_set(&r->abort_done);
    return ERR_OK;
}

void uart_rx_request_byte(struct uart_rx_request *r, uint8_t byte)
{
    if (r->buf == NULL) {
        return;
    }
    r->buf[r->received++] = byte;
    if (r->received >= r->len) {
        finish_rx(r, ERR_OK);
    }
}
