/* SPDX-License-Identifier: Apache-2.0 OR MIT */
/*
 * spin: loop forever without ever making a system call; preemption must keep everyone else
 * running.
 *
 * Expected output: "spin: looping without yielding", then nothing from this app.
 *
 * Invariants: none.
 */
#include <stdint.h>
#include <stdio.h>

int main(void)
{
    printf("spin: looping without yielding\n");
    volatile uint32_t counter = 0;
    for (;;) {
        counter++;
    }
}
