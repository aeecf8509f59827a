/* SPDX-License-Identifier: Apache-2.0 OR MIT */
/*
 * Crypto engine AES unit: AES-128 ECB, CBC and CTR behind the AES HIL, and CCM and GCM behind
 * the AEAD HIL (hil/aead.h).
 *
 * The unit keeps its configuration (key, IV or counter, mode; for an AEAD message its CCM or
 * GCM state) in its own shadow registers; they may be changed whenever no operation is
 * outstanding, even while a SHA unit owns the crypto RAM. An operation claims the RAM (queued
 * on its mutex behind earlier claims, so it never returns ERR_BUSY because another unit is
 * busy); when the claim is granted the key is expanded into the RAM's key registers and the IV
 * (or the message state) loaded, then each engine step moves one 16-byte block through the data
 * window -- for CCM and GCM with the mode's MAC or hash work for that block
 * (libraries/crypto/aes_ccm.c, aes_gcm.c), and a finish is one step. On completion the advanced
 * IV/counter or message state is saved back, the RAM released, and the callback delivered. The
 * two interfaces share the key and the unit: one operation at a time on either.
 *
 * Usage:
 *     crypto_engine_aes_init(&aes, &engine);
 *     hil_aes_set_client(&aes.aes, &my_capsule.aes_client);
 *     hil_aead_set_client(&aes.aead, &my_capsule.aead_client);
 *
 * Invariants: job != IDLE exactly while an operation is outstanding (from the call until its
 * callback), and then the unit has claimed the crypto RAM (queued or owning); done <= len.
 * ERR_BUSY from this unit means only that its own operation is outstanding. has_message implies
 * `message` holds an initialised state of aead_mode; clear() wipes it.
 */
#pragma once

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "crypto_engine/engine.h"
#include "hil/aead.h"
#include "hil/aes.h"

enum crypto_engine_aes_job {
    CRYPTO_ENGINE_AES_IDLE,
    CRYPTO_ENGINE_AES_BLOCKS,  /* hil_aes crypt() */
    CRYPTO_ENGINE_AES_AAD,     /* hil_aead add_aad() */
    CRYPTO_ENGINE_AES_PAYLOAD, /* hil_aead crypt() */
    CRYPTO_ENGINE_AES_TAG,     /* hil_aead finish() */
};

struct crypto_engine_aes {
    struct hil_aes aes;
    struct hil_aead aead;
    struct crypto_engine_unit unit;
    uint8_t key[HIL_AES128_KEY_LEN]; /* shadow registers, loaded into the RAM when granted */
    uint8_t iv[HIL_AES_BLOCK_LEN];   /* CBC chaining value / CTR counter; saved back after crypt */
    bool has_key;
    bool has_iv;
    enum hil_aes_mode mode;
    enum hil_aes_direction direction;
    bool has_message;                /* an AEAD message was begun and not cleared */
    enum hil_aead_mode aead_mode;
    union crypto_engine_aead message; /* its state; saved back after each operation */
    enum crypto_engine_aes_job job;   /* the outstanding operation */
    const uint8_t *src;
    uint8_t *dst; /* payload destination, or the tag */
    size_t len;
    size_t done; /* bytes processed so far */
    err_t status;
};

void crypto_engine_aes_init(struct crypto_engine_aes *aes, struct crypto_engine *engine);
