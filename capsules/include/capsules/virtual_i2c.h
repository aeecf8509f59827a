/* SPDX-License-Identifier: Apache-2.0 OR MIT */
/*
 * I2C virtualizer: many clients share one I2C controller.
 *
 * struct mux_i2c is the controller's only client. Each struct virtual_i2c offers the
 * controller's own HIL (hil_i2c_master) to one client and may have one transaction
 * outstanding. Transactions are served round-robin, starting after the device served last.
 *
 * Usage (board):
 *     static struct mux_i2c i2c_mux;
 *     static struct virtual_i2c sensor_i2c, eeprom_i2c;
 *     boot_check(mux_i2c_init(&i2c_mux, &sbcon0.i2c), "i2c mux");
 *     virtual_i2c_init(&sensor_i2c, &i2c_mux);
 *     virtual_i2c_init(&eeprom_i2c, &i2c_mux);
 *     ... hil_i2c_set_client(&sensor_i2c.i2c, &sensor.i2c_client);
 *
 * Invariants: see virtual_i2c.c.
 */
#pragma once

#include <stddef.h>
#include <stdint.h>

#include "errorcode.h"
#include "hil/i2c.h"
#include "kernel/deferred_call.h"
#include "list.h"

enum virtual_i2c_operation {
    VIRTUAL_I2C_WRITE,
    VIRTUAL_I2C_READ,
    VIRTUAL_I2C_WRITE_READ,
};

enum virtual_i2c_state {
    VIRTUAL_I2C_IDLE,
    VIRTUAL_I2C_QUEUED,   /* waiting for the controller */
    VIRTUAL_I2C_INFLIGHT, /* the controller owns buf */
    VIRTUAL_I2C_REPORT,   /* the controller refused; the deferred call reports `failure` */
};

struct mux_i2c;

struct virtual_i2c {
    struct hil_i2c_master i2c; /* clients see the controller's HIL */
    struct list_node node; /* in mux->devices, in virtual_i2c_init order */
    struct mux_i2c *mux;
    enum virtual_i2c_state state;
    enum virtual_i2c_operation operation;
    uint8_t address;
    uint8_t *buf; /* owned here while state != IDLE */
    size_t write_len;
    size_t read_len;
    err_t failure; /* valid in VIRTUAL_I2C_REPORT */
};

struct mux_i2c {
    struct hil_i2c_master_client hw_client; /* the mux is the controller's only client */
    struct hil_i2c_master *hw;
    struct list devices; /* in init order; its cursor is the round-robin cursor */
    struct virtual_i2c *inflight;    /* non-NULL iff the controller owns inflight->buf */
    struct deferred_call report;
};

/**
 * Boot only: make `mux` the only client of `hw` and register its deferred call.
 * Returns ERR_OK or ERR_NOMEM (no deferred-call slot).
 */
MUST_CHECK err_t mux_i2c_init(struct mux_i2c *mux, struct hil_i2c_master *hw);

/**
 * Boot only: link `v` into `mux`. Its client is then set with hil_i2c_set_client(&v->i2c, c).
 *
 * The virtual HIL follows hil/i2c.h: write/read/write_read return ERR_OK (command_done follows
 * once, never inside the call; a refusal by the controller is that callback's status, with
 * len 0), ERR_BUSY (this device has a transaction outstanding), ERR_INVAL (address above
 * HIL_I2C_ADDRESS_MAX) or ERR_SIZE (a length 0 or buf NULL). No callback follows an error.
 */
void virtual_i2c_init(struct virtual_i2c *v, struct mux_i2c *mux);
