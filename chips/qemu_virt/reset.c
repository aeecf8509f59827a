/* SPDX-License-Identifier: Apache-2.0 OR MIT */
/*
 * Machine reset on QEMU virt: the sifive_test device at VIRT_TEST_BASE resets the whole
 * machine when VIRT_TEST_RESET is written to it (QEMU reloads the firmware image and starts
 * again from the reset vector).
 *
 * Usage: qemu_virt_reset() (the process console's `reset`, via the board).
 */
#include "qemu_virt/virt.h"

void qemu_virt_reset(void)
{
    /* SAFETY: the sifive_test device's one register, MMIO at a fixed address of the virt
     * machine; the write ends the run of this machine. */
    *(volatile uint32_t *)(uintptr_t)VIRT_TEST_BASE = VIRT_TEST_RESET;
    for (;;) {
    }
}
