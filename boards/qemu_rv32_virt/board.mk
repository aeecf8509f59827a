# SPDX-License-Identifier: Apache-2.0 OR MIT
# QEMU RISC-V virt (rv32imac): what the kernel image is made of and how QEMU runs it.
BOARD_ARCH := riscv
BOARD_APPS_ARCH := rv32imac
BOARD_CC := riscv64-unknown-elf-gcc
BOARD_SIZE := riscv64-unknown-elf-size
BOARD_CFLAGS := -march=rv32imac_zicsr -mabi=ilp32 -mcmodel=medany -Os -g -ffunction-sections \
	-fdata-sections
# The link runs LTO's code generation, so it needs zicsr too; libgcc comes from the plain
# rv32imac multilib (there is none named for zicsr).
BOARD_LIBGCC := $(shell $(BOARD_CC) -march=rv32imac -mabi=ilp32 -print-libgcc-file-name)
BOARD_LDFLAGS := -march=rv32imac_zicsr -mabi=ilp32 -nostdlib -Wl,--gc-sections \
	-T boards/qemu_rv32_virt/layout.ld
BOARD_INCLUDES := -Iarch/riscv/include -Ichips/common/include -Ichips/qemu_virt/include \
	-Ichips/cfi_flash/include \
	-Ichips/ram_flash/include \
	-Ichips/crypto_engine/include \
	-Ichips/virtio/include
# CONFIG=core (boards/boards.mk): the arch, the UART, the timer, the chip (which services the
# virtio-rng interrupt line) and the LEDs.
BOARD_CORE_SRCS := \
	arch/riscv/trap.S arch/riscv/startup.c arch/riscv/context.c arch/riscv/pmp.c \
	arch/riscv/pmp_hw.c arch/riscv/timer.c \
	chips/common/uart_requests.c chips/qemu_virt/ns16550.c chips/qemu_virt/clint_alarm.c \
	chips/qemu_virt/chip.c chips/qemu_virt/ram_led.c \
	chips/virtio/virtqueue.c chips/virtio/virtio_rng.c \
	boards/qemu_rv32_virt/main.c
# The full demo board adds storage, crypto and random numbers.
BOARD_SRCS := $(BOARD_CORE_SRCS) \
	chips/ram_flash/ram_flash.c chips/cfi_flash/cfi_flash.c boards/components/storage.c \
	chips/crypto_engine/engine.c chips/crypto_engine/aes.c chips/crypto_engine/sha.c \
	libraries/crypto/aes128.c libraries/crypto/aes_ccm.c libraries/crypto/aead_progress.c \
	libraries/crypto/aes_gcm.c libraries/crypto/compare.c libraries/crypto/sha256.c \
	libraries/crypto/hmac_sha256.c boards/components/crypto.c \
	libraries/crypto/hmac_drbg.c
# Only in the self-test image (boards/boards.mk).
BOARD_SELFTEST_SRCS := boards/qemu_rv32_virt/selftests.c
BOARD_APP_FLASH := 0x80100000
BOARD_APP_FLASH_SIZE := 0x00100000
# The TBF of app $(1) built for app slot $(2).
app_tbf = $(BUILD)/apps/rv32imac/$(1).slot$(2).tbf
QEMU_SYSTEM := qemu-system-riscv32
# -bios loads the kernel ELF as the machine-mode firmware; apps go to app flash as one image.
# pflash1 (0x22000000) is backed by a 32 MiB file that keeps what was written across runs;
# `make run` creates it erased the first time (delete it to start again).
# virtio-rng-device (the RNG driver's entropy) on a virtio-mmio slot, with the modern (version 2)
# register layout, which is the only one the kernel drives (QEMU 7.2 defaults to legacy).
BOARD_PFLASH := $(BUILD)/qemu_rv32_virt/pflash1.bin
QEMU_ARGS = -machine virt -nographic -bios $(KERNEL_ELF) \
	-device loader,file=$(1),addr=$(BOARD_APP_FLASH) \
	-drive if=pflash,unit=1,format=raw,file=$(BOARD_PFLASH) \
	-global virtio-mmio.force-legacy=false -device virtio-rng-device
run: $(BOARD_PFLASH)
$(BOARD_PFLASH):
	@mkdir -p $(dir $@)
	$(PYTHON) -c "import sys; open(sys.argv[1], 'wb').write(b'\xff' * (32 << 20))" $@
