/* SPDX-License-Identifier: Apache-2.0 OR MIT */
/*
 * Fake chip for host tests: the kernel's chip_* functions on a struct kernel_chip whose pending
 * interrupts the test sets.
 *
 * chip_service_pending_interrupts() clears the pending count and calls the test's `on_service`
 * hook (where a test plays the interrupt's bottom half, e.g. schedules an upcall). chip_sleep()
 * only counts: a kernel_step test never blocks.
 *
 * Usage: fake_chip_reset(); config.chip = &fake_chip; fake_chip.pending = 1;
 *
 * Invariants: chip_has_pending_interrupts() is exactly `pending != 0`.
 */
#pragma once

#include <stdint.h>

#include "kernel/kernel.h"

struct kernel_chip {
    uint32_t pending;  /* interrupts waiting to be serviced */
    uint32_t services; /* chip_service_pending_interrupts calls */
    uint32_t sleeps;
    void (*on_service)(void);
};

extern struct kernel_chip fake_chip;

void fake_chip_reset(void);
