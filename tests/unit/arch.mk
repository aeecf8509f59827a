# SPDX-License-Identifier: Apache-2.0 OR MIT
# Host unit tests for arch/ (included by the top Makefile). Per-test CFLAGS come before the host
# includes, so -Iarch/cortex-m/include makes <arch/arch_types.h> the Cortex-M one here.
UNIT_TESTS += mpu_layout_test
mpu_layout_test_CFLAGS := -Iarch/cortex-m/include
mpu_layout_test_SRCS := tests/unit/arch/mpu_layout_test.c arch/cortex-m/mpu_layout.c

UNIT_TESTS += pmp_test
pmp_test_SRCS := tests/unit/arch/pmp_test.c arch/riscv/pmp.c
pmp_test_CFLAGS := -Iarch/riscv/include

UNIT_TESTS += cortexm_isolation_test
cortexm_isolation_test_CFLAGS := -Iarch/cortex-m/include
cortexm_isolation_test_SRCS := tests/unit/arch/cortexm_isolation_test.c \
	tests/unit/arch/isolation_check.c tests/unit/arch/pmsav7_decode.c arch/cortex-m/mpu_layout.c

UNIT_TESTS += riscv_isolation_test
riscv_isolation_test_CFLAGS := -Iarch/riscv/include
riscv_isolation_test_SRCS := tests/unit/arch/riscv_isolation_test.c \
	tests/unit/arch/isolation_check.c tests/unit/arch/pmp_decode.c arch/riscv/pmp.c

UNIT_TESTS += cortexm_frame_test
cortexm_frame_test_CFLAGS := -Iarch/cortex-m/include
cortexm_frame_test_SRCS := tests/unit/arch/cortexm_frame_test.c

UNIT_TESTS += divide64_test
divide64_test_CFLAGS := -Iarch/riscv/include
divide64_test_SRCS := tests/unit/arch/divide64_test.c arch/riscv/divide64.c
