/* SPDX-License-Identifier: Apache-2.0 OR MIT */
/*
 * PMSAv7 MPU registers: load a process's regions, and the arch_mpu_* contract on top of the
 * region arithmetic in mpu_layout.c.
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

err_t arch_mpu_allocate_ram(struct arch_mpu *mpu, const struct arch_ram_request *req,
                            uintptr_t *mem_start, uint32_t *mem_size)
{
    err_t err = cortexm_mpu_layout_ram(mpu, (uint32_t)req->free_start, (uint32_t)req->free_end,
                                       (uint32_t)req->fixed_start, req->min_size,
                                       req->initial_app_size);
    if (err != ERR_OK) {
        return err;
    }
    *mem_start = mpu->ram_start;
    *mem_size = mpu->ram_size;
    return ERR_OK;
}

err_t arch_mpu_update_app_brk(struct arch_mpu *mpu, uintptr_t app_brk, uintptr_t kernel_brk)
{
    return cortexm_mpu_layout_brk(mpu, (uint32_t)app_brk, (uint32_t)kernel_brk);
}

err_t arch_mpu_set_flash(struct arch_mpu *mpu, uintptr_t start, uint32_t size)
{
    return cortexm_mpu_layout_flash(mpu, (uint32_t)start, size);
}

void arch_mpu_configure(const struct arch_mpu *mpu)
{
    for (uint32_t i = 0; i < CORTEXM_MPU_REGIONS; i++) {
        *reg(MPU_RBAR) = (mpu->rbar[i] & ~0x1Fu) | CORTEXM_RBAR_VALID | i;
        *reg(MPU_RASR) = mpu->rasr[i];
    }
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
