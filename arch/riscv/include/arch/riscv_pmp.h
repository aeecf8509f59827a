/* SPDX-License-Identifier: Apache-2.0 OR MIT */
/*
 * The PMP CSR values for a process's configuration, computed without touching CSRs so the host
 * tests decode exactly what arch_mpu_configure (pmp_hw.c) loads.
 *
 * Entries 0/1 are the flash TOR pair (R+X), 2/3 the RAM TOR pair (R+W), 4/5 and 6/7 the shared
 * buffers (R+W, OFF when unused). Even entries are OFF and only give their pair its bottom.
 * No entry carries the lock bit, so M-mode is never restricted.
 */
#pragma once

#include <stdint.h>

#include "arch/arch_types.h"

#define RISCV_PMP_R 0x1u
#define RISCV_PMP_W 0x2u
#define RISCV_PMP_X 0x4u
#define RISCV_PMP_TOR 0x8u

/* pmp.c keeps mpu->csrs equal to this after every change. */
static inline void riscv_pmp_encode(const struct arch_mpu *mpu, struct riscv_pmp_csrs *csrs)
{
    uint32_t tor_rx = RISCV_PMP_TOR | RISCV_PMP_R | RISCV_PMP_X;
    uint32_t tor_rw = RISCV_PMP_TOR | RISCV_PMP_R | RISCV_PMP_W;
    csrs->pmpcfg[0] = (tor_rx << 8) | (tor_rw << 24);
    csrs->pmpcfg[1] = 0;
    for (uint32_t i = 0; i < 2; i++) {
        csrs->pmpcfg[1] |= mpu->shared_end[i] != 0 ? tor_rw << (8u + 16u * i) : 0u;
    }
    csrs->pmpaddr[0] = mpu->flash_start >> 2;
    csrs->pmpaddr[1] = mpu->flash_end >> 2;
    csrs->pmpaddr[2] = mpu->ram_start >> 2;
    csrs->pmpaddr[3] = mpu->ram_accessible_end >> 2;
    for (uint32_t i = 0; i < 2; i++) {
        csrs->pmpaddr[4u + 2u * i] = mpu->shared_start[i] >> 2;
        csrs->pmpaddr[5u + 2u * i] = mpu->shared_end[i] >> 2;
    }
}
