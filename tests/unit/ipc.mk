# SPDX-License-Identifier: Apache-2.0 OR MIT
# Host unit tests for both IPCs (kernel/ipc/: ipc.c; ipc_name.c and ipc_msg*.c), included
# by the top Makefile; built plain and with ASan/UBSan like every unit test. `=`, not `:=`:
# KERNEL_CORE_TEST_SRCS comes from kernel.mk, which is included after this file.

UNIT_TESTS += ipc_msg_test
ipc_msg_test_SRCS = tests/unit/kernel/ipc_msg_test.c kernel/ipc/ipc_name.c kernel/ipc/ipc_msg.c kernel/ipc/ipc_msg_core.c \
	kernel/ipc/ipc_msg_token.c kernel/ipc/ipc_msg_notify.c tests/fakes/fake_alarm.c \
	$(KERNEL_CORE_TEST_SRCS)

# The Tock-compatible IPC (kernel/ipc/ipc.c): held notifications, coalescing, drop on exit.
UNIT_TESTS += ipc_test
ipc_test_SRCS = tests/unit/kernel/ipc_test.c kernel/ipc/ipc.c $(KERNEL_CORE_TEST_SRCS)

# The message IPC's mapped shares (kernel/ipc/ipc_share.c): offers, maps, revocation, budget,
# and the isolation model over random operations and restarts.
UNIT_TESTS += ipc_share_test
ipc_share_test_SRCS = tests/unit/kernel/ipc_share_test.c kernel/ipc/ipc_share.c \
	kernel/ipc/ipc_name.c $(KERNEL_CORE_TEST_SRCS)
# The message queues (kernel/ipc/ipc_queue.c) on the message IPC's names, alarm and bits.
UNIT_TESTS += ipc_queue_test
ipc_queue_test_SRCS = tests/unit/kernel/ipc_queue_test.c kernel/ipc/ipc_queue.c kernel/ipc/ipc_name.c \
	kernel/ipc/ipc_msg.c kernel/ipc/ipc_msg_core.c kernel/ipc/ipc_msg_token.c \
	kernel/ipc/ipc_msg_notify.c tests/fakes/fake_alarm.c $(KERNEL_CORE_TEST_SRCS)
