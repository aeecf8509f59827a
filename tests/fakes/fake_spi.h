/* SPDX-License-Identifier: Apache-2.0 OR MIT */
/*
 * Fake SPI controller for host tests: the test drives every completion.
 *
 * read_write() returns next_read_write_result (ERR_OK by default) and, on ERR_OK, takes the
 * buffers; nothing completes until the test calls fake_spi_complete(), which loops tx back into
 * rx (as a controller in loopback mode would) and delivers read_write_done. The setters check
 * their argument like a controller with `chip_selects` lines and a slowest rate of min_rate_hz,
 * refuse while a transfer is outstanding (ERR_BUSY), and record what was set. Each accepted
 * transfer is logged with the configuration it ran with. A completion started while another
 * callback is still running fails the test (no re-entrant callbacks).
 *
 * Usage:
 *     static struct fake_spi hw;
 *     fake_spi_init(&hw, 4, 1000);   // chip selects 0..3, rates down to 1 kHz
 *     ... code under test transfers on &hw.spi ...
 *     fake_spi_complete(&hw, ERR_OK);
 *     assert_int_equal(hw.log[0].chip_select, 2);
 *
 * Invariants: tx != NULL iff a transfer is outstanding.
 */
#pragma once

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "errorcode.h"
#include "hil/spi.h"

#define FAKE_SPI_LOG_MAX 32u

struct fake_spi_transfer {
    uint32_t chip_select;
    uint32_t rate_hz;
    enum hil_spi_polarity polarity;
    enum hil_spi_phase phase;
    uint8_t first_byte; /* tx[0] */
    size_t len;
};

struct fake_spi {
    struct hil_spi_master spi;
    uint32_t chip_selects;       /* valid chip selects are 0..chip_selects-1 */
    uint32_t min_rate_hz;        /* slowest rate; slower requests are ERR_INVAL */
    err_t next_read_write_result; /* returned by the next read_write() (then reset to ERR_OK) */
    /* the configuration set so far */
    uint32_t chip_select;
    uint32_t rate_hz;
    enum hil_spi_polarity polarity;
    enum hil_spi_phase phase;
    unsigned set_calls; /* every setter call, accepted or not */
    /* the outstanding transfer */
    uint8_t *tx;
    uint8_t *rx;
    size_t len;
    unsigned read_write_calls; /* accepted or not */
    unsigned callback_depth;   /* > 0 while the client's callback runs */
    struct fake_spi_transfer log[FAKE_SPI_LOG_MAX]; /* accepted transfers, in order */
    size_t log_len;
};

void fake_spi_init(struct fake_spi *spi, uint32_t chip_selects, uint32_t min_rate_hz);
bool fake_spi_busy(const struct fake_spi *spi);
/* Complete the outstanding transfer: rx (if any) gets a copy of tx when status is ERR_OK.
 * Fails the test if none is outstanding. */
void fake_spi_complete(struct fake_spi *spi, err_t status);
