/* SPDX-License-Identifier: Apache-2.0 OR MIT */
/*
 * Console syscall driver (0x1): processes write to and read from a UART.
 *
 * Commands (ABI §5.2): 0 exists, 1 write n bytes of read-only allow 1, 2 read n bytes into
 * read-write allow 1, 3 abort the caller's read. Upcalls: subscribe 1 write done
 * (status, bytes_written, 0) -- status first, tockc's deviation from Tock (ABI §9.6);
 * subscribe 2 read done (status, bytes_received, 0).
 *
 * Usage (board):
 *     static struct virtual_uart console_uart;
 *     static struct console console;
 *     static uint8_t console_tx_buf[CONSOLE_BUF_LEN], console_rx_buf[CONSOLE_BUF_LEN];
 *     virtual_uart_init(&console_uart, &uart_mux);
 *     boot_check(console_init(&console, &console_uart.tx, &console_uart.rx, console_tx_buf,
 *                             sizeof console_tx_buf, console_rx_buf, sizeof console_rx_buf, k),
 *                "console");
 *     drivers: { CONSOLE_DRIVER_NUM, &console.driver }
 *
 * Invariants: see console.c.
 */
#pragma once

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "errorcode.h"
#include "hil/uart.h"
#include "kernel/grant.h"
#include "kernel/process_id.h"
#include "kernel/syscall_driver.h"

/* Default size of the kernel staging buffers (Tock's DEFAULT_BUF_SIZE). */
#define CONSOLE_BUF_LEN 64u

#define CONSOLE_CMD_EXISTS 0u
#define CONSOLE_CMD_WRITE 1u
#define CONSOLE_CMD_READ 2u
#define CONSOLE_CMD_ABORT_READ 3u
#define CONSOLE_SUBSCRIBE_WRITE_DONE 1u
#define CONSOLE_SUBSCRIBE_READ_DONE 2u
#define CONSOLE_ALLOW_RO_WRITE 1u
#define CONSOLE_ALLOW_RW_READ 1u

struct console {
    struct syscall_driver driver;
    struct hil_uart_tx_client tx_client;
    struct hil_uart_rx_client rx_client;
    struct hil_uart_tx *tx;
    struct hil_uart_rx *rx;
    struct grant grant; /* struct console_app per process; U=3 R=2 W=2 */
    uint8_t *tx_buf;    /* NULL while lent to the UART */
    size_t tx_buf_len;
    uint8_t *rx_buf; /* NULL while lent to the UART */
    size_t rx_buf_len;
    struct process_id writer; /* valid while tx_buf == NULL */
    uint32_t last_writer_index; /* round-robin cursor (process slot) */
    struct process_id reader; /* valid while rx_buf == NULL */
    uint32_t last_reader_index;
};

/**
 * Boot only: become the client of `tx` and `rx` and create the grant in kernel `k`.
 * `tx_buf` stages each chunk of a write (any size > 0; CONSOLE_BUF_LEN is Tock's); `rx_buf`
 * bounds one read (a read longer than rx_buf_len fails with INVAL).
 * Returns ERR_OK, ERR_SIZE (a NULL or empty buffer) or grant_create's error.
 */
/* True while a live process has asked to read (cmd 2, whatever came of it) at least once since
 * it started: console input is its, not the process console's. Kernel loop only, outside any
 * grant entry (it walks the grant). */
bool console_has_reader(struct console *console);

MUST_CHECK err_t console_init(struct console *console, struct hil_uart_tx *tx,
                              struct hil_uart_rx *rx, uint8_t *tx_buf, size_t tx_buf_len,
                              uint8_t *rx_buf, size_t rx_buf_len, struct kernel *k);
