/* SPDX-License-Identifier: Apache-2.0 OR MIT */
/*
 * fault_stop: faults at once. Its policy in the self-test image (components/selftest.c) is
 * stop: the kernel clears its RAM and never restarts it, so "fault_stop: running" appears
 * exactly once.
 *
 * Usage: load with heartbeat on the self-test image.
 *
 * Invariants: none.
 */
#include "../common/test_fault.h"

int main(void)
{
    test_fault_after_ms("fault_stop", 0);
}
