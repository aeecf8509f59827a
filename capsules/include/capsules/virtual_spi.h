/* SPDX-License-Identifier: Apache-2.0 OR MIT */
/*
 * SPI virtualizer: many clients, each with its own chip select and clock settings, share one
 * SPI controller.
 *
 * struct mux_spi is the controller's only client. Each struct virtual_spi offers the
 * controller's own HIL (hil_spi_master) to one client and may have one transfer outstanding.
 * A virtual device's set_chip_select/set_rate/set_polarity/set_phase only record the device's
 * configuration; the mux applies the whole configuration to the controller right before each of
 * that device's transfers, so clients never see each other's settings. Transfers are served
 * round-robin, starting after the device served last.
 *
 * Usage (board):
 *     static struct mux_spi spi_mux;
 *     static struct virtual_spi sensor_spi, radio_spi;
 *     boot_check(mux_spi_init(&spi_mux, &ssp0.spi), "spi mux");
 *     virtual_spi_init(&sensor_spi, &spi_mux, 0);   // chip select 0
 *     virtual_spi_init(&radio_spi, &spi_mux, 1);
 *     ... hil_spi_set_client(&sensor_spi.spi, &sensor.spi_client);
 *
 * Invariants: see virtual_spi.c.
 */
#pragma once

#include <stddef.h>
#include <stdint.h>

#include "errorcode.h"
#include "hil/spi.h"
#include "kernel/deferred_call.h"
#include "list.h"

/* A new virtual device's clock until its client sets one. */
#define VIRTUAL_SPI_DEFAULT_RATE_HZ 1000000u

enum virtual_spi_state {
    VIRTUAL_SPI_IDLE,
    VIRTUAL_SPI_QUEUED,   /* waiting for the controller */
    VIRTUAL_SPI_INFLIGHT, /* the controller owns tx and rx */
    VIRTUAL_SPI_REPORT,   /* the controller refused; the deferred call reports `failure` */
};

struct mux_spi;

struct virtual_spi {
    struct hil_spi_master spi; /* clients see the controller's HIL */
    struct list_node node; /* in mux->devices, in virtual_spi_init order */
    struct mux_spi *mux;
    /* this device's configuration, applied before each of its transfers */
    uint32_t chip_select;
    uint32_t rate_hz;
    enum hil_spi_polarity polarity;
    enum hil_spi_phase phase;
    /* the outstanding transfer */
    enum virtual_spi_state state;
    uint8_t *tx; /* owned here while state != IDLE */
    uint8_t *rx;
    size_t len;
    err_t failure; /* valid in VIRTUAL_SPI_REPORT */
};

struct mux_spi {
    struct hil_spi_master_client hw_client; /* the mux is the controller's only client */
    struct hil_spi_master *hw;
    struct list devices; /* in init order; its cursor is the round-robin cursor */
    struct virtual_spi *inflight;     /* non-NULL iff the controller owns inflight's buffers */
    struct deferred_call report;
};

/**
 * Boot only: make `mux` the only client of `hw` and register its deferred call.
 * Returns ERR_OK or ERR_NOMEM (no deferred-call slot).
 */
MUST_CHECK err_t mux_spi_init(struct mux_spi *mux, struct hil_spi_master *hw);

/**
 * Boot only: link `v` into `mux` with chip select `chip_select`, VIRTUAL_SPI_DEFAULT_RATE_HZ,
 * HIL_SPI_IDLE_LOW and HIL_SPI_SAMPLE_LEADING. Its client is then set with
 * hil_spi_set_client(&v->spi, c).
 *
 * The virtual HIL follows hil/spi.h, with these specifics:
 *  - read_write: ERR_OK (read_write_done follows once, never inside the call; if the
 *    controller refuses the device's configuration or the transfer, the refusal -- ERR_INVAL
 *    for a chip select or rate the controller lacks -- is the callback's status), ERR_BUSY
 *    (this device has a transfer outstanding), ERR_SIZE (len 0 or tx NULL).
 *  - set_chip_select/set_rate/set_polarity/set_phase: ERR_OK (recorded for this device's later
 *    transfers), ERR_BUSY (this device has a transfer outstanding; nothing changes), ERR_INVAL
 *    (rate 0, or not a polarity/phase value). Whether the controller has that chip select or
 *    can clock that slowly is known only when the mux applies it.
 */
void virtual_spi_init(struct virtual_spi *v, struct mux_spi *mux, uint32_t chip_select);
