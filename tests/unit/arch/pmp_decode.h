/* SPDX-License-Identifier: Apache-2.0 OR MIT */
/*
 * An independent reading of RISC-V PMP CSR values (RV32, 8 entries): which accesses a byte
 * address allows in U-mode and in M-mode. Written from the privileged specification, not from
 * arch/riscv, so the host checker can compare what the CSRs do against a model.
 *
 * Rules decoded: entry i's configuration is byte i of pmpcfg[i/4] (R bit 0, W bit 1, X bit 2,
 * A bits 4:3, L bit 7); pmpaddr holds address bits 33:2. A = OFF matches nothing; TOR matches
 * pmpaddr[i-1] <= a>>2 < pmpaddr[i] (0 below entry 0); NA4 the 4 bytes at pmpaddr<<2; NAPOT
 * with t trailing ones in pmpaddr the aligned 2^(t+3) bytes around it. The lowest-numbered
 * matching entry decides. U-mode: no match is denied (entries exist). M-mode: only a matching
 * entry with L set restricts it. W without R is reserved.
 */
#pragma once

#include <stdbool.h>
#include <stdint.h>

#define PMP_DECODE_ENTRIES 8u

struct pmp_regs {
    uint32_t pmpcfg[PMP_DECODE_ENTRIES / 4u];
    uint32_t pmpaddr[PMP_DECODE_ENTRIES];
};

/* NULL when every entry is well formed and unlocked (M-mode unrestricted), else why not. */
const char *pmp_invalid(const struct pmp_regs *regs);

/* ACCESS_* bits allowed at addr in U-mode (machine_mode == false) or M-mode. */
uint32_t pmp_access(const struct pmp_regs *regs, uint32_t addr, bool machine_mode);

/* Every address in [0, 2^32] where the decoded access can change; returns how many were
 * written to out (at most max). */
uint32_t pmp_edges(const struct pmp_regs *regs, uint64_t *out, uint32_t max);
