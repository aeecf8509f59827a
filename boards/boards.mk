# SPDX-License-Identifier: Apache-2.0 OR MIT
# Kernel image for $(BOARD), the demo image, `make run`, `make debug` and the QEMU test suite.
# The board's facts (addresses, slots, toolchain, QEMU) come from its description
# (boards/description.mk); boards/$(BOARD)/board.mk says what its kernel is made of.
include boards/description.mk
include boards/$(BOARD)/board.mk
include boards/layers.mk
BOARD_CC := $(BOARD_TOOLCHAIN)gcc
BOARD_SIZE := $(BOARD_TOOLCHAIN)size
# The linker script INCLUDEs the generated memory map (memory.ld) from BOARD_GEN_DIR.
BOARD_LAYOUT := boards/$(BOARD)/layout.ld
BOARD_LDFLAGS += -L $(BOARD_GEN_DIR) -T $(BOARD_LAYOUT)

# The core configuration (CONFIG=core): the kernel, alarm, console, LEDs, low-level debug.
KERNEL_CORE_SRCS := \
	libraries/errorcode.c libraries/format.c libraries/mem.c libraries/tbf.c \
	kernel/deferred_call.c kernel/debug.c kernel/grant.c kernel/kernel.c kernel/scheduler.c \
	kernel/sched_round_robin.c \
	kernel/upcall.c kernel/process.c kernel/process_loader.c kernel/process_printer.c \
	kernel/fault_policy.c kernel/process_fault.c kernel/syscall.c kernel/upcall_queue.c \
	boards/components/core.c \
	capsules/core/virtualizers/virtual_uart.c capsules/core/virtualizers/virtual_alarm.c \
	capsules/core/alarm.c capsules/core/console.c capsules/core/led.c \
	capsules/core/low_level_debug.c capsules/core/debug_writer.c
# Fault reports and restarts: the core's brief report and immediate restarts (for its size
# budget), the full board's report with place names and restarts timed on the kernel clock;
# tracing and kernel output in whole lines only where the process console can use them
# (kernel/include/kernel/trace.h, debug.h); app credentials: none checked in the core, the
# board's policy in full kernels (kernel/include/kernel/credentials.h).
KERNEL_CORE_ONLY_SRCS := kernel/fault_report_brief.c kernel/fault_restart_now.c \
	kernel/trace_none.c kernel/debug_lines_none.c kernel/credentials_none.c \
	kernel/upcall_latched_none.c kernel/latched_delivery_none.c
KERNEL_CORE_SRCS += $(KERNEL_CORE_ONLY_SRCS)
# The full demo board (CONFIG=full, the default) adds the kernel clock (fault back-off), IPC,
# storage, crypto, random numbers and the process console.
KERNEL_FULL_SRCS := $(filter-out $(KERNEL_CORE_ONLY_SRCS),$(KERNEL_CORE_SRCS)) \
	kernel/fault_report.c kernel/fault_restart_timed.c capsules/core/kernel_clock_alarm.c \
	kernel/trace.c kernel/debug_lines.c kernel/upcall_latched.c kernel/latched_delivery.c \
	kernel/credentials.c libraries/crypto/sha512.c libraries/crypto/p256.c \
	boards/components/credentials.c boards/components/supervisor.c \
	kernel/ipc/ipc.c capsules/support/mutex.c capsules/support/mutex_set.c \
	capsules/support/cmd_queue.c \
	kernel/ipc/ipc_name.c kernel/ipc/ipc_msg.c kernel/ipc/ipc_msg_core.c \
	kernel/ipc/ipc_msg_token.c kernel/ipc/ipc_msg_notify.c kernel/ipc/ipc_share.c \
	kernel/ipc/ipc_queue.c \
	boards/components/ipc.c \
	capsules/core/virtualizers/virtual_flash.c capsules/extra/nonvolatile_storage.c \
	capsules/extra/kv_store.c libraries/kv_record.c capsules/extra/kv_driver.c \
	capsules/extra/app_flash_driver.c capsules/extra/app_loader.c libraries/app_load_plan.c \
	capsules/extra/flash_transfer.c capsules/extra/isolated_nonvolatile_storage.c \
	capsules/core/virtualizers/virtual_digest.c \
	capsules/extra/sealed_store.c capsules/extra/sealed_store_driver.c \
	capsules/extra/digest_driver.c capsules/extra/sha.c capsules/extra/hmac.c capsules/extra/aes.c \
	capsules/extra/queued_driver.c capsules/extra/rng.c \
	capsules/extra/line_editor.c capsules/extra/process_console_command.c \
	capsules/extra/process_console.c boards/components/process_console.c

