/* SPDX-License-Identifier: Apache-2.0 OR MIT */
/*
 * bad_yield: yield with a yield number the ABI does not define (7); the kernel must fault this
 * process only (ABI §1.2).
 *
 * Expected output: "bad_yield: yield 7", then a fault. "bad_yield: FAIL ..." means the kernel
 * returned.
 *
 * Invariants: none.
 */
#include <stdio.h>

#include "tock_syscall_arch.h"

int main(void)
{
    printf("bad_yield: yield 7\n");
    (void)tock_syscall_yield(7, 0, 0, 0);
    printf("bad_yield: FAIL the kernel returned\n");
    return 1;
}
