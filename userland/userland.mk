# SPDX-License-Identifier: Apache-2.0 OR MIT
#
# tockc userland: libtockc.a (libtock, libtock-sync, libc, format), crt0 and the example and
# test apps, linked for one architecture and packed into TBFs with tools/tbfpack.py.
#
# Included by the top-level Makefile (all paths are relative to the repository root); it also
# works on its own:  make -f userland/userland.mk apps [BOARD=qemu_rv32_virt]
# The apps are built for BOARD's apps architecture (APPS_ARCH) and, where the board has
# fixed-address slots, once per slot at the addresses of its description (boards/<board>/
# board.json, read through boards/description.mk).
#
# Outputs, for APPS_ARCH=<arch>:
#   build/apps/<arch>/<name>.elf, build/apps/<arch>/<name>.tbf     every app in APP_NAMES
#   build/apps/<arch>/<name>.slot<N>.{elf,tbf}, N in BOARD_APP_SLOTS  boards with fixed-address
#       slots only (QEMU virt, ABI §6.2); <name>.{elf,tbf} is the slot-1 build.
# Cortex-M apps are position independent, so one build runs anywhere.
#
# Knobs: BOARD (which sets APPS_ARCH), APPS_STACK_SIZE, APPS_APP_HEAP_SIZE,
# APPS_KERNEL_HEAP_SIZE, <name>_STACK_SIZE and <name>_TBF_FLAGS (per app: extra tbfpack
# options, e.g. storage permissions), APPS_KERNEL_RAM_ADDR and
# APPS_KERNEL_CODE_ADDR (what the isolation tests poke), APPS_OTHER_RAM_ADDR (another process's
# RAM for read_other_ram/allow_other_ptr; 0 = use the end of the tester's own allocation).

BUILD ?= build
PYTHON ?= python3
include boards/description.mk
ifeq ($(origin APPS_ARCH),command line)
$(error APPS_ARCH follows the board: make apps BOARD=<board> (boards/<board>/board.json))
endif
APPS_ARCH := $(BOARD_APPS_ARCH)

.PHONY: apps apps-elf apps-clean

APP_EXAMPLES := hello blink counter_a counter_b echo rot13_service rot13_client \
	upper_service upper_client
APP_TESTS := heartbeat abi entry fault_at_entry fault_late fault_hold fault_stop long_lines \
	read_kernel_ram read_other_ram read_peripheral \
	write_flash jump_kernel \
	stack_overflow allow_kernel_ptr allow_other_ptr allow_wrap_len subscribe_kernel_fn \
	command_no_driver brk_bad restart_loop zero_memory spin sched_periodic bad_syscall bad_yield \
	chatter ipc_bad_share ipc_keeper ipc_client_exits ipc_client_restarts \
	msg_server msg_basic msg_peer msg_dies msg_timeout msg_forger msg_crasher msg_rclient \
	msg_qclient msg_flooder msg_polite msg_ntarget msg_poster msg_cycle_a msg_cycle_b msg_cycle_c
# Benchmark apps (bench/README.md, `make bench`): built by `apps` like the others.
APP_BENCH := bench_syscall bench_switch_a bench_switch_b bench_ipc_client bench_ipc_service \
	bench_msg_client bench_msg_service bench_mq_a bench_mq_b