# CONFIG=core builds in build/<board>-core with BOARD_CONFIG_CORE (the board's main.c leaves
# out everything beyond the core); make run CONFIG=core boots it.
CONFIG ?= full
ifeq ($(CONFIG),core)
KBUILD := $(BUILD)/$(BOARD)-core
KERNEL_SRCS := $(KERNEL_CORE_SRCS) $(BOARD_CORE_SRCS)
CONFIG_CFLAGS := -DBOARD_CONFIG_CORE
else ifeq ($(CONFIG),full)
KBUILD := $(BUILD)/$(BOARD)
KERNEL_SRCS := $(KERNEL_FULL_SRCS) $(BOARD_SRCS)
CONFIG_CFLAGS :=
else
$(error CONFIG must be core or full, not $(CONFIG))
endif

KERNEL_CFLAGS := -std=c11 -ffreestanding -fno-common -Wall -Wextra -Werror -Wshadow \
	-Wstrict-prototypes -Wmissing-prototypes -Wvla -Wcast-align -pedantic \
	-fno-tree-loop-distribute-patterns $(BOARD_CFLAGS) $(CONFIG_CFLAGS)
# Link-time optimisation: the syscall path crosses kernel, arch and capsule files, and LTO lets
# the compiler inline across them (bench/README.md). mem.c is built without it: the compiler
# emits calls to memset/memcpy after LTO's symbol resolution, so they must be plain objects; the
# same holds for a board's own compiler helpers (BOARD_NO_LTO_SRCS).
KERNEL_LTO := -flto -flto-partition=one
KERNEL_ELF := $(KBUILD)/kernel.elf
KERNEL_OBJS := $(patsubst %,$(KBUILD)/obj/%.o,$(KERNEL_SRCS))

# Objects depend on the flags they were built with: a changed flag (LTO, -O2 files, a board
# flag) rebuilds them instead of linking a mix of old and new objects.
KERNEL_FLAGS_STAMP := $(KBUILD)/flags.txt
$(KBUILD)/obj/%.c.o: %.c $(KERNEL_FLAGS_STAMP) | deps
	@mkdir -p $(dir $@)
	@echo "  CC      $<"
	@$(BOARD_CC) $(KERNEL_CFLAGS) $(KERNEL_LTO) $(call layer_includes,$<) -MMD -MP -c -o $@ $<
$(KBUILD)/obj/%.S.o: %.S $(KERNEL_FLAGS_STAMP) | deps
	@mkdir -p $(dir $@)
	@echo "  AS      $<"
	@$(BOARD_CC) $(BOARD_CFLAGS) -c -o $@ $<
$(patsubst %,$(KBUILD)/obj/%.o,libraries/mem.c $(BOARD_NO_LTO_SRCS)): KERNEL_LTO :=
# The syscall and scheduling paths are built for speed (-O2), the rest of the kernel for size;
# CONFIG=core, the smallest kernel, is built for size throughout (doc/reference/018, Size).
KERNEL_HOT_SRCS := $(if $(filter core,$(CONFIG)),,kernel/kernel.c kernel/scheduler.c \
	kernel/upcall.c kernel/syscall.c kernel/upcall_queue.c kernel/upcall_latched.c \
	kernel/latched_delivery.c \
	arch/$(BOARD_ARCH)/context.c \
	kernel/sched_round_robin.c $(SCHED_POLICY_SRCS))
