/* SPDX-License-Identifier: Apache-2.0 OR MIT */
/*
 * The self tests of QEMU mps2-an385 (self-test kernel image only, see components/selftest.h):
 * PL022 SSP0 in loopback behind an SPI mux, SBCon I2C0 (nothing attached) behind an I2C mux,
 * SBCon I2C3 behind another I2C mux talking to the at24c EEPROM the test runner attaches, and
 * the storage flash's mux. The SPI and I2C controllers serve nothing else on this board, so
 * the product image has none of them.
 *
 * Invariants: every object is a named static, set up once by board_selftests_start during boot.
 */
#include "components/core.h"
#include "components/selftest.h"
#include "mps2/an385.h"
#include "pl022/pl022.h"
#include "sbcon/sbcon.h"

/* QEMU hw/arm/mps2.c, an385: PL022 SSP0 and the first SBCon (see `info mtree`). */
#define BOARD_SSP0_BASE 0x40020000u
#define BOARD_SBCON0_BASE 0x40022000u
/* The last SBCon: QEMU's `-device at24c-eeprom,bus=i2c,...` (board.json) lands on its bus. */
#define BOARD_SBCON3_BASE 0x4002A000u
#define BOARD_SBCON_STEPS_PER_CALL 8u

static struct pl022 ssp0;
static struct mux_spi spi_mux;
static struct sbcon_i2c sbcon0;
static struct mux_i2c i2c_mux;
static struct sbcon_i2c sbcon3;
static struct mux_i2c eeprom_i2c_mux;
static struct selftest_spi spi_selftest;
static struct selftest_i2c i2c_selftest;
static struct selftest_eeprom eeprom_selftest;
static struct selftest_flash flash_selftest;

void board_selftests_start(struct mux_flash *flash_mux, uint32_t scratch_page)
{
    boot_check(pl022_init(&ssp0, BOARD_SSP0_BASE, MPS2_CLOCK_HZ, PL022_LOOPBACK), "ssp0");
    boot_check(mux_spi_init(&spi_mux, &ssp0.spi), "spi mux");
    boot_check(sbcon_i2c_init(&sbcon0, BOARD_SBCON0_BASE, BOARD_SBCON_STEPS_PER_CALL), "sbcon0");
    boot_check(mux_i2c_init(&i2c_mux, &sbcon0.i2c), "i2c mux");
    boot_check(sbcon_i2c_init(&sbcon3, BOARD_SBCON3_BASE, BOARD_SBCON_STEPS_PER_CALL), "sbcon3");
    boot_check(mux_i2c_init(&eeprom_i2c_mux, &sbcon3.i2c), "eeprom i2c mux");
    selftest_spi_start(&spi_selftest, &spi_mux);
    selftest_i2c_start(&i2c_selftest, &i2c_mux);
    selftest_eeprom_start(&eeprom_selftest, &eeprom_i2c_mux);
    selftest_flash_start(&flash_selftest, flash_mux, scratch_page);
}
