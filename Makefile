# SPDX-License-Identifier: Apache-2.0 OR MIT
# tockc top-level build (`make help` prints this text).
#
# Targets:
#   make run           build the kernel and the demo apps, boot them in QEMU (quit: Ctrl-a x);
#                      with APPS, boot those apps instead; fails (QEMU exits with status 1)
#                      when the kernel panics
#   make debug         the demo in QEMU halted at reset under gdb-multiarch, on this terminal:
#                      the kernel's symbols and each app's where the kernel places it, so
#                      `break main` just works (README, Debugging); quit gdb to stop QEMU
#   make debug-server  the same QEMU, console as in `make run`, waiting for gdb to attach
#                      (gdb-multiarch -x build/<board>/debug.gdb, as it prints)
#   make debug-script  only write build/<board>/debug.gdb (tools/gdb_script.py)
#   make test          everything: host unit tests (plain and ASan/UBSan), tool tests, QEMU
#                      tests and the libtock-c corpus on both boards, fuzz runs, bench check
#   make unit          host unit tests only
#   make qemu-test     QEMU integration tests on BOARD
#   make compat-test   the libtock-c conformance corpus on BOARD
#   make bench         instruction counts and sizes on both boards vs bench/baseline.json
#   make fuzz          libFuzzer harnesses (tests/fuzz/), FUZZ_SECONDS each
#   make fuzz-coverage line/branch coverage of the fuzzed files (seeds + corpus)
#   make soak          long campaigns on both boards (tests/board/cases.py SOAK_CASES)
#   make kernel        the kernel image of BOARD (build/<board>/kernel.elf)
#   make apps          the userland apps for BOARD (build/apps/<arch>/)
#   make boards        the boards, each with its memory map and QEMU machine
#   make deps          install missing tools (tools/install_deps.sh; apt-get, as root)
#   make clean         remove build/
#   make help          this text
#
# Variables:
#   BOARD=qemu_mps2_an385   the board (default) or qemu_rv32_virt; `make boards` lists them
#   CONFIG=core             the core kernel only (alarm, console, LEDs, debug); default full
#   APPS="a.tab b.tbf"      `make run` boots these TABs and TBFs, in this order, instead of the
#                           demo apps (tools/tockloader.py installs them into build/<board>/apps.bin)
#   FUZZ_SECONDS=60         seconds per harness for `make fuzz`
#   BENCH_FLAGS=--update-baseline   accept the figures of `make bench` as the new baseline
#   APP=hello               make debug*: load this demo app's symbols only (default: all)
#   GDB_PORT=1234           make debug*: the port of QEMU's gdb stub (on 127.0.0.1)
#   GDB_FLAGS=-batch        make debug: more gdb options (e.g. -batch -x commands.gdb)
#   PYTHON=python3  HOST_CC=gcc     the host tools' interpreter and compiler
BOARD ?= qemu_mps2_an385
BUILD := build
PYTHON ?= python3

HOST_CC ?= gcc
HOST_CFLAGS := -std=c11 -g -O1 -Wall -Wextra -Werror -Wshadow -Wstrict-prototypes \
	-Wmissing-prototypes -Wvla -DTOCKC_HOST_TEST
SAN_FLAGS := -fsanitize=address,undefined -fno-sanitize-recover=all -fno-omit-frame-pointer
HOST_INCLUDES := -Ilibraries/include -Ikernel/include -Ikernel/ipc/include -Ihil/include -Icapsules/include \
	-Itests/fakes -Itests/unit/include

UNIT_TESTS :=
UNIT_HEADERS = $(wildcard libraries/include/*.h kernel/include/kernel/*.h hil/include/hil/*.h \
	capsules/include/capsules/*.h tests/fakes/*.h tests/fakes/arch/*.h tests/unit/include/*.h \
	tests/unit/*/*.h arch/*/include/arch/*.h)
include $(sort $(wildcard tests/unit/*.mk))
include tests/fuzz/fuzz.mk

UNIT_BINS := $(addprefix $(BUILD)/host/,$(UNIT_TESTS)) $(addprefix $(BUILD)/host-san/,$(UNIT_TESTS))

.PHONY: all run test unit qemu-test compat-test tools-test deps clean kernel apps

all: kernel apps

deps:
	@sh tools/install_deps.sh

define unit_rule
$(BUILD)/host/$(1): $$($(1)_SRCS) $$(UNIT_HEADERS) | deps
	@mkdir -p $$(dir $$@)
	$$(HOST_CC) $$(HOST_CFLAGS) $$($(1)_CFLAGS) $$(HOST_INCLUDES) -o $$@ $$($(1)_SRCS) -lcmocka
$(BUILD)/host-san/$(1): $$($(1)_SRCS) $$(UNIT_HEADERS) | deps
	@mkdir -p $$(dir $$@)
	$$(HOST_CC) $$(HOST_CFLAGS) $$(SAN_FLAGS) $$($(1)_CFLAGS) $$(HOST_INCLUDES) -o $$@ $$($(1)_SRCS) -lcmocka
endef
$(foreach t,$(UNIT_TESTS),$(eval $(call unit_rule,$(t))))

unit: $(UNIT_BINS)
	@$(PYTHON) tools/run_tests.py --unit $(UNIT_BINS)

TEST_BOARDS := qemu_mps2_an385 qemu_rv32_virt
test: $(UNIT_BINS) $(FUZZ_BINS)
	@for b in $(TEST_BOARDS); do $(MAKE) --no-print-directory BOARD=$$b kernel apps || exit 1; \
		$(MAKE) --no-print-directory BOARD=$$b CONFIG=core kernel || exit 1; done
	@$(PYTHON) tools/run_tests.py --unit $(UNIT_BINS) --tools $(addprefix --board ,$(TEST_BOARDS)) \
		$(addprefix --compat ,$(TEST_BOARDS)) --fuzz $(FUZZ_BINS) $(addprefix --bench ,$(TEST_BOARDS))

# Deterministic instruction counts and sizes (bench/README.md); fails when a figure grows more
# than 1% over the committed baseline or over a met budget (bench/budget.json); `make test`
# runs the same check. BENCH_FLAGS=--update-baseline accepts the figures and rewrites
# bench/baseline.json.
# Long QEMU campaigns (doc/reference/015-soak-tests.md), minutes per board; not part of `test`.
.PHONY: soak
soak:
	@for b in $(TEST_BOARDS); do $(MAKE) --no-print-directory BOARD=$$b kernel apps || exit 1; done
	@status=0; for b in $(TEST_BOARDS); do \
		$(PYTHON) tools/qemu_test.py --soak --board $$b || status=1; done; exit $$status

.PHONY: bench
bench:
	@for b in $(TEST_BOARDS); do $(MAKE) --no-print-directory BOARD=$$b kernel apps || exit 1; \
		$(MAKE) --no-print-directory BOARD=$$b CONFIG=core kernel || exit 1; done
	@HOST_CC=$(HOST_CC) $(PYTHON) tools/bench.py $(addprefix --board ,$(TEST_BOARDS)) \
		--build $(BUILD) $(BENCH_FLAGS)

include boards/boards.mk
include userland/userland.mk
# Generating the board's make variables needs python3, which `deps` installs.
$(BOARD_GEN_MK) $(BOARD_MEMORY_LD): | deps

clean:
	rm -rf $(BUILD)

.PHONY: help boards
help:
	@sed -n '/^# tockc top-level build/,/^[^#]/{/^#/s/^# \{0,1\}//p}' Makefile

boards:
	@$(PYTHON) tools/board_list.py
