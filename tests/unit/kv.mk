# SPDX-License-Identifier: Apache-2.0 OR MIT
# Host unit tests for the key-value storage: the record store (capsules/extra/kv_store.c) over
# the fake flash, and the syscall driver (capsules/extra/kv_driver.c) over the real store, fake
# grants and the real command queue. Included by the top Makefile; each is built plain and with
# ASan/UBSan.

UNIT_TESTS += kv_store_test
kv_store_test_SRCS = tests/unit/capsules/kv_store_test.c capsules/extra/kv_store.c \
	$(STORAGE_FIXTURE_SRCS)

UNIT_TESTS += kv_driver_test
kv_driver_test_SRCS = tests/unit/capsules/kv_driver_test.c capsules/extra/kv_driver.c \
	capsules/extra/kv_store.c capsules/support/cmd_queue.c tests/fakes/fake_grant.c $(STORAGE_FIXTURE_SRCS)

# Power cuts in every program and erase of a workload (tests/fakes/fake_flash.h tears).
UNIT_TESTS += kv_powercut_test
kv_powercut_test_SRCS = tests/unit/capsules/kv_powercut_test.c capsules/extra/kv_store.c \
	$(STORAGE_FIXTURE_SRCS)
