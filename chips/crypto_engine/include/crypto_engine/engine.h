/* SPDX-License-Identifier: Apache-2.0 OR MIT */
/*
 * Crypto engine model: one shared crypto RAM, an arbiter, and a block-at-a-time sequencer.
 *
 * QEMU has no crypto hardware, so this is a software model of a peripheral whose AES unit
 * (crypto_engine/aes.h) and SHA-256/HMAC unit (crypto_engine/sha.h) share a single work area,
 * the crypto RAM: a 64-byte data window plus one bank of key/state registers that each unit
 * interprets its own way (a union: the AES key schedule and chaining value, or the SHA-256
 * chaining state). A unit must own the RAM for the whole of an operation; it loads its saved
 * context when ownership is granted and saves it back before releasing, and the engine wipes
 * the RAM on release, so neither unit can see the other's keys or data.
 *
 * Ownership is a claim/release pair, kept apart from the sequencing so that a queued kernel
 * mutex can replace the arbitration without touching the units:
 *   crypto_engine_claim()    ERR_OK: granted() runs later from the engine's deferred call;
 *                            ERR_BUSY: another unit owns the RAM (this model does not queue).
 *   crypto_engine_release()  wipe the RAM and free it; called by the owner from completed().
 * While a unit owns the RAM, the engine's deferred call runs one step() per kernel-loop round
 * (each step processes at most one block) until step() reports the operation complete, then
 * calls completed() from that same deferred call. No unit hook ever runs inside a claim.
 *
 * Usage (board):
 *     static struct crypto_engine engine;
 *     static struct crypto_engine_aes aes;
 *     static struct crypto_engine_sha sha;
 *     boot_check(crypto_engine_init(&engine), "crypto engine");
 *     crypto_engine_aes_init(&aes, &engine);
 *     crypto_engine_sha_init(&sha, &engine);
 *
 * Invariants: owner is NULL or the unit that holds the crypto RAM; the RAM's contents are
 * meaningful only to the owner, and all zeros while owner is NULL; is_granting implies owner
 * is set and its granted() has not run yet.
 */
#pragma once

#include <stdbool.h>
#include <stdint.h>

#include "crypto/aes128.h"
#include "crypto/sha256.h"
#include "errorcode.h"
#include "kernel/deferred_call.h"

#define CRYPTO_RAM_WINDOW_LEN 64u

_Static_assert(CRYPTO_RAM_WINDOW_LEN == SHA256_BLOCK_LEN, "the window holds one SHA-256 block");
_Static_assert(CRYPTO_RAM_WINDOW_LEN >= AES128_BLOCK_LEN, "the window holds one AES block");

/* The shared work area. Only the owning unit touches it, through the pointer its hooks get. */
struct crypto_ram {
    uint8_t window[CRYPTO_RAM_WINDOW_LEN]; /* data registers */
    union crypto_ram_registers {           /* one register bank, two interpretations */
        struct crypto_ram_aes {
            struct aes128_key schedule;       /* the expanded key */
            uint8_t chain[AES128_BLOCK_LEN]; /* CBC chaining value or CTR counter block */
        } aes;
        struct crypto_ram_sha {
            uint32_t state[SHA256_STATE_WORDS]; /* chaining value H0..H7 */
            uint32_t fill;                      /* message bytes waiting in window[] */
        } sha;
    } registers;
};

struct crypto_engine;
struct crypto_engine_unit;

/* A front end's hooks. All run from the engine's deferred call, only while the unit owns the
 * RAM, and never inside crypto_engine_claim(). */
struct crypto_engine_unit_ops {
    /* Ownership has been granted: load the unit's saved context into `ram`. */
    void (*granted)(struct crypto_engine_unit *unit, struct crypto_ram *ram);
    /* Process at most one block; return true when the operation is complete. */
    bool (*step)(struct crypto_engine_unit *unit, struct crypto_ram *ram);
    /* The operation is complete: save the context out of `ram`, call crypto_engine_release(),
     * then deliver the client's callback (which may start a new operation on either unit). */
    void (*completed)(struct crypto_engine_unit *unit, struct crypto_ram *ram);
};

/* Embedded in each front end, like a HIL interface. */
struct crypto_engine_unit {
    const struct crypto_engine_unit_ops *ops;
    struct crypto_engine *engine;
};

struct crypto_engine {
    struct crypto_ram ram;
    struct crypto_engine_unit *owner; /* holds the RAM; NULL when free */
    bool is_granting;                 /* owner's granted() is still due */
    struct deferred_call run;         /* runs granted(), then one step() per round */
    uint32_t steps;                   /* steps run since init (diagnostics and tests) */
};

/* Registers the engine's deferred call. Returns ERR_OK or ERR_NOMEM (no slot left). */
MUST_CHECK err_t crypto_engine_init(struct crypto_engine *engine);

/* For front ends' _init: wire `unit` to `engine`. */
void crypto_engine_unit_init(struct crypto_engine_unit *unit, struct crypto_engine *engine,
                             const struct crypto_engine_unit_ops *ops);

/**
 * Ask for the crypto RAM on behalf of `unit`, which must have its operation recorded already.
 * Kernel loop only. Returns ERR_OK (the unit owns the RAM: granted(), the steps and completed()
 * follow from the deferred call, never inside this call), ERR_BUSY (another unit owns it;
 * nothing follows) or ERR_ALREADY (`unit` owns it already; nothing changes).
 */
MUST_CHECK err_t crypto_engine_claim(struct crypto_engine *engine,
                                     struct crypto_engine_unit *unit);

/* Wipe the crypto RAM and free it. Only the owner may release, and only once its operation is
 * complete; anything else is a kernel bug and panics. */
void crypto_engine_release(struct crypto_engine *engine, struct crypto_engine_unit *unit);
