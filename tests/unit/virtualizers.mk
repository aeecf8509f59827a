# SPDX-License-Identifier: Apache-2.0 OR MIT
# Host unit tests for the SPI, I2C, flash and digest virtualizers, the chip-independent parts of
# their drivers (RAM flash model, SBCon bit-banging stepper) and the nonvolatile storage driver
# (included by the top Makefile; each is built plain and with ASan/UBSan).
UNIT_HEADERS += $(wildcard chips/ram_flash/include/ram_flash/*.h chips/sbcon/include/sbcon/*.h)

UNIT_TESTS += virtual_spi_test
virtual_spi_test_SRCS := tests/unit/capsules/virtual_spi_test.c \
	capsules/core/virtualizers/virtual_spi.c tests/fakes/fake_spi.c kernel/deferred_call.c \
	libraries/errorcode.c

UNIT_TESTS += virtual_i2c_test
virtual_i2c_test_SRCS := tests/unit/capsules/virtual_i2c_test.c \
	capsules/core/virtualizers/virtual_i2c.c tests/fakes/fake_i2c.c kernel/deferred_call.c \
	libraries/errorcode.c

UNIT_TESTS += virtual_flash_test
virtual_flash_test_SRCS := tests/unit/capsules/virtual_flash_test.c \
	capsules/core/virtualizers/virtual_flash.c tests/fakes/fake_flash.c kernel/deferred_call.c \
	libraries/errorcode.c

UNIT_TESTS += virtual_digest_test
virtual_digest_test_SRCS := tests/unit/capsules/virtual_digest_test.c \
	capsules/core/virtualizers/virtual_digest.c tests/fakes/fake_digest.c \
	libraries/crypto/sha256.c kernel/deferred_call.c libraries/errorcode.c

UNIT_TESTS += ram_flash_test
ram_flash_test_CFLAGS := -Ichips/ram_flash/include
ram_flash_test_SRCS := tests/unit/chips/ram_flash_test.c chips/ram_flash/ram_flash.c \
	kernel/deferred_call.c libraries/errorcode.c

UNIT_TESTS += i2c_bitbang_test
i2c_bitbang_test_CFLAGS := -Ichips/sbcon/include
i2c_bitbang_test_SRCS := tests/unit/chips/i2c_bitbang_test.c chips/sbcon/i2c_bitbang.c

UNIT_TESTS += nonvolatile_storage_test
nonvolatile_storage_test_SRCS = tests/unit/capsules/nonvolatile_storage_test.c \
	capsules/extra/nonvolatile_storage.c capsules/extra/flash_transfer.c capsules/support/cmd_queue.c \
	tests/fakes/fake_grant.c $(STORAGE_FIXTURE_SRCS)
