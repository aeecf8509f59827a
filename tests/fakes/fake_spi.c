/* SPDX-License-Identifier: Apache-2.0 OR MIT */
/*
 * Fake SPI controller (see fake_spi.h): a test-driven implementation of the SPI HIL.
 *
 * Usage: see fake_spi.h.
 *
 * Invariants: callbacks are delivered only from fake_spi_complete(), one at a time
 * (callback_depth), after the fake's own state has been updated.
 */
#include "fake_spi.h"

#include <setjmp.h>
#include <stdarg.h>
#include <string.h>

#include <cmocka.h>

#include "container.h"

static err_t fake_read_write(struct hil_spi_master *master, uint8_t *tx, uint8_t *rx, size_t len)
{
    struct fake_spi *spi = CONTAINER_OF(master, struct fake_spi, spi);
    spi->read_write_calls++;
    err_t result = spi->next_read_write_result;
    spi->next_read_write_result = ERR_OK;
    if (result != ERR_OK) {
        return result;
    }
    if (spi->tx != NULL) {
        return ERR_BUSY;
    }
    if (tx == NULL || len == 0) {
        return ERR_SIZE;
    }
    spi->tx = tx;
    spi->rx = rx;
    spi->len = len;
    if (spi->log_len < FAKE_SPI_LOG_MAX) {
        spi->log[spi->log_len++] = (struct fake_spi_transfer){
            .chip_select = spi->chip_select,
            .rate_hz = spi->rate_hz,
            .polarity = spi->polarity,
            .phase = spi->phase,
            .first_byte = tx[0],
            .len = len,
        };
    }
    return ERR_OK;
}

static err_t fake_set_chip_select(struct hil_spi_master *master, uint32_t chip_select)
{
    struct fake_spi *spi = CONTAINER_OF(master, struct fake_spi, spi);
    spi->set_calls++;
    if (spi->tx != NULL) {
        return ERR_BUSY;
    }
    if (chip_select >= spi->chip_selects) {
        return ERR_INVAL;
    }
    spi->chip_select = chip_select;
    return ERR_OK;
}

static err_t fake_set_rate(struct hil_spi_master *master, uint32_t rate_hz)
{
    struct fake_spi *spi = CONTAINER_OF(master, struct fake_spi, spi);
    spi->set_calls++;
    if (spi->tx != NULL) {
        return ERR_BUSY;
    }
    if (rate_hz == 0 || rate_hz < spi->min_rate_hz) {
        return ERR_INVAL;
    }
    spi->rate_hz = rate_hz;
    return ERR_OK;
}

static err_t fake_set_polarity(struct hil_spi_master *master, enum hil_spi_polarity polarity)
{
    struct fake_spi *spi = CONTAINER_OF(master, struct fake_spi, spi);
    spi->set_calls++;
    if (spi->tx != NULL) {
        return ERR_BUSY;
    }
    spi->polarity = polarity;
    return ERR_OK;
}

static err_t fake_set_phase(struct hil_spi_master *master, enum hil_spi_phase phase)
{
    struct fake_spi *spi = CONTAINER_OF(master, struct fake_spi, spi);
    spi->set_calls++;
    if (spi->tx != NULL) {
        return ERR_BUSY;
    }
    spi->phase = phase;
    return ERR_OK;
}

static const struct hil_spi_master_ops fake_spi_ops = {
    .read_write = fake_read_write,
    .set_chip_select = fake_set_chip_select,
    .set_rate = fake_set_rate,
    .set_polarity = fake_set_polarity,
    .set_phase = fake_set_phase,
};

void fake_spi_init(struct fake_spi *spi, uint32_t chip_selects, uint32_t min_rate_hz)
{
    *spi = (struct fake_spi){
        .spi = { .ops = &fake_spi_ops, .client = NULL },
        .chip_selects = chip_selects,
        .min_rate_hz = min_rate_hz,
        .next_read_write_result = ERR_OK,
        .rate_hz = 1,
        .polarity = HIL_SPI_IDLE_LOW,
        .phase = HIL_SPI_SAMPLE_LEADING,
    };
}

bool fake_spi_busy(const struct fake_spi *spi)
{
    return spi->tx != NULL;
}

void fake_spi_complete(struct fake_spi *spi, err_t status)
{
    if (spi->tx == NULL) {
        fail_msg("fake_spi: no transfer to complete");
    }
    if (spi->callback_depth != 0) {
        fail_msg("fake_spi: completion delivered while a callback is running (re-entrant)");
    }
    uint8_t *tx = spi->tx;
    uint8_t *rx = spi->rx;
    size_t len = spi->len;
    if (status == ERR_OK && rx != NULL) {
        memmove(rx, tx, len);
    }
    spi->tx = NULL;
    spi->rx = NULL;
    spi->len = 0;
    spi->callback_depth++;
    hil_spi_read_write_done(&spi->spi, tx, rx, len, status);
    spi->callback_depth--;
}