# Crypto drivers (SHA, HMAC, AES) shared by several processes.
APP_TESTS += crypto_hammer crypto_stall crypto_dies
# AES-128 CCM and GCM through the AES driver (0x40006): published vectors, tag mismatch.
APP_TESTS += aes_aead
# Nonvolatile storage (0x50001): write, read back, persistence across boots.
APP_TESTS += nvstore
# Key-value storage (0x50003): operations, permission isolation, three processes at once,
# persistence, and an app without storage permissions.
APP_TESTS += kv_basic kv_owner kv_peer kv_stranger kv_noperm kv_hammer kv_persist
# Random numbers (0x40001): bytes returned, limits, several processes at once.
APP_TESTS += rng_check
# Tock-compatible IPC: a notification sent before the receiver subscribed is held, not lost.
APP_TESTS += ipc_late_service ipc_early_client
# Key-value: an app whose write id is in neither of its lists (Tock grants only listed ids).
APP_TESTS += kv_unlisted
# App state (0x50000) and isolated nonvolatile storage (0x50004): per-app storage.
APP_TESTS += appstate invs_own invs_peer
# Syscall fuzzing (doc/reference/015-soak-tests.md): random calls of every class, and a
# bystander that checks its own RAM and stack canary.
APP_TESTS += syscall_fuzz ram_guard
# Alarms of almost a whole 32-bit counter period, across the wrap.
APP_TESTS += alarm_long
APP_TESTS += alarm_accuracy
# IPC hardening: a withdrawn share is unmapped at once; notify floods cannot silence a bystander.
APP_TESTS += ipc_client_withdraws ipc_flooder
# Latched upcalls (030-latched-upcalls.md): a queued driver's completion survives a flooded ring.
APP_TESTS += latched_flood
# Restart soak: a process that keeps dying holding grants, crypto requests, IPC shares and calls,
# and the supervisor that counts its cycles and checks the resources (016-restart-soak.md).
APP_TESTS += soak_supervisor soak_cycler
# Key-value power cut: a writer killed mid-write (SIGKILL) and a checker on the flash it left.
APP_TESTS += kv_crash_write kv_crash_check
# Sealed store (0xA8003): a record sealed and opened, refused to another app, a dying writer.
APP_TESTS += sealed_owner sealed_stranger sealed_dies
# Runtime app loading (0x10001, doc/reference/028-runtime-app-loading.md): a loader that installs
# loaded_hello (its TBF embedded in the loader's flash) and one that dies mid-load.
APP_TESTS += loaded_hello app_loader_test app_loader_dies
# Mapped IPC shares (0xA8002): an owner, a peer that loses its mapping three ways, a budget.
APP_TESTS += share_owner share_peer share_budget
# Message queues (0xA8004): producers, a full queue, timeouts, a producer dying while held.
APP_TESTS += mq_consumer mq_producer mq_full mq_rowner mq_rsender
APP_NAMES := $(APP_EXAMPLES) $(APP_TESTS) $(APP_BENCH)

APPS_STACK_SIZE ?= 2048
APPS_APP_HEAP_SIZE ?= 1024
APPS_KERNEL_HEAP_SIZE ?= 1024
APPS_KERNEL_MAJOR := 2
APPS_KERNEL_MINOR := 2
APPS_MIN_FOOTER := 3000
# The entry test never moves off the kernel-provided stack.
entry_STACK_SIZE ?= 256
# Per-app packer flags, <name>_TBF_FLAGS: storage permissions (TLV 7) of the key-value tests.
# Tock grants exactly the listed ids, so an app lists its own write id to reach its own keys.
kv_basic_TBF_FLAGS := --write-id 0x10 --read-ids 0x10 --access-ids 0x10
latched_flood_TBF_FLAGS := --write-id 0x30 --read-ids 0x30 --access-ids 0x30
kv_owner_TBF_FLAGS := --write-id 0x21 --read-ids 0x21 0x23 --access-ids 0x21
kv_peer_TBF_FLAGS := --write-id 0x22 --read-ids 0x22 0x21 --access-ids 0x22 0x21
kv_stranger_TBF_FLAGS := --write-id 0x23 --read-ids 0x23 0x22 --access-ids 0x23
kv_hammer_TBF_FLAGS := --write-id 0x30 --read-ids 0x30 --access-ids 0x30
kv_persist_TBF_FLAGS := --write-id 0x40 --read-ids 0x40 --access-ids 0x40
kv_crash_write_TBF_FLAGS := --write-id 0x70 --read-ids 0x70 --access-ids 0x70
kv_crash_check_TBF_FLAGS := --write-id 0x70 --read-ids 0x70 --access-ids 0x70
kv_unlisted_TBF_FLAGS := --write-id 0x50
invs_peer_TBF_FLAGS := --write-id 0x61 --read-ids 0x61 --access-ids 0x61
# The sealed store binds records to the write id alone.
sealed_owner_TBF_FLAGS := --write-id 0x81
sealed_stranger_TBF_FLAGS := --write-id 0x82
sealed_dies_TBF_FLAGS := --write-id 0x83
# The fuzzer subscribes and allows on every driver: room for all their grants.
syscall_fuzz_TBF_FLAGS := --kernel-heap 4096

