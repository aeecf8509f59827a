# SPDX-License-Identifier: Apache-2.0 OR MIT
# libFuzzer harnesses for the code that parses untrusted bytes (included by the top Makefile).
#   make fuzz [FUZZ_SECONDS=60]   build every harness into build/fuzz/<name> and run each for
#                                 FUZZ_SECONDS over tests/fuzz/corpus/<name>/, printing coverage
#   make fuzz-coverage            replay the seeds and build/fuzz/corpus/<name>/ through a
#                                 source-coverage build of each harness (no libFuzzer) and print
#                                 line and branch coverage of the files it targets (<name>_COV)
# New inputs go to build/fuzz/corpus/<name>/ (the committed seeds are never rewritten); a crash
# leaves its input at build/fuzz/<name>-crash-<sha1>.
FUZZ_CC ?= clang
FUZZ_SECONDS ?= 60
FUZZ_FLAGS := -fsanitize=fuzzer,address,undefined -fno-sanitize-recover=all \
	-fno-omit-frame-pointer

FUZZ_TARGETS :=
FUZZ_TARGETS += tbf_fuzz
tbf_fuzz_SRCS := tests/fuzz/tbf_fuzz.c libraries/tbf.c
tbf_fuzz_COV := libraries/tbf.c

FUZZ_TARGETS += kv_fuzz
kv_fuzz_SRCS = tests/fuzz/kv_fuzz.c $(KV_STORE_SRCS) $(STORAGE_FIXTURE_SRCS)
kv_fuzz_CFLAGS := -Itests/unit/capsules
kv_fuzz_LIBS := -lcmocka
kv_fuzz_COV := $(KV_STORE_SRCS)

# The loader's walk over app flash: the kernel core with the fake arch and chip (kernel.mk).
FUZZ_TARGETS += loader_fuzz
loader_fuzz_SRCS = tests/fuzz/loader_fuzz.c kernel/process_loader.c libraries/tbf.c \
	$(CREDENTIALS_TEST_SRCS) $(KERNEL_CORE_TEST_SRCS)
loader_fuzz_COV := kernel/process_loader.c libraries/tbf.c kernel/credentials.c

# The message IPC's descriptors, tokens, leases and buffers as syscalls on the kernel fixture.
FUZZ_TARGETS += ipc_msg_fuzz
ipc_msg_fuzz_SRCS = tests/fuzz/ipc_msg_fuzz.c kernel/ipc/ipc_name.c kernel/ipc/ipc_msg.c kernel/ipc/ipc_msg_core.c \
	kernel/ipc/ipc_msg_token.c kernel/ipc/ipc_msg_notify.c tests/fakes/fake_alarm.c \
	$(KERNEL_CORE_TEST_SRCS)
ipc_msg_fuzz_CFLAGS := -Itests/unit/kernel
ipc_msg_fuzz_LIBS := -lcmocka
ipc_msg_fuzz_COV := kernel/ipc/ipc_msg.c kernel/ipc/ipc_msg_core.c kernel/ipc/ipc_msg_token.c kernel/ipc/ipc_msg_notify.c \
	kernel/ipc/ipc_name.c

# The message queues' descriptors, sizes, waits, rights and buffers as syscalls on the fixture.
FUZZ_TARGETS += ipc_queue_fuzz
ipc_queue_fuzz_SRCS = tests/fuzz/ipc_queue_fuzz.c kernel/ipc/ipc_queue.c kernel/ipc/ipc_name.c \
	kernel/ipc/ipc_msg.c kernel/ipc/ipc_msg_core.c kernel/ipc/ipc_msg_token.c \
	kernel/ipc/ipc_msg_notify.c tests/fakes/fake_alarm.c $(KERNEL_CORE_TEST_SRCS)
ipc_queue_fuzz_CFLAGS := -Itests/unit/kernel
ipc_queue_fuzz_LIBS := -lcmocka
ipc_queue_fuzz_COV := kernel/ipc/ipc_queue.c

FUZZ_BINS := $(addprefix $(BUILD)/fuzz/,$(FUZZ_TARGETS))

