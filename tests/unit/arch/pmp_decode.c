/* SPDX-License-Identifier: Apache-2.0 OR MIT */
/*
 * PMP decoding (see pmp_decode.h).
 */
#include "pmp_decode.h"

#include <stddef.h>

#include "access_bits.h"

#define CFG_R 0x1u
#define CFG_W 0x2u
#define CFG_X 0x4u
#define CFG_L 0x80u
#define A_OFF 0u
#define A_TOR 1u
#define A_NA4 2u
#define A_NAPOT 3u

static uint32_t cfg(const struct pmp_regs *regs, uint32_t i)
{
    return (regs->pmpcfg[i / 4u] >> (8u * (i % 4u))) & 0xFFu;
}

/* The byte range [*lo, *hi) entry i matches (in the 34-bit physical space); false if none. */
static bool entry_range(const struct pmp_regs *regs, uint32_t i, uint64_t *lo, uint64_t *hi)
{
    uint64_t addr = regs->pmpaddr[i];
    switch ((cfg(regs, i) >> 3) & 3u) {
    case A_TOR:
        *lo = i == 0 ? 0 : (uint64_t)regs->pmpaddr[i - 1] << 2;
        *hi = addr << 2;
        return *lo < *hi;
    case A_NA4:
        *lo = addr << 2;
        *hi = *lo + 4u;
        return true;
    case A_NAPOT: {
        uint32_t t = 0;
        while (t < 32u && ((addr >> t) & 1u) != 0) {
            t++;
        }
        uint64_t size = 1ull << (t + 3u);
        *lo = (addr << 2) & ~(size - 1u);
        *hi = *lo + size;
        return true;
    }
    default:
        return false;
    }
}

const char *pmp_invalid(const struct pmp_regs *regs)
{
    for (uint32_t i = 0; i < PMP_DECODE_ENTRIES; i++) {
        uint32_t c = cfg(regs, i);
        if ((c & (CFG_R | CFG_W)) == CFG_W) {
            return "reserved W without R";
        }
        if ((c & CFG_L) != 0) {
            return "locked entry (would restrict the M-mode kernel)";
        }
        if ((c & 0x60u) != 0) {
            return "reserved cfg bits set";
        }
    }
    return NULL;
}

uint32_t pmp_access(const struct pmp_regs *regs, uint32_t addr, bool machine_mode)
{
    for (uint32_t i = 0; i < PMP_DECODE_ENTRIES; i++) {
        uint64_t lo, hi;
        if (!entry_range(regs, i, &lo, &hi) || addr < lo || addr >= hi) {
            continue;
        }
        uint32_t c = cfg(regs, i);
        if (machine_mode && (c & CFG_L) == 0) {
            return ACCESS_RWX;
        }
        return ((c & CFG_R) != 0 ? ACCESS_R : 0u) | ((c & CFG_W) != 0 ? ACCESS_W : 0u) |
               ((c & CFG_X) != 0 ? ACCESS_X : 0u);
    }
    return machine_mode ? ACCESS_RWX : 0u;
}

uint32_t pmp_edges(const struct pmp_regs *regs, uint64_t *out, uint32_t max)
{
    uint32_t n = 0;
    for (uint32_t i = 0; i < PMP_DECODE_ENTRIES && n + 2u <= max; i++) {
        uint64_t lo, hi;
        if (entry_range(regs, i, &lo, &hi)) {
            out[n++] = lo < 0x100000000ull ? lo : 0x100000000ull;
            out[n++] = hi < 0x100000000ull ? hi : 0x100000000ull;
        }
    }
    return n;
}