APPS_OUT := $(BUILD)/apps/$(APPS_ARCH)
APPS_OBJ := $(APPS_OUT)/obj

# The app the loader tests install carries a SHA-256 credential (a tampered copy is refused).
loaded_hello_TBF_FLAGS := --sha256
# app_loader_test embeds loaded_hello's TBF: on boards with fixed-address slots the build for
# slot 3 (the test boots two apps, in slots 1 and 2), set up at that slot's address; elsewhere
# the position-independent build, placed by the kernel (address 0).
APP_LOADER_PAYLOAD_TBF := $(if $(BOARD_APP_SLOTS),$(APPS_OUT)/loaded_hello.slot3.tbf,\
	$(APPS_OUT)/loaded_hello.tbf)
APP_LOADER_PAYLOAD_ADDR := $(if $(BOARD_APP_SLOTS),$(BOARD_APP_SLOT3_FLASH),0)
APP_LOADER_PAYLOAD_C := $(APPS_OBJ)/app_loader_payload.c
app_loader_test_EXTRA_OBJS := $(APPS_OBJ)/app_loader_payload.o
app_loader_dies_EXTRA_OBJS := $(APPS_OBJ)/userland/tests/app_loader_test/loader.o
$(APPS_OBJ)/userland/tests/app_loader_test/main.o: APPS_DEFINES += \
	-DAPP_LOADER_PAYLOAD_ADDR=$(APP_LOADER_PAYLOAD_ADDR)u
$(APP_LOADER_PAYLOAD_C): $(APP_LOADER_PAYLOAD_TBF) tools/c_array.py
	@mkdir -p $(dir $@)
	@echo "  GEN     $@"
	@$(PYTHON) tools/c_array.py app_loader_payload $< -o $@
$(APPS_OBJ)/app_loader_payload.o: $(APP_LOADER_PAYLOAD_C)
	@echo "  CC      $<"
	@$(APPS_CC) $(APPS_CFLAGS) -c -o $@ $<

# syscall_fuzz's PRNG seed and trace start (doc/reference/015-soak-tests.md): `make apps
# SYSCALL_FUZZ_SEED=0x1234 [SYSCALL_FUZZ_TRACE_FROM=<round>]` gives another call sequence (and
# prints every round from <round> on). The settings file changes only with the values, so the
# object is rebuilt exactly when they change.
SYSCALL_FUZZ_SEED ?= 0x7c0c5eed
SYSCALL_FUZZ_TRACE_FROM ?= 0xffffffff
SYSCALL_FUZZ_SETTINGS := $(SYSCALL_FUZZ_SEED) $(SYSCALL_FUZZ_TRACE_FROM)
SYSCALL_FUZZ_SETTINGS_FILE := $(APPS_OBJ)/syscall_fuzz.settings
$(call write_if_changed,$(SYSCALL_FUZZ_SETTINGS_FILE),$(SYSCALL_FUZZ_SETTINGS))
$(APPS_OBJ)/userland/tests/syscall_fuzz/main.o: $(SYSCALL_FUZZ_SETTINGS_FILE)
$(APPS_OBJ)/userland/tests/syscall_fuzz/main.o: APPS_DEFINES += \
	-DSYSCALL_FUZZ_SEED=$(SYSCALL_FUZZ_SEED)u -DSYSCALL_FUZZ_TRACE_FROM=$(SYSCALL_FUZZ_TRACE_FROM)u

