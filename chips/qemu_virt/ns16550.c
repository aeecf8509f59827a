/* SPDX-License-Identifier: Apache-2.0 OR MIT */
/*
 * NS16550 UART behind the UART HIL: transmit fills the FIFO and completes from the
 * transmit-empty interrupt; receive takes bytes from the receive interrupt.
 *
 * Invariants: as cmsdk/uart.c — tx_buf/rx_buf are owned here while non-NULL; no completion is
 * ever delivered inside transmit, receive or abort.
 */
#include "container.h"
#include "qemu_virt/virt.h"

#include <stddef.h>

#define REG_DATA 0u
#define REG_IER 1u
#define REG_FCR 2u
#define REG_LCR 3u
#define REG_MCR 4u
#define REG_LSR 5u
#define IER_RX_AVAILABLE 0x1u
#define IER_TX_EMPTY 0x2u
#define LSR_DATA_READY 0x1u
#define LSR_TX_EMPTY 0x20u
#define FIFO_DEPTH 16u

static void set_ier(struct ns16550 *uart)
{
    uint8_t ier = IER_RX_AVAILABLE;
    if (uart->tx_buf != NULL) {
        ier |= IER_TX_EMPTY;
    }
    uart->regs[REG_IER] = ier;
}

static void fill_fifo(struct ns16550 *uart)
{
    if ((uart->regs[REG_LSR] & LSR_TX_EMPTY) == 0) {
        return;
    }
    for (uint32_t n = 0; n < FIFO_DEPTH && uart->tx_sent < uart->tx_len; n++) {
        uart->regs[REG_DATA] = uart->tx_buf[uart->tx_sent++];
    }
}

static err_t transmit(struct hil_uart_tx *tx, uint8_t *buf, size_t len)
{
    struct ns16550 *uart = CONTAINER_OF(tx, struct ns16550, tx);
    if (uart->tx_buf != NULL) {
        return ERR_BUSY;
    }
    if (len == 0) {
        return ERR_SIZE;
    }
    uart->tx_buf = buf;
    uart->tx_len = len;
    uart->tx_sent = 0;
    fill_fifo(uart);
    set_ier(uart); /* the transmit-empty interrupt finishes the job */
    return ERR_OK;
}

static err_t abort_tx(struct hil_uart_tx *tx)
{
    struct ns16550 *uart = CONTAINER_OF(tx, struct ns16550, tx);
    if (uart->tx_buf == NULL) {
        return ERR_ALREADY;
    }
    uart->tx_len = uart->tx_sent;
    return ERR_OK;
}

static void finish_rx(struct ns16550 *uart, err_t status)
{
    uint8_t *buf = uart->rx_buf;
    size_t len = uart->rx_received;
    uart->rx_buf = NULL;
    uart->rx_aborting = false;
    hil_uart_rx_done(&uart->rx, buf, len, status);
}

static err_t receive(struct hil_uart_rx *rx, uint8_t *buf, size_t len)
{
    struct ns16550 *uart = CONTAINER_OF(rx, struct ns16550, rx);
    if (uart->rx_buf != NULL) {
        return ERR_BUSY;
    }
    if (len == 0) {
        return ERR_SIZE;
    }
    uart->rx_buf = buf;
    uart->rx_len = len;
    uart->rx_received = 0;
    uart->rx_aborting = false;
    return ERR_OK;
}

static err_t abort_rx(struct hil_uart_rx *rx)
{
    struct ns16550 *uart = CONTAINER_OF(rx, struct ns16550, rx);
    if (uart->rx_buf == NULL) {
        return ERR_ALREADY;
    }
    uart->rx_aborting = true;
    deferred_call_set(&uart->abort_done);
    return ERR_OK;
}

static void report_abort(void *ctx)
{
    struct ns16550 *uart = ctx;
    if (uart->rx_buf != NULL && uart->rx_aborting) {
        finish_rx(uart, ERR_CANCEL);
    }
}

void ns16550_handle_interrupt(struct ns16550 *uart)
{
    while ((uart->regs[REG_LSR] & LSR_DATA_READY) != 0) {
        uint8_t byte = uart->regs[REG_DATA];
        if (uart->rx_buf == NULL) {
            continue; /* nobody is receiving: dropped */
        }
        uart->rx_buf[uart->rx_received++] = byte;
        if (uart->rx_received >= uart->rx_len) {
            finish_rx(uart, ERR_OK);
        }
    }
    if (uart->tx_buf != NULL && (uart->regs[REG_LSR] & LSR_TX_EMPTY) != 0) {
        if (uart->tx_sent < uart->tx_len) {
            fill_fifo(uart);
        } else {
            uint8_t *buf = uart->tx_buf;
            size_t len = uart->tx_sent;
            uart->tx_buf = NULL;
            set_ier(uart);
            hil_uart_tx_done(&uart->tx, buf, len, ERR_OK);
        }
    }
}

void ns16550_putc_sync(struct ns16550 *uart, char c)
{
    while ((uart->regs[REG_LSR] & LSR_TX_EMPTY) == 0) {
    }
    uart->regs[REG_DATA] = (uint8_t)c;
}

static const struct hil_uart_tx_ops tx_ops = { .transmit = transmit, .abort = abort_tx };
static const struct hil_uart_rx_ops rx_ops = { .receive = receive, .abort = abort_rx };

err_t ns16550_init(struct ns16550 *uart, uintptr_t base)
{
    *uart = (struct ns16550){
        .tx = { .ops = &tx_ops, .client = NULL },
        .rx = { .ops = &rx_ops, .client = NULL },
        /* SAFETY: base is the board's address of this UART's byte-wide registers. */
        .regs = (volatile uint8_t *)base,
    };
    uart->regs[REG_IER] = 0;
    uart->regs[REG_LCR] = 0x03; /* 8 data bits, no parity, 1 stop bit */
    uart->regs[REG_FCR] = 0x07; /* FIFOs on and cleared */
    uart->regs[REG_MCR] = 0x08; /* OUT2: route the interrupt */
    set_ier(uart);
    return deferred_call_register(&uart->abort_done, report_abort, uart);
}
