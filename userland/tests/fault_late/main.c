/* SPDX-License-Identifier: Apache-2.0 OR MIT */
/*
 * fault_late: runs 400 ms, then faults, on every run. Its policy in the self-test image
 * (components/selftest.c) restarts at most 2 faults in a row and counts a run of 300 ms as
 * healthy, so every fault starts a new streak: the board restarts it forever ("restarting
 * after fault (1 of 2) in 50 ms"), never stopping it.
 *
 * Usage: load with heartbeat on the self-test image.
 *
 * Invariants: none.
 */
#include "../common/test_fault.h"

int main(void)
{
    test_fault_after_ms("fault_late", 400);
}
