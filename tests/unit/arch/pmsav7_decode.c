/* SPDX-License-Identifier: Apache-2.0 OR MIT */
/*
 * PMSAv7 decoding (see pmsav7_decode.h).
 */
#include "pmsav7_decode.h"

#include <stddef.h>

#include "access_bits.h"

#define RASR_ENABLE 0x1u
#define RASR_XN (1u << 28)

static uint32_t size_field(uint32_t rasr)
{
    return (rasr >> 1) & 0x1Fu;
}

static uint64_t region_size(uint32_t rasr)
{
    return 2ull << size_field(rasr);
}

static uint64_t region_base(uint32_t rbar)
{
    return rbar & ~0x1Fu;
}

static uint32_t srd(uint32_t rasr)
{
    return (rasr >> 8) & 0xFFu;
}

static uint32_t ap(uint32_t rasr)
{
    return (rasr >> 24) & 7u;
}

const char *pmsav7_invalid(const struct pmsav7_regs *regs)
{
    for (uint32_t i = 0; i < PMSAV7_REGIONS; i++) {
        uint32_t rasr = regs->rasr[i];
        if ((rasr & RASR_ENABLE) == 0) {
            continue;
        }
        if (size_field(rasr) < 4u) {
            return "enabled region smaller than 32 bytes";
        }
        if (region_base(regs->rbar[i]) % region_size(rasr) != 0) {
            return "region base not aligned to its size";
        }
        if (region_size(rasr) < 256u && srd(rasr) != 0) {
            return "subregions disabled in a region under 256 bytes";
        }
        if (ap(rasr) == 4u) {
            return "reserved AP encoding";
        }
    }
    return NULL;
}

/* The region deciding addr, or PMSAV7_REGIONS for none. */
static uint32_t matching_region(const struct pmsav7_regs *regs, uint32_t addr)
{
    for (uint32_t k = PMSAV7_REGIONS; k-- > 0;) {
        uint32_t rasr = regs->rasr[k];
        if ((rasr & RASR_ENABLE) == 0) {
            continue;
        }
        uint64_t base = region_base(regs->rbar[k]);
        uint64_t size = region_size(rasr);
        if (addr < base || addr - base >= size) {
            continue;
        }
        if (size >= 256u && (srd(rasr) & (1u << ((addr - base) / (size / 8u)))) != 0) {
            continue;
        }
        return k;
    }
    return PMSAV7_REGIONS;
}

uint32_t pmsav7_access(const struct pmsav7_regs *regs, uint32_t addr, bool privileged)
{
    uint32_t k = matching_region(regs, addr);
    if (k == PMSAV7_REGIONS) {
        return privileged ? ACCESS_RWX : 0u;
    }
    /* AP:            0     1     2     3     4     5     6     7 */
    static const uint8_t user[8] = { 0, 0, ACCESS_R, ACCESS_RW, 0, 0, ACCESS_R, ACCESS_R };
    static const uint8_t priv[8] = { 0, ACCESS_RW, ACCESS_RW, ACCESS_RW, 0, ACCESS_R, ACCESS_R,
                                     ACCESS_R };
    uint32_t rasr = regs->rasr[k];
    uint32_t allowed = privileged ? priv[ap(rasr)] : user[ap(rasr)];
    if ((allowed & ACCESS_R) != 0 && (rasr & RASR_XN) == 0) {
        allowed |= ACCESS_X;
    }
    return allowed;
}

uint32_t pmsav7_edges(const struct pmsav7_regs *regs, uint64_t *out, uint32_t max)
{
    uint32_t n = 0;
    for (uint32_t i = 0; i < PMSAV7_REGIONS; i++) {
        uint32_t rasr = regs->rasr[i];
        if ((rasr & RASR_ENABLE) == 0) {
            continue;
        }
        uint64_t base = region_base(regs->rbar[i]);
        uint64_t size = region_size(rasr);
        uint32_t steps = size >= 256u ? 8u : 1u;
        for (uint32_t s = 0; s <= steps && n < max; s++) {
            out[n++] = base + s * (size / steps);
        }
    }
    return n;
}
