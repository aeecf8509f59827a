/* SPDX-License-Identifier: Apache-2.0 OR MIT */
/*
 * Shared helper for the alarm test apps: one alarm at reference + dt, waited for in place.
 *
 * Usage: struct test_alarm_wait w; if (test_alarm_wait(reference, dt, &w) != 0) { fail }
 *        then w.upcall_expiration must be reference + dt, and w.now - that is how late it was.
 *
 * Invariants: the alarm is set with command 6 (set relative to a reference) and waited for with
 * yield-wait-for on alarm upcall 0, so no callback runs.
 */
#pragma once

#include <stdint.h>

struct test_alarm_wait {
    uint32_t upcall_now;        /* the upcall's first value: the counter when the kernel fired */
    uint32_t upcall_expiration; /* its second: the expiration it reports */
    uint32_t now;               /* the counter read by the app right after the wait */
};

/* 0, or -1 when the kernel refused the alarm (nothing was waited for). */
int test_alarm_wait(uint32_t reference, uint32_t dt, struct test_alarm_wait *out);
