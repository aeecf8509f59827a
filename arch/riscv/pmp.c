/* SPDX-License-Identifier: Apache-2.0 OR MIT */
/*
 * PMP region arithmetic, free of CSR access so it is unit-tested on the host: the TBF
 * becomes one read+execute TOR range and [mem_start, app_brk rounded up to 4) one read+write
 * TOR range; riscv_pmp_encode (arch/riscv_pmp.h) gives the CSR values, kept in mpu->csrs
 * after every change (the public functions at the end), and pmp_hw.c loads them.
 *
 * Invariants: the RAM range stays inside the block and never reaches the kernel break; the
 * flash range never leaves the app's own TBF (its end is rounded DOWN to 4, so a total size
 * that is not a multiple of 4 hides the image's last 1-3 bytes from the app rather than
 * exposing the next image's first). riscv_isolation_test checks both over random layouts.
 */
#include "arch/riscv.h"
#include "arch/riscv_pmp.h"
#include "kernel/arch.h"

static uint32_t round_up4(uint32_t value)
{
    return (value + 3u) & ~3u;
}

static uint32_t round_down4(uint32_t value)
{
    return value & ~3u;
}

static err_t allocate_ram_fields(struct arch_mpu *mpu, const struct arch_ram_request *req,
                                 uintptr_t *mem_start, uint32_t *mem_size)
{
    /* 64-bit so a pool starting in the last 3 bytes cannot wrap to address 0. */
    uint64_t start = ((uint64_t)(uint32_t)req->free_start + 3u) & ~(uint64_t)3u;
    if (req->fixed_start != 0) {
        if ((req->fixed_start & 3u) != 0 || req->fixed_start < req->free_start) {
            return ERR_INVAL;
        }
        start = req->fixed_start;
    }
    /* The block holds the initial app memory too, so its first break stays inside it. */
    uint32_t need = req->min_size > req->initial_app_size ? req->min_size : req->initial_app_size;
    if (need > 0x40000000u) {
        return ERR_NOMEM;
    }
    uint64_t size = round_up4(need < 4u ? 4u : need);
    if (start + size > req->free_end) {
        return ERR_NOMEM;
    }
    mpu->ram_start = (uint32_t)start;
    mpu->ram_size = (uint32_t)size;
    mpu->ram_accessible_end = round_up4(mpu->ram_start + req->initial_app_size);
    *mem_start = mpu->ram_start;
    *mem_size = mpu->ram_size;
    return ERR_OK;
}

static err_t update_app_brk_fields(struct arch_mpu *mpu, uintptr_t app_brk, uintptr_t kernel_brk)
{
    if (app_brk < mpu->ram_start || app_brk > kernel_brk ||
        kernel_brk > (uint64_t)mpu->ram_start + mpu->ram_size) {
        return ERR_NOMEM;
    }
    uint32_t end = round_up4((uint32_t)app_brk);
    if (end > kernel_brk) {
        return ERR_NOMEM;
    }
    mpu->ram_accessible_end = end;
    return ERR_OK;
}

static err_t set_flash_fields(struct arch_mpu *mpu, uintptr_t start, uint32_t size)
{
    uint64_t end = (uint64_t)start + size;
    if ((start & 3u) != 0 || size < 4u || end > 0xFFFFFFFCu) {
        return ERR_INVAL;
    }
    mpu->flash_start = (uint32_t)start;
    mpu->flash_end = round_down4((uint32_t)end);
    return ERR_OK;
}

bool arch_mpu_can_share(uintptr_t addr, uint32_t len)
{
    return len != 0 && (addr & 3u) == 0 && (len & 3u) == 0 &&
           (uint64_t)addr + len <= 0xFFFFFFFCull;
}

static err_t add_shared_fields(struct arch_mpu *mpu, uintptr_t addr, uint32_t len)
{
    if (!arch_mpu_can_share(addr, len)) {
        return ERR_INVAL;
    }
    uint32_t end = (uint32_t)addr + len;
    uint32_t free_pair = 2;
    for (uint32_t i = 0; i < 2; i++) {
        if (mpu->shared_end[i] == 0) {
            free_pair = free_pair == 2 ? i : free_pair;
        } else if (mpu->shared_start[i] == addr && mpu->shared_end[i] == end) {
            return ERR_OK;
        }
    }
    if (free_pair == 2) {
        return ERR_NOMEM;
    }
    mpu->shared_start[free_pair] = (uint32_t)addr;
    mpu->shared_end[free_pair] = end;
    return ERR_OK;
}

static void remove_shared_fields(struct arch_mpu *mpu, uintptr_t start, uintptr_t end)
{
    for (uint32_t i = 0; i < 2; i++) {
        if (mpu->shared_end[i] != 0 && mpu->shared_start[i] >= start &&
            mpu->shared_start[i] < end) {
            mpu->shared_start[i] = 0;
            mpu->shared_end[i] = 0;
        }
    }
}

uintptr_t arch_mpu_accessible_end(const struct arch_mpu *mpu)
{
    return mpu->ram_accessible_end;
}

/* The public changes: each bumps the generation, changes the fields, and re-encodes them. */
err_t arch_mpu_allocate_ram(struct arch_mpu *mpu, const struct arch_ram_request *req,
                            uintptr_t *mem_start, uint32_t *mem_size)
{
    mpu->generation++; /* may change: the kernel reloads the hardware */
    err_t err = allocate_ram_fields(mpu, req, mem_start, mem_size);
    riscv_pmp_encode(mpu, &mpu->csrs);
    return err;
}

err_t arch_mpu_update_app_brk(struct arch_mpu *mpu, uintptr_t app_brk, uintptr_t kernel_brk)
{
    mpu->generation++; /* may change: the kernel reloads the hardware */
    err_t err = update_app_brk_fields(mpu, app_brk, kernel_brk);
    riscv_pmp_encode(mpu, &mpu->csrs);
    return err;
}

err_t arch_mpu_set_flash(struct arch_mpu *mpu, uintptr_t start, uint32_t size)
{
    mpu->generation++; /* may change: the kernel reloads the hardware */
    err_t err = set_flash_fields(mpu, start, size);
    riscv_pmp_encode(mpu, &mpu->csrs);
    return err;
}

err_t arch_mpu_add_shared(struct arch_mpu *mpu, uintptr_t addr, uint32_t len)
{
    mpu->generation++; /* may change: the kernel reloads the hardware */
    err_t err = add_shared_fields(mpu, addr, len);
    riscv_pmp_encode(mpu, &mpu->csrs);
    return err;
}

void arch_mpu_remove_shared(struct arch_mpu *mpu, uintptr_t start, uintptr_t end)
{
    mpu->generation++; /* may change: the kernel reloads the hardware */
    remove_shared_fields(mpu, start, end);
    riscv_pmp_encode(mpu, &mpu->csrs);
}
