/* SPDX-License-Identifier: Apache-2.0 OR MIT */
/*
 * SPI virtualizer: a mux over one SPI controller and its virtual devices.
 *
 * Each device may have one transfer outstanding. The mux keeps the controller busy with one
 * device's transfer at a time: before starting it, it applies that device's chip select, rate,
 * polarity and phase; when the transfer finishes, it starts the next queued device after the
 * one served last, so a client that queues again from its own callback goes behind the others.
 * A refusal by the controller (of the configuration or of the transfer) is reported to the
 * device from the mux's deferred call, never inside the client's call.
 *
 * Usage: see capsules/virtual_spi.h.
 *
 * Invariants:
 *  - mux->inflight != NULL iff the controller owns inflight->tx and inflight->rx; then
 *    inflight->state is INFLIGHT and no other device is INFLIGHT.
 *  - A device in VIRTUAL_SPI_REPORT has mux->report set; its callback comes from report().
 *  - A device's configuration changes only while it is IDLE, so the configuration applied to
 *    the controller for a transfer is the one the device had when it queued it.
 */
#include "capsules/virtual_spi.h"

#include "container.h"

/* The device a node of mux->devices is, or NULL for none. */
static struct virtual_spi *device_of(struct list_node *node)
{
    return node == NULL ? NULL : CONTAINER_OF(node, struct virtual_spi, node);
}

static bool is_queued(const struct list_node *node, void *ctx)
{
    (void)ctx;
    return CONTAINER_OF(node, const struct virtual_spi, node)->state == VIRTUAL_SPI_QUEUED;
}

static struct virtual_spi *pick_next(struct mux_spi *mux)
{
    return device_of(list_round_robin(&mux->devices, is_queued, NULL));
}

/* The device's whole configuration, then its transfer; the first refusal is returned. */
static err_t start_transfer(struct mux_spi *mux, struct virtual_spi *v)
{
    err_t err = hil_spi_set_chip_select(mux->hw, v->chip_select);
    if (err == ERR_OK) {
        err = hil_spi_set_rate(mux->hw, v->rate_hz);
    }
    if (err == ERR_OK) {
        err = hil_spi_set_polarity(mux->hw, v->polarity);
    }
    if (err == ERR_OK) {
        err = hil_spi_set_phase(mux->hw, v->phase);
    }
    if (err == ERR_OK) {
        err = hil_spi_read_write(mux->hw, v->tx, v->rx, v->len);
    }
    return err;
}

static void start_next(struct mux_spi *mux)
{
    struct virtual_spi *v = mux->inflight == NULL ? pick_next(mux) : NULL;
    if (v == NULL) {
        return;
    }
    list_set_cursor(&mux->devices, &v->node);
    err_t err = start_transfer(mux, v);
    if (err == ERR_OK) {
        v->state = VIRTUAL_SPI_INFLIGHT;
        mux->inflight = v;
    } else {
        v->state = VIRTUAL_SPI_REPORT; /* reported later, never inside a downcall */
        v->failure = err;
        deferred_call_set(&mux->report);
    }
}

static err_t virtual_spi_read_write(struct hil_spi_master *spi, uint8_t *tx, uint8_t *rx,
                                    size_t len)
{
    struct virtual_spi *v = CONTAINER_OF(spi, struct virtual_spi, spi);
    if (v->state != VIRTUAL_SPI_IDLE) {
        return ERR_BUSY;
    }
    if (tx == NULL || len == 0) {
        return ERR_SIZE;
    }
    v->tx = tx;
    v->rx = rx;
    v->len = len;
    v->state = VIRTUAL_SPI_QUEUED;
    start_next(v->mux);
    return ERR_OK;
}

static err_t virtual_spi_set_chip_select(struct hil_spi_master *spi, uint32_t chip_select)
{
    struct virtual_spi *v = CONTAINER_OF(spi, struct virtual_spi, spi);
    if (v->state != VIRTUAL_SPI_IDLE) {
        return ERR_BUSY;
    }
    v->chip_select = chip_select;
    return ERR_OK;
}

