/* SPDX-License-Identifier: Apache-2.0 OR MIT */
/*
 * NS16550 UART behind the UART HIL: transmit fills the FIFO and completes from the
 * transmit-empty interrupt; receive takes bytes from the receive interrupt.
 *
 * Invariants: buffers lent through the HIL are tracked by tx_req/rx_req (uart_requests.h); the
 * transmit-empty interrupt is enabled exactly while a transmission is outstanding, and the
 * receive interrupt while a receive is (or, after an abort's deferred completion, until the next
 * interrupt turns it off). Bytes are read from the FIFO only into an outstanding receive: input
 * that arrives between two receives waits in the FIFO (16 bytes) instead of being dropped.
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

/* Interrupts for what is outstanding only. With no receive outstanding, input stays in the
 * receive FIFO (16 bytes) until the next receive starts, instead of being read and dropped. */
static void set_ier(struct ns16550 *uart)
{
    uint8_t ier = 0;
    if (uart_rx_request_is_active(&uart->rx_req)) {
        ier |= IER_RX_AVAILABLE;
    }
    if (uart_tx_request_is_active(&uart->tx_req)) {
        ier |= IER_TX_EMPTY;
    }
    uart->regs[REG_IER] = ier;
}

static void fill_fifo(struct ns16550 *uart)
{
    if ((uart->regs[REG_LSR] & LSR_TX_EMPTY) == 0) {
        return;
    }
    for (uint32_t n = 0; n < FIFO_DEPTH && uart_tx_request_has_next(&uart->tx_req); n++) {
        uart->regs[REG_DATA] = uart_tx_request_next(&uart->tx_req);
    }
}

static err_t transmit(struct hil_uart_tx *tx, uint8_t *buf, size_t len)
{
    struct ns16550 *uart = CONTAINER_OF(tx, struct ns16550, tx);
    err_t err = uart_tx_request_start(&uart->tx_req, buf, len);
    if (err == ERR_OK) {
        fill_fifo(uart);
        set_ier(uart); /* the transmit-empty interrupt finishes the job */
    }
    return err;
}

static err_t abort_tx(struct hil_uart_tx *tx)
{
    return uart_tx_request_abort(&CONTAINER_OF(tx, struct ns16550, tx)->tx_req);
}

static err_t receive(struct hil_uart_rx *rx, uint8_t *buf, size_t len)
{
    struct ns16550 *uart = CONTAINER_OF(rx, struct ns16550, rx);
    err_t err = uart_rx_request_start(&uart->rx_req, buf, len);
    if (err == ERR_OK) {
        set_ier(uart); /* bytes already waiting in the FIFO raise the interrupt at once */
    }
    return err;
}

static err_t abort_rx(struct hil_uart_rx *rx)
{
    return uart_rx_request_abort(&CONTAINER_OF(rx, struct ns16550, rx)->rx_req);
}

void ns16550_handle_interrupt(struct ns16550 *uart)
{
    while (uart_rx_request_is_active(&uart->rx_req) &&
           (uart->regs[REG_LSR] & LSR_DATA_READY) != 0) {
        uart_rx_request_byte(&uart->rx_req, uart->regs[REG_DATA]);
    }
    if (uart_tx_request_is_active(&uart->tx_req) &&
        (uart->regs[REG_LSR] & LSR_TX_EMPTY) != 0) {
        if (uart_tx_request_has_next(&uart->tx_req)) {
            fill_fifo(uart);
        } else {
            uart_tx_request_finish(&uart->tx_req);
        }
    }
    set_ier(uart); /* a receive that completed or was aborted leaves input in the FIFO */
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
    uart_tx_request_init(&uart->tx_req, &uart->tx);
    uart->regs[REG_IER] = 0;
    uart->regs[REG_LCR] = 0x03; /* 8 data bits, no parity, 1 stop bit */
    uart->regs[REG_FCR] = 0x07; /* FIFOs on and cleared */
    uart->regs[REG_MCR] = 0x08; /* OUT2: route the interrupt */
    set_ier(uart);
    return uart_rx_request_init(&uart->rx_req, &uart->rx);
}
