/* SPDX-License-Identifier: Apache-2.0 OR MIT */
/*
 * Host tests for the PMSAv7 region arithmetic (arch/cortex-m/mpu_layout.c) against ABI §2.4.1:
 * RAM block sizing and alignment, the RBAR/RASR encoding of the two RAM regions and their
 * subregions as the break moves, the kernel-break limit, and the flash region.
 *
 * Built with -Iarch/cortex-m/include ahead of the host includes, so <arch/arch_types.h> is the
 * Cortex-M one here (not the fake).
 *
 * Usage: make build/host/mpu_layout_test build/host-san/mpu_layout_test
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include "arch/cortexm_mpu_layout.h"

#define RAM_POOL 0x20004000u
#define RAM_POOL_END 0x20010000u

/* Fields of a RASR value. */
static uint32_t rasr_size_bytes(uint32_t rasr)
{
    return 2u << ((rasr >> 1) & 0x1Fu);
}

static uint32_t rasr_srd(uint32_t rasr)
{
    return (rasr >> 8) & 0xFFu;
}

static uint32_t rasr_ap(uint32_t rasr)
{
    return (rasr >> 24) & 7u;
}

static void expect_ram_region(const struct arch_mpu *mpu, uint32_t region, uint32_t base,
                              uint32_t half, uint32_t srd)
{
    uint32_t rbar = mpu->rbar[region];
    uint32_t rasr = mpu->rasr[region];
    assert_int_equal(rbar, base | 0x10u | region);
    assert_int_equal(rasr & 1u, 1u);
    assert_int_equal(rasr_size_bytes(rasr), half);
    assert_int_equal(rasr_srd(rasr), srd);
    assert_int_equal(rasr_ap(rasr), 3u);           /* read-write, privileged and unprivileged */
    assert_int_equal(rasr & (1u << 28), 1u << 28); /* never executable */
}

static void expect_disabled(const struct arch_mpu *mpu, uint32_t region)
{
    assert_int_equal(mpu->rasr[region] & 1u, 0);
}

static struct arch_mpu layout(uint32_t free_start, uint32_t free_end, uint32_t min_size,
                              uint32_t initial)
{
    struct arch_mpu mpu;
    memset(&mpu, 0, sizeof mpu);
    assert_int_equal(cortexm_mpu_layout_ram(&mpu, free_start, free_end, 0, min_size, initial),
                     ERR_OK);
    return mpu;
}

/* ==== RAM block ==== */

static void test_ram_size_is_power_of_two_at_least_512(void **state)
{
    (void)state;
    const struct {
        uint32_t min_size, initial, size;
    } cases[] = {
        {0, 32, 512},     {100, 32, 512},   {512, 32, 512},  {513, 32, 1024},
        {3000, 32, 4096}, {4096, 32, 4096}, {4097, 0, 8192}, {100, 600, 1024},
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        struct arch_mpu mpu = layout(RAM_POOL, RAM_POOL_END, cases[i].min_size, cases[i].initial);
        assert_int_equal(mpu.ram_size, cases[i].size);
        assert_int_equal(mpu.subregion_size, cases[i].size / 16);
        assert_int_equal(mpu.ram_start, RAM_POOL); /* already aligned to every half here */
    }
}

static void test_ram_start_is_aligned_to_half_the_size(void **state)
{
    (void)state;
    struct arch_mpu mpu = layout(RAM_POOL + 0x10, RAM_POOL_END, 1000, 32);
    assert_int_equal(mpu.ram_size, 1024);
    assert_int_equal(mpu.ram_start, RAM_POOL + 0x200);
    mpu = layout(RAM_POOL + 0x800, RAM_POOL_END, 4000, 32); /* half 2 KiB: 0x...4800 is fine */
    assert_int_equal(mpu.ram_start, RAM_POOL + 0x800);
    mpu = layout(RAM_POOL + 0x801, RAM_POOL_END, 4000, 32);
    assert_int_equal(mpu.ram_start, RAM_POOL + 0x1000);
}

