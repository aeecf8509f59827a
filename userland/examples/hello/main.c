/* SPDX-License-Identifier: Apache-2.0 OR MIT */
/*
 * hello: print one line and exit.
 *
 * Expected output: "Hello World!", then the process exits with completion code 0.
 *
 * Usage: any board with a console.
 *
 * Invariants: none.
 */
#include <stdio.h>

int main(void)
{
    printf("Hello World!\n");
    return 0;
}
