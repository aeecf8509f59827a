# SPDX-License-Identifier: Apache-2.0 OR MIT
# libFuzzer harnesses for the code that parses untrusted bytes (included by the top Makefile).
#   make fuzz [FUZZ_SECONDS=60]   build every harness into build/fuzz/<name> and run each for
#                                 FUZZ_SECONDS over tests/fuzz/corpus/<name>/, printing coverage
# New inputs go to build/fuzz/corpus/<name>/ (the committed seeds are never rewritten); a crash
# leaves its input at build/fuzz/<name>-crash-<sha1>.
FUZZ_CC ?= clang
FUZZ_SECONDS ?= 60
FUZZ_FLAGS := -fsanitize=fuzzer,address,undefined -fno-sanitize-recover=all \
	-fno-omit-frame-pointer

FUZZ_TARGETS :=
FUZZ_TARGETS += tbf_fuzz
tbf_fuzz_SRCS := tests/fuzz/tbf_fuzz.c libraries/tbf.c

FUZZ_TARGETS += kv_fuzz
kv_fuzz_SRCS := tests/fuzz/kv_fuzz.c capsules/extra/kv_store.c tests/fakes/fake_flash.c \
	kernel/deferred_call.c libraries/errorcode.c
kv_fuzz_LIBS := -lcmocka

# The loader's walk over app flash: the kernel core with the fake arch and chip (kernel.mk).
FUZZ_TARGETS += loader_fuzz
loader_fuzz_SRCS = tests/fuzz/loader_fuzz.c kernel/process_loader.c libraries/tbf.c \
	$(KERNEL_CORE_TEST_SRCS)

# The message IPC's descriptors, tokens, leases and buffers as syscalls on the kernel fixture.
FUZZ_TARGETS += ipc_msg_fuzz
ipc_msg_fuzz_SRCS = tests/fuzz/ipc_msg_fuzz.c kernel/ipc_name.c kernel/ipc_msg.c \
	kernel/ipc_msg_token.c kernel/ipc_msg_notify.c tests/fakes/fake_alarm.c \
	$(KERNEL_CORE_TEST_SRCS)
ipc_msg_fuzz_CFLAGS := -Itests/unit/kernel
ipc_msg_fuzz_LIBS := -lcmocka

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