static void test_initial_regions_expose_the_initial_app_bytes(void **state)
{
    (void)state;
    struct arch_mpu mpu = layout(RAM_POOL, RAM_POOL_END, 1024, 32);
    /* 1 KiB block: two 512-byte regions of 64-byte subregions; 32 bytes need one. */
    expect_ram_region(&mpu, 0, RAM_POOL, 512, 0xFEu);
    expect_disabled(&mpu, 1);
    assert_int_equal(mpu.rbar[1], (RAM_POOL + 512) | 0x10u | 1u);
    assert_int_equal(cortexm_mpu_accessible_end(&mpu), RAM_POOL + 64);
    mpu = layout(RAM_POOL, RAM_POOL_END, 1024, 0); /* nothing accessible at first */
    expect_disabled(&mpu, 0);
    expect_disabled(&mpu, 1);
    assert_int_equal(cortexm_mpu_accessible_end(&mpu), RAM_POOL);
}

static void test_rasr_size_field_is_log2_minus_one(void **state)
{
    (void)state;
    struct arch_mpu mpu = layout(RAM_POOL, RAM_POOL_END, 512, 32);
    assert_int_equal((mpu.rasr[0] >> 1) & 0x1Fu, 7u); /* 256-byte halves: 2^8 */
    mpu = layout(RAM_POOL, RAM_POOL_END, 8192, 32);
    assert_int_equal((mpu.rasr[0] >> 1) & 0x1Fu, 11u); /* 4 KiB halves: 2^12 */
}

static void test_fixed_start_that_cannot_be_honoured_is_inval(void **state)
{
    (void)state;
    struct arch_mpu mpu;
    memset(&mpu, 0, sizeof mpu);
    /* 1 KiB needs a 512-byte aligned start. */
    assert_int_equal(
        cortexm_mpu_layout_ram(&mpu, RAM_POOL + 0x100, RAM_POOL_END, RAM_POOL + 0x100, 1000, 32),
        ERR_INVAL);
    assert_int_equal(
        cortexm_mpu_layout_ram(&mpu, RAM_POOL, RAM_POOL_END, RAM_POOL + 0x400, 1000, 32),
        ERR_INVAL);                    /* the allocator would not skip forward to it */
    assert_int_equal(mpu.ram_size, 0); /* nothing written on failure */
    assert_int_equal(
        cortexm_mpu_layout_ram(&mpu, RAM_POOL + 0x400, RAM_POOL_END, RAM_POOL + 0x400, 1000, 32),
        ERR_OK);
    assert_int_equal(mpu.ram_start, RAM_POOL + 0x400);
}

static void test_exhausted_pool_is_nomem(void **state)
{
    (void)state;
    struct arch_mpu mpu;
    memset(&mpu, 0, sizeof mpu);
    assert_int_equal(cortexm_mpu_layout_ram(&mpu, RAM_POOL, RAM_POOL + 1023, 0, 1000, 32),
                     ERR_NOMEM);
    assert_int_equal(cortexm_mpu_layout_ram(&mpu, RAM_POOL + 1, RAM_POOL + 1024, 0, 1000, 32),
                     ERR_NOMEM); /* alignment pushes it past the end */
    assert_int_equal(cortexm_mpu_layout_ram(&mpu, RAM_POOL_END, RAM_POOL, 0, 32, 32), ERR_NOMEM);
    assert_int_equal(cortexm_mpu_layout_ram(&mpu, 0xFFFFFF00u, 0xFFFFFFFFu, 0, 1000, 32),
                     ERR_NOMEM);
    assert_int_equal(cortexm_mpu_layout_ram(&mpu, RAM_POOL, RAM_POOL_END, 0, 0x80000000u, 32),
                     ERR_NOMEM);
    assert_int_equal(mpu.ram_size, 0);
    assert_int_equal(cortexm_mpu_layout_ram(&mpu, RAM_POOL, RAM_POOL + 1024, 0, 1000, 32),
                     ERR_OK); /* exactly fits */
}

/* ==== break ==== */

