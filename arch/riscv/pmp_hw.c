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

#include <stddef.h>

void arch_mpu_configure(const struct arch_mpu *mpu)
{
    uint32_t value;
    /* SAFETY: PMP CSR writes only; no lock bits, so M-mode keeps full access. Entries are
     * turned off while their addresses change. Each value is loaded just before its write, so
     * one scratch register does (the RV32 kernel has no t3-t6 to spare). */
    __asm__ volatile("csrw pmpcfg0, zero\n\t"
                     "csrw pmpcfg1, zero\n\t"
                     "lw %[value], %[a0](%[mpu])\n\t"
                     "csrw pmpaddr0, %[value]\n\t"
                     "lw %[value], %[a1](%[mpu])\n\t"
                     "csrw pmpaddr1, %[value]\n\t"
                     "lw %[value], %[a2](%[mpu])\n\t"
                     "csrw pmpaddr2, %[value]\n\t"
                     "lw %[value], %[a3](%[mpu])\n\t"
                     "csrw pmpaddr3, %[value]\n\t"
                     "lw %[value], %[a4](%[mpu])\n\t"
                     "csrw pmpaddr4, %[value]\n\t"
                     "lw %[value], %[a5](%[mpu])\n\t"
                     "csrw pmpaddr5, %[value]\n\t"
                     "lw %[value], %[a6](%[mpu])\n\t"
                     "csrw pmpaddr6, %[value]\n\t"
                     "lw %[value], %[a7](%[mpu])\n\t"
                     "csrw pmpaddr7, %[value]\n\t"
                     "lw %[value], %[c1](%[mpu])\n\t"
                     "csrw pmpcfg1, %[value]\n\t"
                     "lw %[value], %[c0](%[mpu])\n\t"
                     "csrw pmpcfg0, %[value]"
                     : [value] "=&r"(value)
                     : [mpu] "r"(mpu), "m"(mpu->csrs),
                       [a0] "i"(offsetof(struct arch_mpu, csrs.pmpaddr[0])),
                       [a1] "i"(offsetof(struct arch_mpu, csrs.pmpaddr[1])),
                       [a2] "i"(offsetof(struct arch_mpu, csrs.pmpaddr[2])),
                       [a3] "i"(offsetof(struct arch_mpu, csrs.pmpaddr[3])),
                       [a4] "i"(offsetof(struct arch_mpu, csrs.pmpaddr[4])),
                       [a5] "i"(offsetof(struct arch_mpu, csrs.pmpaddr[5])),
                       [a6] "i"(offsetof(struct arch_mpu, csrs.pmpaddr[6])),
                       [a7] "i"(offsetof(struct arch_mpu, csrs.pmpaddr[7])),
                       [c1] "i"(offsetof(struct arch_mpu, csrs.pmpcfg[1])),
                       [c0] "i"(offsetof(struct arch_mpu, csrs.pmpcfg[0]))
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
