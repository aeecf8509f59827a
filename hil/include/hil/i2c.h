/* SPDX-License-Identifier: Apache-2.0 OR MIT */
/*
 * I2C master HIL: split-phase write, read and write-then-read transactions to a 7-bit address.
 *
 * Each operation is one bus transaction: START, the address, the data, STOP (write_read joins
 * its two halves with a repeated START). A device that does not acknowledge its address or a
 * written byte ends the transaction with ERR_NOACK in command_done().
 *
 * Usage: a chip I2C controller embeds `struct hil_i2c_master i2c`; the board hands `&ctl.i2c`
 * to the I2C mux (capsules/virtual_i2c.h), its only client. Each virtual I2C device offers the
 * same interface to one client:
 *     err = hil_i2c_write_read(&dev.i2c, 0x50, buf, 1, 4);  // command_done() follows
 *
 * Invariants (the split-phase contract): ERR_OK means exactly one command_done() later and
 * never inside the call; ERR_BUSY means an earlier callback is still due; any other error means
 * no callback. `buf` belongs to the implementation until command_done() hands it back.
 */
#pragma once

#include <stddef.h>
#include <stdint.h>

#include "errorcode.h"

#define HIL_I2C_ADDRESS_MAX 0x7Fu

struct hil_i2c_master;
struct hil_i2c_master_client;

struct hil_i2c_master_ops {
    err_t (*write)(struct hil_i2c_master *i2c, uint8_t address, uint8_t *buf, size_t len);
    err_t (*read)(struct hil_i2c_master *i2c, uint8_t address, uint8_t *buf, size_t len);
    err_t (*write_read)(struct hil_i2c_master *i2c, uint8_t address, uint8_t *buf,
                        size_t write_len, size_t read_len);
};
struct hil_i2c_master {
    const struct hil_i2c_master_ops *ops;  /* set by the implementation's _init */
    struct hil_i2c_master_client *client; /* set once by the board or the mux */
};
struct hil_i2c_master_client_ops {
    /**
     * The transaction is over. `len` counts the bytes of its last phase that completed: bytes
     * written and acknowledged (write), bytes read (read and write_read; 0 when the write half
     * failed). Status: ERR_OK; ERR_NOACK (the address or a written byte was not acknowledged:
     * nobody answers at that address, or the device refused the data); ERR_FAIL (the bus
     * misbehaved, e.g. a line stuck low).
     */
    void (*command_done)(struct hil_i2c_master_client *client, uint8_t *buf, size_t len,
                         err_t status);
};
struct hil_i2c_master_client {
    const struct hil_i2c_master_client_ops *ops;
};

/**
 * Write buf[0..len) to `address` (7 bits). Kernel loop only.
 * Returns ERR_OK (command_done follows exactly once, never inside this call), ERR_BUSY (a
 * transaction is outstanding), ERR_INVAL (address above HIL_I2C_ADDRESS_MAX), ERR_SIZE (len 0,
 * buf NULL, or longer than the implementation supports) or ERR_OFF. No callback after an error.
 */
MUST_CHECK static inline err_t hil_i2c_write(struct hil_i2c_master *i2c, uint8_t address,
                                             uint8_t *buf, size_t len)
{
    return i2c->ops->write(i2c, address, buf, len);
}
/* Read `len` bytes from `address` into buf. Returns as hil_i2c_write(). */
MUST_CHECK static inline err_t hil_i2c_read(struct hil_i2c_master *i2c, uint8_t address,
                                            uint8_t *buf, size_t len)
{
    return i2c->ops->read(i2c, address, buf, len);
}
/**
 * Write buf[0..write_len) to `address`, then (repeated START) read read_len bytes into
 * buf[0..read_len). Returns as hil_i2c_write(); ERR_SIZE also when either length is 0.
 */
MUST_CHECK static inline err_t hil_i2c_write_read(struct hil_i2c_master *i2c, uint8_t address,
                                                  uint8_t *buf, size_t write_len,
                                                  size_t read_len)
{
    return i2c->ops->write_read(i2c, address, buf, write_len, read_len);
}
static inline void hil_i2c_set_client(struct hil_i2c_master *i2c,
                                      struct hil_i2c_master_client *client)
{
    i2c->client = client;
}
/* For implementations: deliver a completion to the client, if one is set. */
static inline void hil_i2c_command_done(struct hil_i2c_master *i2c, uint8_t *buf, size_t len,
                                        err_t status)
{
    if (i2c->client != NULL) {
        i2c->client->ops->command_done(i2c->client, buf, len, status);
    }
}