static void test_brk_growth_enables_subregions_then_region_one(void **state)
{
    (void)state;
    struct arch_mpu mpu = layout(RAM_POOL, RAM_POOL_END, 1024, 32);
    uint32_t s = RAM_POOL, end = RAM_POOL + 1024;
    assert_int_equal(cortexm_mpu_layout_brk(&mpu, s + 65, end), ERR_OK);
    expect_ram_region(&mpu, 0, s, 512, 0xFCu);
    expect_disabled(&mpu, 1);
    assert_int_equal(cortexm_mpu_accessible_end(&mpu), s + 128);
    assert_int_equal(cortexm_mpu_layout_brk(&mpu, s + 512, end), ERR_OK);
    expect_ram_region(&mpu, 0, s, 512, 0x00u);
    expect_disabled(&mpu, 1);
    assert_int_equal(cortexm_mpu_accessible_end(&mpu), s + 512);
    assert_int_equal(cortexm_mpu_layout_brk(&mpu, s + 513, end), ERR_OK); /* across the half */
    expect_ram_region(&mpu, 0, s, 512, 0x00u);
    expect_ram_region(&mpu, 1, s + 512, 512, 0xFEu);
    assert_int_equal(cortexm_mpu_accessible_end(&mpu), s + 576);
    assert_int_equal(cortexm_mpu_layout_brk(&mpu, end, end), ERR_OK);
    expect_ram_region(&mpu, 1, s + 512, 512, 0x00u);
    assert_int_equal(cortexm_mpu_accessible_end(&mpu), end);
    assert_int_equal(cortexm_mpu_layout_brk(&mpu, s + 100, end), ERR_OK); /* shrink back */
    expect_ram_region(&mpu, 0, s, 512, 0xFCu);
    expect_disabled(&mpu, 1);
}

static void test_brk_whose_rounding_reaches_kernel_break_is_nomem(void **state)
{
    (void)state;
    struct arch_mpu mpu = layout(RAM_POOL, RAM_POOL_END, 1024, 32);
    uint32_t s = RAM_POOL;
    uint32_t kernel_brk = s + 1000; /* grants from here up */
    assert_int_equal(cortexm_mpu_layout_brk(&mpu, s + 960, kernel_brk), ERR_OK); /* 15 subs */
    assert_int_equal(cortexm_mpu_accessible_end(&mpu), s + 960);
    struct arch_mpu before = mpu;
    assert_int_equal(cortexm_mpu_layout_brk(&mpu, s + 961, kernel_brk), ERR_NOMEM); /* -> 1024 */
    assert_memory_equal(&mpu, &before, sizeof mpu); /* nothing changed */
    assert_int_equal(cortexm_mpu_layout_brk(&mpu, s + 1001, kernel_brk), ERR_NOMEM);
    assert_int_equal(cortexm_mpu_layout_brk(&mpu, s - 1, kernel_brk), ERR_NOMEM);
    assert_int_equal(cortexm_mpu_layout_brk(&mpu, s + 64, s + 1025), ERR_NOMEM); /* past end */
    assert_memory_equal(&mpu, &before, sizeof mpu);
    /* Rounding exactly onto the kernel break is fine: nothing at or above it is exposed. */
    assert_int_equal(cortexm_mpu_layout_brk(&mpu, s + 900, s + 960), ERR_OK);
    assert_int_equal(cortexm_mpu_accessible_end(&mpu), s + 960);
}

/* ==== flash ==== */

static void expect_flash_region(const struct arch_mpu *mpu, uint32_t base, uint32_t size,
                                uint32_t srd)
{
    uint32_t rasr = mpu->rasr[2];
    assert_int_equal(mpu->rbar[2], base | 0x10u | 2u);
    assert_int_equal(rasr & 1u, 1u);
    assert_int_equal(rasr_size_bytes(rasr), size);
    assert_int_equal(rasr_srd(rasr), srd);
    assert_int_equal(rasr_ap(rasr), 2u);    /* unprivileged read-only */
    assert_int_equal(rasr & (1u << 28), 0); /* executable */
}

static void test_flash_power_of_two_aligned_is_one_plain_region(void **state)
{
    (void)state;
    struct arch_mpu mpu;
    memset(&mpu, 0, sizeof mpu);
    assert_int_equal(cortexm_mpu_layout_flash(&mpu, 0x00040000u, 0x4000u), ERR_OK);
    expect_flash_region(&mpu, 0x00040000u, 0x4000u, 0);
    assert_int_equal((mpu.rasr[2] >> 1) & 0x1Fu, 13u);
    assert_int_equal(cortexm_mpu_layout_flash(&mpu, 0x00041000u, 0x200u), ERR_OK);
    expect_flash_region(&mpu, 0x00041000u, 0x200u, 0);
    assert_int_equal(cortexm_mpu_layout_flash(&mpu, 0x00041000u, 32u), ERR_OK); /* minimum */
    expect_flash_region(&mpu, 0x00041000u, 32u, 0);
    /* RAM regions are left alone. */
    assert_int_equal(mpu.rasr[0], 0);
    assert_int_equal(mpu.rasr[1], 0);
}