$(patsubst %,$(KBUILD)/obj/%.o,$(KERNEL_HOT_SRCS)): KERNEL_LTO += -O2
# The board's peripheral ranges (board.json, through board.gen.mk) name faulting addresses.
$(KBUILD)/obj/boards/components/core.c.o: KERNEL_CFLAGS += \
	'-DBOARD_PERIPHERAL_RANGES=$(BOARD_PERIPHERAL_RANGES)'
KERNEL_FLAGS_NOW := $(BOARD_CC) $(KERNEL_CFLAGS) $(KERNEL_LTO) $(LAYER_INCLUDES_boards) hot: $(KERNEL_HOT_SRCS) \
	peripherals: $(BOARD_PERIPHERAL_RANGES)
$(call write_if_changed,$(KERNEL_FLAGS_STAMP),$(KERNEL_FLAGS_NOW))
-include $(KERNEL_OBJS:.o=.d)

# The link also writes the call graph with each function's stack frame (GCC's VCG output,
# after LTO's inlining) to $(KBUILD)/callgraph/: tools/stack_depth.py reads it (make bench).
$(KERNEL_ELF): $(KERNEL_OBJS) $(BOARD_LAYOUT) $(BOARD_MEMORY_LD)
	@echo "  LD      $@"
	@rm -rf $(KBUILD)/callgraph && mkdir -p $(KBUILD)/callgraph
	@$(BOARD_CC) $(KERNEL_CFLAGS) $(KERNEL_LTO) $(BOARD_LDFLAGS) -fcallgraph-info=su \
		-dumpdir $(KBUILD)/callgraph/ -o $@ $(KERNEL_OBJS) $(BOARD_LIBGCC)
	$(BOARD_SIZE) $@

# The self-test image: the product kernel plus the boards' self tests of SPI, I2C and flash
# and the drivers only they use (components/selftest.h). `make test` runs it for the self-test
# cases (tests/board/cases.py); `make run` and the benchmarks use the product image.
KERNEL_SELFTEST_ELF := $(KBUILD)/kernel-selftest.elf
SELFTEST_SRCS := boards/components/selftest.c boards/components/selftest_faults.c \
	capsules/core/virtualizers/virtual_spi.c \
	capsules/core/virtualizers/virtual_i2c.c $(BOARD_SELFTEST_SRCS)
KERNEL_SELFTEST_OBJS := $(filter-out $(KBUILD)/obj/boards/$(BOARD)/main.c.o,$(KERNEL_OBJS)) \
	$(KBUILD)/obj-selftest/boards/$(BOARD)/main.c.o $(patsubst %,$(KBUILD)/obj/%.o,$(SELFTEST_SRCS))
$(KBUILD)/obj-selftest/%.c.o: %.c $(KERNEL_FLAGS_STAMP) | deps
	@mkdir -p $(dir $@)
	@echo "  CC      $< (self-test image)"
	@$(BOARD_CC) $(KERNEL_CFLAGS) $(KERNEL_LTO) -DBOARD_SELFTESTS $(call layer_includes,$<) -MMD -MP \
		-c -o $@ $<
-include $(KBUILD)/obj-selftest/boards/$(BOARD)/main.c.d
-include $(patsubst %,$(KBUILD)/obj/%.d,$(SELFTEST_SRCS))
$(KERNEL_SELFTEST_ELF): $(KERNEL_SELFTEST_OBJS) $(BOARD_LAYOUT) $(BOARD_MEMORY_LD)
	@echo "  LD      $@"
	@$(BOARD_CC) $(KERNEL_CFLAGS) $(KERNEL_LTO) $(BOARD_LDFLAGS) -o $@ $(KERNEL_SELFTEST_OBJS) \
		$(BOARD_LIBGCC)

