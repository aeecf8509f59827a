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

struct riscv_pmp_csrs {
    uint32_t pmpcfg[RISCV_PMP_USER_ENTRIES / 4u]; /* pmpcfg0, pmpcfg1: one byte per entry */
    uint32_t pmpaddr[RISCV_PMP_USER_ENTRIES];     /* address bits 33:2 */
};

void riscv_pmp_encode(const struct arch_mpu *mpu, struct riscv_pmp_csrs *csrs);
