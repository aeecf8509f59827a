/* SPDX-License-Identifier: Apache-2.0 OR MIT */
/*
 * PMSAv7 region arithmetic (see cortexm_mpu_layout.h) and the register-free part of the
 * arch_mpu_* contract, so the host tests drive exactly what the kernel calls.
 *
 * Invariants: every RASR written has a size field for a power of two >= 32 bytes and a base
 * aligned to that size; no enabled subregion reaches the kernel break passed in.
 */
#include "arch/cortexm_mpu_layout.h"
#include "kernel/arch.h"

static uint32_t log2_exact(uint32_t pow2)
{
    uint32_t n = 0;
    while ((1u << n) < pow2) {
        n++;
    }
    return n;
}

static uint32_t rasr(uint32_t size, uint32_t disabled_subregions, uint32_t ap, uint32_t xn)
{
    return CORTEXM_RASR_ENABLE | ((log2_exact(size) - 1u) << CORTEXM_RASR_SIZE_SHIFT) |
           ((disabled_subregions & 0xFFu) << CORTEXM_RASR_SRD_SHIFT) | CORTEXM_RASR_CACHEABLE |
           (ap << CORTEXM_RASR_AP_SHIFT) | xn;
}

/* Write regions 0/1 so that the first `enabled` subregions (0..16) are accessible. */
static void write_ram_regions(struct arch_mpu *mpu, uint32_t enabled)
{
    uint32_t half = mpu->ram_size / 2u;
    for (uint32_t r = 0; r < 2; r++) {
        uint32_t first = r * 8u;
        uint32_t count = enabled > first ? enabled - first : 0;
        if (count > 8) {
            count = 8;
        }
        uint32_t region = CORTEXM_MPU_RAM_REGION + r;
        mpu->rbar[region] = (mpu->ram_start + r * half) | CORTEXM_RBAR_VALID | region;
        if (count == 0) {
            mpu->rasr[region] = 0;
            continue;
        }
        uint32_t disabled = 0xFFu & ~((1u << count) - 1u);
        mpu->rasr[region] = rasr(half, disabled, CORTEXM_RASR_AP_READ_WRITE, CORTEXM_RASR_XN);
    }
}

static uint32_t subregions_for(const struct arch_mpu *mpu, uint32_t app_brk)
{
    uint32_t used = app_brk - mpu->ram_start;
    return (used + mpu->subregion_size - 1u) / mpu->subregion_size;
}

err_t cortexm_mpu_layout_ram(struct arch_mpu *mpu, uint32_t free_start, uint32_t free_end,
                             uint32_t fixed_start, uint32_t min_size, uint32_t initial_app)
{
    if (free_end < free_start || min_size > 0x40000000u || initial_app > 0x40000000u) {
        return ERR_NOMEM;
    }
    uint32_t size = CORTEXM_MPU_MIN_RAM;
    while (size < min_size || size < initial_app) {
        size *= 2u;
    }
    uint32_t half = size / 2u;
    uint64_t start = ((uint64_t)free_start + half - 1u) & ~(uint64_t)(half - 1u);
    if (fixed_start != 0 && start != fixed_start) {
        return ERR_INVAL;
    }
    if (start + size > free_end) {
        return ERR_NOMEM;
    }
    mpu->ram_start = (uint32_t)start;
    mpu->ram_size = size;
    mpu->subregion_size = size / 16u;
    /* From here on every rbar[r] selects region r (VALID | r in its low bits; every later
     * writer keeps them), so arch_mpu_configure loads the words as they are. */
    for (uint32_t r = 0; r < CORTEXM_MPU_REGIONS; r++) {
        mpu->rbar[r] = (mpu->rbar[r] & ~0x1Fu) | CORTEXM_RBAR_VALID | r;
    }
    write_ram_regions(mpu, subregions_for(mpu, mpu->ram_start + initial_app));
    return ERR_OK;
}

err_t cortexm_mpu_layout_brk(struct arch_mpu *mpu, uint32_t app_brk, uint32_t kernel_brk)
{
    uint32_t end = mpu->ram_start + mpu->ram_size;
    if (app_brk < mpu->ram_start || app_brk > kernel_brk || kernel_brk > end) {
        return ERR_NOMEM;
    }
    uint32_t n = subregions_for(mpu, app_brk);
    if (mpu->ram_start + n * mpu->subregion_size > kernel_brk) {
        return ERR_NOMEM;
    }
    write_ram_regions(mpu, n);
    return ERR_OK;
}

uint32_t cortexm_mpu_accessible_end(const struct arch_mpu *mpu)
{
    uint32_t n = 0;
    for (uint32_t r = 0; r < 2; r++) {
        uint32_t value = mpu->rasr[CORTEXM_MPU_RAM_REGION + r];
        if ((value & CORTEXM_RASR_ENABLE) == 0) {
            continue;
        }
        uint32_t disabled = (value >> CORTEXM_RASR_SRD_SHIFT) & 0xFFu;
        for (uint32_t s = 0; s < 8; s++) {
            n += (disabled & (1u << s)) == 0 ? 1u : 0u;
        }
    }
    return mpu->ram_start + n * mpu->subregion_size;
}

