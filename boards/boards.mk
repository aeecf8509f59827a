# SPDX-License-Identifier: Apache-2.0 OR MIT
# Kernel image for $(BOARD), the demo image, `make run` and the QEMU test suite.
include boards/$(BOARD)/board.mk
APPS_ARCH := $(BOARD_APPS_ARCH)
app_tbf = $(BUILD)/apps/$(APPS_ARCH)/$(1).tbf

CAPSULE_SRCS := \
	capsules/core/virtualizers/virtual_uart.c capsules/core/virtualizers/virtual_alarm.c \
	capsules/core/alarm.c capsules/core/console.c capsules/core/led.c \
	capsules/core/low_level_debug.c capsules/core/debug_writer.c
KERNEL_COMMON_SRCS := \
	libraries/errorcode.c libraries/format.c libraries/mem.c libraries/tbf.c \
	kernel/deferred_call.c kernel/debug.c kernel/grant.c kernel/kernel.c kernel/process.c \
	kernel/process_loader.c kernel/process_printer.c kernel/syscall.c kernel/syscall_return.c \
	kernel/upcall_queue.c boards/components/core.c \
	$(CAPSULE_SRCS)

KERNEL_CFLAGS := -std=c11 -ffreestanding -fno-common -Wall -Wextra -Werror -Wshadow \
	-Wstrict-prototypes -Wmissing-prototypes -Wvla -Wcast-align -pedantic \
	-fno-tree-loop-distribute-patterns $(BOARD_CFLAGS)
KERNEL_INCLUDES := -Ilibraries/include -Ikernel/include -Ihil/include -Icapsules/include \
	-Iboards/components/include \
	$(BOARD_INCLUDES)
KBUILD := $(BUILD)/$(BOARD)
KERNEL_ELF := $(KBUILD)/kernel.elf
KERNEL_OBJS := $(patsubst %,$(KBUILD)/obj/%.o,$(KERNEL_COMMON_SRCS) $(BOARD_SRCS))

$(KBUILD)/obj/%.c.o: %.c | deps
	@mkdir -p $(dir $@)
	@echo "  CC      $<"
	@$(BOARD_CC) $(KERNEL_CFLAGS) $(KERNEL_INCLUDES) -MMD -MP -c -o $@ $<
$(KBUILD)/obj/%.S.o: %.S | deps
	@mkdir -p $(dir $@)
	@echo "  AS      $<"
	@$(BOARD_CC) $(BOARD_CFLAGS) -c -o $@ $<
-include $(KERNEL_OBJS:.o=.d)

$(KERNEL_ELF): $(KERNEL_OBJS) boards/$(BOARD)/layout.ld
	@echo "  LD      $@"
	@$(BOARD_CC) $(BOARD_LDFLAGS) -o $@ $(KERNEL_OBJS) -lgcc
	$(BOARD_SIZE) $@

kernel: $(KERNEL_ELF)

DEMO_APPS := hello blink counter_a counter_b
DEMO_IMAGE := $(KBUILD)/demo-apps.bin
$(DEMO_IMAGE): $(foreach a,$(DEMO_APPS),$(call app_tbf,$(a),1)) tools/mkimage.py
	$(PYTHON) tools/mkimage.py --arch $(BOARD_ARCH) --flash-start $(BOARD_APP_FLASH) \
		--flash-size $(BOARD_APP_FLASH_SIZE) -o $@ $(filter %.tbf,$^)

run: $(KERNEL_ELF) $(DEMO_IMAGE)
	@echo "tockc on $(BOARD): quit QEMU with Ctrl-a x"
	$(QEMU_SYSTEM) $(call QEMU_ARGS,$(DEMO_IMAGE))

qemu-test: $(KERNEL_ELF) apps
	$(PYTHON) tools/qemu_test.py --board $(BOARD)
