/* SPDX-License-Identifier: Apache-2.0 OR MIT */
/*
 * Fake chip for host tests (see tests/fakes/arch/fake_chip.h).
 */
#include "arch/fake_chip.h"

#include <string.h>

struct kernel_chip fake_chip;

bool chip_has_pending_interrupts(const struct kernel_chip *chip)
{
    return chip->pending != 0;
}

void chip_service_pending_interrupts(struct kernel_chip *chip)
{
    chip->services++;
    chip->pending = 0;
    if (chip->on_service != NULL) {
        chip->on_service();
    }
}

void chip_sleep(struct kernel_chip *chip)
{
    chip->sleeps++;
}

void fake_chip_reset(void)
{
    memset(&fake_chip, 0, sizeof fake_chip);
}
