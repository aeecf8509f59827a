/* SPDX-License-Identifier: Apache-2.0 OR MIT */
/*
 * Shared helpers for the test apps.
 *
 * Usage: see test_report.h.
 *
 * Invariants: none.
 */
#include "test_report.h"

#include <stddef.h>
#include <stdio.h>

static const char *const error_names[] = {
    "SUCCESS", "FAIL", "BUSY", "ALREADY", "OFF", "RESERVE", "INVAL",
    "SIZE", "CANCEL", "NOMEM", "NOSUPPORT", "NODEVICE", "UNINSTALLED", "NOACK",
};

const char *test_error_name(uint32_t code)
{
    if (code == 0 || code >= sizeof error_names / sizeof error_names[0]) {
        return NULL;
    }
    return error_names[code];
}

void test_report_outcome(const char *test, struct tock_syscall_regs regs)
{
    if (regs.r0 >= 128 && regs.r0 <= 133) {
        printf("%s: SUCCESS\n", test);
        return;
    }
    if (regs.r0 > 3) {
        printf("%s: variant %lu\n", test, (unsigned long)regs.r0);
        return;
    }
    const char *name = test_error_name(regs.r1);
    if (name != NULL) {
        printf("%s: %s\n", test, name);
    } else {
        printf("%s: error %lu\n", test, (unsigned long)regs.r1);
    }
}
