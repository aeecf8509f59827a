/* SPDX-License-Identifier: Apache-2.0 OR MIT */
/*
 * Fake digest and AES units for the crypto capsule tests: the test drives every completion.
 *
 * Each fake computes real results with the software library (libraries/crypto), so a capsule's
 * output can be checked against published vectors, but nothing completes until the test calls
 * fake_digest_complete() / fake_aes_complete(): the test decides when the "hardware" finishes
 * and with what status. The next operation returns whatever the test put in next_result
 * (ERR_OK by default, then reset). An operation while one is outstanding returns ERR_BUSY and
 * counts as a contract violation (`busy_calls`), as does a configuration call then; a completion
 * started while a client's callback runs fails the test (no re-entrant callbacks).
 *
 * Usage:
 *     static struct fake_digest unit;
 *     fake_digest_init(&unit);
 *     ... the capsule under test calls add_data() on &unit.digest ...
 *     fake_digest_complete(&unit, ERR_OK);   // add_data_done(buf, len, ERR_OK)
 *
 * Invariants: is_busy exactly while an operation is outstanding; a failed completion leaves the
 * message as it was (the software state is updated only on ERR_OK).
 */
#pragma once

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "crypto/aes128.h"
#include "crypto/hmac_sha256.h"
#include "crypto/sha256.h"
#include "errorcode.h"
#include "hil/aes.h"
#include "hil/digest.h"

enum fake_digest_operation {
    FAKE_DIGEST_NONE,
    FAKE_DIGEST_ADD_DATA,
    FAKE_DIGEST_FINISH,
};

struct fake_digest {
    struct hil_digest digest;
    err_t next_result; /* returned by the next add_data()/finish() (then reset to ERR_OK) */
    bool has_mode;
    enum hil_digest_mode mode;
    struct sha256_ctx sha;
    struct hmac_sha256_ctx hmac;
    enum fake_digest_operation operation; /* the outstanding one */
    const uint8_t *buf;
    size_t len;
    uint8_t *out;
    bool is_busy;
    unsigned callback_depth;
    unsigned busy_calls; /* calls the capsule made while an operation was outstanding */
    unsigned set_mode_calls;
    unsigned clear_calls;
    unsigned operations; /* accepted add_data()/finish() */
    size_t key_len;      /* of the last set_mode */
    uint8_t key[128];
};

void fake_digest_init(struct fake_digest *unit);
/* Deliver the outstanding operation's callback with `status`. Fails the test if none. */
void fake_digest_complete(struct fake_digest *unit, err_t status);

struct fake_aes {
    struct hil_aes aes;
    err_t next_result; /* returned by the next crypt() (then reset to ERR_OK) */
    bool has_key;
    bool has_iv;
    struct aes128_key schedule;
    uint8_t iv[AES128_BLOCK_LEN]; /* chain / counter, advanced by each completed crypt */
    enum hil_aes_mode mode;
    enum hil_aes_direction direction;
    const uint8_t *src; /* the outstanding crypt */
    uint8_t *dst;
    size_t len;
    bool is_busy;
    unsigned callback_depth;
    unsigned busy_calls;
    unsigned clear_calls;
    unsigned crypts; /* accepted */
};

void fake_aes_init(struct fake_aes *unit);
/* Deliver the outstanding crypt's callback with `status` (computing it on ERR_OK). */
void fake_aes_complete(struct fake_aes *unit, err_t status);
