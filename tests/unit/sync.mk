# SPDX-License-Identifier: Apache-2.0 OR MIT
# Host unit tests for the kernel's synchronization library: mutexes, mutex sets and the driver
# command queue (included by the top Makefile; each is built plain and with ASan/UBSan).

UNIT_TESTS += mutex_test
mutex_test_SRCS := tests/unit/support/mutex_test.c capsules/support/mutex.c kernel/deferred_call.c \
	libraries/errorcode.c

UNIT_TESTS += mutex_set_test
mutex_set_test_SRCS := tests/unit/support/mutex_set_test.c capsules/support/mutex_set.c capsules/support/mutex.c \
	kernel/deferred_call.c libraries/errorcode.c

UNIT_TESTS += cmd_queue_test
cmd_queue_test_SRCS := tests/unit/support/cmd_queue_test.c capsules/support/cmd_queue.c capsules/support/mutex.c \
	kernel/deferred_call.c libraries/errorcode.c

# The command queue inside the real kernel core (exit hooks, grants), against the fake arch.
SYNC_KERNEL_CORE_SRCS := kernel/kernel.c kernel/scheduler.c kernel/sched_round_robin.c \
	kernel/upcall.c kernel/process.c \
	kernel/process_printer.c kernel/fault_report.c kernel/fault_policy.c kernel/process_fault.c \
	kernel/fault_restart_timed.c kernel/trace.c kernel/syscall.c kernel/grant.c \
	kernel/upcall_queue.c kernel/upcall_latched.c kernel/latched_delivery.c \
	kernel/deferred_call.c kernel/debug.c \
	kernel/debug_lines.c \
	libraries/format.c libraries/errorcode.c \
	tests/fakes/fake_arch.c tests/fakes/fake_chip.c

UNIT_TESTS += cmd_queue_kernel_test
cmd_queue_kernel_test_CFLAGS := -Itests/unit/kernel
cmd_queue_kernel_test_SRCS := tests/unit/support/cmd_queue_kernel_test.c capsules/support/cmd_queue.c \
	$(SYNC_KERNEL_CORE_SRCS)
