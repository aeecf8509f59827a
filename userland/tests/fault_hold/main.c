/* SPDX-License-Identifier: Apache-2.0 OR MIT */
/*
 * fault_hold: faults at once. Its policy in the self-test image (components/selftest.c) is
 * hold: the kernel keeps it faulted for inspection and never restarts it, so "fault_hold:
 * running" appears exactly once.
 *
 * Usage: load with heartbeat on the self-test image.
 *
 * Invariants: none.
 */
#include "../common/test_fault.h"

int main(void)
{
    test_fault_after_ms("fault_hold", 0);
}
