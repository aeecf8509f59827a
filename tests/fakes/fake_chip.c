/* SPDX-License-Identifier: Apache-2.0 OR MIT */
/*
 * Fake chip for host tests (see tests/fakes/arch/fake_chip.h).
 */
#include "arch/fake_chip.h"

#include <string.h>

struct fake_chip_state fake_chip;

static bool has_pending_interrupts(void)
{
    return fake_chip.pending != 0;
}

static void service_pending_interrupts(void)
{
    fake_chip.services++;
    fake_chip.pending = 0;
    if (fake_chip.on_service != NULL) {
        fake_chip.on_service();
    }
}

static void chip_sleep(void)
{
    fake_chip.sleeps++;
}

const struct kernel_chip_ops fake_chip_ops = {
    .has_pending_interrupts = has_pending_interrupts,
    .service_pending_interrupts = service_pending_interrupts,
    .sleep = chip_sleep,
};

void fake_chip_reset(void)
{
    memset(&fake_chip, 0, sizeof fake_chip);
}
