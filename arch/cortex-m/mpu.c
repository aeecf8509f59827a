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

_Static_assert(CORTEXM_MPU_REGIONS == 8u, "arch_mpu_configure loads two groups of four");

/* Four regions through RBAR, RASR and their three aliases (eight consecutive words, each RBAR
 * write selecting its own region) with one load of four RBARs, one of four RASRs and one
 * store; the ascending registers r2..r12 give the interleaved order. Every rbar[i] of a
 * configuration the kernel loads holds VALID | i in its low bits (cortexm_mpu_layout_ram sets
 * them for all regions when the RAM block is laid out, and every writer keeps them), so each
 * RBAR write selects its own region as it is. r7 (the Thumb frame pointer) is left alone.
 * This runs on every process switch. */
#define MPU_LOAD_FOUR                                                                             \
    "ldmia %[rbar]!, {r2, r4, r6, r9}\n\t"                                                     \
    "ldmia %[rasr]!, {r3, r5, r8, r12}\n\t"                                                    \
    "stmia %[window], {r2, r3, r4, r5, r6, r8, r9, r12}\n\t"

/* The kernel configures only processes whose RAM block was laid out (arch.h). */
void arch_mpu_configure(const struct arch_mpu *mpu)
{
    const uint32_t *rbar = mpu->rbar;
    const uint32_t *rasr = mpu->rasr;
    /* SAFETY: reads the 16 words of mpu, writes the MPU's RBAR/RASR alias window only. */
    __asm__ volatile(MPU_LOAD_FOUR MPU_LOAD_FOUR
                     : [rbar] "+&r"(rbar), [rasr] "+&r"(rasr)
                     : [window] "r"(reg(MPU_RBAR))
                     : "r2", "r3", "r4", "r5", "r6", "r8", "r9", "r12", "memory");
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
