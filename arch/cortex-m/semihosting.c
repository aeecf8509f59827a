/* SPDX-License-Identifier: Apache-2.0 OR MIT */
/*
 * Arm semihosting's exit: the kernel asks the debugger or emulator it runs under to stop it with
 * an exit status (see cortexm.h).
 *
 * A semihosting call is `bkpt 0xAB` in Thumb state with the operation number in r0 and its
 * argument in r1 (Arm's "Semihosting for AArch32 and AArch64"). SYS_EXIT_EXTENDED (0x20) takes a
 * two-word block: the reason, ADP_Stopped_ApplicationExit (0x20026), and the status the host
 * exits with. QEMU acts on it only with `-semihosting-config enable=on,target=native`, which the
 * mps2-an385 description adds to QEMU's command line (boards/qemu_mps2_an385/board.json).
 *
 * Usage: a board that always runs under such a host passes a function calling
 * cortexm_semihosting_exit(1) to debug_set_panic_exit.
 *
 * Invariants: without a host the `bkpt` is a debug event nobody takes: on a Cortex-M3 it
 * escalates to HardFault, so only boards that always run under semihosting may call this.
 */
#include "arch/cortexm.h"

#define SEMIHOSTING_SYS_EXIT_EXTENDED 0x20u
#define SEMIHOSTING_APPLICATION_EXIT 0x20026u

void cortexm_semihosting_exit(uint32_t status)
{
    const uint32_t block[2] = { SEMIHOSTING_APPLICATION_EXIT, status };
    register uint32_t operation __asm__("r0") = SEMIHOSTING_SYS_EXIT_EXTENDED;
    register const uint32_t *argument __asm__("r1") = block;
    /* SAFETY: the host reads the two words of `block` (hence the memory clobber) and, if it
     * returns at all, writes r0 only. */
    __asm__ volatile("bkpt 0xAB" : "+r"(operation) : "r"(argument) : "memory");
}
