/* SPDX-License-Identifier: Apache-2.0 OR MIT */
/*
 * The self-test image's per-app fault policies (components/selftest.h): the test apps
 * fault_hold, fault_stop and fault_late run under the policies whose behaviour the QEMU cases
 * check; every other app keeps the board's default. The product image has no overrides.
 */
#include "components/selftest.h"

#include "container.h"

static const struct process_fault_override selftest_overrides[] = {
    { "fault_hold", { .action = PROCESS_FAULT_HOLD } },
    { "fault_stop", { .action = PROCESS_FAULT_STOP } },
    { "fault_late",
      { .action = PROCESS_FAULT_RESTART, .max_restarts = 2, .backoff_ms = 50,
        .healthy_ms = 300 } },
};

void selftest_fault_policies(struct kernel *k)
{
    kernel_set_fault_overrides(k, selftest_overrides, ARRAY_LEN(selftest_overrides));
}
