/* SPDX-License-Identifier: Apache-2.0 OR MIT */
/*
 * I2C bit-banging as a stepper: one I2C master transaction, one line change per step.
 *
 * The stepper knows the I2C protocol and nothing about registers, so it runs on the host in
 * tests. Each call to i2c_bitbang_step() is given the levels now on the bus (SCL and SDA, as
 * read back after the previous step) and returns the levels to drive next; a driver calls it
 * from a deferred call a few steps at a time, so a transaction never blocks the kernel loop.
 * Exactly one line changes per step (or none, while waiting), and SDA only changes while SCL is
 * low except for START and STOP, so the order in which a controller applies a change does not
 * matter. Clock stretching is honoured: after the master releases SCL it waits, up to
 * I2C_BITBANG_STRETCH_STEPS steps, for SCL to read high before going on.
 *
 * A transaction is START, address+W, the bytes to write (each must be acknowledged), then for a
 * read a (repeated) START, address+R and the bytes read, the master acknowledging all but the
 * last; then STOP. A missing acknowledge ends it with ERR_NOACK, followed by STOP.
 *
 * Usage:
 *     i2c_bitbang_start(&b, 0x50, buf, 1, 2);           // write 1 byte, then read 2
 *     struct i2c_bitbang_lines out;
 *     while (i2c_bitbang_step(&b, read_lines(), &out)) { drive(out); }
 *     drive(out);                                         // the last step's levels
 *     ... b.status, b.len: the outcome (see below)
 *
 * Invariants: step == I2C_BITBANG_IDLE iff no transaction is in progress; then `lines` is
 * {SCL 1, SDA 1} (bus released). Outside START and STOP, SDA changes only while SCL is low.
 */
#pragma once

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "errorcode.h"

/* How many steps the master waits for a slave stretching the clock before giving up. */
#define I2C_BITBANG_STRETCH_STEPS 1000u

struct i2c_bitbang_lines {
    bool scl; /* true: released (high) */
    bool sda;
};

enum i2c_bitbang_step {
    I2C_BITBANG_IDLE,
    I2C_BITBANG_START_RELEASE_SDA, /* SDA 1 (SCL may still be low: repeated START) */
    I2C_BITBANG_START_RELEASE_SCL, /* SCL 1 */
    I2C_BITBANG_START_PULL_SDA,    /* the bus must read free; SDA 0 while SCL 1 is START */
    I2C_BITBANG_START_PULL_SCL,    /* SCL 0 */
    I2C_BITBANG_OUT_DATA,          /* SDA = the next bit to send */
    I2C_BITBANG_OUT_CLOCK_HIGH,    /* SCL 1: the slave samples */
    I2C_BITBANG_OUT_CLOCK_LOW,     /* SCL 0 */
    I2C_BITBANG_ACK_RELEASE,       /* SDA 1, for the slave to pull low */
    I2C_BITBANG_ACK_CLOCK_HIGH,    /* SCL 1 */
    I2C_BITBANG_ACK_SAMPLE,        /* read SDA (low: acknowledged); SCL 0 */
    I2C_BITBANG_IN_RELEASE,        /* SDA 1, for the slave to drive */
    I2C_BITBANG_IN_CLOCK_HIGH,     /* SCL 1 */
    I2C_BITBANG_IN_SAMPLE,         /* read SDA as the next bit; SCL 0 */
    I2C_BITBANG_MASTER_ACK_DATA,   /* SDA 0 (more to read) or 1 (last byte) */
    I2C_BITBANG_MASTER_ACK_HIGH,   /* SCL 1 */
    I2C_BITBANG_MASTER_ACK_LOW,    /* SCL 0 */
    I2C_BITBANG_STOP_PULL_SDA,     /* SDA 0 while SCL is low */
    I2C_BITBANG_STOP_RELEASE_SCL,  /* SCL 1 */
    I2C_BITBANG_STOP_RELEASE_SDA,  /* SDA 1 while SCL 1 is STOP: the transaction is over */
};

enum i2c_bitbang_phase {
    I2C_BITBANG_WRITE_ADDRESS,
    I2C_BITBANG_WRITE_DATA,
    I2C_BITBANG_READ_ADDRESS,
    I2C_BITBANG_READ_DATA,
};

struct i2c_bitbang {
    enum i2c_bitbang_step step; /* what the next call does */
    enum i2c_bitbang_phase phase;
    struct i2c_bitbang_lines lines; /* the levels driven now */
    uint8_t address;
    uint8_t *buf;
    size_t write_len;
    size_t read_len;
    size_t position;      /* bytes of the current phase done */
    uint8_t shift;        /* the byte being sent or received */
    uint8_t bits;         /* bits of `shift` still to send or receive */
    uint32_t stretch;     /* steps spent waiting for SCL to rise */
    /* the outcome, valid once i2c_bitbang_step() has returned false */
    err_t status; /* ERR_OK, ERR_NOACK or ERR_FAIL (bus not free, or SCL held low) */
    size_t len;   /* bytes of the last phase completed (see hil/i2c.h command_done) */
};

/* Set b up idle with the bus released. */
void i2c_bitbang_init(struct i2c_bitbang *b);

/**
 * Begin a transaction with 7-bit `address`: write buf[0..write_len), then read read_len bytes
 * into buf[0..read_len). At least one length is non-zero; the caller has checked the arguments
 * and that b is idle. The first step is taken by the next i2c_bitbang_step().
 */
void i2c_bitbang_start(struct i2c_bitbang *b, uint8_t address, uint8_t *buf, size_t write_len,
                       size_t read_len);

/**
 * Take one step. `bus` holds the levels read from the bus now. Writes the levels to drive next
 * to *out and returns true while the transaction continues; returns false with the final
 * levels (bus released) once it is over, after which b->status and b->len hold the outcome and
 * b is idle again. Called while idle, it returns false with the bus released.
 */
bool i2c_bitbang_step(struct i2c_bitbang *b, struct i2c_bitbang_lines bus,
                      struct i2c_bitbang_lines *out);
