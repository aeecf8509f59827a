# SPDX-License-Identifier: Apache-2.0 OR MIT
# Host unit tests for the key-value storage: the record store (capsules/extra/kv_store.c, with
# its format library libraries/kv_record.c) over the fake flash, and the syscall driver
# (capsules/extra/kv_driver.c) over the real store, fake grants and the real command queue.
# Included by the top Makefile; each is built plain and with ASan/UBSan. The format library's
# own test, with no fakes, is in libraries.mk.

# The store and the format it is the state machine over.
KV_STORE_SRCS := capsules/extra/kv_store.c libraries/kv_record.c

UNIT_TESTS += kv_store_test
kv_store_test_SRCS = tests/unit/capsules/kv_store_test.c $(KV_STORE_SRCS) \
	$(STORAGE_FIXTURE_SRCS)

UNIT_TESTS += kv_driver_test
kv_driver_test_SRCS = tests/unit/capsules/kv_driver_test.c capsules/extra/kv_driver.c \
	$(KV_STORE_SRCS) capsules/support/cmd_queue.c tests/fakes/fake_grant.c $(STORAGE_FIXTURE_SRCS)

# Power cuts in every program and erase of a workload (tests/fakes/fake_flash.h tears).
UNIT_TESTS += kv_powercut_test
kv_powercut_test_SRCS = tests/unit/capsules/kv_powercut_test.c $(KV_STORE_SRCS) \
	$(STORAGE_FIXTURE_SRCS)
