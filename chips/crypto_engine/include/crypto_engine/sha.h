/* SPDX-License-Identifier: Apache-2.0 OR MIT */
/*
 * Crypto engine SHA unit: SHA-256 and HMAC-SHA256 behind the digest HIL.
 *
 * The unit owns the crypto RAM only while an add_data() or finish() is in flight (each claims
 * it, queued on its mutex behind earlier claims, so never ERR_BUSY because another unit is
 * busy). Between operations the message's context (chaining state, the partial block waiting
 * in the data window, the length so far) is saved here, so other units (AES, a second SHA unit)
 * can use the RAM between the pieces of one message. Every operation feeds bytes through the data window and each engine step
 * compresses at most one block: HMAC's K0 ^ ipad block at the start of a message, the caller's
 * data, the padding, and for HMAC the outer hash (K0 ^ opad, the inner digest, its padding).
 * HMAC keys longer than a block are reduced to SHA-256(key) in software by set_mode(), as
 * HMAC hardware that takes only block-sized keys needs of its driver.
 *
 * Usage:
 *     crypto_engine_sha_init(&sha, &engine);
 *     hil_digest_set_client(&sha.digest, &my_capsule.digest_client);
 *
 * Invariants: operation != CRYPTO_ENGINE_SHA_IDLE exactly while an add_data() or finish() is
 * outstanding, and then the unit has claimed the crypto RAM (queued or owning);
 * saved_fill < SHA256_BLOCK_LEN; is_started means saved_state/saved_window hold the message so
 * far.
 */
#pragma once

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "crypto/sha256.h"
#include "crypto_engine/engine.h"
#include "hil/digest.h"

enum crypto_engine_sha_operation {
    CRYPTO_ENGINE_SHA_IDLE,
    CRYPTO_ENGINE_SHA_ADD_DATA,
    CRYPTO_ENGINE_SHA_FINISH,
};

/* The byte sources an operation feeds through the window, in this order. */
enum crypto_engine_sha_phase {
    CRYPTO_ENGINE_SHA_INNER_KEY, /* HMAC: K0 ^ ipad, first thing in a message */
    CRYPTO_ENGINE_SHA_DATA,      /* the caller's buffer (add_data only) */
    CRYPTO_ENGINE_SHA_PAD,       /* finish: padding of the (inner) message */
    CRYPTO_ENGINE_SHA_OUTER_KEY, /* HMAC finish: K0 ^ opad */
    CRYPTO_ENGINE_SHA_OUTER_DATA, /* HMAC finish: the inner digest */
    CRYPTO_ENGINE_SHA_OUTER_PAD, /* HMAC finish: padding of the outer message */
    CRYPTO_ENGINE_SHA_DONE,
};

struct crypto_engine_sha {
    struct hil_digest digest;
    struct crypto_engine_unit unit;
    /* configuration */
    bool has_mode;
    enum hil_digest_mode mode;
    uint8_t key_block[SHA256_BLOCK_LEN]; /* HMAC's K0 */
    /* the message's saved context */
    bool is_started;
    uint32_t saved_state[SHA256_STATE_WORDS];
    uint8_t saved_window[SHA256_BLOCK_LEN];
    size_t saved_fill;
    uint64_t message_len; /* caller's bytes added so far */
    /* the outstanding operation */
    enum crypto_engine_sha_operation operation;
    const uint8_t *buf; /* add_data */
    size_t len;
    uint8_t *out; /* finish */
    enum crypto_engine_sha_phase phase;
    size_t offset; /* bytes of the current phase's source fed so far */
    uint8_t pad[SHA256_PADDING_MAX_LEN];
    size_t pad_len;
    uint8_t inner_digest[SHA256_DIGEST_LEN];
};

void crypto_engine_sha_init(struct crypto_engine_sha *sha, struct crypto_engine *engine);
