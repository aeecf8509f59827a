# SPDX-License-Identifier: Apache-2.0 OR MIT
# QEMU RISC-V virt (rv32imac): what the kernel image is made of (its memory map, app slots,
# toolchain and QEMU command line are in board.json, boards/description.mk).
# t3-t6 belong to the running process while the kernel runs (arch/riscv/trap.S): the kernel's
# code never uses them, so a trap neither saves nor restores them. libgcc's 64-bit division
# uses them, so the kernel brings its own (arch/riscv/divide64.c, outside LTO: the compiler
# calls it only during code generation). tests/tools/test_kernel_image.py checks the image.
BOARD_FIXED_REGS := -ffixed-t3 -ffixed-t4 -ffixed-t5 -ffixed-t6
BOARD_CFLAGS := -march=rv32imac_zicsr -mabi=ilp32 -mcmodel=medany -Os -g -ffunction-sections \
	-fdata-sections $(BOARD_FIXED_REGS)
# The link runs LTO's code generation, so it needs zicsr too; libgcc comes from the plain
# rv32imac multilib (there is none named for zicsr). Expanded at the link only.
BOARD_LIBGCC = $(shell $(BOARD_CC) -march=rv32imac -mabi=ilp32 -print-libgcc-file-name)
BOARD_LDFLAGS := -march=rv32imac_zicsr -mabi=ilp32 -nostdlib -Wl,--gc-sections
BOARD_INCLUDES := -Iarch/riscv/include -Ichips/common/include -Ichips/qemu_virt/include \
	-Ichips/cfi_flash/include \
	-Ichips/ram_flash/include \
	-Ichips/crypto_engine/include \
	-Ichips/virtio/include
# CONFIG=core (boards/boards.mk): the arch, the UART, the timer, the chip (which services the
# virtio-rng interrupt line) and the LEDs.
BOARD_CORE_SRCS := \
	arch/riscv/trap.S arch/riscv/startup.c arch/riscv/context.c arch/riscv/pmp.c \
	arch/riscv/pmp_hw.c arch/riscv/timer.c arch/riscv/divide64.c \
	chips/common/uart_requests.c chips/qemu_virt/ns16550.c chips/qemu_virt/clint_alarm.c \
	chips/qemu_virt/chip.c chips/qemu_virt/ram_led.c chips/qemu_virt/test_finisher.c \
	chips/virtio/virtqueue.c chips/virtio/virtio_rng.c \
	boards/qemu_rv32_virt/main.c
# The full demo board adds storage, crypto and random numbers.
BOARD_SRCS := $(BOARD_CORE_SRCS) \
	chips/ram_flash/ram_flash.c chips/cfi_flash/cfi_flash.c boards/components/storage.c \
	chips/crypto_engine/engine.c chips/crypto_engine/aes.c chips/crypto_engine/sha.c \
	libraries/crypto/aes128.c libraries/crypto/aes_ccm.c libraries/crypto/aead_progress.c \
	libraries/crypto/aes_gcm.c libraries/crypto/compare.c libraries/crypto/sha256.c \
	libraries/crypto/hmac_sha256.c boards/components/crypto.c boards/components/sealed_store.c \
	libraries/crypto/hmac_drbg.c
BOARD_NO_LTO_SRCS := arch/riscv/divide64.c
# Only in the self-test image (boards/boards.mk).
BOARD_SELFTEST_SRCS := boards/qemu_rv32_virt/selftests.c
