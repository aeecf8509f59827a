# SPDX-License-Identifier: Apache-2.0 OR MIT
# Host unit tests for kernel/ (included by the top Makefile).
UNIT_TESTS += upcall_queue_test
upcall_queue_test_SRCS := tests/unit/kernel/upcall_queue_test.c kernel/upcall_queue.c

# The kernel core linked against the fake arch and chip (tests/fakes/arch/).
KERNEL_CORE_TEST_SRCS := kernel/kernel.c kernel/scheduler.c kernel/upcall.c kernel/process.c \
	kernel/process_printer.c kernel/syscall.c kernel/grant.c kernel/upcall_queue.c \
	kernel/deferred_call.c kernel/debug.c libraries/format.c libraries/errorcode.c \
	tests/fakes/fake_arch.c tests/fakes/fake_chip.c

UNIT_TESTS += syscall_test
syscall_test_SRCS := tests/unit/kernel/syscall_test.c $(KERNEL_CORE_TEST_SRCS)

UNIT_TESTS += grant_test
grant_test_SRCS := tests/unit/kernel/grant_test.c $(KERNEL_CORE_TEST_SRCS)

UNIT_TESTS += scheduler_test
scheduler_test_SRCS := tests/unit/kernel/scheduler_test.c $(KERNEL_CORE_TEST_SRCS)

UNIT_TESTS += debug_test
debug_test_SRCS := tests/unit/kernel/debug_test.c $(KERNEL_CORE_TEST_SRCS)

UNIT_TESTS += loader_test
loader_test_SRCS := tests/unit/kernel/loader_test.c kernel/process_loader.c libraries/tbf.c \
	$(KERNEL_CORE_TEST_SRCS)

UNIT_TESTS += fast_path_test
fast_path_test_SRCS := tests/unit/kernel/fast_path_test.c $(KERNEL_CORE_TEST_SRCS)

UNIT_TESTS += process_control_test
process_control_test_SRCS := tests/unit/kernel/process_control_test.c $(KERNEL_CORE_TEST_SRCS)
