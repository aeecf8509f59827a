/* SPDX-License-Identifier: Apache-2.0 OR MIT */
/*
 * Boot self tests of the virtualizers on real drivers (see components/selftest.h).
 *
 * Each client checks its callbacks as they come and records the order it was served in; the
 * last callback of a test prints its verdict. Nothing here waits: every step is a callback.
 *
 * Usage: see components/selftest.h.
 *
 * Invariants: `outstanding` counts the operations whose callback is still due.
 */
#include "components/selftest.h"

#include "container.h"
#include "kernel/debug.h"

static void note_order(char *order, size_t *len, char tag)
{
    if (*len < SELFTEST_ORDER_MAX) {
        order[(*len)++] = tag;
        order[*len] = '\0';
    }
}

static bool is_equal(const char *a, const char *b)
{
    while (*a != '\0' && *a == *b) {
        a++;
        b++;
    }
    return *a == *b;
}

/* ---------------------------------------------------------------- SPI */

#define SPI_EXPECTED_ORDER "ABCA"

static void spi_fill(struct selftest_spi_device *d, uint8_t seed)
{
    for (size_t i = 0; i < SELFTEST_SPI_LEN; i++) {
        d->tx[i] = (uint8_t)(seed + 17u * i);
        d->rx[i] = 0;
    }
}

static void spi_done(struct hil_spi_master_client *client, uint8_t *tx, uint8_t *rx, size_t len,
                     err_t status)
{
    struct selftest_spi_device *d = CONTAINER_OF(client, struct selftest_spi_device, client);
    struct selftest_spi *test = d->test;
    note_order(test->order, &test->order_len, d->tag);
    if (status != d->expect) {
        test->failure = "unexpected status";
    } else if (tx != d->tx || rx != d->rx || len != SELFTEST_SPI_LEN) {
        test->failure = "buffers not handed back";
    } else if (status == ERR_OK) {
        for (size_t i = 0; i < len; i++) {
            if (rx[i] != tx[i]) {
                test->failure = "loopback data differs";
            }
        }
    }
    if (d->requeue > 0) {
        d->requeue--;
        spi_fill(d, 0xC3);
        if (hil_spi_read_write(&d->device.spi, d->tx, d->rx, SELFTEST_SPI_LEN) != ERR_OK) {
            test->failure = "re-queue refused";
            test->outstanding--;
        }
    } else {
        test->outstanding--;
    }
    if (test->outstanding == 0) {
        if (test->failure == NULL && !is_equal(test->order, SPI_EXPECTED_ORDER)) {
            test->failure = "not served round-robin";
        }
        if (test->failure == NULL) {
            debug_printf("selftest spi loopback ok, order %s\n", test->order);
        } else {
            debug_printf("selftest spi FAILED: %s (order %s)\n", test->failure, test->order);
        }
    }
}

static const struct hil_spi_master_client_ops selftest_spi_ops = { .read_write_done = spi_done };

void selftest_spi_start(struct selftest_spi *test, struct mux_spi *mux)
{
    static const char tags[3] = { 'A', 'B', 'C' };
    *test = (struct selftest_spi){ .outstanding = 0, .failure = NULL, .order_len = 0 };
    for (size_t i = 0; i < ARRAY_LEN(test->devices); i++) {
        struct selftest_spi_device *d = &test->devices[i];
        d->client = (struct hil_spi_master_client){ .ops = &selftest_spi_ops };
        d->test = test;
        d->tag = tags[i];
        d->expect = ERR_OK;
        d->requeue = 0;
        virtual_spi_init(&d->device, mux, 0);
        hil_spi_set_client(&d->device.spi, &d->client);
        spi_fill(d, (uint8_t)(0x11u * (i + 1)));
    }
    struct selftest_spi_device *a = &test->devices[0];
    struct selftest_spi_device *b = &test->devices[1];
    struct selftest_spi_device *c = &test->devices[2];
    a->requeue = 1;
    err_t err = hil_spi_set_rate(&b->device.spi, 4000000);
    if (err == ERR_OK) {
        err = hil_spi_set_polarity(&b->device.spi, HIL_SPI_IDLE_HIGH);
    }
    if (err == ERR_OK) {
        err = hil_spi_set_phase(&b->device.spi, HIL_SPI_SAMPLE_TRAILING);
    }
    if (err == ERR_OK) {
        err = hil_spi_set_chip_select(&c->device.spi, 7); /* the controller has only 0 */
    }
    c->expect = ERR_INVAL;
    for (size_t i = 0; i < ARRAY_LEN(test->devices) && err == ERR_OK; i++) {
        struct selftest_spi_device *d = &test->devices[i];
        err = hil_spi_read_write(&d->device.spi, d->tx, d->rx, SELFTEST_SPI_LEN);
        if (err == ERR_OK) {
            test->outstanding++;
        }
    }
    if (err != ERR_OK) {
        debug_printf("selftest spi FAILED: start refused (%s)\n", err_name(err));
    }
}

