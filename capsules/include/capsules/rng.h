/* SPDX-License-Identifier: Apache-2.0 OR MIT */
/*
 * RNG syscall driver (0x40001, Tock's interface): random bytes for processes, from an
 * SP 800-90A HMAC_DRBG (SHA-256) that the driver seeds from an entropy source (hil/entropy.h).
 *
 * Userspace interface (as libtock-c's rng syscalls use it):
 *   command 0               exists: success.
 *   command 1 (n)           fill the read-write allow 0 buffer with n random bytes, from its
 *                           start. Success, then upcall 0 with (0, filled, 0) where filled is
 *                           n, or less if the buffer is shorter (or is unallowed meanwhile),
 *                           or less if the entropy source failed before the DRBG could be
 *                           seeded. n = 0 gets the upcall with 0.
 *                           Failures: BUSY (this process's earlier request has not completed:
 *                           one outstanding request per process), NODEVICE (the DRBG needs
 *                           seeding and the entropy source is absent), NOMEM (no grant).
 *   subscribe 0             the completion upcall.  allow read-write 0: the buffer.
 *
 * Seeding: lazily, on the first request: the driver asks the source for RNG_SEED_LEN bytes
 * (entropy input and nonce) and instantiates the DRBG with the board's personalization string;
 * requests wait meanwhile. After `reseed_after` generate calls it asks for RNG_RESEED_LEN fresh
 * bytes in the background and reseeds when they arrive; past `reseed_limit` calls without a
 * reseed it stops generating until one succeeds (if the source fails then, waiting requests
 * complete with what they have).
 *
 * Sharing: requests are served from a deferred call; each pass gives every process with a
 * request up to RNG_CHUNK bytes, in slot order, so a large request cannot hold the kernel loop
 * or starve a small one. The bytes go straight from a kernel scratch buffer (wiped after each
 * use) into the process's buffer, bounds-checked on every write.
 *
 * Usage:
 *     static const struct rng_config rng_config = { .personalization = ..., ... };
 *     static struct rng_driver rng;
 *     boot_check(rng_driver_init(&rng, &kernel, &entropy_device.entropy, &rng_config), "rng");
 *     drivers[] = { { RNG_DRIVER_NUM, &rng.driver }, ... };
 *
 * Invariants: `seed` is lent to the source exactly while is_fetching; the DRBG is generated
 * from only while usable (instantiated and fewer than reseed_limit generates since its seed);
 * per-process state lives in the grant, so a process that dies leaves nothing behind.
 */
#pragma once

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "crypto/hmac_drbg.h"
#include "hil/entropy.h"
#include "kernel/deferred_call.h"
#include "kernel/kernel.h"
#include "kernel/syscall_driver.h"

#define RNG_CMD_EXISTS 0u
#define RNG_CMD_GET 1u
#define RNG_UPCALL_DONE 0u
#define RNG_ALLOW_BUFFER 0u
#define RNG_CHUNK 128u
#define RNG_SEED_LEN (HMAC_DRBG_MIN_ENTROPY_LEN + HMAC_DRBG_MIN_NONCE_LEN)
#define RNG_RESEED_LEN HMAC_DRBG_MIN_ENTROPY_LEN
/* The boards' policy: fresh entropy every 1024 generate calls (at most 128 KiB of output),
 * and no more than 4096 calls (512 KiB) from one seed while the source does not answer. */
#define RNG_DEFAULT_RESEED_AFTER 1024u
#define RNG_DEFAULT_RESEED_LIMIT 4096u

struct rng_config {
    const uint8_t *personalization; /* SP 800-90A personalization string (may be empty) */
    size_t personalization_len;
    uint32_t reseed_after; /* generate calls before fresh entropy is asked for (>= 1) */
    uint32_t reseed_limit; /* generate calls after which generation waits for it (> after) */
};

struct rng_app {
    uint32_t remaining; /* bytes still wanted */
    uint32_t filled;    /* bytes written from the buffer's start */
    bool is_pending;
};

struct rng_driver {
    struct syscall_driver driver;
    struct grant grant;
    struct hil_entropy_client entropy_client;
    struct hil_entropy *source;
    const struct rng_config *config;
    struct hmac_drbg drbg;
    struct deferred_call serve;
    bool is_fetching;
    bool has_waiting; /* set by a serving pass: some request is not complete */
    uint8_t seed[RNG_SEED_LEN];
    uint8_t chunk[RNG_CHUNK];
};

/* Boot only, after kernel_init. Returns ERR_INVAL for a bad config, else grant_create's or
 * deferred_call_register's error. */
MUST_CHECK err_t rng_driver_init(struct rng_driver *rng, struct kernel *k,
                                 struct hil_entropy *source, const struct rng_config *config);