# What the isolation tests poke (the board's kernel RAM and, 0x100 in, kernel code; its first
# peripheral range) and the
# other process's RAM for read_other_ram/allow_other_ptr: slot 2's where the board has slots
# (the companion app, heartbeat, of every isolation test runs there), else 0 (the first byte
# after the app's own RAM, which is the next process's).
APPS_KERNEL_RAM_ADDR ?= $(BOARD_KERNEL_RAM)
APPS_KERNEL_CODE_ADDR ?= $(shell printf '0x%08x' $$(($(BOARD_KERNEL_FLASH) + 0x100)))
APPS_OTHER_RAM_ADDR ?= $(if $(BOARD_APP_SLOTS),$(BOARD_APP_SLOT2_RAM),0)
APPS_PERIPHERAL_ADDR ?= $(BOARD_PERIPHERAL_START)
# Fixed-address slots (ABI §6.2): each app is linked for slot N's binary address (TBF start
# plus the header room) and RAM; without slots, at the PIC sentinels (userland_generic.ld):
# flash 0x80000000, RAM 0.
APPS_SLOTS := $(BOARD_APP_SLOTS)
$(foreach s,$(APPS_SLOTS),$(eval APPS_SLOT$(s)_FLASH := $(BOARD_APP_SLOT$(s)_BINARY)))
$(foreach s,$(APPS_SLOTS),$(eval APPS_SLOT$(s)_SRAM := $(BOARD_APP_SLOT$(s)_RAM)))
APPS_DEFAULT_FLASH := $(if $(APPS_SLOTS),$(APPS_SLOT1_FLASH),0x80000000)
APPS_DEFAULT_SRAM := $(if $(APPS_SLOTS),$(APPS_SLOT1_SRAM),0x00000000)
APPS_TOOLCHAIN := $(BOARD_TOOLCHAIN)

ifeq ($(APPS_ARCH),cortex-m3)
APPS_ARCH_DIR := cortex-m
APPS_ARCH_FLAGS := -mcpu=cortex-m3 -mthumb -mfloat-abi=soft -fPIC -msingle-pic-base \
	-mpic-register=r9 -mno-pic-data-is-text-relative
APPS_ARCH_LDFLAGS := -Wl,--emit-relocs
else ifeq ($(APPS_ARCH),rv32imac)
APPS_ARCH_DIR := riscv
APPS_ARCH_FLAGS := -march=rv32imac -mabi=ilp32 -mcmodel=medlow
APPS_ARCH_LDFLAGS := -Wl,--no-relax
else ifneq ($(APPS_ARCH),)
$(error the apps of $(BOARD) are $(APPS_ARCH), which userland/userland.mk does not build)
endif

APPS_CC := $(APPS_TOOLCHAIN)gcc
APPS_AR := $(APPS_TOOLCHAIN)ar

APPS_CFLAGS := -std=c11 -ffreestanding -nostdlib -Os -g -Wall -Wextra -Werror -Wshadow \
	-Wstrict-prototypes -Wmissing-prototypes -Wvla -Wcast-align -pedantic -fno-common \
	-ffunction-sections -fdata-sections -fno-tree-loop-distribute-patterns \
	-fno-asynchronous-unwind-tables -fno-unwind-tables $(APPS_ARCH_FLAGS)
APPS_INCLUDES := -Iuserland -Iuserland/libtock -Iuserland/libtock/arch/$(APPS_ARCH_DIR) \
	-Iuserland/libc/include -Ilibraries/include
APPS_DEFINES := -DTOCKC_KERNEL_RAM_ADDR=$(APPS_KERNEL_RAM_ADDR)u \
	-DTOCKC_KERNEL_CODE_ADDR=$(APPS_KERNEL_CODE_ADDR)u \
	-DTOCKC_OTHER_RAM_ADDR=$(APPS_OTHER_RAM_ADDR)u \
	-DTOCKC_PERIPHERAL_ADDR=$(APPS_PERIPHERAL_ADDR)u
APPS_LDFLAGS := -nostdlib -Wl,--gc-sections -Wl,--build-id=none -Wl,--no-warn-rwx-segments \
	-T userland/userland_generic.ld $(APPS_ARCH_LDFLAGS)