# Test-only kernels: the product with another credential policy linked in place of the demo's
# (components/credentials.h); the credentials_* QEMU cases boot them.
KERNEL_POLICY_OBJ := $(KBUILD)/obj/boards/components/credentials.c.o
KERNEL_REQUIRE_HASH_ELF := $(KBUILD)/kernel-require-hash.elf
KERNEL_REQUIRE_SIGNATURE_ELF := $(KBUILD)/kernel-require-signature.elf
$(KBUILD)/kernel-require-%.elf: $(filter-out $(KERNEL_POLICY_OBJ),$(KERNEL_OBJS)) \
		$(KBUILD)/obj/boards/components/credentials_require_%.c.o $(BOARD_LAYOUT) \
		$(BOARD_MEMORY_LD)
	@echo "  LD      $@"
	@$(BOARD_CC) $(KERNEL_CFLAGS) $(KERNEL_LTO) $(BOARD_LDFLAGS) -o $@ $(filter %.o,$^) \
		$(BOARD_LIBGCC)
.SECONDARY: $(KBUILD)/obj/boards/components/credentials_require_hash.c.o \
	$(KBUILD)/obj/boards/components/credentials_require_signature.c.o
-include $(KBUILD)/obj/boards/components/credentials_require_hash.c.d \
	$(KBUILD)/obj/boards/components/credentials_require_signature.c.d

# The scheduling policy images: the product kernel with another policy linked in place of
# round-robin (kernel/sched_*.c, record 027): build/<board>/kernel-sched-<policy>.elf. `make
# test` boots them for the scheduler cases; a board that wants one for good lists its file in
# place of kernel/sched_round_robin.c.
SCHED_POLICIES := priority cooperative mlfq
SCHED_POLICY_SRCS := $(patsubst %,kernel/sched_%.c,$(SCHED_POLICIES))
KERNEL_SCHED_ELFS := $(patsubst %,$(KBUILD)/kernel-sched-%.elf,$(SCHED_POLICIES))
$(KBUILD)/kernel-sched-%.elf: $(KERNEL_OBJS) $(KBUILD)/obj/kernel/sched_%.c.o $(BOARD_LAYOUT) \
		$(BOARD_MEMORY_LD)
	@echo "  LD      $@"
	@$(BOARD_CC) $(KERNEL_CFLAGS) $(KERNEL_LTO) $(BOARD_LDFLAGS) -o $@ \
		$(filter-out $(KBUILD)/obj/kernel/sched_round_robin.c.o,$(KERNEL_OBJS)) \
		$(KBUILD)/obj/kernel/sched_$*.c.o $(BOARD_LIBGCC)
.SECONDARY: $(patsubst %,$(KBUILD)/obj/%.o,$(SCHED_POLICY_SRCS))
-include $(patsubst %,$(KBUILD)/obj/%.d,$(SCHED_POLICY_SRCS))

ifeq ($(CONFIG),full)
kernel: $(KERNEL_ELF) $(KERNEL_SELFTEST_ELF) $(KERNEL_REQUIRE_HASH_ELF) $(KERNEL_REQUIRE_SIGNATURE_ELF) \
	$(KERNEL_SCHED_ELFS)
else
kernel: $(KERNEL_ELF)
endif

# The TBF of app $(1) built for app slot $(2) (userland/userland.mk): boards with fixed-address
# slots have a build per slot, the others one build for any place.
app_tbf = $(BUILD)/apps/$(BOARD_APPS_ARCH)/$(1)$(if $(BOARD_APP_SLOTS),.slot$(2)).tbf
# The demo: one app per slot (fixed-address boards need slot N's build in slot N).
DEMO_TBFS := $(call app_tbf,hello,1) $(call app_tbf,blink,2) $(call app_tbf,counter_a,3) \
	$(call app_tbf,counter_b,4)
DEMO_IMAGE := $(KBUILD)/demo-apps.bin
$(DEMO_IMAGE): $(DEMO_TBFS) tools/mkimage.py
	$(PYTHON) tools/mkimage.py --arch $(BOARD_ARCH) --flash-start $(BOARD_APP_FLASH) \
		--flash-size $(BOARD_APP_FLASH_SIZE) -o $@ $(filter %.tbf,$^)

# `make run APPS="a.tab b.tbf"` boots those files instead of the demo: tools/tockloader.py
# installs them, in order, into an empty $(KBUILD)/apps.bin, taking from each TAB the build for
# this board (doc/reference/021-app-installation.md), and refuses what would not run.
ifeq ($(strip $(APPS)),)
RUN_IMAGE := $(DEMO_IMAGE)
else
RUN_IMAGE := $(KBUILD)/apps.bin
.PHONY: $(RUN_IMAGE)
$(RUN_IMAGE): $(APPS)
	@mkdir -p $(dir $@) && rm -f $@
	$(PYTHON) tools/tockloader.py --board $(BOARD) --image $@ install $(APPS)
