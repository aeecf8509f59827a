/* SPDX-License-Identifier: Apache-2.0 OR MIT */
/*
 * Isolation model check of the RISC-V PMP configuration (arch/riscv/pmp.c): random layouts
 * through the arch_mpu_* calls, the CSR values from riscv_pmp_encode decoded by pmp_decode.c
 * and compared with the model in isolation_check.c (the over-grants it found have their
 * regression tests in pmp_test.c).
 *
 * ISOLATION_LAYOUTS / ISOLATION_SEED override the count and first seed.
 * Usage: make build/host/riscv_isolation_test && build/host/riscv_isolation_test
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include <cmocka.h>

#include "access_bits.h"
#include "arch/riscv_pmp.h"
#include "isolation_check.h"
#include "kernel/arch.h"
#include "pmp_decode.h"

uint32_t arch_initial_app_brk_size(void)
{
    return 0; /* as arch/riscv/context.c */
}

/* The CSR values as arch_mpu_configure (pmp_hw.c) loads them. */
static struct pmp_regs loaded;

/* arch_mpu_configure loads mpu->csrs as kept by pmp.c: it must equal the encoding of the
 * configuration's fields after every change. */
static void load(const struct arch_mpu *mpu)
{
    struct riscv_pmp_csrs csrs;
    riscv_pmp_encode(mpu, &csrs);
    assert_memory_equal(&csrs, &mpu->csrs, sizeof csrs);
    for (uint32_t i = 0; i < PMP_DECODE_ENTRIES / 4u; i++) {
        loaded.pmpcfg[i] = csrs.pmpcfg[i];
    }
    for (uint32_t i = 0; i < PMP_DECODE_ENTRIES; i++) {
        loaded.pmpaddr[i] = csrs.pmpaddr[i];
    }
}

static const char *invalid(void)
{
    return pmp_invalid(&loaded);
}

static uint32_t access(uint32_t addr, bool machine_mode)
{
    return pmp_access(&loaded, addr, machine_mode);
}

static uint32_t edges(uint64_t *out, uint32_t max)
{
    return pmp_edges(&loaded, out, max);
}

static void dump(void)
{
    printf("  pmpcfg0 0x%08x pmpcfg1 0x%08x\n", (unsigned)loaded.pmpcfg[0],
           (unsigned)loaded.pmpcfg[1]);
    for (uint32_t i = 0; i < PMP_DECODE_ENTRIES; i++) {
        printf("  pmpaddr%u 0x%08x (byte 0x%09llx)\n", (unsigned)i, (unsigned)loaded.pmpaddr[i],
               (unsigned long long)loaded.pmpaddr[i] << 2);
    }
}

/* TOR ranges need 4-byte boundaries only. */
static uint32_t ram_granule(uint32_t mem_start, uint32_t mem_size)
{
    return mem_start % 4u == 0 && mem_size % 4u == 0 && mem_size >= 4u ? 4u : 0u;
}

/* The TBF's end rounded down to 4: the last 1-3 bytes of an odd-sized image stay hidden
 * (arch/riscv/pmp.c), rather than the next image's first bytes being exposed. */
static uint64_t flash_promised_end(uint32_t start, uint32_t size)
{
    return ((uint64_t)start + size) & ~3ull;
}

/* TOR could reach 2^32, but the arch keeps every range end below 0xFFFFFFFC (an end of 0
 * marks an unused shared pair): refusing the last word is its documented, safe limit. */
static bool flash_representable(uint32_t start, uint32_t size)
{
    return start % 4u == 0 && size >= 4u && (uint64_t)start + size <= 0xFFFFFFFCull;
}

static bool share_representable(uint32_t addr, uint32_t len)
{
    return len >= 4u && addr % 4u == 0 && len % 4u == 0 && (uint64_t)addr + len <= 0xFFFFFFFCull;
}

static const struct isolation_arch riscv = {
    .name = "riscv pmp",
    .share_capacity = 2,
    .ram_granule = ram_granule,
    .flash_promised_end = flash_promised_end,
    .flash_representable = flash_representable,
    .share_representable = share_representable,
    .load = load,
    .invalid = invalid,
    .access = access,
    .edges = edges,
    .dump = dump,
    .flash_window = { 0x80000000u, 0x80400000u },
    .ram_window = { 0x80400000u, 0x80800000u },
};

static void test_random_layouts_match_the_model(void **state)
{
    (void)state;
    assert_true(isolation_check_arch(&riscv));
}

/* The decoder itself, on hand-made CSRs: TOR, NA4, NAPOT, lowest entry wins, default deny. */
static void test_decoder_follows_the_specification(void **state)
{
    (void)state;
    struct pmp_regs regs = { 0 };
    /* entry 0 NAPOT R: two trailing ones in pmpaddr0, so the 32 bytes at 0x1000; entry 1 TOR
     * RW up to 0x2000, its bottom pmpaddr0 << 2 = 0x100C (entry 0 wins up to 0x1020); entry 2
     * NA4 RWX at 0x3000. */
    regs.pmpaddr[0] = (0x1000u >> 2) | 0x3u;
    regs.pmpaddr[1] = 0x2000u >> 2;
    regs.pmpaddr[2] = 0x3000u >> 2; /* NA4 */
    regs.pmpcfg[0] = (0x18u | 0x1u) | ((0x08u | 0x3u) << 8) | ((0x10u | 0x7u) << 16);
    assert_null(pmp_invalid(&regs));
    assert_int_equal(pmp_access(&regs, 0x1000u, false), ACCESS_R);
    assert_int_equal(pmp_access(&regs, 0x101Fu, false), ACCESS_R);
    assert_int_equal(pmp_access(&regs, 0x1020u, false), ACCESS_RW);
    assert_int_equal(pmp_access(&regs, 0x1FFFu, false), ACCESS_RW);
    assert_int_equal(pmp_access(&regs, 0x2000u, false), 0u);
    assert_int_equal(pmp_access(&regs, 0x3003u, false), ACCESS_RWX);
    assert_int_equal(pmp_access(&regs, 0x3004u, false), 0u);
    assert_int_equal(pmp_access(&regs, 0x0FFFu, false), 0u);
    assert_int_equal(pmp_access(&regs, 0x0FFFu, true), ACCESS_RWX);
    regs.pmpcfg[0] |= 0x80u; /* locked: M-mode restricted too */
    assert_int_equal(pmp_access(&regs, 0x1000u, true), ACCESS_R);
    assert_non_null(pmp_invalid(&regs));
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_decoder_follows_the_specification),
        cmocka_unit_test(test_random_layouts_match_the_model),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