USERLAND_LIB_SRCS := \
	userland/libtock/tock.c \
	userland/libtock/tock_expect.c \
	userland/libtock/interface/console.c \
	userland/libtock/interface/syscalls/console_syscalls.c \
	userland/libtock/interface/led.c \
	userland/libtock/interface/syscalls/led_syscalls.c \
	userland/libtock/peripherals/syscalls/alarm_syscalls.c \
	userland/libtock/services/alarm.c \
	userland/libtock/kernel/low_level_debug.c \
	userland/libtock/kernel/ipc.c \
	userland/libtock/crypto/sha.c \
	userland/libtock/crypto/hmac.c \
	userland/libtock/crypto/aes.c \
	userland/libtock/crypto/syscalls/sha_syscalls.c \
	userland/libtock/crypto/syscalls/hmac_syscalls.c \
	userland/libtock/crypto/syscalls/aes_syscalls.c \
	userland/libtock-sync/crypto/sha.c \
	userland/libtock-sync/crypto/hmac.c \
	userland/libtock-sync/crypto/aes.c \
	userland/libtock-sync/crypto/syscalls/sha_syscalls.c \
	userland/libtock-sync/crypto/syscalls/hmac_syscalls.c \
	userland/libtock/storage/kv.c \
	userland/libtock/storage/syscalls/kv_syscalls.c \
	userland/libtock-sync/storage/kv.c \
	userland/libtock-sync/storage/syscalls/kv_syscalls.c \
	userland/libtock/storage/app_state.c \
	userland/libtock/storage/syscalls/app_state_syscalls.c \
	userland/libtock-sync/storage/app_state.c \
	userland/libtock-sync/storage/syscalls/app_state_syscalls.c \
	userland/libtock/storage/isolated_nonvolatile_storage.c \
	userland/libtock/storage/syscalls/isolated_nonvolatile_storage_syscalls.c \
	userland/libtock-sync/storage/isolated_nonvolatile_storage.c \
	userland/libtock-sync/storage/syscalls/isolated_nonvolatile_storage_syscalls.c \
	userland/libtock/kernel/ipc_msg.c \
	userland/libtock/kernel/ipc_share.c \
	userland/libtock/kernel/ipc_queue.c \
	userland/libtock-sync/interface/console.c \
	userland/libtock-sync/interface/syscalls/console_syscalls.c \
	userland/libtock-sync/services/alarm.c \
	userland/libtock-sync/services/syscalls/alarm_syscalls.c \
	userland/libtock/peripherals/rng.c \
	userland/libtock/peripherals/syscalls/rng_syscalls.c \
	userland/libtock-sync/peripherals/rng.c \
	userland/libtock-sync/peripherals/syscalls/rng_syscalls.c \
	userland/libc/stdio.c \
	userland/libc/string.c \
	userland/libc/stdlib.c \
	userland/libc/malloc.c \
	userland/libc/ctype.c \
	libraries/format.c
USERLAND_TEST_SRCS := userland/tests/common/test_report.c userland/tests/common/test_aes.c \
	userland/tests/common/test_ipc_share.c userland/tests/common/test_alarm.c \
	userland/tests/common/test_fault.c

APPS_LIB := $(APPS_OUT)/libtockc.a
APPS_CRT0 := $(APPS_OBJ)/userland/crt0.o
APPS_LIB_OBJS := $(patsubst %.c,$(APPS_OBJ)/%.o,$(USERLAND_LIB_SRCS))
APPS_TEST_OBJS := $(patsubst %.c,$(APPS_OBJ)/%.o,$(USERLAND_TEST_SRCS))

# The packer is written separately; until it exists, `apps` builds and checks the ELFs only.
APPS_PACKER := tools/tbfpack.py
APPS_HAVE_PACKER := $(wildcard $(APPS_PACKER))

# app_dir(name): userland/examples/<name>, userland/tests/<name> or userland/bench/<name>.
app_dir = $(firstword $(wildcard userland/examples/$(1) userland/tests/$(1) userland/bench/$(1)))
app_stack = $(if $($(1)_STACK_SIZE),$($(1)_STACK_SIZE),$(APPS_STACK_SIZE))
# Apps that define their own _start link without crt0.
APPS_NO_CRT0 := entry fault_at_entry

APPS_ELFS := $(foreach a,$(APP_NAMES),$(APPS_OUT)/$(a).elf \
	$(foreach s,$(APPS_SLOTS),$(APPS_OUT)/$(a).slot$(s).elf))
APPS_TBFS := $(APPS_ELFS:.elf=.tbf)

ifneq ($(APPS_HAVE_PACKER),)
apps: $(APPS_ELFS) $(APPS_TBFS)
else
apps: $(APPS_ELFS)
	@echo "userland: $(APPS_PACKER) not found; built ELFs only"
endif

apps-elf: $(APPS_ELFS)

apps-clean:
	rm -rf $(BUILD)/apps

# The board's addresses reach the objects as -D flags and the links as --defsym: the objects
# depend on a file that changes only with them (boards/description.mk: write_if_changed).
APPS_BOARD_SETTINGS := $(APPS_DEFINES) slots: $(foreach s,$(APPS_SLOTS),\
	$(APPS_SLOT$(s)_FLASH)/$(APPS_SLOT$(s)_SRAM))
