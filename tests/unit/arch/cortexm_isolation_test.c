/* SPDX-License-Identifier: Apache-2.0 OR MIT */
/*
 * Isolation model check of the Cortex-M PMSAv7 configuration (arch/cortex-m/mpu_layout.c):
 * random layouts through the arch_mpu_* calls, decoded by pmsav7_decode.c and compared with
 * the model in isolation_check.c.
 *
 * ISOLATION_LAYOUTS / ISOLATION_SEED override the count and first seed.
 * Usage: make build/host/cortexm_isolation_test && build/host/cortexm_isolation_test
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include <cmocka.h>

#include "access_bits.h"
#include "arch/cortexm_mpu_layout.h"
#include "isolation_check.h"
#include "pmsav7_decode.h"

uint32_t arch_initial_app_brk_size(void)
{
    return 32u; /* as arch/cortex-m/context.c */
}

/* The registers as arch_mpu_configure loads them: it writes rbar[i] as it is, so in every
 * configuration the kernel can load, one with a RAM block laid out (a process runs only after
 * that), the word must itself select region i (VALID | i). */
static struct pmsav7_regs loaded;

static void load(const struct arch_mpu *mpu)
{
    for (uint32_t i = 0; i < PMSAV7_REGIONS; i++) {
        if (mpu->ram_size != 0) {
            assert_int_equal(mpu->rbar[i] & 0x1Fu, 0x10u | i);
        }
        loaded.rbar[i] = mpu->rbar[i];
        loaded.rasr[i] = mpu->rasr[i];
    }
}

static const char *invalid(void)
{
    return pmsav7_invalid(&loaded);
}

static uint32_t access(uint32_t addr, bool privileged)
{
    return pmsav7_access(&loaded, addr, privileged);
}

static uint32_t edges(uint64_t *out, uint32_t max)
{
    return pmsav7_edges(&loaded, out, max);
}

static void dump(void)
{
    for (uint32_t i = 0; i < PMSAV7_REGIONS; i++) {
        printf("  region %u: RBAR 0x%08x RASR 0x%08x\n", (unsigned)i, (unsigned)loaded.rbar[i],
               (unsigned)loaded.rasr[i]);
    }
}

static bool is_pow2(uint64_t v)
{
    return v != 0 && (v & (v - 1u)) == 0;
}

/* The documented block: a power of two of at least 512 bytes aligned to half its size, exposed
 * in sixteenths (the subregions of its two regions). */
static uint32_t ram_granule(uint32_t mem_start, uint32_t mem_size)
{
    bool ok = is_pow2(mem_size) && mem_size >= 512u && mem_start % (mem_size / 2u) == 0;
    return ok ? mem_size / 16u : 0u;
}

static uint64_t flash_promised_end(uint32_t start, uint32_t size)
{
    return (uint64_t)start + size; /* exactly the TBF */
}

/* Exactly [start, start + size) as one region, or as whole subregions of one region. */
static bool flash_representable(uint32_t start, uint32_t size)
{
    uint64_t end = (uint64_t)start + size;
    for (uint64_t r = 32; r <= 0x100000000ull && size > 0; r *= 2u) {
        uint64_t base = start & ~(r - 1u);
        if (end > base + r) {
            continue;
        }
        if (start == base && end == base + r) {
            return true;
        }
        uint64_t sub = r / 8u;
        if (r >= 256u && start % sub == 0 && end % sub == 0) {
            return true;
        }
    }
    return false;
}

/* The shared regions use no subregions: a power of two of at least 32, aligned to itself. */
static bool share_representable(uint32_t addr, uint32_t len)
{
    return len >= 32u && is_pow2(len) && addr % len == 0;
}

static const struct isolation_arch cortexm = {
    .name = "cortex-m pmsav7",
    .share_capacity = 5,
    .ram_granule = ram_granule,
    .flash_promised_end = flash_promised_end,
    .flash_representable = flash_representable,
    .share_representable = share_representable,
    .load = load,
    .invalid = invalid,
    .access = access,
    .edges = edges,
    .dump = dump,
    .flash_window = { 0x00000000u, 0x00400000u },
    .ram_window = { 0x20000000u, 0x20400000u },
};

static void test_random_layouts_match_the_model(void **state)
{
    (void)state;
    assert_true(isolation_check_arch(&cortexm));
}

/* The decoder itself, on hand-made registers: priority, subregions, AP and XN. */
static void test_decoder_follows_the_architecture_rules(void **state)
{
    (void)state;
    struct pmsav7_regs regs = { 0 };
    /* region 0: 1 KiB at 0x20000000 RW XN, upper half of subregions disabled */
    regs.rbar[0] = 0x20000000u;
    regs.rasr[0] = 1u | (9u << 1) | (0xF0u << 8) | (3u << 24) | (1u << 28);
    /* region 5: 32 bytes at 0x20000040, read-only, executable: wins over region 0 */
    regs.rbar[5] = 0x20000040u;
    regs.rasr[5] = 1u | (4u << 1) | (2u << 24);
    assert_null(pmsav7_invalid(&regs));
    assert_int_equal(pmsav7_access(&regs, 0x20000000u, false), ACCESS_RW);
    assert_int_equal(pmsav7_access(&regs, 0x20000040u, false), ACCESS_RX);
    assert_int_equal(pmsav7_access(&regs, 0x2000005Fu, false), ACCESS_RX);
    assert_int_equal(pmsav7_access(&regs, 0x20000060u, false), ACCESS_RW);
    assert_int_equal(pmsav7_access(&regs, 0x200001FFu, false), ACCESS_RW);
    assert_int_equal(pmsav7_access(&regs, 0x20000200u, false), 0u); /* disabled subregion */
    assert_int_equal(pmsav7_access(&regs, 0x20000200u, true), ACCESS_RWX); /* default map */
    assert_int_equal(pmsav7_access(&regs, 0x1FFFFFFFu, false), 0u);
    regs.rbar[5] = 0x20000060u; /* a 64-byte region on a 32-byte boundary */
    regs.rasr[5] = 1u | (5u << 1) | (2u << 24);
    assert_non_null(pmsav7_invalid(&regs));
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_decoder_follows_the_architecture_rules),
        cmocka_unit_test(test_random_layouts_match_the_model),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
