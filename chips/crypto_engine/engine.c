/* SPDX-License-Identifier: Apache-2.0 OR MIT */
/*
 * Crypto engine model: the crypto RAM's arbiter and sequencer (see crypto_engine/engine.h).
 *
 * One deferred call drives everything: after a claim it runs the new owner's granted() and
 * first step(); each further round runs one step(), so a long request yields to the rest of
 * the kernel between blocks, as hardware that interrupts once per block would.
 *
 * Usage: see crypto_engine/engine.h.
 *
 * Invariants: see crypto_engine/engine.h. `run` is set exactly when an owner has work left.
 */
#include "crypto_engine/engine.h"

#include <stddef.h>

#include "kernel/debug.h"

static void run(void *ctx)
{
    struct crypto_engine *engine = ctx;
    struct crypto_engine_unit *unit = engine->owner;
    if (unit == NULL) {
        return;
    }
    if (engine->is_granting) {
        engine->is_granting = false;
        unit->ops->granted(unit, &engine->ram);
    }
    engine->steps++;
    if (!unit->ops->step(unit, &engine->ram)) {
        deferred_call_set(&engine->run);
        return;
    }
    unit->ops->completed(unit, &engine->ram); /* releases; the engine is not touched after */
}

err_t crypto_engine_init(struct crypto_engine *engine)
{
    *engine = (struct crypto_engine){ .owner = NULL, .is_granting = false, .steps = 0 };
    return deferred_call_register(&engine->run, run, engine);
}

void crypto_engine_unit_init(struct crypto_engine_unit *unit, struct crypto_engine *engine,
                             const struct crypto_engine_unit_ops *ops)
{
    *unit = (struct crypto_engine_unit){ .ops = ops, .engine = engine };
}

err_t crypto_engine_claim(struct crypto_engine *engine, struct crypto_engine_unit *unit)
{
    if (engine->owner == unit) {
        return ERR_ALREADY;
    }
    if (engine->owner != NULL) {
        return ERR_BUSY;
    }
    engine->owner = unit;
    engine->is_granting = true;
    deferred_call_set(&engine->run);
    return ERR_OK;
}

void crypto_engine_release(struct crypto_engine *engine, struct crypto_engine_unit *unit)
{
    if (engine->owner != unit || engine->is_granting) {
        kernel_panic("crypto engine: released by a unit that does not own the crypto RAM");
    }
    engine->ram = (struct crypto_ram){ .window = { 0 } };
    engine->owner = NULL;
}
