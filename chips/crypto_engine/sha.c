/* SPDX-License-Identifier: Apache-2.0 OR MIT */
/*
 * Crypto engine SHA unit (see crypto_engine/sha.h).
 *
 * An operation is a run of phases, each a byte source (with an XOR mask for the HMAC key
 * blocks). A step copies bytes from the current phase, moving on to later phases, until the
 * data window is full, then compresses it: at most one compression per step. Phases that
 * are used up are skipped, so an add_data() that does not complete a block takes a single
 * step with no compression, and the window's partial block is saved for the next operation.
 *
 * Usage: see crypto_engine/sha.h.
 *
 * Invariants: see crypto_engine/sha.h; during an operation, `offset` never exceeds the length
 * of the current phase's source.
 */
#include "crypto_engine/sha.h"

#include "container.h"
#include "crypto/hmac_sha256.h"

/* Messages stay below 2^61 bytes even counting HMAC's key block. */
#define MESSAGE_MAX (((uint64_t)1 << 61) - 1u - SHA256_BLOCK_LEN)

static void wipe(void *p, size_t len)
{
    volatile uint8_t *bytes = p; /* volatile: these stores must not be optimized away */
    for (size_t i = 0; i < len; i++) {
        bytes[i] = 0;
    }
}

static void forget_message(struct crypto_engine_sha *sha)
{
    sha->is_started = false;
    sha->message_len = 0;
    sha->saved_fill = 0;
    wipe(sha->saved_state, sizeof sha->saved_state);
    wipe(sha->saved_window, sizeof sha->saved_window);
}

static err_t set_mode(struct hil_digest *digest, enum hil_digest_mode mode, const uint8_t *key,
                      size_t key_len)
{
    struct crypto_engine_sha *sha = CONTAINER_OF(digest, struct crypto_engine_sha, digest);
    if (sha->operation != CRYPTO_ENGINE_SHA_IDLE) {
        return ERR_BUSY;
    }
    bool key_ok = mode == HIL_DIGEST_SHA256 ? key_len == 0 : key != NULL || key_len == 0;
    if ((mode != HIL_DIGEST_SHA256 && mode != HIL_DIGEST_HMAC_SHA256) || !key_ok) {
        return ERR_INVAL;
    }
    forget_message(sha);
    if (mode == HIL_DIGEST_HMAC_SHA256) {
        hmac_sha256_key_block(key, key_len, sha->key_block);
    } else {
        wipe(sha->key_block, sizeof sha->key_block);
    }
    sha->mode = mode;
    sha->has_mode = true;
    return ERR_OK;
}

/* The first phase of an operation: a new HMAC message starts with the K0 ^ ipad block. */
static enum crypto_engine_sha_phase first_phase(const struct crypto_engine_sha *sha)
{
    bool needs_inner_key = sha->mode == HIL_DIGEST_HMAC_SHA256 && !sha->is_started;
    return needs_inner_key ? CRYPTO_ENGINE_SHA_INNER_KEY : CRYPTO_ENGINE_SHA_DATA;
}

static err_t start(struct crypto_engine_sha *sha, enum crypto_engine_sha_operation operation)
{
    sha->operation = operation;
    sha->phase = first_phase(sha);
    sha->offset = 0;
    err_t err = crypto_engine_claim(sha->unit.engine, &sha->unit); /* queued, never BUSY */
    if (err != ERR_OK) {
        sha->operation = CRYPTO_ENGINE_SHA_IDLE; /* unreachable: no claim is outstanding */
        sha->buf = NULL;
        sha->out = NULL;
    }
    return err;
}

static err_t add_data(struct hil_digest *digest, const uint8_t *buf, size_t len)
{
    struct crypto_engine_sha *sha = CONTAINER_OF(digest, struct crypto_engine_sha, digest);
    if (sha->operation != CRYPTO_ENGINE_SHA_IDLE) {
        return ERR_BUSY;
    }
    if (len == 0 || len > MESSAGE_MAX - sha->message_len) {
        return ERR_SIZE;
    }
    if (!sha->has_mode || buf == NULL) {
        return ERR_INVAL;
    }
    sha->buf = buf;
    sha->len = len;
    return start(sha, CRYPTO_ENGINE_SHA_ADD_DATA);
}

