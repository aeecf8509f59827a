/* SPDX-License-Identifier: Apache-2.0 OR MIT */
/*
 * ARM CMSDK APB UART: interrupt-driven transmit and receive behind the UART HIL.
 *
 * Usage: cmsdk_uart_init(&uart0, CMSDK_UART0_BASE, 25000000, 115200); the chip's interrupt
 * service calls cmsdk_uart_handle_tx_interrupt / _rx_interrupt for the UART's TX and RX lines.
 *
 * Invariants: buffers lent through the HIL are tracked by tx_req/rx_req (uart_requests.h).
 */
#pragma once

#include <stdint.h>

#include "chips_common/uart_requests.h"
#include "hil/uart.h"

struct cmsdk_uart_registers {
    volatile uint32_t data;
    volatile uint32_t state;
    volatile uint32_t ctrl;
    volatile uint32_t intstatus; /* read: status; write 1: clear */
    volatile uint32_t bauddiv;
};

struct cmsdk_uart {
    struct hil_uart_tx tx;
    struct hil_uart_rx rx;
    struct cmsdk_uart_registers *regs;
    struct uart_tx_request tx_req;
    struct uart_rx_request rx_req;
    uint32_t rx_overruns;
};

/* Returns ERR_NOMEM when no deferred-call slot is left. */
MUST_CHECK err_t cmsdk_uart_init(struct cmsdk_uart *uart, uintptr_t base, uint32_t clock_hz,
                                 uint32_t baud);
void cmsdk_uart_handle_tx_interrupt(struct cmsdk_uart *uart);
void cmsdk_uart_handle_rx_interrupt(struct cmsdk_uart *uart);
/* Polled, for panics only: waits for room and writes one byte. */
void cmsdk_uart_putc_sync(struct cmsdk_uart *uart, char c);
