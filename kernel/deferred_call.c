/* SPDX-License-Identifier: Apache-2.0 OR MIT */
/*
 * Deferred calls: 32 registered slots and a pending mask, run from the kernel loop.
 *
 * Invariants: slots[0..registered) are the registered calls, in registration order; bit i of
 * `pending` is set only for i < registered. Only the kernel loop touches this state.
 */
#include "kernel/deferred_call.h"

#include <stddef.h>

static struct deferred_call *slots[DEFERRED_CALL_SLOTS];
static uint32_t registered;
static uint32_t pending;

err_t deferred_call_register(struct deferred_call *dc, void (*fn)(void *ctx), void *ctx)
{
    if (registered >= DEFERRED_CALL_SLOTS) {
        return ERR_NOMEM;
    }
    *dc = (struct deferred_call){ .fn = fn, .ctx = ctx, .slot = (uint8_t)registered };
    slots[registered++] = dc;
    return ERR_OK;
}

void deferred_call_set(struct deferred_call *dc)
{
    pending |= 1u << dc->slot;
}

bool deferred_call_has_pending(void)
{
    return pending != 0;
}

void deferred_call_service(void)
{
    uint32_t now = pending;
    pending = 0;
    for (uint32_t i = 0; i < registered; i++) {
        if ((now & (1u << i)) != 0) {
            slots[i]->fn(slots[i]->ctx);
        }
    }
}

void deferred_call_reset_for_test(void)
{
    for (uint32_t i = 0; i < registered; i++) {
        slots[i] = NULL;
    }
    registered = 0;
    pending = 0;
}