static err_t finish(struct hil_digest *digest, uint8_t *out)
{
    struct crypto_engine_sha *sha = CONTAINER_OF(digest, struct crypto_engine_sha, digest);
    if (sha->operation != CRYPTO_ENGINE_SHA_IDLE) {
        return ERR_BUSY;
    }
    if (!sha->has_mode || out == NULL) {
        return ERR_INVAL;
    }
    uint64_t hashed_len = sha->message_len;
    if (sha->mode == HIL_DIGEST_HMAC_SHA256) {
        hashed_len += SHA256_BLOCK_LEN; /* the inner hash covers K0 ^ ipad too */
    }
    sha->pad_len = sha256_padding(hashed_len, sha->pad);
    sha->buf = NULL;
    sha->len = 0;
    sha->out = out;
    return start(sha, CRYPTO_ENGINE_SHA_FINISH);
}

static err_t clear(struct hil_digest *digest)
{
    struct crypto_engine_sha *sha = CONTAINER_OF(digest, struct crypto_engine_sha, digest);
    if (sha->operation != CRYPTO_ENGINE_SHA_IDLE) {
        return ERR_BUSY;
    }
    forget_message(sha);
    wipe(sha->key_block, sizeof sha->key_block);
    sha->has_mode = false;
    return ERR_OK;
}

static void granted(struct crypto_engine_unit *unit, struct crypto_ram *ram)
{
    struct crypto_engine_sha *sha = CONTAINER_OF(unit, struct crypto_engine_sha, unit);
    struct crypto_ram_sha *registers = &ram->registers.sha;
    if (!sha->is_started) {
        sha256_initial_state(registers->state);
        registers->fill = 0;
        return;
    }
    for (size_t i = 0; i < SHA256_STATE_WORDS; i++) {
        registers->state[i] = sha->saved_state[i];
    }
    for (size_t i = 0; i < sha->saved_fill; i++) {
        ram->window[i] = sha->saved_window[i];
    }
    registers->fill = (uint32_t)sha->saved_fill;
}

/* The current phase's source: `*len` bytes at `*bytes`, each to be XORed with `*mask`. */
static void phase_source(const struct crypto_engine_sha *sha, const uint8_t **bytes, size_t *len,
                         uint8_t *mask)
{
    *mask = 0;
    switch (sha->phase) {
    case CRYPTO_ENGINE_SHA_INNER_KEY:
    case CRYPTO_ENGINE_SHA_OUTER_KEY:
        *bytes = sha->key_block;
        *len = SHA256_BLOCK_LEN;
        *mask = sha->phase == CRYPTO_ENGINE_SHA_INNER_KEY ? HMAC_SHA256_INNER_PAD
                                                          : HMAC_SHA256_OUTER_PAD;
        return;
    case CRYPTO_ENGINE_SHA_DATA:
        *bytes = sha->buf;
        *len = sha->len;
        return;
    case CRYPTO_ENGINE_SHA_PAD:
    case CRYPTO_ENGINE_SHA_OUTER_PAD:
        *bytes = sha->pad;
        *len = sha->pad_len;
        return;
    case CRYPTO_ENGINE_SHA_OUTER_DATA:
        *bytes = sha->inner_digest;
        *len = SHA256_DIGEST_LEN;
        return;
    case CRYPTO_ENGINE_SHA_DONE:
        break;
    }
    *bytes = NULL;
    *len = 0;
}

/* Moves on from a used-up phase. Entering the outer hash turns the inner digest (the state,
 * on a block boundary after the padding) into the outer message and restarts the state. */
static void next_phase(struct crypto_engine_sha *sha, struct crypto_ram *ram)
{
    struct crypto_ram_sha *registers = &ram->registers.sha;
    sha->offset = 0;
    switch (sha->phase) {
    case CRYPTO_ENGINE_SHA_INNER_KEY:
        sha->phase = CRYPTO_ENGINE_SHA_DATA;
        return;
    case CRYPTO_ENGINE_SHA_DATA:
        sha->phase = sha->operation == CRYPTO_ENGINE_SHA_ADD_DATA ? CRYPTO_ENGINE_SHA_DONE
                                                                   : CRYPTO_ENGINE_SHA_PAD;
        return;
    case CRYPTO_ENGINE_SHA_PAD:
        if (sha->mode != HIL_DIGEST_HMAC_SHA256) {
            sha->phase = CRYPTO_ENGINE_SHA_DONE;
            return;
        }
        sha256_state_to_digest(registers->state, sha->inner_digest);
        sha256_initial_state(registers->state);
        registers->fill = 0;
        sha->pad_len = sha256_padding(SHA256_BLOCK_LEN + SHA256_DIGEST_LEN, sha->pad);
        sha->phase = CRYPTO_ENGINE_SHA_OUTER_KEY;
        return;
    case CRYPTO_ENGINE_SHA_OUTER_KEY:
        sha->phase = CRYPTO_ENGINE_SHA_OUTER_DATA;
        return;
    case CRYPTO_ENGINE_SHA_OUTER_DATA:
        sha->phase = CRYPTO_ENGINE_SHA_OUTER_PAD;
        return;
    case CRYPTO_ENGINE_SHA_OUTER_PAD:
    case CRYPTO_ENGINE_SHA_DONE:
        break;
    }
    sha->phase = CRYPTO_ENGINE_SHA_DONE;
}

