/* SPDX-License-Identifier: Apache-2.0 OR MIT */
/*
 * Fake I2C controller for host tests: the test drives every completion.
 *
 * write()/read()/write_read() return next_result (ERR_OK by default) and, on ERR_OK, take the
 * buffer and log the transaction; nothing completes until the test calls fake_i2c_complete().
 * A completion started while another callback is still running fails the test.
 *
 * Usage:
 *     static struct fake_i2c hw;
 *     fake_i2c_init(&hw);
 *     ... code under test starts a transaction on &hw.i2c ...
 *     fake_i2c_complete(&hw, 0, ERR_NOACK);
 *
 * Invariants: buf != NULL iff a transaction is outstanding.
 */
#pragma once

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "errorcode.h"
#include "hil/i2c.h"

#define FAKE_I2C_LOG_MAX 32u

enum fake_i2c_kind {
    FAKE_I2C_WRITE,
    FAKE_I2C_READ,
    FAKE_I2C_WRITE_READ,
};

struct fake_i2c_transaction {
    enum fake_i2c_kind kind;
    uint8_t address;
    size_t write_len;
    size_t read_len;
};

struct fake_i2c {
    struct hil_i2c_master i2c;
    err_t next_result; /* returned by the next start call (then reset to ERR_OK) */
    uint8_t *buf;      /* outstanding transaction */
    struct fake_i2c_transaction current;
    unsigned start_calls; /* accepted or not */
    unsigned callback_depth;
    struct fake_i2c_transaction log[FAKE_I2C_LOG_MAX]; /* accepted transactions, in order */
    size_t log_len;
};

void fake_i2c_init(struct fake_i2c *i2c);
bool fake_i2c_busy(const struct fake_i2c *i2c);
/* Complete the outstanding transaction with `len` and `status`. Fails the test if none. */
void fake_i2c_complete(struct fake_i2c *i2c, size_t len, err_t status);
