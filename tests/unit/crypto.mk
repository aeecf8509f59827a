# SPDX-License-Identifier: Apache-2.0 OR MIT
# Host unit tests for libraries/crypto/ and chips/crypto_engine/ (included by the top Makefile;
# each is built plain and with ASan/UBSan).
UNIT_HEADERS += $(wildcard libraries/include/crypto/*.h \
	chips/crypto_engine/include/crypto_engine/*.h)

UNIT_TESTS += aes128_test
aes128_test_SRCS := tests/unit/crypto/aes128_test.c libraries/crypto/aes128.c

UNIT_TESTS += aes_aead_test
aes_aead_test_SRCS := tests/unit/crypto/aes_aead_test.c libraries/crypto/aes_ccm.c libraries/crypto/aead_progress.c \
	libraries/crypto/aes_gcm.c libraries/crypto/compare.c libraries/crypto/aes128.c

UNIT_TESTS += sha256_test
sha256_test_SRCS := tests/unit/crypto/sha256_test.c libraries/crypto/sha256.c \
	libraries/crypto/hmac_sha256.c

UNIT_TESTS += crypto_engine_test
crypto_engine_test_CFLAGS := -Ichips/crypto_engine/include
crypto_engine_test_SRCS := tests/unit/crypto/crypto_engine_test.c chips/crypto_engine/engine.c \
	chips/crypto_engine/aes.c chips/crypto_engine/sha.c libraries/crypto/aes128.c libraries/crypto/aes_ccm.c libraries/crypto/aead_progress.c \
	libraries/crypto/aes_gcm.c libraries/crypto/compare.c \
	libraries/crypto/sha256.c libraries/crypto/hmac_sha256.c kernel/deferred_call.c capsules/support/mutex.c \
	tests/fakes/fake_debug.c libraries/format.c libraries/errorcode.c

UNIT_TESTS += hmac_drbg_test
hmac_drbg_test_SRCS := tests/unit/crypto/hmac_drbg_test.c libraries/crypto/hmac_drbg.c \
	libraries/crypto/sha256.c libraries/crypto/hmac_sha256.c

UNIT_TESTS += sha512_test
sha512_test_SRCS := tests/unit/crypto/sha512_test.c libraries/crypto/sha512.c

UNIT_TESTS += p256_test
p256_test_SRCS := tests/unit/crypto/p256_test.c libraries/crypto/p256.c libraries/crypto/sha256.c
