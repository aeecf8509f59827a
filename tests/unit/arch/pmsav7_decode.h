/* SPDX-License-Identifier: Apache-2.0 OR MIT */
/*
 * An independent reading of ARMv7-M PMSAv7 MPU register values (8 regions, MPU enabled with
 * PRIVDEFENA): which accesses a byte address allows. Written from the architecture rules, not
 * from arch/cortex-m, so the host checker can compare what the registers do against a model.
 *
 * Rules decoded: a region is enabled by RASR bit 0; its size is 2^(SIZE+1) bytes (SIZE >= 4);
 * its base is RBAR bits 31:5 and must be aligned to the size; regions of 256 bytes or more
 * split into 8 subregions and a set SRD bit removes that eighth from the region (the address
 * then falls through to lower regions); the highest-numbered matching region decides; AP
 * (RASR 26:24) gives read/write per privilege; XN (bit 28) forbids instruction fetch, which
 * also needs read permission. No match: privileged accesses use the default map, unprivileged
 * ones fault.
 */
#pragma once

#include <stdbool.h>
#include <stdint.h>

#define PMSAV7_REGIONS 8u

struct pmsav7_regs {
    uint32_t rbar[PMSAV7_REGIONS]; /* as loaded for region i (low 5 bits ignored) */
    uint32_t rasr[PMSAV7_REGIONS];
};

/* NULL when every enabled region is well formed, else why not (UNPREDICTABLE encodings). */
const char *pmsav7_invalid(const struct pmsav7_regs *regs);

/* ACCESS_* bits allowed at addr for unprivileged (privileged == false) or privileged code. */
uint32_t pmsav7_access(const struct pmsav7_regs *regs, uint32_t addr, bool privileged);

/* Every address in [0, 2^32] where the decoded access can change (region and subregion
 * edges); returns how many were written to out (at most max). */
uint32_t pmsav7_edges(const struct pmsav7_regs *regs, uint64_t *out, uint32_t max);
