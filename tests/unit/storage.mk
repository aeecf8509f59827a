# SPDX-License-Identifier: Apache-2.0 OR MIT
# Host unit tests for the per-app storage drivers: isolated nonvolatile storage (0x50004) over
# the real flash mux on the fake flash, and the app flash driver (0x50000) with the kernel's
# writeable-region check. Included by the top Makefile; each is built plain and with ASan/UBSan.

# What every storage capsule test (and tests/fuzz/kv_fuzz) links besides the capsule: the
# fake flash, the real deferred calls and the shared pieces of tests/unit/capsules/
# storage_fixture.h. Users take it with `=`, as other .mk files are included before this one.
STORAGE_FIXTURE_SRCS := tests/unit/capsules/storage_fixture.c tests/fakes/fake_flash.c \
	kernel/deferred_call.c libraries/errorcode.c

UNIT_TESTS += isolated_storage_test
isolated_storage_test_SRCS = tests/unit/capsules/isolated_storage_test.c \
	capsules/extra/isolated_nonvolatile_storage.c capsules/extra/flash_transfer.c \
	capsules/core/virtualizers/virtual_flash.c capsules/support/cmd_queue.c tests/fakes/fake_grant.c \
	$(STORAGE_FIXTURE_SRCS)

UNIT_TESTS += app_flash_driver_test
app_flash_driver_test_SRCS = tests/unit/capsules/app_flash_driver_test.c \
	capsules/extra/app_flash_driver.c capsules/extra/flash_transfer.c capsules/support/cmd_queue.c \
	tests/fakes/fake_grant.c $(STORAGE_FIXTURE_SRCS)

UNIT_TESTS += writeable_flash_test
writeable_flash_test_SRCS := tests/unit/kernel/writeable_flash_test.c $(KERNEL_CORE_TEST_SRCS)

# Power cuts in every program and erase of a workload (tests/fakes/fake_flash.h tears): the
# directory and the regions of isolated storage, and the plain nonvolatile storage region.
UNIT_TESTS += invs_powercut_test
invs_powercut_test_SRCS = tests/unit/capsules/invs_powercut_test.c \
	capsules/extra/isolated_nonvolatile_storage.c capsules/extra/flash_transfer.c \
	capsules/core/virtualizers/virtual_flash.c capsules/support/cmd_queue.c tests/fakes/fake_grant.c \
	$(STORAGE_FIXTURE_SRCS)

UNIT_TESTS += nvs_powercut_test
nvs_powercut_test_SRCS = tests/unit/capsules/nvs_powercut_test.c \
	capsules/extra/nonvolatile_storage.c capsules/extra/flash_transfer.c capsules/support/cmd_queue.c \
	tests/fakes/fake_grant.c $(STORAGE_FIXTURE_SRCS)

# The app loader's state machine on the RAM flash driver, with fake grants (record 028).
UNIT_TESTS += app_loader_test
app_loader_test_SRCS := tests/unit/capsules/app_loader_test.c capsules/extra/app_loader.c \
	libraries/app_load_plan.c libraries/tbf.c chips/ram_flash/ram_flash.c tests/fakes/fake_grant.c \
	tests/fakes/fake_debug.c kernel/deferred_call.c libraries/format.c libraries/errorcode.c
app_loader_test_CFLAGS := -Ichips/ram_flash/include
