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
    while (uart_tx_request_has_next(&uart->tx_req) && (uart->regs->state & STATE_TX_FULL) == 0) {
        uart->regs->data = uart_tx_request_next(&uart->tx_req);
    }
}

static err_t transmit(struct hil_uart_tx *tx, uint8_t *buf, size_t len)
{
    struct cmsdk_uart *uart = CONTAINER_OF(tx, struct cmsdk_uart, tx);
    err_t err = uart_tx_request_start(&uart->tx_req, buf, len);
    if (err == ERR_OK) {
        fill_fifo(uart);
    }
    return err;
}

static err_t abort_tx(struct hil_uart_tx *tx)
{
    return uart_tx_request_abort(&CONTAINER_OF(tx, struct cmsdk_uart, tx)->tx_req);
}

void cmsdk_uart_handle_tx_interrupt(struct cmsdk_uart *uart)
{
    uart->regs->intstatus = INT_TX;
    if (!uart_tx_request_is_active(&uart->tx_req)) {
        return;
    }
    fill_fifo(uart);
    if (!uart_tx_request_has_next(&uart->tx_req) && (uart->regs->state & STATE_TX_FULL) == 0) {
        uart_tx_request_finish(&uart->tx_req);
    }
}

static err_t receive(struct hil_uart_rx *rx, uint8_t *buf, size_t len)
{
    return uart_rx_request_start(&CONTAINER_OF(rx, struct cmsdk_uart, rx)->rx_req, buf, len);
}

static err_t abort_rx(struct hil_uart_rx *rx)
{
    return uart_rx_request_abort(&CONTAINER_OF(rx, struct cmsdk_uart, rx)->rx_req);
}

void cmsdk_uart_handle_rx_interrupt(struct cmsdk_uart *uart)
{
    uart->regs->intstatus = INT_RX;
    if ((uart->regs->state & STATE_RX_OVERRUN) != 0) {
        uart->regs->state = STATE_RX_OVERRUN;
        uart->rx_overruns++;
    }
    while ((uart->regs->state & STATE_RX_FULL) != 0) {
        uart_rx_request_byte(&uart->rx_req, (uint8_t)uart->regs->data);
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
    uart_tx_request_init(&uart->tx_req, &uart->tx);
    uart->regs->bauddiv = clock_hz / baud;
    uart->regs->ctrl = CTRL_TX_EN | CTRL_RX_EN | CTRL_TX_INT_EN | CTRL_RX_INT_EN;
    return uart_rx_request_init(&uart->rx_req, &uart->rx);
}