define fuzz_rule
$(BUILD)/fuzz/$(1): $$($(1)_SRCS) $$(UNIT_HEADERS) | deps
	@mkdir -p $$(dir $$@)
	$$(FUZZ_CC) $$(HOST_CFLAGS) $$(FUZZ_FLAGS) $$($(1)_CFLAGS) $$(HOST_INCLUDES) -o $$@ $$($(1)_SRCS) $$($(1)_LIBS)
endef
$(foreach t,$(FUZZ_TARGETS),$(eval $(call fuzz_rule,$(t))))

.PHONY: fuzz
fuzz: $(FUZZ_BINS)
	@for t in $(FUZZ_TARGETS); do \
		mkdir -p $(BUILD)/fuzz/corpus/$$t; \
		echo "fuzz $$t: $(FUZZ_SECONDS) s"; \
		$(BUILD)/fuzz/$$t -max_total_time=$(FUZZ_SECONDS) -print_final_stats=1 \
			-artifact_prefix=$(BUILD)/fuzz/$$t- $(BUILD)/fuzz/corpus/$$t tests/fuzz/corpus/$$t \
			> $(BUILD)/fuzz/$$t.log 2>&1; rc=$$?; \
		grep -E '^#[0-9]+.*cov:' $(BUILD)/fuzz/$$t.log | tail -n 1; \
		grep -E '^stat::(number_of_executed_units|peak_rss_mb)' $(BUILD)/fuzz/$$t.log; \
		if [ $$rc -ne 0 ]; then tail -n 40 $(BUILD)/fuzz/$$t.log; \
			echo "FAIL fuzz $$t (log: $(BUILD)/fuzz/$$t.log)"; exit 1; fi; \
		echo "ok   fuzz $$t"; \
	done

# Source coverage: each harness linked with coverage_main.c instead of libFuzzer.
LLVM_PROFDATA ?= llvm-profdata
LLVM_COV ?= llvm-cov
COV_FLAGS := -fprofile-instr-generate -fcoverage-mapping
FUZZ_COV_BINS := $(addprefix $(BUILD)/fuzz-cov/,$(FUZZ_TARGETS))

define fuzz_cov_rule
$(BUILD)/fuzz-cov/$(1): $$($(1)_SRCS) tests/fuzz/coverage_main.c $$(UNIT_HEADERS) | deps
	@mkdir -p $$(dir $$@)
	$$(FUZZ_CC) $$(HOST_CFLAGS) $$(COV_FLAGS) $$($(1)_CFLAGS) $$(HOST_INCLUDES) -o $$@ \
		tests/fuzz/coverage_main.c $$($(1)_SRCS) $$($(1)_LIBS)
endef
$(foreach t,$(FUZZ_TARGETS),$(eval $(call fuzz_cov_rule,$(t))))

.PHONY: fuzz-coverage
define fuzz_cov_run
@mkdir -p $(BUILD)/fuzz/corpus/$(1)
	@rm -f $(BUILD)/fuzz-cov/$(1).profraw
	@LLVM_PROFILE_FILE=$(BUILD)/fuzz-cov/$(1).profraw $(BUILD)/fuzz-cov/$(1) \
		tests/fuzz/corpus/$(1) $(BUILD)/fuzz/corpus/$(1) > $(BUILD)/fuzz-cov/$(1).log 2>&1 \
		|| { tail -n 20 $(BUILD)/fuzz-cov/$(1).log; echo "FAIL fuzz-coverage $(1)"; exit 1; }
	@$(LLVM_PROFDATA) merge -sparse -o $(BUILD)/fuzz-cov/$(1).profdata $(BUILD)/fuzz-cov/$(1).profraw
	@echo "== $(1): $$(tail -n 1 $(BUILD)/fuzz-cov/$(1).log)"
	@$(LLVM_COV) report $(BUILD)/fuzz-cov/$(1) -instr-profile=$(BUILD)/fuzz-cov/$(1).profdata \
		-show-region-summary=false -show-branch-summary=true $($(1)_COV)
	
endef
fuzz-coverage: $(FUZZ_COV_BINS)
	$(foreach t,$(FUZZ_TARGETS),$(call fuzz_cov_run,$(t)))
