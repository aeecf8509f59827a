/* SPDX-License-Identifier: Apache-2.0 OR MIT */
/*
 * PMSAv7 region arithmetic, free of register access so it is unit-tested on the host.
 *
 * Process RAM is one power-of-two block of at least 512 bytes aligned to half its size, covered
 * by two regions (one per half) of 8 subregions each; enabling the first n subregions exposes
 * [start, start + n * size/16). Flash is one region, or one larger region with only the
 * subregions that exactly cover the TBF enabled.
 */
#pragma once

#include <stdint.h>

#include "arch/arch_types.h"
#include "errorcode.h"

#define CORTEXM_RASR_ENABLE 0x1u
#define CORTEXM_RASR_SIZE_SHIFT 1u
#define CORTEXM_RASR_SRD_SHIFT 8u
#define CORTEXM_RASR_CACHEABLE (1u << 17)
#define CORTEXM_RASR_AP_SHIFT 24u
#define CORTEXM_RASR_AP_READ_WRITE 3u
#define CORTEXM_RASR_AP_UNPRIV_READ_ONLY 2u
#define CORTEXM_RASR_XN (1u << 28)
#define CORTEXM_RBAR_VALID 0x10u
#define CORTEXM_MPU_MIN_RAM 512u

/* Choose the RAM block (see arch_mpu_allocate_ram) and write regions 0/1 for initial_app bytes. */
MUST_CHECK err_t cortexm_mpu_layout_ram(struct arch_mpu *mpu, uint32_t free_start,
                                        uint32_t free_end, uint32_t fixed_start,
                                        uint32_t min_size, uint32_t initial_app);

/* Expose [ram_start, app_brk) rounded up to subregions, staying below kernel_brk. */
MUST_CHECK err_t cortexm_mpu_layout_brk(struct arch_mpu *mpu, uint32_t app_brk,
                                        uint32_t kernel_brk);

/* Region 2 for [start, start + size): read-only for the process, executable. */
MUST_CHECK err_t cortexm_mpu_layout_flash(struct arch_mpu *mpu, uint32_t start, uint32_t size);

/* Bytes the process can physically reach: ram_start + enabled subregions * subregion_size. */
uint32_t cortexm_mpu_accessible_end(const struct arch_mpu *mpu);
