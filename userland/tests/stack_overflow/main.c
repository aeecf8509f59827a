/* SPDX-License-Identifier: Apache-2.0 OR MIT */
/*
 * stack_overflow: recurse until the stack runs below mem_start; the kernel must fault the
 * process rather than let it write memory below its own.
 *
 * Expected output: "stack_overflow: recursing past the bottom of the stack", then a fault.
 * "stack_overflow: FAIL ..." would mean the recursion ended, which it cannot.
 *
 * Usage: load with heartbeat (whose RAM may lie just below this process's).
 *
 * Invariants: none.
 */
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>

static volatile bool keep_going = true;

static uint32_t descend(uint32_t level)
{
    volatile uint8_t frame[128];
    frame[0] = (uint8_t)level;
    frame[sizeof frame - 1] = (uint8_t)(level >> 8);
    uint32_t deeper = keep_going ? descend(level + 1) : 0;
    return deeper + frame[0] + frame[sizeof frame - 1];
}

int main(void)
{
    printf("stack_overflow: recursing past the bottom of the stack\n");
    uint32_t result = descend(0);
    printf("stack_overflow: FAIL recursion returned %lu\n", (unsigned long)result);
    return 1;
}
