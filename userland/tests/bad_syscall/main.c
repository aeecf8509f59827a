/* SPDX-License-Identifier: Apache-2.0 OR MIT */
/*
 * bad_syscall: trap with a system-call class the ABI does not define (9); the kernel must fault
 * this process only (ABI §1.2).
 *
 * Expected output: "bad_syscall: class 9", then a fault. "bad_syscall: FAIL ..." means the
 * kernel returned.
 *
 * Invariants: none.
 */
#include <stdio.h>

#include "tock_syscall_arch.h"

int main(void)
{
    printf("bad_syscall: class 9\n");
    tock_syscall_undefined_class();
    printf("bad_syscall: FAIL the kernel returned\n");
    return 1;
}