static err_t virtual_spi_set_rate(struct hil_spi_master *spi, uint32_t rate_hz)
{
    struct virtual_spi *v = CONTAINER_OF(spi, struct virtual_spi, spi);
    if (v->state != VIRTUAL_SPI_IDLE) {
        return ERR_BUSY;
    }
    if (rate_hz == 0) {
        return ERR_INVAL;
    }
    v->rate_hz = rate_hz;
    return ERR_OK;
}

static err_t virtual_spi_set_polarity(struct hil_spi_master *spi, enum hil_spi_polarity polarity)
{
    struct virtual_spi *v = CONTAINER_OF(spi, struct virtual_spi, spi);
    if (v->state != VIRTUAL_SPI_IDLE) {
        return ERR_BUSY;
    }
    if (polarity != HIL_SPI_IDLE_LOW && polarity != HIL_SPI_IDLE_HIGH) {
        return ERR_INVAL;
    }
    v->polarity = polarity;
    return ERR_OK;
}

static err_t virtual_spi_set_phase(struct hil_spi_master *spi, enum hil_spi_phase phase)
{
    struct virtual_spi *v = CONTAINER_OF(spi, struct virtual_spi, spi);
    if (v->state != VIRTUAL_SPI_IDLE) {
        return ERR_BUSY;
    }
    if (phase != HIL_SPI_SAMPLE_LEADING && phase != HIL_SPI_SAMPLE_TRAILING) {
        return ERR_INVAL;
    }
    v->phase = phase;
    return ERR_OK;
}

static void deliver(struct virtual_spi *v, err_t status)
{
    uint8_t *tx = v->tx;
    uint8_t *rx = v->rx;
    size_t len = v->len;
    v->tx = NULL;
    v->rx = NULL;
    v->state = VIRTUAL_SPI_IDLE;
    hil_spi_read_write_done(&v->spi, tx, rx, len, status); /* v may queue again from here */
}

static void mux_spi_read_write_done(struct hil_spi_master_client *client, uint8_t *tx,
                                    uint8_t *rx, size_t len, err_t status)
{
    struct mux_spi *mux = CONTAINER_OF(client, struct mux_spi, hw_client);
    struct virtual_spi *v = mux->inflight;
    if (v == NULL) {
        return; /* not ours: nothing was lent */
    }
    (void)len;
    mux->inflight = NULL;
    v->tx = tx;
    v->rx = rx;
    deliver(v, status);
    start_next(mux); /* the cursor puts a device that re-queued behind the others */
}

static void report(void *ctx)
{
    struct mux_spi *mux = ctx;
    for (struct virtual_spi *v = device_of(mux->devices.head); v != NULL;
         v = device_of(v->node.next)) {
        if (v->state == VIRTUAL_SPI_REPORT) {
            deliver(v, v->failure);
        }
    }
    start_next(mux);
}

static const struct hil_spi_master_ops virtual_spi_ops = {
    .read_write = virtual_spi_read_write,
    .set_chip_select = virtual_spi_set_chip_select,
    .set_rate = virtual_spi_set_rate,
    .set_polarity = virtual_spi_set_polarity,
    .set_phase = virtual_spi_set_phase,
};
static const struct hil_spi_master_client_ops mux_spi_client_ops = {
    .read_write_done = mux_spi_read_write_done,
};

err_t mux_spi_init(struct mux_spi *mux, struct hil_spi_master *hw)
{
    *mux = (struct mux_spi){
        .hw_client = { .ops = &mux_spi_client_ops },
        .hw = hw,
        .devices = { .head = NULL, .tail = NULL, .cursor = NULL },
        .inflight = NULL,
    };
    hil_spi_set_client(hw, &mux->hw_client);
    return deferred_call_register(&mux->report, report, mux);
}

void virtual_spi_init(struct virtual_spi *v, struct mux_spi *mux, uint32_t chip_select)
{
    *v = (struct virtual_spi){
        .spi = { .ops = &virtual_spi_ops, .client = NULL },
        .mux = mux,
        .chip_select = chip_select,
        .rate_hz = VIRTUAL_SPI_DEFAULT_RATE_HZ,
        .polarity = HIL_SPI_IDLE_LOW,
        .phase = HIL_SPI_SAMPLE_LEADING,
        .state = VIRTUAL_SPI_IDLE,
        .tx = NULL,
        .rx = NULL,
        .len = 0,
        .failure = ERR_OK,
    };
    list_append(&mux->devices, &v->node);
}
