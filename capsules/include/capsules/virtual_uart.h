/* SPDX-License-Identifier: Apache-2.0 OR MIT */
/*
 * UART virtualizer: many clients (console, debug output, ...) share one UART.
 *
 * struct mux_uart is the hardware UART's only transmit and receive client. Each struct
 * virtual_uart offers the hardware's own HILs (hil_uart_tx, hil_uart_rx) to one client and may
 * have one transmission and one reception outstanding. Transmissions are serialized, served
 * round-robin starting after the device served last. A received byte goes to every device that
 * has a reception outstanding when it arrives (Tock's MuxUart semantics).
 *
 * Usage (board):
 *     static struct mux_uart uart_mux;
 *     static struct virtual_uart console_uart, debug_uart;
 *     static uint8_t uart_mux_rx_buf[MUX_UART_RX_BUF_LEN];
 *     boot_check(mux_uart_init(&uart_mux, &uart0.tx, &uart0.rx, uart_mux_rx_buf,
 *                              sizeof uart_mux_rx_buf), "uart mux");
 *     virtual_uart_init(&console_uart, &uart_mux);
 *     virtual_uart_init(&debug_uart, &uart_mux);
 *     ... console_init(&console, &console_uart.tx, &console_uart.rx, ...)
 *
 * Invariants: see virtual_uart.c.
 */
#pragma once

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "errorcode.h"
#include "hil/uart.h"
#include "kernel/deferred_call.h"
#include "list.h"

/* Default size of the mux's hardware receive buffer (Tock's RX_BUF_LEN). */
#define MUX_UART_RX_BUF_LEN 64u
/* A device that ends a transmission inside a line (no '\n' last) and queues the next piece
 * from its transmitted() callback is served again at once, before the others, until the line
 * ends or has reached this many bytes: so a line of up to MUX_UART_LINE_MAX bytes that a client
 * sends in pieces (the console capsule's 64-byte chunks) is never split by another device's
 * output, and no device waits for more than one such line. */
#define MUX_UART_LINE_MAX 256u

enum virtual_uart_tx_state {
    VIRTUAL_UART_TX_IDLE,
    VIRTUAL_UART_TX_QUEUED,   /* waiting for the hardware */
    VIRTUAL_UART_TX_INFLIGHT, /* the hardware owns tx_buf */
    VIRTUAL_UART_TX_REPORT,   /* failed or cancelled; the deferred call reports tx_status */
};

enum virtual_uart_rx_state {
    VIRTUAL_UART_RX_IDLE,
    VIRTUAL_UART_RX_RECEIVING, /* filling rx_buf from what the mux receives */
    VIRTUAL_UART_RX_ABORTING,  /* abort asked; the next mux completion reports ERR_CANCEL */
    VIRTUAL_UART_RX_REPORT,    /* the deferred call reports rx_status */
};

struct mux_uart;

struct virtual_uart {
    struct hil_uart_tx tx; /* clients see the same HILs as the hardware's */
    struct hil_uart_rx rx;
    struct list_node node; /* in mux->devices, in virtual_uart_init order */
    struct mux_uart *mux;
    enum virtual_uart_tx_state tx_state;
    uint8_t *tx_buf; /* owned here while tx_state != IDLE */
    size_t tx_len;
    err_t tx_status; /* valid in VIRTUAL_UART_TX_REPORT */
    enum virtual_uart_rx_state rx_state;
    uint8_t *rx_buf; /* owned here while rx_state != IDLE */
    size_t rx_len;
    size_t rx_position; /* bytes already stored in rx_buf */
    bool rx_in_batch;   /* took part in the hardware completion being delivered */
    err_t rx_status;    /* valid in VIRTUAL_UART_RX_REPORT */
};

struct mux_uart {
    struct hil_uart_tx_client hw_tx_client; /* the mux is the hardware's only client */
    struct hil_uart_rx_client hw_rx_client;
    struct hil_uart_tx *hw_tx;
    struct hil_uart_rx *hw_rx;
    struct list devices; /* in init order; its cursor is the round-robin cursor */
    struct virtual_uart *inflight;    /* non-NULL iff the hardware owns inflight->tx_buf */
    /* The device whose last transmission ended inside a line, and how many bytes of that line
     * it has sent: it keeps the line while it continues it (MUX_UART_LINE_MAX, below). */
    struct virtual_uart *open_line;
    size_t open_line_len;
    uint8_t *rx_buf;                  /* NULL while lent to the hardware */
    size_t rx_buf_len;
    size_t rx_hw_len;        /* length of the hardware reception in progress */
    bool is_completing_rx;   /* inside the hardware's received() callback */
    bool is_rx_abort_asked;  /* hil_uart_rx_abort() was accepted; its callback is due */
    struct deferred_call report;
};

/**
 * Boot only: make `mux` the only client of `hw_tx` and `hw_rx` and register its deferred call.
 * `rx_buf` (the board's static, typically MUX_UART_RX_BUF_LEN bytes) bounds one hardware
 * reception; longer virtual receptions are served in several hardware receptions.
 * Returns ERR_OK, ERR_SIZE (rx_buf NULL or rx_buf_len 0) or ERR_NOMEM (no deferred-call slot).
 */
MUST_CHECK err_t mux_uart_init(struct mux_uart *mux, struct hil_uart_tx *hw_tx,
                               struct hil_uart_rx *hw_rx, uint8_t *rx_buf, size_t rx_buf_len);

/**
 * Boot only: link `v` into `mux`. Its client is then set with hil_uart_tx_set_client(&v->tx, c)
 * and hil_uart_rx_set_client(&v->rx, c).
 *
 * The virtual HILs follow the split-phase contract (hil/uart.h):
 *  - transmit: ERR_OK (transmitted() follows once, never inside the call; a hardware refusal is
 *    reported there with 0 bytes), ERR_BUSY (this device has a transmission outstanding),
 *    ERR_SIZE (len 0 or buf NULL). No callback follows an error.
 *  - tx abort: ERR_OK (transmitted() follows with ERR_CANCEL if the bytes had not been started,
 *    or the hardware's outcome otherwise), ERR_ALREADY (nothing to abort; a callback already due
 *    still comes).
 *  - receive: ERR_OK (received() follows once with len bytes and ERR_OK, or fewer with
 *    ERR_CANCEL after an abort, or with the hardware's error), ERR_BUSY (a reception is
 *    outstanding), ERR_SIZE (len 0 or buf NULL), or the hardware's refusal when it was idle.
 *  - rx abort: ERR_OK (received() follows with ERR_CANCEL and the bytes received so far),
 *    ERR_ALREADY (nothing outstanding, or already aborting; a callback already due still comes).
 */
void virtual_uart_init(struct virtual_uart *v, struct mux_uart *mux);
