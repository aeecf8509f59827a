/* SPDX-License-Identifier: Apache-2.0 OR MIT */
/*
 * Boot self tests of the SPI, I2C and flash virtualizers on the board's real drivers.
 *
 * Each test is a few kernel clients on their own virtual devices that run once at boot, check
 * what the hardware did, and print one line the QEMU tests look for:
 *  - SPI: three devices with different settings; the controller is in loopback, so every
 *    transfer must receive exactly the bytes it sent; one device asks for a chip select the
 *    controller lacks and must get ERR_INVAL in its callback; device A queues again from its
 *    callback and must be served after the others (round robin). Prints
 *    "selftest spi loopback ok, order ABCA".
 *  - I2C: two devices address nobody (nothing is attached) with write, write_read and read;
 *    each must end with ERR_NOACK; A re-queues from its callback. Prints
 *    "selftest i2c noack ok, order ABA".
 *  - I2C EEPROM (where the board's QEMU command attaches an at24c EEPROM of more than 256
 *    bytes, so two offset bytes, at 0x50): write four bytes at EEPROM offset 0x0010, then read
 *    them back with write_read (repeated START); they must match. Prints
 *    "selftest i2c eeprom ok".
 *  - Flash: erase a scratch erase unit, program a page twice (0xF0 then 0x3C), read it back
 *    (must be 0x30: programming only clears bits), erase, read back (must be 0xFF). Prints
 *    "selftest flash program/erase ok".
 * A failed check prints "selftest <name> FAILED: <why>" instead.
 *
 * Usage (board, after the muxes are set up):
 *     static struct selftest_spi spi_selftest;
 *     selftest_spi_start(&spi_selftest, &spi_mux);
 *     static struct selftest_flash flash_selftest;
 *     selftest_flash_start(&flash_selftest, &storage.flash_mux, BOARD_SCRATCH_PAGE);
 *
 * Invariants: each test has at most one operation outstanding per virtual device; it prints
 * exactly one line, when its last callback has arrived.
 */
#pragma once

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "capsules/virtual_flash.h"
#include "kernel/kernel.h"
#include "capsules/virtual_i2c.h"
#include "capsules/virtual_spi.h"
#include "components/storage.h"

#define SELFTEST_SPI_LEN 16u
#define SELFTEST_ORDER_MAX 8u

struct selftest_spi;
struct selftest_spi_device {
    struct hil_spi_master_client client;
    struct virtual_spi device;
    struct selftest_spi *test;
    char tag;
    err_t expect; /* the status its transfers must end with */
    unsigned requeue;
    uint8_t tx[SELFTEST_SPI_LEN];
    uint8_t rx[SELFTEST_SPI_LEN];
};
struct selftest_spi {
    struct selftest_spi_device devices[3];
    unsigned outstanding;
    const char *failure;
    char order[SELFTEST_ORDER_MAX + 1];
    size_t order_len;
};

struct selftest_i2c;
struct selftest_i2c_device {
    struct hil_i2c_master_client client;
    struct virtual_i2c device;
    struct selftest_i2c *test;
    char tag;
    unsigned requeue;
    uint8_t buf[4];
};
struct selftest_i2c {
    struct selftest_i2c_device devices[2];
    unsigned outstanding;
    const char *failure;
    char order[SELFTEST_ORDER_MAX + 1];
    size_t order_len;
};

struct selftest_eeprom {
    struct hil_i2c_master_client client;
    struct virtual_i2c device;
    bool is_reading; /* the write is done; the read-back is outstanding */
    uint8_t buf[6]; /* offset (2 bytes, big endian), then the data */
};

enum selftest_flash_step {
    SELFTEST_FLASH_ERASE,
    SELFTEST_FLASH_PROGRAM_F0,
    SELFTEST_FLASH_PROGRAM_3C,
    SELFTEST_FLASH_READ_AND,
    SELFTEST_FLASH_ERASE_AGAIN,
    SELFTEST_FLASH_READ_BLANK,
};
struct selftest_flash {
    struct hil_flash_client client;
    struct virtual_flash device;
    uint32_t page;
    enum selftest_flash_step step;
    uint8_t page_buf[STORAGE_PAGE_SIZE];
};

/* Boot only: run the SPI test on `mux`, whose controller must be in loopback with chip
 * select 0 only. */
void selftest_spi_start(struct selftest_spi *test, struct mux_spi *mux);
/* Boot only: run the I2C test on `mux`, with nothing at addresses 0x50-0x52. */
void selftest_i2c_start(struct selftest_i2c *test, struct mux_i2c *mux);
/* Boot only: run the EEPROM test on `mux`, with an at24c-style EEPROM (two offset bytes) at
 * 0x50. */
void selftest_eeprom_start(struct selftest_eeprom *test, struct mux_i2c *mux);
/* Boot only: run the flash test on the erase unit starting at `scratch_page` (its contents
 * are destroyed; no other client may use that unit). */
void selftest_flash_start(struct selftest_flash *test, struct mux_flash *mux,
                          uint32_t scratch_page);

/* The board's self tests (boards/<board>/selftests.c): the self-test kernel image only
 * (kernel-selftest.elf, built with BOARD_SELFTESTS); the product image has none of this code.
 * Starts every self test the board has; flash_mux and scratch_page are the storage flash's mux
 * and a page of it the tests may erase. */
void board_selftests_start(struct mux_flash *flash_mux, uint32_t scratch_page);

/* The fault-policy test apps' overrides (selftest_faults.c): fault_hold is held, fault_stop
 * stopped, fault_late restarted with a 300 ms healthy run. Before kernel_load_processes. */
void selftest_fault_policies(struct kernel *k);