APPS_BOARD_SETTINGS_FILE := $(APPS_OBJ)/board.settings
$(call write_if_changed,$(APPS_BOARD_SETTINGS_FILE),$(APPS_BOARD_SETTINGS))
$(APPS_OBJ)/%.o: %.c userland/userland.mk $(APPS_BOARD_SETTINGS_FILE)
	@mkdir -p $(dir $@)
	@echo "  CC      $<"
	@$(APPS_CC) $(APPS_CFLAGS) $(APPS_INCLUDES) $(APPS_DEFINES) -MMD -MP -c -o $@ $<

$(APPS_LIB): $(APPS_LIB_OBJS)
	@echo "  AR      $@"
	@rm -f $@
	@$(APPS_AR) rcs $@ $^

# app_link(name, elf, flash origin, RAM origin)
define app_link
$(2): $$($(1)_APP_OBJS) $$($(1)_APP_CRT0) $(APPS_LIB) userland/userland_generic.ld
	@echo "  LD      $$@"
	@$$(APPS_CC) $$(APPS_ARCH_FLAGS) $$(APPS_LDFLAGS) \
		-Wl,--defsym=TOCKC_APP_FLASH_ORIGIN=$(strip $(3)) \
		-Wl,--defsym=TOCKC_APP_SRAM_ORIGIN=$(strip $(4)) \
		-Wl,--defsym=STACK_SIZE=$(call app_stack,$(1)) -Wl,-Map=$(2:.elf=.map) -o $$@ \
		$$($(1)_APP_CRT0) $$($(1)_APP_OBJS) $(APPS_LIB) -lgcc
endef

# app_pack(name, tbf, elf)
define app_pack
$(2): $(3) $(APPS_PACKER)
	@echo "  TBF     $$@"
	@$$(PYTHON) $$(APPS_PACKER) --check-crt0 -o $$@ -n $(1) --stack $(call app_stack,$(1)) \
		--app-heap $$(APPS_APP_HEAP_SIZE) --kernel-heap $$(APPS_KERNEL_HEAP_SIZE) \
		--kernel-major $$(APPS_KERNEL_MAJOR) --kernel-minor $$(APPS_KERNEL_MINOR) \
		--minimum-footer-size $$(APPS_MIN_FOOTER) $$($(1)_TBF_FLAGS) -- $(3)
endef

define app_rules
$(1)_APP_SRCS := $$(wildcard $$(call app_dir,$(1))/*.c)
$(1)_APP_OBJS := $$(patsubst %.c,$(APPS_OBJ)/%.o,$$($(1)_APP_SRCS)) \
	$$(if $$(filter $(1),$(APP_TESTS)),$(APPS_TEST_OBJS)) $$($(1)_EXTRA_OBJS)
$(1)_APP_CRT0 := $$(if $$(filter $(1),$(APPS_NO_CRT0)),,$(APPS_CRT0))
$$(eval $$(call app_link,$(1),$(APPS_OUT)/$(1).elf,$(APPS_DEFAULT_FLASH),$(APPS_DEFAULT_SRAM)))
$$(eval $$(call app_pack,$(1),$(APPS_OUT)/$(1).tbf,$(APPS_OUT)/$(1).elf))
$$(foreach s,$(APPS_SLOTS),$$(eval $$(call app_slot_rules,$(1),$$(s))))
endef

# app_slot_rules(name, slot): the RISC-V build of one app for one QEMU virt slot.
define app_slot_rules
$$(eval $$(call app_link,$(1),$(APPS_OUT)/$(1).slot$(2).elf,\
	$(APPS_SLOT$(2)_FLASH),$(APPS_SLOT$(2)_SRAM)))
$$(eval $$(call app_pack,$(1),$(APPS_OUT)/$(1).slot$(2).tbf,$(APPS_OUT)/$(1).slot$(2).elf))
endef
$(foreach a,$(APP_NAMES),$(eval $(call app_rules,$(a))))

-include $(patsubst %.o,%.d,$(APPS_LIB_OBJS) $(APPS_CRT0) $(APPS_TEST_OBJS) \
	$(foreach a,$(APP_NAMES),$($(a)_APP_OBJS)))