err_t cortexm_mpu_layout_flash(struct arch_mpu *mpu, uint32_t start, uint32_t size)
{
    uint64_t end = (uint64_t)start + size;
    if (size < 32u || end > 0x100000000ull) {
        return ERR_INVAL;
    }
    uint32_t region = CORTEXM_MPU_FLASH_REGION;
    uint32_t ap = CORTEXM_RASR_AP_UNPRIV_READ_ONLY;
    if ((size & (size - 1u)) == 0 && start % size == 0) {
        mpu->rbar[region] = start | CORTEXM_RBAR_VALID | region;
        mpu->rasr[region] = rasr(size, 0, ap, 0);
        return ERR_OK;
    }
    /* One region of 8 subregions: the TBF must be exactly a run of whole subregions. Sizes are
     * powers of two, so divisions are shifts (no 64-bit division from libgcc). */
    for (uint32_t log2 = 8; log2 <= 31; log2++) {
        uint64_t r = 1ull << log2;
        uint32_t sub_log2 = log2 - 3u; /* 8 subregions */
        uint64_t sub_mask = (1ull << sub_log2) - 1u;
        uint64_t base = start & ~(r - 1u);
        if ((start & sub_mask) != 0 || (end & sub_mask) != 0 || end > base + r) {
            continue;
        }
        uint32_t first = (uint32_t)((start - base) >> sub_log2);
        uint32_t last = (uint32_t)((end - base) >> sub_log2);
        uint32_t enabled = ((1u << last) - 1u) & ~((1u << first) - 1u);
        mpu->rbar[region] = (uint32_t)base | CORTEXM_RBAR_VALID | region;
        mpu->rasr[region] = rasr((uint32_t)r, 0xFFu & ~enabled, ap, 0);
        return ERR_OK;
    }
    return ERR_INVAL;
}

/* Shared buffers (IPC) use regions 3..7: one power-of-two region each, aligned to its size. */
#define SHARED_FIRST 3u

bool arch_mpu_can_share(uintptr_t addr, uint32_t len)
{
    return len >= 32u && (len & (len - 1u)) == 0 && addr % len == 0 &&
           (uint64_t)addr + len <= 0x100000000ull;
}

err_t arch_mpu_add_shared(struct arch_mpu *mpu, uintptr_t addr, uint32_t len)
{
    mpu->generation++; /* may change: the kernel reloads the hardware */
    if (!arch_mpu_can_share(addr, len)) {
        return ERR_INVAL;
    }
    uint32_t want_rasr = rasr(len, 0, CORTEXM_RASR_AP_READ_WRITE, CORTEXM_RASR_XN);
    uint32_t free_region = CORTEXM_MPU_REGIONS;
    for (uint32_t r = SHARED_FIRST; r < CORTEXM_MPU_REGIONS; r++) {
        if ((mpu->rasr[r] & CORTEXM_RASR_ENABLE) == 0) {
            free_region = free_region == CORTEXM_MPU_REGIONS ? r : free_region;
        } else if ((mpu->rbar[r] & ~0x1Fu) == addr && mpu->rasr[r] == want_rasr) {
            return ERR_OK;
        }
    }
    if (free_region == CORTEXM_MPU_REGIONS) {
        return ERR_NOMEM;
    }
    mpu->rbar[free_region] = (uint32_t)addr | CORTEXM_RBAR_VALID | free_region;
    mpu->rasr[free_region] = want_rasr;
    return ERR_OK;
}

void arch_mpu_remove_shared(struct arch_mpu *mpu, uintptr_t start, uintptr_t end)
{
    mpu->generation++; /* may change: the kernel reloads the hardware */
    for (uint32_t r = SHARED_FIRST; r < CORTEXM_MPU_REGIONS; r++) {
        uintptr_t base = mpu->rbar[r] & ~0x1Fu;
        if ((mpu->rasr[r] & CORTEXM_RASR_ENABLE) != 0 && base >= start && base < end) {
            mpu->rasr[r] = 0;
        }
    }
}

err_t arch_mpu_allocate_ram(struct arch_mpu *mpu, const struct arch_ram_request *req,
                            uintptr_t *mem_start, uint32_t *mem_size)
{
    mpu->generation++; /* may change: the kernel reloads the hardware */
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

uintptr_t arch_mpu_accessible_end(const struct arch_mpu *mpu)
{
    return cortexm_mpu_accessible_end(mpu);
}

err_t arch_mpu_update_app_brk(struct arch_mpu *mpu, uintptr_t app_brk, uintptr_t kernel_brk)
{
    mpu->generation++; /* may change: the kernel reloads the hardware */
    return cortexm_mpu_layout_brk(mpu, (uint32_t)app_brk, (uint32_t)kernel_brk);
}

err_t arch_mpu_set_flash(struct arch_mpu *mpu, uintptr_t start, uint32_t size)
{
    mpu->generation++; /* may change: the kernel reloads the hardware */
    return cortexm_mpu_layout_flash(mpu, (uint32_t)start, size);
}
