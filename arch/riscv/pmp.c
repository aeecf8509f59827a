/* SPDX-License-Identifier: Apache-2.0 OR MIT */
/*
 * PMP as the process's memory protection (spec §2.4.2): two TOR pairs, the TBF read+execute
 * and [mem_start, app_brk rounded to 4) read+write; every other address is denied to U-mode.
 * Entries carry no lock bit, so the M-mode kernel is unaffected.
 *
 * Invariants: the RAM pair never reaches the kernel break; entries 4-7 stay off.
 */
#include "arch/riscv.h"
#include "kernel/arch.h"
#include "kernel/debug.h"

#define PMP_R 0x1u
#define PMP_W 0x2u
#define PMP_X 0x4u
#define PMP_TOR 0x8u

static uint32_t round_up4(uint32_t value)
{
    return (value + 3u) & ~3u;
}

err_t arch_mpu_allocate_ram(struct arch_mpu *mpu, const struct arch_ram_request *req,
                            uintptr_t *mem_start, uint32_t *mem_size)
{
    uint64_t start = round_up4((uint32_t)req->free_start);
    if (req->fixed_start != 0) {
        if ((req->fixed_start & 3u) != 0 || req->fixed_start < req->free_start) {
            return ERR_INVAL;
        }
        start = req->fixed_start;
    }
    uint64_t size = round_up4(req->min_size < 4u ? 4u : req->min_size);
    if (req->min_size > 0x40000000u || start + size > req->free_end) {
        return ERR_NOMEM;
    }
    mpu->ram_start = (uint32_t)start;
    mpu->ram_size = (uint32_t)size;
    mpu->ram_accessible_end = round_up4(mpu->ram_start + req->initial_app_size);
    *mem_start = mpu->ram_start;
    *mem_size = mpu->ram_size;
    return ERR_OK;
}

err_t arch_mpu_update_app_brk(struct arch_mpu *mpu, uintptr_t app_brk, uintptr_t kernel_brk)
{
    if (app_brk < mpu->ram_start || app_brk > kernel_brk) {
        return ERR_NOMEM;
    }
    uint32_t end = round_up4((uint32_t)app_brk);
    if (end > kernel_brk) {
        return ERR_NOMEM;
    }
    mpu->ram_accessible_end = end;
    return ERR_OK;
}

err_t arch_mpu_set_flash(struct arch_mpu *mpu, uintptr_t start, uint32_t size)
{
    uint64_t end = (uint64_t)start + size;
    if ((start & 3u) != 0 || size == 0 || end > 0xFFFFFFFCu) {
        return ERR_INVAL;
    }
    mpu->flash_start = (uint32_t)start;
    mpu->flash_end = round_up4((uint32_t)end);
    return ERR_OK;
}

void arch_mpu_configure(const struct arch_mpu *mpu)
{
    uint32_t cfg0 = ((PMP_TOR | PMP_R | PMP_X) << 8) | ((PMP_TOR | PMP_R | PMP_W) << 24);
    /* SAFETY: PMP CSR writes only; no lock bits, so M-mode keeps full access. */
    __asm__ volatile("csrw pmpcfg0, zero\n\t"
                     "csrw pmpaddr0, %0\n\t"
                     "csrw pmpaddr1, %1\n\t"
                     "csrw pmpaddr2, %2\n\t"
                     "csrw pmpaddr3, %3\n\t"
                     "csrw pmpcfg1, zero\n\t"
                     "csrw pmpcfg0, %4"
                     :
                     : "r"(mpu->flash_start >> 2), "r"(mpu->flash_end >> 2),
                       "r"(mpu->ram_start >> 2), "r"(mpu->ram_accessible_end >> 2), "r"(cfg0)
                     : "memory");
}

void arch_mpu_print(const struct arch_mpu *mpu)
{
    debug_printf("  PMP: flash [0x%08x, 0x%08x) R-X, RAM [0x%08x, 0x%08x) RW-\n",
                 (unsigned)mpu->flash_start, (unsigned)mpu->flash_end, (unsigned)mpu->ram_start,
                 (unsigned)mpu->ram_accessible_end);
}
