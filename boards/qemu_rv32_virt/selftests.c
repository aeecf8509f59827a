/* SPDX-License-Identifier: Apache-2.0 OR MIT */
/*
 * The self tests of QEMU virt (self-test kernel image only, see components/selftest.h): the
 * flash self test on the storage flash's mux (the board has no SPI or I2C controller).
 *
 * Invariants: every object is a named static, set up once by board_selftests_start during boot.
 */
#include "components/selftest.h"

static struct selftest_flash flash_selftest;

void board_selftests_start(struct mux_flash *flash_mux, uint32_t scratch_page)
{
    selftest_flash_start(&flash_selftest, flash_mux, scratch_page);
}
