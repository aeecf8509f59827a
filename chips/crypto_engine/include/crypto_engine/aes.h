/* SPDX-License-Identifier: Apache-2.0 OR MIT */
/*
 * Crypto engine AES unit: AES-128 ECB, CBC and CTR behind the AES HIL.
 *
 * The unit keeps its configuration (key, IV or counter, mode) in its own shadow registers;
 * they may be changed whenever no crypt() is outstanding, even while a SHA unit owns the
 * crypto RAM. crypt() claims the RAM (queued on its mutex behind earlier claims, so it never
 * returns ERR_BUSY because another unit is busy); when the claim is granted the key is expanded
 * into the RAM's key registers and the IV loaded into its chaining register, then each engine
 * step moves one 16-byte block through the data window. On completion the advanced IV/counter
 * is saved back, the RAM released, and crypt_done() delivered.
 *
 * Usage:
 *     crypto_engine_aes_init(&aes, &engine);
 *     hil_aes_set_client(&aes.aes, &my_capsule.aes_client);
 *
 * Invariants: dst != NULL exactly while a crypt() is outstanding (from the call until
 * crypt_done() hands dst back), and then the unit has claimed the crypto RAM (queued or owning);
 * done <= len. ERR_BUSY from this unit means only that its own crypt() is outstanding.
 */
#pragma once

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "crypto_engine/engine.h"
#include "hil/aes.h"

struct crypto_engine_aes {
    struct hil_aes aes;
    struct crypto_engine_unit unit;
    uint8_t key[HIL_AES128_KEY_LEN]; /* shadow registers, loaded into the RAM when granted */
    uint8_t iv[HIL_AES_BLOCK_LEN];   /* CBC chaining value / CTR counter; saved back after crypt */
    bool has_key;
    bool has_iv;
    enum hil_aes_mode mode;
    enum hil_aes_direction direction;
    const uint8_t *src; /* the outstanding crypt() */
    uint8_t *dst;
    size_t len;
    size_t done; /* bytes processed so far */
    err_t status;
};

void crypto_engine_aes_init(struct crypto_engine_aes *aes, struct crypto_engine *engine);
