/* SPDX-License-Identifier: Apache-2.0 OR MIT */
/*
 * I2C bit-banging stepper (see sbcon/i2c_bitbang.h).
 *
 * The state is the next micro-step plus the transaction's phase (address or data, write or
 * read), the byte being shifted and the bits left in it. Every step changes at most one line.
 *
 * Usage: see sbcon/i2c_bitbang.h.
 *
 * Invariants: see sbcon/i2c_bitbang.h; `len` counts whole bytes of the current phase only.
 */
#include "sbcon/i2c_bitbang.h"

static const struct i2c_bitbang_lines released = { .scl = true, .sda = true };

void i2c_bitbang_init(struct i2c_bitbang *b)
{
    *b = (struct i2c_bitbang){
        .step = I2C_BITBANG_IDLE,
        .phase = I2C_BITBANG_WRITE_ADDRESS,
        .lines = released,
        .status = ERR_OK,
    };
}

void i2c_bitbang_start(struct i2c_bitbang *b, uint8_t address, uint8_t *buf, size_t write_len,
                       size_t read_len)
{
    b->address = address;
    b->buf = buf;
    b->write_len = write_len;
    b->read_len = read_len;
    b->phase = write_len > 0 ? I2C_BITBANG_WRITE_ADDRESS : I2C_BITBANG_READ_ADDRESS;
    b->position = 0;
    b->stretch = 0;
    b->status = ERR_OK;
    b->len = 0;
    b->step = I2C_BITBANG_START_RELEASE_SDA;
}

static void send_byte(struct i2c_bitbang *b, uint8_t byte)
{
    b->shift = byte;
    b->bits = 8;
    b->step = I2C_BITBANG_OUT_DATA;
}

static void receive_byte(struct i2c_bitbang *b)
{
    b->shift = 0;
    b->bits = 8;
    b->step = I2C_BITBANG_IN_RELEASE;
}

/* After START: the address byte of the current phase. */
static void send_address(struct i2c_bitbang *b)
{
    uint8_t rw = b->phase == I2C_BITBANG_READ_ADDRESS ? 1u : 0u;
    send_byte(b, (uint8_t)((b->address << 1) | rw));
}

static void stop(struct i2c_bitbang *b, err_t status)
{
    b->status = status;
    b->step = I2C_BITBANG_STOP_PULL_SDA;
}

/* A byte went out and the slave answered (or not): decide what comes next. */
static void after_acknowledge(struct i2c_bitbang *b, bool is_acknowledged)
{
    if (!is_acknowledged) {
        if (b->read_len > 0) {
            b->len = 0; /* a read or write_read counts bytes read: none */
        }
        stop(b, ERR_NOACK);
        return;
    }
    switch (b->phase) {
    case I2C_BITBANG_WRITE_ADDRESS:
        b->phase = I2C_BITBANG_WRITE_DATA;
        send_byte(b, b->buf[0]);
        return;
    case I2C_BITBANG_WRITE_DATA:
        b->position++;
        b->len = b->position;
        if (b->position < b->write_len) {
            send_byte(b, b->buf[b->position]);
        } else if (b->read_len > 0) {
            b->phase = I2C_BITBANG_READ_ADDRESS; /* repeated START */
            b->position = 0;
            b->len = 0;
            b->step = I2C_BITBANG_START_RELEASE_SDA;
        } else {
            stop(b, ERR_OK);
        }
        return;
    case I2C_BITBANG_READ_ADDRESS:
    case I2C_BITBANG_READ_DATA:
    default:
        b->phase = I2C_BITBANG_READ_DATA;
        receive_byte(b);
        return;
    }
}

/* Steps that follow a release of SCL: true when SCL has risen (no stretching), else counts the
 * wait. */
static bool is_clock_high(struct i2c_bitbang *b, struct i2c_bitbang_lines bus)
{
    if (bus.scl) {
        b->stretch = 0;
        return true;
    }
    b->stretch++;
    return false;
}

static bool needs_clock_high(enum i2c_bitbang_step step)
{
    switch (step) {
    case I2C_BITBANG_START_PULL_SDA:
    case I2C_BITBANG_OUT_CLOCK_LOW:
    case I2C_BITBANG_ACK_SAMPLE:
    case I2C_BITBANG_IN_SAMPLE:
    case I2C_BITBANG_MASTER_ACK_LOW:
    case I2C_BITBANG_STOP_RELEASE_SDA:
        return true;
    default:
        return false;
    }
}

/* End the transaction with the bus released (a STOP has been sent, or cannot be). */
static bool finish(struct i2c_bitbang *b, err_t status, struct i2c_bitbang_lines *out)
{
    if (status != ERR_OK) {
        b->status = status;
    }
    b->step = I2C_BITBANG_IDLE;
    b->lines = released;
    *out = released;
    return false;
}