/* ---------------------------------------------------------------- I2C */

#define I2C_EXPECTED_ORDER "ABA"

static void i2c_done(struct hil_i2c_master_client *client, uint8_t *buf, size_t len, err_t status)
{
    struct selftest_i2c_device *d = CONTAINER_OF(client, struct selftest_i2c_device, client);
    struct selftest_i2c *test = d->test;
    note_order(test->order, &test->order_len, d->tag);
    if (status != ERR_NOACK) {
        test->failure = "a transaction to nobody did not end NOACK";
    } else if (buf != d->buf || len != 0) {
        test->failure = "buffer or length wrong";
    }
    if (d->requeue > 0) {
        d->requeue--;
        if (hil_i2c_read(&d->device.i2c, 0x52, d->buf, 2) != ERR_OK) {
            test->failure = "re-queue refused";
            test->outstanding--;
        }
    } else {
        test->outstanding--;
    }
    if (test->outstanding == 0) {
        if (test->failure == NULL && !is_equal(test->order, I2C_EXPECTED_ORDER)) {
            test->failure = "not served round-robin";
        }
        if (test->failure == NULL) {
            debug_printf("selftest i2c noack ok, order %s\n", test->order);
        } else {
            debug_printf("selftest i2c FAILED: %s (order %s)\n", test->failure, test->order);
        }
    }
}

static const struct hil_i2c_master_client_ops selftest_i2c_ops = { .command_done = i2c_done };

void selftest_i2c_start(struct selftest_i2c *test, struct mux_i2c *mux)
{
    static const char tags[2] = { 'A', 'B' };
    *test = (struct selftest_i2c){ .outstanding = 0, .failure = NULL, .order_len = 0 };
    for (size_t i = 0; i < ARRAY_LEN(test->devices); i++) {
        struct selftest_i2c_device *d = &test->devices[i];
        d->client = (struct hil_i2c_master_client){ .ops = &selftest_i2c_ops };
        d->test = test;
        d->tag = tags[i];
        d->requeue = 0;
        d->buf[0] = 0x5A;
        virtual_i2c_init(&d->device, mux);
        hil_i2c_set_client(&d->device.i2c, &d->client);
    }
    struct selftest_i2c_device *a = &test->devices[0];
    struct selftest_i2c_device *b = &test->devices[1];
    a->requeue = 1;
    err_t err = hil_i2c_write(&a->device.i2c, 0x50, a->buf, 1);
    if (err == ERR_OK) {
        test->outstanding++;
        err = hil_i2c_write_read(&b->device.i2c, 0x51, b->buf, 1, 2);
    }
    if (err == ERR_OK) {
        test->outstanding++;
    } else {
        debug_printf("selftest i2c FAILED: start refused (%s)\n", err_name(err));
    }
}

/* ---------------------------------------------------------------- I2C EEPROM */

#define EEPROM_ADDRESS 0x50u
#define EEPROM_OFFSET 0x10u

static const uint8_t eeprom_data[4] = { 'T', 'O', 'C', 'K' };

static void eeprom_done(struct hil_i2c_master_client *client, uint8_t *buf, size_t len,
                        err_t status)
{
    struct selftest_eeprom *test = CONTAINER_OF(client, struct selftest_eeprom, client);
    if (status != ERR_OK) {
        debug_printf("selftest i2c eeprom FAILED: %s %s\n", test->is_reading ? "read" : "write",
                     err_name(status));
        return;
    }
    if (!test->is_reading) {
        test->is_reading = true;
        buf[0] = 0;
        buf[1] = EEPROM_OFFSET;
        err_t err = hil_i2c_write_read(&test->device.i2c, EEPROM_ADDRESS, buf, 2,
                                       sizeof eeprom_data);
        if (err != ERR_OK) {
            debug_printf("selftest i2c eeprom FAILED: read refused %s\n", err_name(err));
        }
        return;
    }
    for (size_t i = 0; i < sizeof eeprom_data; i++) {
        if (len != sizeof eeprom_data || buf[i] != eeprom_data[i]) {
            debug_printf("selftest i2c eeprom FAILED: read back differs\n");
            return;
        }
    }
    debug_printf("selftest i2c eeprom ok\n");
}

static const struct hil_i2c_master_client_ops selftest_eeprom_ops = {
    .command_done = eeprom_done,
};

