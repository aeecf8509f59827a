/* SPDX-License-Identifier: Apache-2.0 OR MIT */
/*
 * Cortex-M (ARMv7-M) process context and PMSAv7 MPU configuration, as the kernel stores them.
 */
#pragma once

#include <stdint.h>

#include "arch/cortexm_frame.h"

#define CORTEXM_MPU_REGIONS 8u
#define CORTEXM_MPU_RAM_REGION 0u   /* regions 0 and 1: the two halves of the RAM block */
#define CORTEXM_MPU_FLASH_REGION 2u /* region 2: the TBF */

struct arch_context {
    uint32_t regs[8]; /* r4-r11 while the process is not running */
    uint32_t psp;     /* process stack pointer; the hardware frame sits at psp */
    /* The process's bounds as the frame check uses them (arch_context_set_bounds). */
    struct cortexm_frame_window window;
    /* Fault details latched at the last ARCH_SWITCH_FAULT. */
    uint32_t fault_exception; /* 3 HardFault, 4 MemManage, 5 BusFault, 6 UsageFault */
    uint32_t cfsr;
    uint32_t hfsr;
    uint32_t mmfar;
    uint32_t bfar;
    uint32_t fault_latched; /* the fields below describe the fault that ended this instance */
    uint32_t frame_valid; /* the stacked frame lay inside process memory */
    uint32_t frame[8];    /* r0-r3, r12, lr, pc, xpsr copied at the fault, if valid */
};

struct arch_mpu {
    uint32_t rbar[CORTEXM_MPU_REGIONS];
    uint32_t rasr[CORTEXM_MPU_REGIONS];
    uint32_t ram_start;
    uint32_t ram_size;       /* power of two; regions 0/1 are each half of it */
    uint32_t subregion_size; /* ram_size / 16 */
    uint32_t generation;     /* incremented by every change (arch.h, arch_mpu_configure) */
};
