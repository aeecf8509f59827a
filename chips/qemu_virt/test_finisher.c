/* SPDX-License-Identifier: Apache-2.0 OR MIT */
/*
 * The virt machine's test finisher (QEMU's sifive_test device at VIRT_TEST_FINISHER_BASE): the
 * low half of a word written to it says what to do, the high half is the exit status. 0x3333
 * ends QEMU with that status, 0x5555 ends it with status 0, 0x7777 resets the machine.
 *
 * Usage: the board's panic exit calls qemu_virt_exit_failure(1) (debug_set_panic_exit), so a
 * kernel panic ends QEMU with a non-zero status; the process console's `reset` calls
 * qemu_virt_reset().
 *
 * Invariants: a status of 0 with "fail" would make QEMU exit successfully, so the status passed
 * is never 0 (the caller's contract; 0 is replaced by 1 here all the same).
 */
#include "qemu_virt/virt.h"

#define TEST_FINISHER_FAIL 0x3333u
#define TEST_FINISHER_RESET 0x7777u
#define TEST_FINISHER_STATUS_SHIFT 16u

void qemu_virt_exit_failure(uint16_t status)
{
    uint32_t code = status != 0 ? status : 1u;
    /* SAFETY: the test finisher's one register, a device QEMU's virt machine always has; the
     * kernel runs in machine mode, which the PMP does not restrict. */
    volatile uint32_t *finisher = (volatile uint32_t *)(uintptr_t)VIRT_TEST_FINISHER_BASE;
    *finisher = TEST_FINISHER_FAIL | (code << TEST_FINISHER_STATUS_SHIFT);
}

void qemu_virt_reset(void)
{
    /* SAFETY: as above; the write resets the machine, so nothing after it runs under QEMU. */
    volatile uint32_t *finisher = (volatile uint32_t *)(uintptr_t)VIRT_TEST_FINISHER_BASE;
    *finisher = TEST_FINISHER_RESET;
    for (;;) {
    }
}
