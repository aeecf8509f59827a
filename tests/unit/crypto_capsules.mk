# SPDX-License-Identifier: Apache-2.0 OR MIT
# Host unit tests for the crypto syscall drivers (capsules/extra/{digest_driver,sha,hmac,aes}.c),
# included by the top Makefile; each is built plain and with ASan/UBSan. The drivers run over
# the fake digest/AES units in tests/unit/capsules/fake_crypto_hil.c, fake grants and alarms, and
# the real command queue.
UNIT_HEADERS += tests/unit/capsules/fake_crypto_hil.h tests/unit/crypto/hex.h

CRYPTO_CAPSULE_TEST_SRCS := tests/unit/capsules/fake_crypto_hil.c tests/fakes/fake_grant.c \
	tests/fakes/fake_alarm.c \
	capsules/support/cmd_queue.c kernel/deferred_call.c libraries/crypto/aes128.c libraries/crypto/aes_ccm.c libraries/crypto/aead_progress.c \
	libraries/crypto/aes_gcm.c libraries/crypto/compare.c \
	libraries/crypto/sha256.c libraries/crypto/hmac_sha256.c libraries/errorcode.c

UNIT_TESTS += digest_driver_test
digest_driver_test_SRCS := tests/unit/capsules/digest_driver_test.c \
	capsules/extra/digest_driver.c capsules/extra/sha.c capsules/extra/hmac.c \
	capsules/extra/queued_driver.c $(CRYPTO_CAPSULE_TEST_SRCS)

# The SHA and HMAC drivers sharing one unit through the digest virtualizer (as the boards wire them).
UNIT_TESTS += digest_sharing_test
digest_sharing_test_SRCS := tests/unit/capsules/digest_sharing_test.c \
	capsules/extra/digest_driver.c capsules/extra/sha.c capsules/extra/hmac.c \
	capsules/extra/queued_driver.c capsules/core/virtualizers/virtual_digest.c \
	$(CRYPTO_CAPSULE_TEST_SRCS)

UNIT_TESTS += aes_driver_test
aes_driver_test_CFLAGS := -Ichips/crypto_engine/include
aes_driver_test_SRCS := tests/unit/capsules/aes_driver_test.c capsules/extra/aes.c \
	capsules/extra/queued_driver.c chips/crypto_engine/engine.c chips/crypto_engine/aes.c \
	capsules/support/mutex.c tests/fakes/fake_debug.c libraries/format.c $(CRYPTO_CAPSULE_TEST_SRCS)

# The sealed record store over the real crypto engine units (and their RAM mutex) and the
# RAM-backed flash model.
UNIT_TESTS += sealed_store_test
sealed_store_test_CFLAGS := -Ichips/crypto_engine/include -Ichips/ram_flash/include
sealed_store_test_SRCS := tests/unit/capsules/sealed_store_test.c capsules/extra/sealed_store.c \
	chips/crypto_engine/engine.c chips/crypto_engine/aes.c chips/crypto_engine/sha.c \
	chips/ram_flash/ram_flash.c capsules/support/mutex.c kernel/deferred_call.c tests/fakes/fake_debug.c \
	libraries/crypto/aes128.c libraries/crypto/aes_ccm.c libraries/crypto/aead_progress.c \
	libraries/crypto/aes_gcm.c libraries/crypto/compare.c libraries/crypto/sha256.c libraries/crypto/hmac_sha256.c \
	libraries/format.c libraries/errorcode.c

# The sealed store syscall driver (0xA8003) over the real store, engine units (the MAC through
# the digest virtualizer, as the boards wire it) and RAM flash, with fake grants and processes.
UNIT_TESTS += sealed_store_driver_test
sealed_store_driver_test_CFLAGS := -Ichips/crypto_engine/include -Ichips/ram_flash/include
sealed_store_driver_test_SRCS := tests/unit/capsules/sealed_store_driver_test.c \
	capsules/extra/sealed_store_driver.c capsules/extra/sealed_store.c \
	capsules/core/virtualizers/virtual_digest.c capsules/support/cmd_queue.c \
	tests/fakes/fake_grant.c \
	chips/crypto_engine/engine.c chips/crypto_engine/aes.c chips/crypto_engine/sha.c \
	chips/ram_flash/ram_flash.c capsules/support/mutex.c kernel/deferred_call.c tests/fakes/fake_debug.c \
	libraries/crypto/aes128.c libraries/crypto/aes_ccm.c libraries/crypto/aead_progress.c \
	libraries/crypto/aes_gcm.c libraries/crypto/compare.c libraries/crypto/sha256.c libraries/crypto/hmac_sha256.c \
	libraries/format.c libraries/errorcode.c
