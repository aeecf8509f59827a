/* SPDX-License-Identifier: Apache-2.0 OR MIT */
/*
 * TOCK_EXPECT's failure report. Apart from tock.c so that the system-call core does not depend
 * on the console and printf, which are built on it.
 *
 * Usage: see tock.h.
 */
#include "tock.h"

#include <stdio.h>

void tock_expect(int expected, int actual, const char *file, unsigned line)
{
    if (expected == actual) {
        return;
    }
    printf("expectation failed at %s:%u: expected %d, got %d (%s)\n", file, line, expected,
           actual, tock_strrcode((returncode_t)actual));
    tock_exit(1);
}
