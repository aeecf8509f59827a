/* SPDX-License-Identifier: Apache-2.0 OR MIT */
/*
 * Fake I2C controller (see fake_i2c.h): a test-driven implementation of the I2C HIL.
 *
 * Usage: see fake_i2c.h.
 *
 * Invariants: callbacks are delivered only from fake_i2c_complete(), one at a time.
 */
#include "fake_i2c.h"

#include <setjmp.h>
#include <stdarg.h>

#include <cmocka.h>

#include "container.h"

static err_t start(struct fake_i2c *i2c, enum fake_i2c_kind kind, uint8_t address, uint8_t *buf,
                   size_t write_len, size_t read_len)
{
    i2c->start_calls++;
    err_t result = i2c->next_result;
    i2c->next_result = ERR_OK;
    if (result != ERR_OK) {
        return result;
    }
    if (i2c->buf != NULL) {
        return ERR_BUSY;
    }
    if (address > HIL_I2C_ADDRESS_MAX) {
        return ERR_INVAL;
    }
    if (buf == NULL || (kind != FAKE_I2C_READ && write_len == 0) ||
        (kind != FAKE_I2C_WRITE && read_len == 0)) {
        return ERR_SIZE;
    }
    i2c->buf = buf;
    i2c->current = (struct fake_i2c_transaction){
        .kind = kind, .address = address, .write_len = write_len, .read_len = read_len
    };
    if (i2c->log_len < FAKE_I2C_LOG_MAX) {
        i2c->log[i2c->log_len++] = i2c->current;
    }
    return ERR_OK;
}

static err_t fake_write(struct hil_i2c_master *master, uint8_t address, uint8_t *buf, size_t len)
{
    return start(CONTAINER_OF(master, struct fake_i2c, i2c), FAKE_I2C_WRITE, address, buf, len,
                 0);
}

static err_t fake_read(struct hil_i2c_master *master, uint8_t address, uint8_t *buf, size_t len)
{
    return start(CONTAINER_OF(master, struct fake_i2c, i2c), FAKE_I2C_READ, address, buf, 0,
                 len);
}

static err_t fake_write_read(struct hil_i2c_master *master, uint8_t address, uint8_t *buf,
                             size_t write_len, size_t read_len)
{
    return start(CONTAINER_OF(master, struct fake_i2c, i2c), FAKE_I2C_WRITE_READ, address, buf,
                 write_len, read_len);
}

static const struct hil_i2c_master_ops fake_i2c_ops = {
    .write = fake_write,
    .read = fake_read,
    .write_read = fake_write_read,
};

void fake_i2c_init(struct fake_i2c *i2c)
{
    *i2c = (struct fake_i2c){
        .i2c = { .ops = &fake_i2c_ops, .client = NULL },
        .next_result = ERR_OK,
    };
}

bool fake_i2c_busy(const struct fake_i2c *i2c)
{
    return i2c->buf != NULL;
}

void fake_i2c_complete(struct fake_i2c *i2c, size_t len, err_t status)
{
    if (i2c->buf == NULL) {
        fail_msg("fake_i2c: no transaction to complete");
    }
    if (i2c->callback_depth != 0) {
        fail_msg("fake_i2c: completion delivered while a callback is running (re-entrant)");
    }
    uint8_t *buf = i2c->buf;
    i2c->buf = NULL;
    i2c->callback_depth++;
    hil_i2c_command_done(&i2c->i2c, buf, len, status);
    i2c->callback_depth--;
}