void selftest_eeprom_start(struct selftest_eeprom *test, struct mux_i2c *mux)
{
    *test = (struct selftest_eeprom){
        .client = { .ops = &selftest_eeprom_ops },
        .is_reading = false,
        .buf = { 0, EEPROM_OFFSET, eeprom_data[0], eeprom_data[1], eeprom_data[2],
                 eeprom_data[3] },
    };
    virtual_i2c_init(&test->device, mux);
    hil_i2c_set_client(&test->device.i2c, &test->client);
    err_t err = hil_i2c_write(&test->device.i2c, EEPROM_ADDRESS, test->buf, sizeof test->buf);
    if (err != ERR_OK) {
        debug_printf("selftest i2c eeprom FAILED: write refused %s\n", err_name(err));
    }
}

/* ---------------------------------------------------------------- flash */

static void flash_fail(const char *why, err_t err)
{
    debug_printf("selftest flash FAILED: %s (%s)\n", why, err_name(err));
}

static void flash_next(struct selftest_flash *test, enum selftest_flash_step step)
{
    struct hil_flash *flash = &test->device.flash;
    size_t len = sizeof test->page_buf;
    err_t err;
    test->step = step;
    switch (step) {
    case SELFTEST_FLASH_ERASE:
    case SELFTEST_FLASH_ERASE_AGAIN:
        err = hil_flash_erase_page(flash, test->page);
        break;
    case SELFTEST_FLASH_PROGRAM_F0:
    case SELFTEST_FLASH_PROGRAM_3C:
        for (size_t i = 0; i < len; i++) {
            test->page_buf[i] = step == SELFTEST_FLASH_PROGRAM_F0 ? 0xF0 : 0x3C;
        }
        err = hil_flash_write_page(flash, test->page, test->page_buf, len);
        break;
    case SELFTEST_FLASH_READ_AND:
    case SELFTEST_FLASH_READ_BLANK:
    default:
        for (size_t i = 0; i < len; i++) {
            test->page_buf[i] = 0x55;
        }
        err = hil_flash_read_page(flash, test->page, test->page_buf, len);
        break;
    }
    if (err != ERR_OK) {
        flash_fail("refused", err);
    }
}

static bool is_filled(const uint8_t *buf, size_t len, uint8_t value)
{
    for (size_t i = 0; i < len; i++) {
        if (buf[i] != value) {
            return false;
        }
    }
    return true;
}

static void flash_read_done(struct hil_flash_client *client, uint8_t *buf, size_t len,
                            err_t status)
{
    struct selftest_flash *test = CONTAINER_OF(client, struct selftest_flash, client);
    if (status != ERR_OK) {
        flash_fail("read failed", status);
    } else if (test->step == SELFTEST_FLASH_READ_AND) {
        if (is_filled(buf, len, 0x30)) {
            flash_next(test, SELFTEST_FLASH_ERASE_AGAIN);
        } else {
            flash_fail("programming 0x3C over 0xF0 did not give 0x30", ERR_FAIL);
        }
    } else if (is_filled(buf, len, 0xFF)) {
        debug_printf("selftest flash program/erase ok\n");
    } else {
        flash_fail("erase did not give 0xFF", ERR_FAIL);
    }
}

static void flash_write_done(struct hil_flash_client *client, uint8_t *buf, size_t len,
                             err_t status)
{
    struct selftest_flash *test = CONTAINER_OF(client, struct selftest_flash, client);
    (void)buf;
    (void)len;
    if (status != ERR_OK) {
        flash_fail("program failed", status);
        return;
    }
    flash_next(test, test->step == SELFTEST_FLASH_PROGRAM_F0 ? SELFTEST_FLASH_PROGRAM_3C
                                                             : SELFTEST_FLASH_READ_AND);
}

static void flash_erase_done(struct hil_flash_client *client, err_t status)
{
    struct selftest_flash *test = CONTAINER_OF(client, struct selftest_flash, client);
    if (status != ERR_OK) {
        flash_fail("erase failed", status);
        return;
    }
    flash_next(test, test->step == SELFTEST_FLASH_ERASE ? SELFTEST_FLASH_PROGRAM_F0
                                                        : SELFTEST_FLASH_READ_BLANK);
}

static const struct hil_flash_client_ops selftest_flash_ops = {
    .read_done = flash_read_done,
    .write_done = flash_write_done,
    .erase_done = flash_erase_done,
};

void selftest_flash_start(struct selftest_flash *test, struct mux_flash *mux,
                          uint32_t scratch_page)
{
    *test = (struct selftest_flash){
        .client = { .ops = &selftest_flash_ops },
        .page = scratch_page,
        .step = SELFTEST_FLASH_ERASE,
    };
    virtual_flash_init(&test->device, mux);
    hil_flash_set_client(&test->device.flash, &test->client);
    if (hil_flash_geometry(&test->device.flash).page_size != sizeof test->page_buf) {
        flash_fail("page size is not STORAGE_PAGE_SIZE", ERR_SIZE);
        return;
    }
    flash_next(test, SELFTEST_FLASH_ERASE);
}
