/* SPDX-License-Identifier: Apache-2.0 OR MIT */
/*
 * Crypto engine model: the crypto RAM's mutex and sequencer (see crypto_engine/engine.h).
 *
 * A claim is a request on the RAM mutex. Its grant (the mutex dispatcher's deferred call) makes
 * the unit the owner and runs its granted() and first step() at once; each further round of the
 * engine's own deferred call runs one step(), so a long request yields to the rest of the kernel
 * between blocks, as hardware that interrupts once per block would. Release wipes the RAM and
 * gives the mutex back; the dispatcher grants the next claimant in a later round, so a unit that
 * claims again from its client's callback goes behind the units already waiting.
 *
 * Usage: see crypto_engine/engine.h.
 *
 * Invariants: see crypto_engine/engine.h. `run` is set only while an owner has work left.
 */
#include "crypto_engine/engine.h"

#include <stddef.h>

#include "container.h"
#include "kernel/debug.h"

const struct mutex_type crypto_ram_type = { .name = "crypto ram" };

static const struct mutex_config ram_mutex_config = {
    .name = "crypto ram",
    .type = &crypto_ram_type,
    .rank = CRYPTO_ENGINE_RAM_RANK,
    .hold_budget = 0, /* operations are long by design; the steps bound each round instead */
};

/* The RAM, through the owner's guard: the only way any hook reaches it. */
static struct crypto_ram *owned_ram(struct crypto_engine_unit *unit)
{
    struct crypto_ram *ram = mutex_guard_resource(&unit->guard, &crypto_ram_type);
    if (ram == NULL) {
        kernel_panic("crypto engine: a unit ran without holding the crypto RAM");
    }
    return ram;
}

static void run(void *ctx)
{
    struct crypto_engine *engine = ctx;
    struct crypto_engine_unit *unit = engine->owner;
    if (unit == NULL) {
        return;
    }
    struct crypto_ram *ram = owned_ram(unit);
    if (engine->is_granting) {
        engine->is_granting = false;
        unit->ops->granted(unit, ram);
    }
    engine->steps++;
    if (!unit->ops->step(unit, ram)) {
        deferred_call_set(&engine->run);
        return;
    }
    unit->ops->completed(unit, ram); /* releases; the engine is not touched after */
}

static void ram_ready(struct mutex_waiter *waiter, struct mutex_guard guard)
{
    struct crypto_engine_unit *unit = CONTAINER_OF(waiter, struct crypto_engine_unit, waiter);
    struct crypto_engine *engine = unit->engine;
    if (engine->owner != NULL) {
        kernel_panic("crypto engine: the RAM mutex granted a second owner");
    }
    unit->guard = guard;
    engine->owner = unit;
    engine->is_granting = true;
    run(engine); /* granted() and the first step, in the grant's round */
}

static const struct mutex_waiter_ops ram_waiter_ops = { .ready = ram_ready };

err_t crypto_engine_init(struct crypto_engine *engine, struct mutex_dispatcher *mutexes)
{
    *engine = (struct crypto_engine){ .owner = NULL, .is_granting = false, .steps = 0 };
    err_t err = mutex_init(&engine->ram_mutex, mutexes, &ram_mutex_config, &engine->ram);
    if (err != ERR_OK) {
        return err;
    }
    return deferred_call_register(&engine->run, run, engine);
}

void crypto_engine_unit_init(struct crypto_engine_unit *unit, struct crypto_engine *engine,
                             const struct crypto_engine_unit_ops *ops, const char *name)
{
    *unit = (struct crypto_engine_unit){
        .ops = ops,
        .engine = engine,
        .guard = { .waiter = NULL, .generation = 0 },
    };
    mutex_owner_init(&unit->owner, name);
    mutex_waiter_init(&unit->waiter, &unit->owner, &ram_waiter_ops);
}

err_t crypto_engine_claim(struct crypto_engine *engine, struct crypto_engine_unit *unit)
{
    if (unit->engine != engine) {
        kernel_panic("crypto engine: a unit claimed another engine's RAM");
    }
    /* ERR_ALREADY: queued or owning. ERR_INVAL cannot happen: the unit's owner holds nothing
     * else, so its rank order always admits the RAM. */
    return mutex_request(&engine->ram_mutex, &unit->waiter, MUTEX_EXCLUSIVE);
}

void crypto_engine_release(struct crypto_engine *engine, struct crypto_engine_unit *unit)
{
    if (engine->owner != unit || engine->is_granting || !mutex_guard_is_held(&unit->guard)) {
        kernel_panic("crypto engine: released by a unit that does not own the crypto RAM");
    }
    engine->ram = (struct crypto_ram){ .window = { 0 } };
    engine->owner = NULL;
    mutex_release(&unit->guard);
}
