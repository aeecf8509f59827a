/* SPDX-License-Identifier: Apache-2.0 OR MIT */
/*
 * Crypto engine model: one shared crypto RAM behind a kernel mutex, and a block sequencer.
 *
 * QEMU has no crypto hardware, so this is a software model of a peripheral whose AES unit
 * (crypto_engine/aes.h) and SHA-256/HMAC units (crypto_engine/sha.h) share a single work area,
 * the crypto RAM: a 64-byte data window plus one bank of key/state registers that each unit
 * interprets its own way (a union: the AES key schedule and chaining value, or the SHA-256
 * chaining state). A unit must own the RAM for the whole of an operation; it loads its saved
 * context when ownership is granted and saves it back before releasing, and the engine wipes
 * the RAM on release, so no unit can see another's keys or data.
 *
 * Ownership is the kernel mutex over the RAM (capsules/support/mutex.h, typed crypto_ram_type), kept apart
 * from the sequencing:
 *   crypto_engine_claim()    ERR_OK: the unit's request is queued on the mutex, first come
 *                            first served; granted() runs later, never inside the claim, once
 *                            every earlier claimant has released. Never ERR_BUSY.
 *   crypto_engine_release()  wipe the RAM and give the mutex back; called by the owner from
 *                            completed(). The next claimant is granted from a later round.
 * The mutex dispatcher's grant runs the new owner's granted() and first step(); after that the
 * engine's deferred call runs one step() per kernel-loop round (each step processes at most one
 * block) until step() reports the operation complete, then calls completed() from that same
 * call. The RAM is reached only through the unit's guard (mutex_guard_resource), so a hook that
 * ran without a hold would find no RAM; that is a kernel bug and panics.
 *
 * Usage (board):
 *     static struct mutex_dispatcher mutexes;        // one per image, shared with other mutexes
 *     static struct crypto_engine engine;
 *     static struct crypto_engine_aes aes;
 *     static struct crypto_engine_sha sha;
 *     boot_check(mutex_dispatcher_init(&mutexes, &mutex_checks), "mutexes");
 *     boot_check(crypto_engine_init(&engine, &mutexes), "crypto engine");
 *     crypto_engine_aes_init(&aes, &engine);
 *     crypto_engine_sha_init(&sha, &engine);          // a second SHA unit may share the RAM too
 *
 * Invariants: owner is NULL or the unit that holds the RAM mutex (its guard is held); the RAM's
 * contents are meaningful only to the owner, and all zeros while owner is NULL; is_granting
 * implies owner is set and its granted() has not run yet. A unit's waiter is QUEUED from its
 * claim until its grant, and HOLDING from then until its release.
 */
#pragma once

#include <stdbool.h>
#include <stdint.h>

#include "crypto/aes128.h"
#include "crypto/aes_ccm.h"
#include "crypto/aes_gcm.h"
#include "crypto/sha256.h"
#include "errorcode.h"
#include "kernel/deferred_call.h"
#include "support/mutex.h"

#define CRYPTO_RAM_WINDOW_LEN 64u
/* The RAM mutex's rank (capsules/support/mutex.h): units hold nothing else, so any rank would do; ranks
 * below it are left for buses a future unit might need first. */
#define CRYPTO_ENGINE_RAM_RANK 8u

_Static_assert(CRYPTO_RAM_WINDOW_LEN == SHA256_BLOCK_LEN, "the window holds one SHA-256 block");
_Static_assert(CRYPTO_RAM_WINDOW_LEN >= AES128_BLOCK_LEN, "the window holds one AES block");

/* An AEAD message's running state (the AES unit's CCM or GCM registers). */
union crypto_engine_aead {
    struct aes_ccm ccm;
    struct aes_gcm gcm;
};

/* The shared work area. Only the owning unit touches it, through the pointer its hooks get. */
struct crypto_ram {
    uint8_t window[CRYPTO_RAM_WINDOW_LEN]; /* data registers */
    union crypto_ram_registers {           /* one register bank, two interpretations */
        struct crypto_ram_aes {
            struct aes128_key schedule;       /* the expanded key */
            uint8_t chain[AES128_BLOCK_LEN]; /* CBC chaining value or CTR counter block */
            union crypto_engine_aead aead;   /* CCM/GCM: MAC, counters, hash key */
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
    struct mutex_owner owner;   /* the unit's rank bookkeeping: it holds only the RAM */
    struct mutex_waiter waiter; /* its place in the RAM mutex's queue */
    struct mutex_guard guard;   /* held from granted() until crypto_engine_release() */
};

/* The crypto RAM's type tag: mutex_guard_resource(&guard, &crypto_ram_type) is the RAM. */
extern const struct mutex_type crypto_ram_type;

struct crypto_engine {
    struct crypto_ram ram;            /* reachable through the mutex only */
    struct mutex ram_mutex;           /* FIFO ownership of `ram` */
    struct crypto_engine_unit *owner; /* holds the RAM; NULL when free */
    bool is_granting;                 /* owner's granted() is still due */
    struct deferred_call run;         /* runs one step() per round after the grant's first */
    uint32_t steps;                   /* steps run since init (diagnostics and tests) */
};

/**
 * Boot: set up the RAM mutex on `mutexes` (the image's dispatcher) and register the engine's
 * deferred call. Returns ERR_OK or ERR_NOMEM (no deferred-call slot left).
 */
MUST_CHECK err_t crypto_engine_init(struct crypto_engine *engine,
                                    struct mutex_dispatcher *mutexes);

/* For front ends' _init: wire `unit` to `engine`; `name` appears in mutex violation reports. */
void crypto_engine_unit_init(struct crypto_engine_unit *unit, struct crypto_engine *engine,
                             const struct crypto_engine_unit_ops *ops, const char *name);

/**
 * Ask for the crypto RAM on behalf of `unit`, which must have its operation recorded already.
 * Kernel loop only. Returns ERR_OK: the claim is queued behind every earlier one; granted(), the
 * steps and completed() follow, never inside this call. ERR_ALREADY: `unit` has claimed the RAM
 * already (queued or owning); nothing changes. Never ERR_BUSY.
 */
MUST_CHECK err_t crypto_engine_claim(struct crypto_engine *engine,
                                     struct crypto_engine_unit *unit);

/* Wipe the crypto RAM and release its mutex. Only the owner may release, and only once its
 * operation is complete; anything else is a kernel bug and panics. */
void crypto_engine_release(struct crypto_engine *engine, struct crypto_engine_unit *unit);