endif

# QEMU_ARGS (the description's command line) names BOARD_PFLASH on boards with a file-backed
# flash: `make run` creates it erased the first time and keeps what was written across runs
# (delete it to start again).
run: $(KERNEL_ELF) $(RUN_IMAGE) $(BOARD_PFLASH)
	@$(PYTHON) tools/qemu_check.py $(BOARD)
	@echo "tockc on $(BOARD): quit QEMU with Ctrl-a x"
	$(QEMU_SYSTEM) $(call QEMU_ARGS,$(RUN_IMAGE))
# `make debug`: QEMU starts halted with its gdb stub on 127.0.0.1:GDB_PORT, and gdb-multiarch runs
# on this terminal with the script tools/gdb_script.py writes (the kernel's symbols, and each
# demo app's where the kernel places it; APP=name: that app's only). The UART prints on the same
# terminal; quitting gdb stops QEMU. `make debug-server` starts only QEMU, halted, with its console
# on the terminal as `make run` has it, and says how to attach. GDB_FLAGS go to gdb (the tests
# pass -batch and a command file).
GDB ?= gdb-multiarch
GDB_PORT ?= 1234
GDB_FLAGS ?=
DEBUG_SCRIPT := $(KBUILD)/debug.gdb
QEMU_GDB_STUB := -S -gdb tcp:127.0.0.1:$(GDB_PORT)
.PHONY: debug debug-server debug-script
debug-script: $(KERNEL_ELF) $(DEMO_IMAGE)
	@$(PYTHON) tools/gdb_script.py --board $(BOARD) --kernel $(KERNEL_ELF) --image $(DEMO_IMAGE) \
		$(if $(APP),--app $(APP)) --port $(GDB_PORT) -o $(DEBUG_SCRIPT) $(DEMO_TBFS)
debug: debug-script $(BOARD_PFLASH)
	@$(PYTHON) tools/qemu_check.py $(BOARD)
	@command -v $(GDB) >/dev/null || { echo "$(GDB) is not installed: run \`make deps\` \
		(tools/install_deps.sh) or \`apt-get install gdb-multiarch\`" >&2; exit 1; }
	@echo "tockc on $(BOARD) under $(GDB) (QEMU's gdb stub on 127.0.0.1:$(GDB_PORT), the UART" \
		"prints here; quit gdb to stop QEMU)"
	@$(QEMU_SYSTEM) $(call QEMU_ARGS_CAPTURED,$(DEMO_IMAGE)) $(QEMU_GDB_STUB) </dev/null & \
		qemu=$$!; $(GDB) -q -x $(DEBUG_SCRIPT) $(GDB_FLAGS); status=$$?; \
		kill $$qemu 2>/dev/null; wait $$qemu; exit $$status
debug-server: debug-script $(BOARD_PFLASH)
	@$(PYTHON) tools/qemu_check.py $(BOARD)
	@echo "tockc on $(BOARD), halted: attach with \`$(GDB) -x $(DEBUG_SCRIPT)\` (QEMU's gdb stub" \
		"on 127.0.0.1:$(GDB_PORT)); quit QEMU with Ctrl-a x"
	$(QEMU_SYSTEM) $(call QEMU_ARGS,$(DEMO_IMAGE)) $(QEMU_GDB_STUB)
ifneq ($(BOARD_PFLASH),)
$(BOARD_PFLASH):
	@mkdir -p $(dir $@)
	$(PYTHON) tools/qemu_flash.py --erased $@ $(BOARD_PFLASH_SIZE)
endif

qemu-test: $(KERNEL_ELF) apps
	$(PYTHON) tools/qemu_test.py --board $(BOARD)

compat-test: $(KERNEL_ELF)
	$(PYTHON) tools/compat_test.py --board $(BOARD)
