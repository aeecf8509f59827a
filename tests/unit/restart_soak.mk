# SPDX-License-Identifier: Apache-2.0 OR MIT
# The restart soak (doc/reference/016-restart-soak.md): 10,000 die-and-restart cycles of a
# process holding grants, queued SHA/HMAC/AES commands, the crypto-RAM mutex, IPC shares and message
# IPC calls, over the real kernel core, drivers and engine (fakes: arch, chip, alarms). Built
# plain and with ASan/UBSan like every unit test. `=`, not `:=`: KERNEL_CORE_TEST_SRCS comes
# from kernel.mk, which is included after this file.

UNIT_TESTS += restart_soak_test
restart_soak_test_CFLAGS := -Ichips/crypto_engine/include
restart_soak_test_SRCS = tests/unit/kernel/restart_soak_test.c \
	kernel/ipc/ipc.c kernel/ipc/ipc_name.c kernel/ipc/ipc_msg.c kernel/ipc/ipc_msg_core.c kernel/ipc/ipc_msg_token.c \
	kernel/ipc/ipc_msg_notify.c capsules/support/cmd_queue.c capsules/support/mutex.c \
	capsules/extra/digest_driver.c capsules/extra/sha.c capsules/extra/hmac.c \
	capsules/extra/aes.c capsules/extra/queued_driver.c chips/crypto_engine/engine.c \
	chips/crypto_engine/sha.c chips/crypto_engine/aes.c libraries/crypto/sha256.c \
	libraries/crypto/hmac_sha256.c libraries/crypto/aes128.c libraries/crypto/aes_ccm.c \
	libraries/crypto/aead_progress.c libraries/crypto/aes_gcm.c libraries/crypto/compare.c \
	tests/fakes/fake_alarm.c \
	$(KERNEL_CORE_TEST_SRCS)
