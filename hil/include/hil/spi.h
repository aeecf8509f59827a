/* SPDX-License-Identifier: Apache-2.0 OR MIT */
/*
 * SPI master HIL: split-phase full-duplex transfers plus synchronous bus configuration.
 *
 * A transfer clocks `len` bytes out of `tx` and, at the same time, `len` bytes into `rx` (or
 * drops them when `rx` is NULL). Chip select, clock rate, clock polarity and clock phase are
 * set with synchronous calls that never call back; they take effect from the next transfer.
 *
 * Usage: a chip SPI controller embeds `struct hil_spi_master spi`; the board hands `&ctl.spi`
 * to the SPI mux (capsules/virtual_spi.h), its only client. Each virtual SPI device offers the
 * same interface to one client, which configures it once and then transfers:
 *     err = hil_spi_set_rate(&dev.spi, 1000000);     // stored per device
 *     err = hil_spi_read_write(&dev.spi, tx, rx, 4);  // read_write_done() follows
 *
 * Invariants (the split-phase contract): ERR_OK from read_write() means exactly one
 * read_write_done() later and never inside the call; ERR_BUSY means an earlier callback is
 * still due; any other error means no callback. `tx` and `rx` belong to the implementation
 * until read_write_done() hands them back.
 */
#pragma once

#include <stddef.h>
#include <stdint.h>

#include "errorcode.h"

enum hil_spi_polarity {
    HIL_SPI_IDLE_LOW = 0,  /* CPOL 0: the clock idles low */
    HIL_SPI_IDLE_HIGH = 1, /* CPOL 1: the clock idles high */
};

enum hil_spi_phase {
    HIL_SPI_SAMPLE_LEADING = 0,  /* CPHA 0: data is sampled on the first clock edge */
    HIL_SPI_SAMPLE_TRAILING = 1, /* CPHA 1: data is sampled on the second clock edge */
};

struct hil_spi_master;
struct hil_spi_master_client;

struct hil_spi_master_ops {
    err_t (*read_write)(struct hil_spi_master *spi, uint8_t *tx, uint8_t *rx, size_t len);
    err_t (*set_chip_select)(struct hil_spi_master *spi, uint32_t chip_select);
    err_t (*set_rate)(struct hil_spi_master *spi, uint32_t rate_hz);
    err_t (*set_polarity)(struct hil_spi_master *spi, enum hil_spi_polarity polarity);
    err_t (*set_phase)(struct hil_spi_master *spi, enum hil_spi_phase phase);
};
struct hil_spi_master {
    const struct hil_spi_master_ops *ops;  /* set by the implementation's _init */
    struct hil_spi_master_client *client; /* set once by the board or the mux */
};
struct hil_spi_master_client_ops {
    /* `tx`, `rx` and `len` are those given to read_write(); on ERR_OK rx holds the bytes
     * received. Other statuses: the controller's failure (rx contents unspecified). */
    void (*read_write_done)(struct hil_spi_master_client *client, uint8_t *tx, uint8_t *rx,
                            size_t len, err_t status);
};
struct hil_spi_master_client {
    const struct hil_spi_master_client_ops *ops;
};

/**
 * Transfer `len` bytes: send tx[0..len) and receive into rx[0..len) (rx may be NULL to drop
 * what is received; rx may equal tx). Kernel loop only.
 * Returns ERR_OK (read_write_done follows exactly once, never inside this call), ERR_BUSY (a
 * transfer is outstanding), ERR_SIZE (`len` is 0, `tx` is NULL, or len exceeds what the
 * implementation supports) or ERR_OFF (powered down). No callback follows an error.
 */
MUST_CHECK static inline err_t hil_spi_read_write(struct hil_spi_master *spi, uint8_t *tx,
                                                  uint8_t *rx, size_t len)
{
    return spi->ops->read_write(spi, tx, rx, len);
}
/**
 * Select which chip-select line the following transfers assert. Synchronous; no callback.
 * Returns ERR_OK, ERR_BUSY (a transfer is outstanding; nothing changes) or ERR_INVAL (the
 * controller has no such line).
 */
MUST_CHECK static inline err_t hil_spi_set_chip_select(struct hil_spi_master *spi,
                                                       uint32_t chip_select)
{
    return spi->ops->set_chip_select(spi, chip_select);
}
/**
 * Clock the following transfers at the fastest rate the controller can make that is not above
 * `rate_hz`. Synchronous; no callback. Returns ERR_OK, ERR_BUSY (a transfer is outstanding;
 * nothing changes) or ERR_INVAL (rate_hz is 0 or below the slowest rate the controller makes).
 */
MUST_CHECK static inline err_t hil_spi_set_rate(struct hil_spi_master *spi, uint32_t rate_hz)
{
    return spi->ops->set_rate(spi, rate_hz);
}
/* Clock polarity for the following transfers. ERR_OK, ERR_BUSY (transfer outstanding; nothing
 * changes) or ERR_INVAL (not a hil_spi_polarity value). Synchronous; no callback. */
MUST_CHECK static inline err_t hil_spi_set_polarity(struct hil_spi_master *spi,
                                                    enum hil_spi_polarity polarity)
{
    return spi->ops->set_polarity(spi, polarity);
}
/* Clock phase for the following transfers. ERR_OK, ERR_BUSY (transfer outstanding; nothing
 * changes) or ERR_INVAL (not a hil_spi_phase value). Synchronous; no callback. */
MUST_CHECK static inline err_t hil_spi_set_phase(struct hil_spi_master *spi,
                                                 enum hil_spi_phase phase)
{
    return spi->ops->set_phase(spi, phase);
}
static inline void hil_spi_set_client(struct hil_spi_master *spi,
                                      struct hil_spi_master_client *client)
{
    spi->client = client;
}
/* For implementations: deliver a completion to the client, if one is set. */
static inline void hil_spi_read_write_done(struct hil_spi_master *spi, uint8_t *tx, uint8_t *rx,
                                           size_t len, err_t status)
{
    if (spi->client != NULL) {
        spi->client->ops->read_write_done(spi->client, tx, rx, len, status);
    }
}
