/* SPDX-License-Identifier: Apache-2.0 OR MIT */
/*
 * Loading a process's PMP configuration into the CSRs (mpu->csrs, kept by pmp.c);
 * every address no entry matches is denied to U-mode. Entries carry no lock bit, so the M-mode
 * kernel is unaffected.
 */
#include "arch/riscv.h"
#include "arch/riscv_pmp.h"
#include "kernel/arch.h"
#include "kernel/debug.h"

void arch_mpu_configure(const struct arch_mpu *mpu)
{
    const struct riscv_pmp_csrs csrs = mpu->csrs; /* encoded by pmp.c at every change */
    /* SAFETY: PMP CSR writes only; no lock bits, so M-mode keeps full access. Entries are
     * turned off while their addresses change. */
    __asm__ volatile("csrw pmpcfg0, zero\n\t"
                     "csrw pmpcfg1, zero\n\t"
                     "csrw pmpaddr0, %0\n\t"
                     "csrw pmpaddr1, %1\n\t"
                     "csrw pmpaddr2, %2\n\t"
                     "csrw pmpaddr3, %3\n\t"
                     "csrw pmpaddr4, %4\n\t"
                     "csrw pmpaddr5, %5\n\t"
                     "csrw pmpaddr6, %6\n\t"
                     "csrw pmpaddr7, %7\n\t"
                     "csrw pmpcfg1, %8\n\t"
                     "csrw pmpcfg0, %9"
                     :
                     : "r"(csrs.pmpaddr[0]), "r"(csrs.pmpaddr[1]), "r"(csrs.pmpaddr[2]),
                       "r"(csrs.pmpaddr[3]), "r"(csrs.pmpaddr[4]), "r"(csrs.pmpaddr[5]),
                       "r"(csrs.pmpaddr[6]), "r"(csrs.pmpaddr[7]), "r"(csrs.pmpcfg[1]),
                       "r"(csrs.pmpcfg[0])
                     : "memory");
}

void arch_mpu_print(const struct arch_mpu *mpu)
{
    debug_printf("  PMP: flash [0x%08x, 0x%08x) R-X, RAM [0x%08x, 0x%08x) RW-\n",
                 (unsigned)mpu->flash_start, (unsigned)mpu->flash_end, (unsigned)mpu->ram_start,
                 (unsigned)mpu->ram_accessible_end);
    for (uint32_t i = 0; i < 2; i++) {
        if (mpu->shared_end[i] != 0) {
            debug_printf("       shared [0x%08x, 0x%08x) RW-\n", (unsigned)mpu->shared_start[i],
                         (unsigned)mpu->shared_end[i]);
        }
    }
}
