/* SPDX-License-Identifier: Apache-2.0 OR MIT */
/*
 * UART HIL: split-phase transmit and receive, as separate interfaces (TRD3 least privilege).
 *
 * Usage: a chip UART embeds `struct hil_uart_tx tx; struct hil_uart_rx rx;`; the board hands
 * `&uart.tx` to the UART mux, which is its only client.
 *
 * Invariants (the split-phase contract): ERR_OK means exactly one callback later and never inside
 * the call; ERR_BUSY means an earlier callback is still due; any other error means no callback.
 * A lent buffer belongs to the callee until the callback returns it.
 */
#pragma once

#include <stddef.h>
#include <stdint.h>

#include "errorcode.h"

struct hil_uart_tx;
struct hil_uart_tx_client;
struct hil_uart_rx;
struct hil_uart_rx_client;

struct hil_uart_tx_ops {
    err_t (*transmit)(struct hil_uart_tx *tx, uint8_t *buf, size_t len);
    err_t (*abort)(struct hil_uart_tx *tx);
};
struct hil_uart_tx {
    const struct hil_uart_tx_ops *ops; /* set by the implementation's _init */
    struct hil_uart_tx_client *client; /* set once by the board or the mux */
};
struct hil_uart_tx_client_ops {
    void (*transmitted)(struct hil_uart_tx_client *client, uint8_t *buf, size_t len, err_t status);
};
struct hil_uart_tx_client {
    const struct hil_uart_tx_client_ops *ops;
};

struct hil_uart_rx_ops {
    err_t (*receive)(struct hil_uart_rx *rx, uint8_t *buf, size_t len);
    err_t (*abort)(struct hil_uart_rx *rx);
};
struct hil_uart_rx {
    const struct hil_uart_rx_ops *ops;
    struct hil_uart_rx_client *client;
};
struct hil_uart_rx_client_ops {
    void (*received)(struct hil_uart_rx_client *client, uint8_t *buf, size_t len, err_t status);
};
struct hil_uart_rx_client {
    const struct hil_uart_rx_client_ops *ops;
};

/**
 * Send `len` bytes of `buf`. Returns ERR_OK (transmitted() follows once), ERR_BUSY (a
 * transmission is outstanding), ERR_SIZE (len is 0). No callback follows an error.
 */
MUST_CHECK static inline err_t hil_uart_tx_transmit(struct hil_uart_tx *tx, uint8_t *buf,
                                                    size_t len)
{
    return tx->ops->transmit(tx, buf, len);
}
/* Stop an outstanding transmission early: ERR_OK (transmitted() follows with ERR_CANCEL and the
 * bytes actually sent) or ERR_ALREADY (nothing outstanding; no callback). */
MUST_CHECK static inline err_t hil_uart_tx_abort(struct hil_uart_tx *tx)
{
    return tx->ops->abort(tx);
}
static inline void hil_uart_tx_set_client(struct hil_uart_tx *tx, struct hil_uart_tx_client *c)
{
    tx->client = c;
}
/* For implementations: deliver a completion to the client, if one is set. */
static inline void hil_uart_tx_done(struct hil_uart_tx *tx, uint8_t *buf, size_t len, err_t status)
{
    if (tx->client != NULL) {
        tx->client->ops->transmitted(tx->client, buf, len, status);
    }
}

/**
 * Receive exactly `len` bytes into `buf`. Returns ERR_OK (received() follows once, with the
 * bytes received and ERR_OK, or fewer and ERR_CANCEL after an abort), ERR_BUSY, ERR_SIZE.
 */
MUST_CHECK static inline err_t hil_uart_rx_receive(struct hil_uart_rx *rx, uint8_t *buf,
                                                   size_t len)
{
    return rx->ops->receive(rx, buf, len);
}
/* ERR_OK (received() follows with ERR_CANCEL) or ERR_ALREADY (nothing outstanding). */
MUST_CHECK static inline err_t hil_uart_rx_abort(struct hil_uart_rx *rx)
{
    return rx->ops->abort(rx);
}
static inline void hil_uart_rx_set_client(struct hil_uart_rx *rx, struct hil_uart_rx_client *c)
{
    rx->client = c;
}
static inline void hil_uart_rx_done(struct hil_uart_rx *rx, uint8_t *buf, size_t len, err_t status)
{
    if (rx->client != NULL) {
        rx->client->ops->received(rx->client, buf, len, status);
    }
}
