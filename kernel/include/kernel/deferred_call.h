/* SPDX-License-Identifier: Apache-2.0 OR MIT */
/*
 * Deferred calls: the kernel's software interrupts, run later from the kernel loop.
 *
 * A component that must report completion of work it did synchronously (so that no callback is
 * ever made inside the call that started the operation) registers a deferred call in its _init and
 * sets it when there is something to report. The kernel loop runs set calls in slot order.
 *
 * Usage: boot_check(deferred_call_register(&mux->report, report_fn, mux), "uart mux");
 *        ... deferred_call_set(&mux->report);
 *
 * Invariants: at most DEFERRED_CALL_SLOTS registrations per image; a registered call stays
 * registered for the life of the kernel. Kernel loop only (never from an ISR).
 */
#pragma once

#include <stdbool.h>
#include <stdint.h>

#include "errorcode.h"

#define DEFERRED_CALL_SLOTS 32u

struct deferred_call {
    void (*fn)(void *ctx);
    void *ctx;
    uint8_t slot;
};

/* Returns ERR_NOMEM when all slots are taken (the board treats that as a boot failure). */
MUST_CHECK err_t deferred_call_register(struct deferred_call *dc, void (*fn)(void *ctx),
                                        void *ctx);

/* Ask for dc->fn(dc->ctx) to run from the kernel loop. Setting an already set call is a no-op. */
void deferred_call_set(struct deferred_call *dc);

bool deferred_call_has_pending(void);

/* Run every call that is set now; calls set while running wait for the next round. */
void deferred_call_service(void);

/* Tests only: forget all registrations. */
void deferred_call_reset_for_test(void);
