/* SPDX-License-Identifier: Apache-2.0 OR MIT */
/*
 * CMSDK APB UART driver (see cmsdk/uart.h).
 *
 * Transmit writes bytes while the transmit buffer has room and finishes from the TX interrupt
 * once every byte is out, so completion never happens inside transmit(). Receive takes bytes
 * from the RX interrupt until the requested count arrives or the client aborts.
 */
#include "cmsdk/uart.h"

#include "container.h"
#include "kernel/deferred_call.h"

#include <stddef.h>

#define STATE_TX_FULL 0x1u
#define STATE_RX_FULL 0x2u
#define STATE_RX_OVERRUN 0x8u
#define CTRL_TX_EN 0x1u
#define CTRL_RX_EN 0x2u
#define CTRL_TX_INT_EN 0x4u
#define CTRL_RX_INT_EN 0x8u
#define INT_TX 0x1u
#define INT_RX 0x2u

_Static_assert(offsetof(struct cmsdk_uart_registers, bauddiv) == 0x10, "CMSDK UART layout");

static void fill_fifo(struct cmsdk_uart *uart)
{
    while (uart->tx_sent < uart->tx_len && (uart->regs->state & STATE_TX_FULL) == 0) {
        uart->regs->data = uart->tx_buf[uart->tx_sent++];
    }
}

static err_t transmit(struct hil_uart_tx *tx, uint8_t *buf, size_t len)
{
    struct cmsdk_uart *uart = CONTAINER_OF(tx, struct cmsdk_uart, tx);
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
    return ERR_OK;
}

static err_t abort_tx(struct hil_uart_tx *tx)
{
    struct cmsdk_uart *uart = CONTAINER_OF(tx, struct cmsdk_uart, tx);
    if (uart->tx_buf == NULL) {
        return ERR_ALREADY;
    }
    uart->tx_len = uart->tx_sent; /* completes with what was sent at the next TX interrupt */
    return ERR_OK;
}

void cmsdk_uart_handle_tx_interrupt(struct cmsdk_uart *uart)
{
    uart->regs->intstatus = INT_TX;
    if (uart->tx_buf == NULL) {
        return;
    }
    fill_fifo(uart);
    if (uart->tx_sent < uart->tx_len || (uart->regs->state & STATE_TX_FULL) != 0) {
        return;
    }
    uint8_t *buf = uart->tx_buf;
    size_t len = uart->tx_sent;
    uart->tx_buf = NULL;
    hil_uart_tx_done(&uart->tx, buf, len, ERR_OK);
}

static err_t receive(struct hil_uart_rx *rx, uint8_t *buf, size_t len)
{
    struct cmsdk_uart *uart = CONTAINER_OF(rx, struct cmsdk_uart, rx);
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

static void finish_rx(struct cmsdk_uart *uart, err_t status)
{
    uint8_t *buf = uart->rx_buf;
    size_t len = uart->rx_received;
    uart->rx_buf = NULL;
    uart->rx_aborting = false;
    hil_uart_rx_done(&uart->rx, buf, len, status);
}

static err_t abort_rx(struct hil_uart_rx *rx)
{
    struct cmsdk_uart *uart = CONTAINER_OF(rx, struct cmsdk_uart, rx);
    if (uart->rx_buf == NULL) {
        return ERR_ALREADY;
    }
    uart->rx_aborting = true; /* completed from the deferred call, never inside abort */
    deferred_call_set(&uart->abort_done);
    return ERR_OK;
}

static void report_abort(void *ctx)
{
    struct cmsdk_uart *uart = ctx;
    if (uart->rx_buf != NULL && uart->rx_aborting) {
        finish_rx(uart, ERR_CANCEL);
    }
}

void cmsdk_uart_handle_rx_interrupt(struct cmsdk_uart *uart)
{
    uart->regs->intstatus = INT_RX;
    if ((uart->regs->state & STATE_RX_OVERRUN) != 0) {
        uart->regs->state = STATE_RX_OVERRUN;
        uart->rx_overruns++;
    }
    while ((uart->regs->state & STATE_RX_FULL) != 0) {
        uint8_t byte = (uint8_t)uart->regs->data;
        if (uart->rx_buf == NULL) {
            continue; /* nobody is receiving: the byte is dropped */
        }
        if (uart->rx_received < uart->rx_len) {
            uart->rx_buf[uart->rx_received++] = byte;
        }
        if (uart->rx_received >= uart->rx_len) {
            finish_rx(uart, ERR_OK);
        }
    }
}

void cmsdk_uart_putc_sync(struct cmsdk_uart *uart, char c)
{
    while ((uart->regs->state & STATE_TX_FULL) != 0) {
    }
    uart->regs->data = (uint8_t)c;
}

static const struct hil_uart_tx_ops tx_ops = { .transmit = transmit, .abort = abort_tx };
static const struct hil_uart_rx_ops rx_ops = { .receive = receive, .abort = abort_rx };

err_t cmsdk_uart_init(struct cmsdk_uart *uart, uintptr_t base, uint32_t clock_hz, uint32_t baud)
{
    *uart = (struct cmsdk_uart){
        .tx = { .ops = &tx_ops, .client = NULL },
        .rx = { .ops = &rx_ops, .client = NULL },
        /* SAFETY: base is the board's address of this UART's register block. */
        .regs = (struct cmsdk_uart_registers *)base,
    };
    uart->regs->bauddiv = clock_hz / baud;
    uart->regs->ctrl = CTRL_TX_EN | CTRL_RX_EN | CTRL_TX_INT_EN | CTRL_RX_INT_EN;
    return deferred_call_register(&uart->abort_done, report_abort, uart);
}
