/* SPDX-License-Identifier: Apache-2.0 OR MIT */
/*
 * PMSAv7 MPU registers: load a process's regions (the register-free arch_mpu_* functions are in
 * mpu_layout.c).
 *
 * Invariants: the MPU is enabled with PRIVDEFENA, so the kernel keeps the default memory map and
 * the process sees only the regions of its own configuration.
 */
#include "arch/cortexm_mpu_layout.h"
#include "kernel/arch.h"
#include "kernel/debug.h"

#define MPU_CTRL 0xE000ED94u
#define MPU_RBAR 0xE000ED9Cu
#define MPU_RASR 0xE000EDA0u
#define MPU_CTRL_ENABLE 0x1u
#define MPU_CTRL_PRIVDEFENA 0x4u

static volatile uint32_t *reg(uint32_t address)
{
    /* SAFETY: MPU registers, present on every Cortex-M3/M4 with PMSAv7. */
    return (volatile uint32_t *)address;
}

/* The RBAR value that selects region i itself (VALID set, region number in the low bits). */
static inline uint32_t rbar_for(const struct arch_mpu *mpu, uint32_t i)
{
    return (mpu->rbar[i] & ~0x1Fu) | CORTEXM_RBAR_VALID | i;
}

/* Regions first..first+3 through RBAR, RASR and their three aliases: eight consecutive words,
 * each RBAR write selecting its own region, so no region-number writes in between. Written
 * out: this runs on every process switch. */
static inline void load_four(volatile uint32_t *window, const struct arch_mpu *mpu,
                             uint32_t first)
{
    window[0] = rbar_for(mpu, first);
    window[1] = mpu->rasr[first];
    window[2] = rbar_for(mpu, first + 1u);
    window[3] = mpu->rasr[first + 1u];
    window[4] = rbar_for(mpu, first + 2u);
    window[5] = mpu->rasr[first + 2u];
    window[6] = rbar_for(mpu, first + 3u);
    window[7] = mpu->rasr[first + 3u];
}

_Static_assert(CORTEXM_MPU_REGIONS == 8u, "arch_mpu_configure loads two groups of four");

void arch_mpu_configure(const struct arch_mpu *mpu)
{
    volatile uint32_t *window = reg(MPU_RBAR);
    load_four(window, mpu, 0);
    load_four(window, mpu, 4);
    *reg(MPU_CTRL) = MPU_CTRL_ENABLE | MPU_CTRL_PRIVDEFENA;
    /* SAFETY: barriers only; make the new regions apply to the next instruction fetch. */
    __asm__ volatile("dsb\n\tisb" ::: "memory");
}

void arch_mpu_print(const struct arch_mpu *mpu)
{
    debug_printf("  MPU regions (accessible RAM up to 0x%08x):\n",
                 (unsigned)cortexm_mpu_accessible_end(mpu));
    for (uint32_t i = 0; i < CORTEXM_MPU_REGIONS; i++) {
        if ((mpu->rasr[i] & CORTEXM_RASR_ENABLE) == 0) {
            continue;
        }
        uint32_t size = 2u << ((mpu->rasr[i] >> CORTEXM_RASR_SIZE_SHIFT) & 0x1Fu);
        debug_printf("    region %u: base 0x%08x size 0x%x srd 0x%02x ap %u xn %u\n", (unsigned)i,
                     (unsigned)(mpu->rbar[i] & ~0x1Fu), (unsigned)size,
                     (unsigned)((mpu->rasr[i] >> CORTEXM_RASR_SRD_SHIFT) & 0xFFu),
                     (unsigned)((mpu->rasr[i] >> CORTEXM_RASR_AP_SHIFT) & 7u),
                     (unsigned)((mpu->rasr[i] & CORTEXM_RASR_XN) != 0));
    }
}