static bool step(struct crypto_engine_unit *unit, struct crypto_ram *ram)
{
    struct crypto_engine_sha *sha = CONTAINER_OF(unit, struct crypto_engine_sha, unit);
    struct crypto_ram_sha *registers = &ram->registers.sha;
    bool compressed = false;
    for (;;) {
        const uint8_t *bytes;
        size_t len;
        uint8_t mask;
        phase_source(sha, &bytes, &len, &mask);
        if (sha->phase == CRYPTO_ENGINE_SHA_DONE) {
            return true;
        }
        if (sha->offset == len) {
            next_phase(sha, ram);
            continue;
        }
        if (compressed) {
            return false; /* one block per step: the rest waits for the next round */
        }
        size_t take = SHA256_BLOCK_LEN - registers->fill;
        if (take > len - sha->offset) {
            take = len - sha->offset;
        }
        for (size_t i = 0; i < take; i++) {
            ram->window[registers->fill + i] = (uint8_t)(bytes[sha->offset + i] ^ mask);
        }
        registers->fill += (uint32_t)take;
        sha->offset += take;
        if (registers->fill == SHA256_BLOCK_LEN) {
            sha256_compress(registers->state, ram->window);
            registers->fill = 0;
            compressed = true;
        }
    }
}

static void completed(struct crypto_engine_unit *unit, struct crypto_ram *ram)
{
    struct crypto_engine_sha *sha = CONTAINER_OF(unit, struct crypto_engine_sha, unit);
    struct crypto_ram_sha *registers = &ram->registers.sha;
    enum crypto_engine_sha_operation operation = sha->operation;
    if (operation == CRYPTO_ENGINE_SHA_ADD_DATA) {
        for (size_t i = 0; i < SHA256_STATE_WORDS; i++) {
            sha->saved_state[i] = registers->state[i];
        }
        sha->saved_fill = registers->fill;
        for (size_t i = 0; i < sha->saved_fill; i++) {
            sha->saved_window[i] = ram->window[i];
        }
        sha->is_started = true;
        sha->message_len += sha->len;
    } else {
        sha256_state_to_digest(registers->state, sha->out);
        forget_message(sha);
        wipe(sha->inner_digest, sizeof sha->inner_digest);
    }
    crypto_engine_release(unit->engine, unit);
    const uint8_t *buf = sha->buf;
    size_t len = sha->len;
    uint8_t *out = sha->out;
    sha->buf = NULL;
    sha->out = NULL;
    sha->operation = CRYPTO_ENGINE_SHA_IDLE;
    if (operation == CRYPTO_ENGINE_SHA_ADD_DATA) {
        hil_digest_add_data_done(&sha->digest, buf, len, ERR_OK);
    } else {
        hil_digest_hash_done(&sha->digest, out, ERR_OK);
    }
}

static const struct hil_digest_ops digest_ops = {
    .set_mode = set_mode,
    .add_data = add_data,
    .finish = finish,
    .clear = clear,
};

static const struct crypto_engine_unit_ops unit_ops = {
    .granted = granted,
    .step = step,
    .completed = completed,
};

void crypto_engine_sha_init(struct crypto_engine_sha *sha, struct crypto_engine *engine)
{
    *sha = (struct crypto_engine_sha){
        .digest = { .ops = &digest_ops, .client = NULL },
        .has_mode = false,
        .mode = HIL_DIGEST_SHA256,
        .is_started = false,
        .operation = CRYPTO_ENGINE_SHA_IDLE,
        .buf = NULL,
        .out = NULL,
        .phase = CRYPTO_ENGINE_SHA_DONE,
    };
    crypto_engine_unit_init(&sha->unit, engine, &unit_ops, "crypto sha");
}
