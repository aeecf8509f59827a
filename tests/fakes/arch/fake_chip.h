/* SPDX-License-Identifier: Apache-2.0 OR MIT */
/*
 * Fake chip for host tests: a struct kernel_chip_ops whose pending interrupts the test sets.
 *
 * service_pending_interrupts() clears the pending count and calls the test's `on_service` hook
 * (where a test plays the interrupt's bottom half, e.g. schedules an upcall). sleep() only counts:
 * a kernel_step test never blocks.
 *
 * Usage: fake_chip_reset(); config.chip = &fake_chip_ops; fake_chip.pending = 1;
 *
 * Invariants: has_pending_interrupts() is exactly `pending != 0`.
 */
#pragma once

#include <stdint.h>

#include "kernel/kernel.h"

struct fake_chip_state {
    uint32_t pending;  /* interrupts waiting to be serviced */
    uint32_t services; /* service_pending_interrupts calls */
    uint32_t sleeps;
    void (*on_service)(void);
};

extern struct fake_chip_state fake_chip;
extern const struct kernel_chip_ops fake_chip_ops;

void fake_chip_reset(void);
