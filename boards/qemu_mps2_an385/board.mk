# SPDX-License-Identifier: Apache-2.0 OR MIT
# QEMU mps2-an385 (Cortex-M3): what the kernel image is made of (its memory map, toolchain and
# QEMU command line are in board.json, boards/description.mk).
BOARD_CFLAGS := -mcpu=cortex-m3 -mthumb -Os -g -ffunction-sections -fdata-sections
BOARD_LIBGCC := -lgcc
BOARD_LDFLAGS := -mcpu=cortex-m3 -mthumb -nostdlib -Wl,--gc-sections
BOARD_INCLUDES := -Iarch/cortex-m/include -Ichips/common/include -Ichips/cmsdk/include \
	-Ichips/mps2_an385/include -Ichips/pl022/include -Ichips/sbcon/include \
	-Ichips/ram_flash/include \
	-Ichips/crypto_engine/include
# CONFIG=core (boards/boards.mk): the arch, the UART, the timer, the chip and the LEDs.
BOARD_CORE_SRCS := \
	arch/cortex-m/startup.c arch/cortex-m/exceptions.S arch/cortex-m/context.c \
	arch/cortex-m/mpu.c arch/cortex-m/mpu_layout.c arch/cortex-m/systick.c arch/cortex-m/nvic.c \
	arch/cortex-m/semihosting.c \
	chips/common/uart_requests.c chips/cmsdk/uart.c chips/cmsdk/timer.c \
	chips/mps2_an385/chip.c chips/mps2_an385/fpgaio_led.c \
	boards/qemu_mps2_an385/main.c
# The full demo board adds storage, crypto and random numbers.
BOARD_SRCS := $(BOARD_CORE_SRCS) \
	chips/ram_flash/ram_flash.c boards/components/storage.c \
	chips/crypto_engine/engine.c chips/crypto_engine/aes.c chips/crypto_engine/sha.c \
	libraries/crypto/aes128.c libraries/crypto/aes_ccm.c libraries/crypto/aead_progress.c \
	libraries/crypto/aes_gcm.c libraries/crypto/compare.c libraries/crypto/sha256.c \
	libraries/crypto/hmac_sha256.c boards/components/crypto.c boards/components/sealed_store.c \
	capsules/extra/clock_entropy.c libraries/crypto/hmac_drbg.c
# Only in the self-test image (boards/boards.mk): the SPI and I2C controllers and the tests.
BOARD_SELFTEST_SRCS := boards/qemu_mps2_an385/selftests.c chips/pl022/pl022.c \
	chips/sbcon/i2c_bitbang.c chips/sbcon/sbcon.c
