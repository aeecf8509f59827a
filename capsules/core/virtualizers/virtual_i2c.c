/* SPDX-License-Identifier: Apache-2.0 OR MIT */
/*
 * I2C virtualizer: a mux over one I2C controller and its virtual devices.
 *
 * Each device may have one transaction outstanding. The mux keeps the controller busy with one
 * device's transaction at a time and, when it finishes, starts the next queued device after
 * the one served last, so a client that queues again from its own callback goes behind the
 * others. A refusal by the controller is reported to the device from the mux's deferred call,
 * never inside the client's call.
 *
 * Usage: see capsules/virtual_i2c.h.
 *
 * Invariants:
 *  - mux->inflight != NULL iff the controller owns inflight->buf; then inflight->state is
 *    INFLIGHT and no other device is INFLIGHT.
 *  - A device in VIRTUAL_I2C_REPORT has mux->report set; its callback comes from report().
 */
#include "capsules/virtual_i2c.h"

#include <stdbool.h>

#include "container.h"

/* The device a node of mux->devices is, or NULL for none. */
static struct virtual_i2c *device_of(struct list_node *node)
{
    return node == NULL ? NULL : CONTAINER_OF(node, struct virtual_i2c, node);
}

static bool is_queued(const struct list_node *node, void *ctx)
{
    (void)ctx;
    return CONTAINER_OF(node, const struct virtual_i2c, node)->state == VIRTUAL_I2C_QUEUED;
}

static struct virtual_i2c *pick_next(struct mux_i2c *mux)
{
    return device_of(list_round_robin(&mux->devices, is_queued, NULL));
}

static err_t start_transaction(struct mux_i2c *mux, struct virtual_i2c *v)
{
    switch (v->operation) {
    case VIRTUAL_I2C_WRITE:
        return hil_i2c_write(mux->hw, v->address, v->buf, v->write_len);
    case VIRTUAL_I2C_READ:
        return hil_i2c_read(mux->hw, v->address, v->buf, v->read_len);
    case VIRTUAL_I2C_WRITE_READ:
    default:
        return hil_i2c_write_read(mux->hw, v->address, v->buf, v->write_len, v->read_len);
    }
}

static void start_next(struct mux_i2c *mux)
{
    struct virtual_i2c *v = mux->inflight == NULL ? pick_next(mux) : NULL;
    if (v == NULL) {
        return;
    }
    list_set_cursor(&mux->devices, &v->node);
    err_t err = start_transaction(mux, v);
    if (err == ERR_OK) {
        v->state = VIRTUAL_I2C_INFLIGHT;
        mux->inflight = v;
    } else {
        v->state = VIRTUAL_I2C_REPORT; /* reported later, never inside a downcall */
        v->failure = err;
        deferred_call_set(&mux->report);
    }
}

/* Check, then queue: the three operations differ only in what they record. */
static err_t queue(struct virtual_i2c *v, enum virtual_i2c_operation operation, uint8_t address,
                   uint8_t *buf, size_t write_len, size_t read_len)
{
    if (v->state != VIRTUAL_I2C_IDLE) {
        return ERR_BUSY;
    }
    if (address > HIL_I2C_ADDRESS_MAX) {
        return ERR_INVAL;
    }
    bool is_write = operation != VIRTUAL_I2C_READ;
    bool is_read = operation != VIRTUAL_I2C_WRITE;
    if (buf == NULL || (is_write && write_len == 0) || (is_read && read_len == 0)) {
        return ERR_SIZE;
    }
    v->operation = operation;
    v->address = address;
    v->buf = buf;
    v->write_len = is_write ? write_len : 0;
    v->read_len = is_read ? read_len : 0;
    v->state = VIRTUAL_I2C_QUEUED;
    start_next(v->mux);
    return ERR_OK;
}

static err_t virtual_i2c_write(struct hil_i2c_master *i2c, uint8_t address, uint8_t *buf,
                               size_t len)
{
    return queue(CONTAINER_OF(i2c, struct virtual_i2c, i2c), VIRTUAL_I2C_WRITE, address, buf,
                 len, 0);
}

static err_t virtual_i2c_read(struct hil_i2c_master *i2c, uint8_t address, uint8_t *buf,
                              size_t len)
{
    return queue(CONTAINER_OF(i2c, struct virtual_i2c, i2c), VIRTUAL_I2C_READ, address, buf, 0,
                 len);
}

static err_t virtual_i2c_write_read(struct hil_i2c_master *i2c, uint8_t address, uint8_t *buf,
                                    size_t write_len, size_t read_len)
{
    return queue(CONTAINER_OF(i2c, struct virtual_i2c, i2c), VIRTUAL_I2C_WRITE_READ, address,
                 buf, write_len, read_len);
}

static void deliver(struct virtual_i2c *v, size_t len, err_t status)
{
    uint8_t *buf = v->buf;
    v->buf = NULL;
    v->state = VIRTUAL_I2C_IDLE;
    hil_i2c_command_done(&v->i2c, buf, len, status); /* v may queue again from here */
}

static void mux_i2c_command_done(struct hil_i2c_master_client *client, uint8_t *buf, size_t len,
                                 err_t status)
{
    struct mux_i2c *mux = CONTAINER_OF(client, struct mux_i2c, hw_client);
    struct virtual_i2c *v = mux->inflight;
    if (v == NULL) {
        return; /* not ours: nothing was lent */
    }
    mux->inflight = NULL;
    v->buf = buf;
    deliver(v, len, status);
    start_next(mux); /* the cursor puts a device that re-queued behind the others */
}

static void report(void *ctx)
{
    struct mux_i2c *mux = ctx;
    for (struct virtual_i2c *v = device_of(mux->devices.head); v != NULL;
         v = device_of(v->node.next)) {
        if (v->state == VIRTUAL_I2C_REPORT) {
            deliver(v, 0, v->failure);
        }
    }
    start_next(mux);
}

static const struct hil_i2c_master_ops virtual_i2c_ops = {
    .write = virtual_i2c_write,
    .read = virtual_i2c_read,
    .write_read = virtual_i2c_write_read,
};
static const struct hil_i2c_master_client_ops mux_i2c_client_ops = {
    .command_done = mux_i2c_command_done,
};

err_t mux_i2c_init(struct mux_i2c *mux, struct hil_i2c_master *hw)
{
    *mux = (struct mux_i2c){
        .hw_client = { .ops = &mux_i2c_client_ops },
        .hw = hw,
        .devices = { .head = NULL, .tail = NULL, .cursor = NULL },
        .inflight = NULL,
    };
    hil_i2c_set_client(hw, &mux->hw_client);
    return deferred_call_register(&mux->report, report, mux);
}

void virtual_i2c_init(struct virtual_i2c *v, struct mux_i2c *mux)
{
    *v = (struct virtual_i2c){
        .i2c = { .ops = &virtual_i2c_ops, .client = NULL },
        .mux = mux,
        .state = VIRTUAL_I2C_IDLE,
        .operation = VIRTUAL_I2C_WRITE,
        .address = 0,
        .buf = NULL,
        .write_len = 0,
        .read_len = 0,
        .failure = ERR_OK,
    };
    list_append(&mux->devices, &v->node);
}
