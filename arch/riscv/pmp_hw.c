/* SPDX-License-Identifier: Apache-2.0 OR MIT */
/*
 * Loading a process's PMP configuration into the CSRs: entries 0/1 are the flash TOR pair
 * (R+X), entries 2/3 the RAM TOR pair (R+W); every other address is denied to U-mode. Entries
 * carry no lock bit, so the M-mode kernel is unaffected.
 *
 * Invariants: entries 4-7 stay off.
 */
#include "arch/riscv.h"
#include "kernel/arch.h"
#include "kernel/debug.h"

#define PMP_R 0x1u
#define PMP_W 0x2u
#define PMP_X 0x4u
#define PMP_TOR 0x8u

void arch_mpu_configure(const struct arch_mpu *mpu)
{
    uint32_t cfg0 = ((PMP_TOR | PMP_R | PMP_X) << 8) | ((PMP_TOR | PMP_R | PMP_W) << 24);
    uint32_t cfg1 = 0;
    for (uint32_t i = 0; i < 2; i++) {
        cfg1 |= mpu->shared_end[i] != 0 ? (PMP_TOR | PMP_R | PMP_W) << (8u + 16u * i) : 0u;
    }
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
                     : "r"(mpu->flash_start >> 2), "r"(mpu->flash_end >> 2),
                       "r"(mpu->ram_start >> 2), "r"(mpu->ram_accessible_end >> 2),
                       "r"(mpu->shared_start[0] >> 2), "r"(mpu->shared_end[0] >> 2),
                       "r"(mpu->shared_start[1] >> 2), "r"(mpu->shared_end[1] >> 2), "r"(cfg1),
                       "r"(cfg0)
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
