/* SPDX-License-Identifier: Apache-2.0 OR MIT */
/*
 * Debug writer: the kernel debug output's sink, draining its ring to a UART.
 *
 * Usage (board):
 *     static struct virtual_uart debug_uart;
 *     static struct debug_writer debug_writer;
 *     static uint8_t debug_writer_buf[DEBUG_WRITER_BUF_LEN];
 *     virtual_uart_init(&debug_uart, &uart_mux);
 *     boot_check(debug_writer_init(&debug_writer, &debug_uart.tx, debug_writer_buf,
 *                                  sizeof debug_writer_buf), "debug writer");
 *
 * Invariants: see debug_writer.c.
 */
#pragma once

#include <stddef.h>
#include <stdint.h>

#include "errorcode.h"
#include "hil/uart.h"
#include "kernel/debug.h"

/* A good default size for the transmit buffer. */
#define DEBUG_WRITER_BUF_LEN 64u
/* The smallest buffer that holds the dropped-bytes note. */
#define DEBUG_WRITER_MIN_BUF_LEN 40u

struct debug_writer {
    struct debug_sink sink; /* given to debug_set_sink() */
    struct hil_uart_tx_client tx_client;
    struct hil_uart_tx *tx;
    uint8_t *buf; /* NULL while lent to the UART */
    size_t buf_len;
    size_t lent_len;  /* bytes handed to the UART in the transmission in progress */
    uint32_t dropped; /* bytes lost (ring overflow or UART failure) not yet reported */
};

/**
 * Boot only: become `tx`'s client and the kernel's debug sink (debug_set_sink), then start
 * draining what is already in the ring. `buf` is the board's static (DEBUG_WRITER_BUF_LEN
 * bytes is a good size). Returns ERR_OK or ERR_SIZE (buf NULL or shorter than
 * DEBUG_WRITER_MIN_BUF_LEN); on error nothing is wired.
 */
MUST_CHECK err_t debug_writer_init(struct debug_writer *writer, struct hil_uart_tx *tx,
                                   uint8_t *buf, size_t buf_len);
