/* SPDX-License-Identifier: Apache-2.0 OR MIT */
/*
 * RV32 process context and PMP configuration, as the kernel stores them.
 */
#pragma once

#include <stdint.h>

#define RISCV_PMP_USER_ENTRIES 8u /* entries 0-7: flash TOR pair, RAM TOR pair, 2 spare pairs */

struct arch_context {
    uint32_t regs[32]; /* x0 unused; x1..x31 while the process is not running */
    uint32_t pc;       /* where the process resumes */
    uint32_t kernel_sp; /* scratch for the trap entry (kernel stack while the process runs) */
    uint32_t mcause;   /* latched at the last trap */
    uint32_t mtval;
};

/* The PMP CSR values of a configuration (riscv_pmp_encode, arch/riscv_pmp.h). */
struct riscv_pmp_csrs {
    uint32_t pmpcfg[RISCV_PMP_USER_ENTRIES / 4u]; /* pmpcfg0, pmpcfg1: one byte per entry */
    uint32_t pmpaddr[RISCV_PMP_USER_ENTRIES];     /* address bits 33:2 */
};

struct arch_mpu {
    uint32_t flash_start;
    uint32_t flash_end;
    uint32_t ram_start;
    uint32_t ram_size;
    uint32_t ram_accessible_end; /* app break rounded up to 4 */
    uint32_t shared_start[2];    /* IPC buffers: TOR pairs 4/5 and 6/7; end 0 = unused */
    uint32_t shared_end[2];
    uint32_t generation; /* incremented by every change (arch.h, arch_mpu_configure) */
    /* The fields above encoded for the CSRs, kept so by every arch_mpu_* change (pmp.c), so
     * a switch loads them as they are. */
    struct riscv_pmp_csrs csrs;
};