bool i2c_bitbang_step(struct i2c_bitbang *b, struct i2c_bitbang_lines bus,
                      struct i2c_bitbang_lines *out)
{
    if (b->step == I2C_BITBANG_IDLE) {
        *out = released;
        return false;
    }
    if (needs_clock_high(b->step) && !is_clock_high(b, bus)) {
        if (b->stretch > I2C_BITBANG_STRETCH_STEPS) {
            return finish(b, ERR_FAIL, out); /* a slave holds SCL low */
        }
        *out = b->lines; /* keep waiting */
        return true;
    }
    struct i2c_bitbang_lines *l = &b->lines;
    switch (b->step) {
    case I2C_BITBANG_START_RELEASE_SDA:
        l->sda = true;
        b->step = I2C_BITBANG_START_RELEASE_SCL;
        break;
    case I2C_BITBANG_START_RELEASE_SCL:
        l->scl = true;
        b->step = I2C_BITBANG_START_PULL_SDA;
        break;
    case I2C_BITBANG_START_PULL_SDA:
        if (!bus.sda) {
            return finish(b, ERR_FAIL, out); /* someone else holds the bus */
        }
        l->sda = false;
        b->step = I2C_BITBANG_START_PULL_SCL;
        break;
    case I2C_BITBANG_START_PULL_SCL:
        l->scl = false;
        send_address(b);
        break;
    case I2C_BITBANG_OUT_DATA:
        l->sda = (b->shift & 0x80u) != 0;
        b->shift = (uint8_t)(b->shift << 1);
        b->bits--;
        b->step = I2C_BITBANG_OUT_CLOCK_HIGH;
        break;
    case I2C_BITBANG_OUT_CLOCK_HIGH:
        l->scl = true;
        b->step = I2C_BITBANG_OUT_CLOCK_LOW;
        break;
    case I2C_BITBANG_OUT_CLOCK_LOW:
        l->scl = false;
        b->step = b->bits > 0 ? I2C_BITBANG_OUT_DATA : I2C_BITBANG_ACK_RELEASE;
        break;
    case I2C_BITBANG_ACK_RELEASE:
        l->sda = true;
        b->step = I2C_BITBANG_ACK_CLOCK_HIGH;
        break;
    case I2C_BITBANG_ACK_CLOCK_HIGH:
        l->scl = true;
        b->step = I2C_BITBANG_ACK_SAMPLE;
        break;
    case I2C_BITBANG_ACK_SAMPLE:
        l->scl = false;
        after_acknowledge(b, !bus.sda);
        break;
    case I2C_BITBANG_IN_RELEASE:
        l->sda = true;
        b->step = I2C_BITBANG_IN_CLOCK_HIGH;
        break;
    case I2C_BITBANG_IN_CLOCK_HIGH:
        l->scl = true;
        b->step = I2C_BITBANG_IN_SAMPLE;
        break;
    case I2C_BITBANG_IN_SAMPLE:
        b->shift = (uint8_t)((b->shift << 1) | (bus.sda ? 1u : 0u));
        b->bits--;
        l->scl = false;
        if (b->bits > 0) {
            b->step = I2C_BITBANG_IN_CLOCK_HIGH;
        } else {
            b->buf[b->position++] = b->shift;
            b->len = b->position;
            b->step = I2C_BITBANG_MASTER_ACK_DATA;
        }
        break;
    case I2C_BITBANG_MASTER_ACK_DATA:
        l->sda = b->position == b->read_len; /* NACK the last byte */
        b->step = I2C_BITBANG_MASTER_ACK_HIGH;
        break;
    case I2C_BITBANG_MASTER_ACK_HIGH:
        l->scl = true;
        b->step = I2C_BITBANG_MASTER_ACK_LOW;
        break;
    case I2C_BITBANG_MASTER_ACK_LOW:
        l->scl = false;
        if (b->position < b->read_len) {
            receive_byte(b);
        } else {
            stop(b, ERR_OK);
        }
        break;
    case I2C_BITBANG_STOP_PULL_SDA:
        l->sda = false;
        b->step = I2C_BITBANG_STOP_RELEASE_SCL;
        break;
    case I2C_BITBANG_STOP_RELEASE_SCL:
        l->scl = true;
        b->step = I2C_BITBANG_STOP_RELEASE_SDA;
        break;
    case I2C_BITBANG_STOP_RELEASE_SDA:
    case I2C_BITBANG_IDLE:
    default:
        return finish(b, ERR_OK, out);
    }
    *out = *l;
    return true;
}