static void test_flash_odd_size_or_start_uses_subregions(void **state)
{
    (void)state;
    struct arch_mpu mpu;
    memset(&mpu, 0, sizeof mpu);
    /* 12 KiB at a 16 KiB boundary: a 16 KiB region with its top two 2 KiB subregions off. */
    assert_int_equal(cortexm_mpu_layout_flash(&mpu, 0x00040000u, 0x3000u), ERR_OK);
    expect_flash_region(&mpu, 0x00040000u, 0x4000u, 0xC0u);
    /* 4 KiB starting half way into an 8 KiB block: subregions 2..5 of 1 KiB each. */
    assert_int_equal(cortexm_mpu_layout_flash(&mpu, 0x00040800u, 0x1000u), ERR_OK);
    expect_flash_region(&mpu, 0x00040000u, 0x2000u, 0xC3u);
    /* 96 bytes at a 32-byte boundary: a 256-byte region, subregions 1..3. */
    assert_int_equal(cortexm_mpu_layout_flash(&mpu, 0x00040020u, 0x60u), ERR_OK);
    expect_flash_region(&mpu, 0x00040000u, 0x100u, 0xF1u);
}

static void test_flash_layouts_the_mpu_cannot_cover_are_inval(void **state)
{
    (void)state;
    struct arch_mpu mpu;
    memset(&mpu, 0, sizeof mpu);
    const struct {
        uint32_t start, size;
    } bad[] = {
        {0x00040000u, 16u},                           /* smaller than a region */
        {0x00040000u, 0u},      {0x00040010u, 0x30u}, /* not on a 32-byte boundary */
        {0x00040020u, 0x7E0u},  /* start allows only 32-byte subregions: too many */
        {0xFFFFF000u, 0x2000u}, /* wraps past 4 GiB */
        {0x00040000u, 0x1001u}, /* end not on any subregion boundary */
    };
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        assert_int_equal(cortexm_mpu_layout_flash(&mpu, bad[i].start, bad[i].size), ERR_INVAL);
    }
    assert_int_equal(mpu.rasr[2], 0); /* never written */
}

/* cortexm_mpu_layout_ram() bounds min_size but not initial_app: with initial_app > 2 GiB the
 * doubling of `size` wraps to 0 and the loop never ends. Expect NOMEM instead of a hang. */
static void test_huge_initial_app_is_nomem_not_a_hang(void **state)
{
    (void)state;
    struct arch_mpu mpu;
    memset(&mpu, 0, sizeof mpu);
    assert_int_equal(cortexm_mpu_layout_ram(&mpu, RAM_POOL, RAM_POOL_END, 0, 32, 0x80000001u),
                     ERR_NOMEM);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_ram_size_is_power_of_two_at_least_512),
        cmocka_unit_test(test_ram_start_is_aligned_to_half_the_size),
        cmocka_unit_test(test_initial_regions_expose_the_initial_app_bytes),
        cmocka_unit_test(test_rasr_size_field_is_log2_minus_one),
        cmocka_unit_test(test_fixed_start_that_cannot_be_honoured_is_inval),
        cmocka_unit_test(test_exhausted_pool_is_nomem),
        cmocka_unit_test(test_brk_growth_enables_subregions_then_region_one),
        cmocka_unit_test(test_brk_whose_rounding_reaches_kernel_break_is_nomem),
        cmocka_unit_test(test_flash_power_of_two_aligned_is_one_plain_region),
        cmocka_unit_test(test_flash_odd_size_or_start_uses_subregions),
        cmocka_unit_test(test_flash_layouts_the_mpu_cannot_cover_are_inval),
        cmocka_unit_test(test_huge_initial_app_is_nomem_not_a_hang),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
