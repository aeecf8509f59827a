# SPDX-License-Identifier: Apache-2.0 OR MIT
# Host unit tests for kernel/ (included by the top Makefile).
UNIT_TESTS += upcall_queue_test
upcall_queue_test_SRCS := tests/unit/kernel/upcall_queue_test.c kernel/upcall_queue.c \
	kernel/upcall_latched.c

# The kernel core linked against the fake arch and chip (tests/fakes/arch/).
KERNEL_CORE_TEST_SRCS := kernel/kernel.c kernel/scheduler.c kernel/sched_round_robin.c \
	kernel/upcall.c kernel/process.c \
	kernel/process_printer.c kernel/fault_report.c kernel/fault_policy.c kernel/process_fault.c \
	kernel/fault_restart_timed.c kernel/trace.c kernel/syscall.c kernel/grant.c \
	kernel/upcall_queue.c kernel/upcall_latched.c kernel/latched_delivery.c \
	kernel/deferred_call.c kernel/debug.c \
	kernel/debug_lines.c \
	libraries/format.c libraries/errorcode.c \
	tests/fakes/fake_arch.c tests/fakes/fake_chip.c

# The full kernels' credential checker and what it needs (kernel/credentials.h).
CREDENTIALS_TEST_SRCS := kernel/credentials.c libraries/crypto/sha256.c libraries/crypto/sha512.c \
	libraries/crypto/p256.c

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
	libraries/app_load_plan.c \
	$(CREDENTIALS_TEST_SRCS) $(KERNEL_CORE_TEST_SRCS)

UNIT_TESTS += fast_path_test
fast_path_test_SRCS := tests/unit/kernel/fast_path_test.c $(KERNEL_CORE_TEST_SRCS)

UNIT_TESTS += fault_report_test
fault_report_test_SRCS := tests/unit/kernel/fault_report_test.c $(KERNEL_CORE_TEST_SRCS)

UNIT_TESTS += fault_policy_test
fault_policy_test_SRCS := tests/unit/kernel/fault_policy_test.c $(KERNEL_CORE_TEST_SRCS)

# The small kernels' brief fault report and immediate restarts in place of the full ones.
UNIT_TESTS += fault_report_brief_test
fault_report_brief_test_SRCS := tests/unit/kernel/fault_report_brief_test.c \
	$(filter-out kernel/fault_report.c kernel/fault_restart_timed.c,$(KERNEL_CORE_TEST_SRCS)) \
	kernel/fault_report_brief.c kernel/fault_restart_now.c

# The other scheduling policies in place of round-robin (kernel/sched_*.c, record 027).
UNIT_TESTS += sched_round_robin_test
sched_round_robin_test_CFLAGS := -DSCHED_POLICY_ROUND_ROBIN
sched_round_robin_test_SRCS := tests/unit/kernel/sched_policy_test.c $(KERNEL_CORE_TEST_SRCS)
UNIT_TESTS += sched_priority_test
sched_priority_test_CFLAGS := -DSCHED_POLICY_PRIORITY
sched_priority_test_SRCS := tests/unit/kernel/sched_policy_test.c \
	$(filter-out kernel/sched_round_robin.c,$(KERNEL_CORE_TEST_SRCS)) kernel/sched_priority.c
UNIT_TESTS += sched_cooperative_test
sched_cooperative_test_CFLAGS := -DSCHED_POLICY_COOPERATIVE
sched_cooperative_test_SRCS := tests/unit/kernel/sched_policy_test.c \
	$(filter-out kernel/sched_round_robin.c,$(KERNEL_CORE_TEST_SRCS)) kernel/sched_cooperative.c
UNIT_TESTS += sched_mlfq_test
sched_mlfq_test_CFLAGS := -DSCHED_POLICY_MLFQ
sched_mlfq_test_SRCS := tests/unit/kernel/sched_policy_test.c \
	$(filter-out kernel/sched_round_robin.c,$(KERNEL_CORE_TEST_SRCS)) kernel/sched_mlfq.c

UNIT_TESTS += process_control_test
process_control_test_SRCS := tests/unit/kernel/process_control_test.c $(KERNEL_CORE_TEST_SRCS)
