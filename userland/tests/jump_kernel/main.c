/* SPDX-License-Identifier: Apache-2.0 OR MIT */
/*
 * jump_kernel: branch into kernel code; the kernel must fault the process (kernel flash is not
 * executable, or readable, from user mode).
 *
 * Expected output: "jump_kernel: jumping to kernel code at 0x00000100" (RISC-V: 0x80000100),
 * then a fault. "jump_kernel: FAIL ..." means the call came back.
 *
 * Usage: the address is APPS_KERNEL_CODE_ADDR in userland.mk.
 *
 * Invariants: none.
 */
#include <stdint.h>
#include <stdio.h>

#if defined(__thumb__)
static const uintptr_t code_pointer_bits = 1; /* stay in Thumb state: the MPU must stop us */
#else
static const uintptr_t code_pointer_bits = 0;
#endif

int main(void)
{
    uintptr_t address = TOCKC_KERNEL_CODE_ADDR;
    printf("jump_kernel: jumping to kernel code at 0x%08lx\n", (unsigned long)address);
    /* SAFETY: deliberately invalid: the point of the test is that this faults. */
    void (*kernel_code)(void) = (void (*)(void))(address | code_pointer_bits);
    kernel_code();
    printf("jump_kernel: FAIL returned from kernel code\n");
    return 1;
}
