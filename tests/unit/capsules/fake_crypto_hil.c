/* SPDX-License-Identifier: Apache-2.0 OR MIT */
/*
 * Fake digest and AES units (see fake_crypto_hil.h).
 *
 * Usage: see fake_crypto_hil.h.
 *
 * Invariants: see fake_crypto_hil.h.
 */
#include "fake_crypto_hil.h"

#include <setjmp.h>
#include <stdarg.h>
#include <string.h>

#include <cmocka.h>

#include "container.h"

/* ---------------------------------------------------------------- digest */

static err_t digest_set_mode(struct hil_digest *digest, enum hil_digest_mode mode,
                             const uint8_t *key, size_t key_len)
{
    struct fake_digest *u = CONTAINER_OF(digest, struct fake_digest, digest);
    if (u->is_busy) {
        u->busy_calls++;
        return ERR_BUSY;
    }
    if (key_len > sizeof u->key || (key == NULL && key_len > 0) ||
        (mode == HIL_DIGEST_SHA256 && key_len > 0)) {
        return ERR_INVAL;
    }
    u->set_mode_calls++;
    u->mode = mode;
    u->has_mode = true;
    u->key_len = key_len;
    if (key_len > 0) {
        memcpy(u->key, key, key_len);
    }
    sha256_init(&u->sha);
    hmac_sha256_init(&u->hmac, key, key_len);
    return ERR_OK;
}

static err_t digest_add_data(struct hil_digest *digest, const uint8_t *buf, size_t len)
{
    struct fake_digest *u = CONTAINER_OF(digest, struct fake_digest, digest);
    if (u->is_busy) {
        u->busy_calls++;
        return ERR_BUSY;
    }
    if (len == 0) {
        return ERR_SIZE;
    }
    if (!u->has_mode || buf == NULL) {
        return ERR_INVAL;
    }
    err_t result = u->next_result;
    u->next_result = ERR_OK;
    if (result != ERR_OK) {
        return result;
    }
    u->operation = FAKE_DIGEST_ADD_DATA;
    u->buf = buf;
    u->len = len;
    u->is_busy = true;
    u->operations++;
    return ERR_OK;
}

static err_t digest_finish(struct hil_digest *digest, uint8_t *out)
{
    struct fake_digest *u = CONTAINER_OF(digest, struct fake_digest, digest);
    if (u->is_busy) {
        u->busy_calls++;
        return ERR_BUSY;
    }
    if (!u->has_mode || out == NULL) {
        return ERR_INVAL;
    }
    err_t result = u->next_result;
    u->next_result = ERR_OK;
    if (result != ERR_OK) {
        return result;
    }
    u->operation = FAKE_DIGEST_FINISH;
    u->out = out;
    u->is_busy = true;
    u->operations++;
    return ERR_OK;
}

static err_t digest_clear(struct hil_digest *digest)
{
    struct fake_digest *u = CONTAINER_OF(digest, struct fake_digest, digest);
    if (u->is_busy) {
        u->busy_calls++;
        return ERR_BUSY;
    }
    u->clear_calls++;
    u->has_mode = false;
    u->key_len = 0;
    memset(u->key, 0, sizeof u->key);
    return ERR_OK;
}

static const struct hil_digest_ops fake_digest_ops = {
    .set_mode = digest_set_mode,
    .add_data = digest_add_data,
    .finish = digest_finish,
    .clear = digest_clear,
};

void fake_digest_init(struct fake_digest *unit)
{
    memset(unit, 0, sizeof *unit);
    unit->digest = (struct hil_digest){ .ops = &fake_digest_ops, .client = NULL };
    unit->next_result = ERR_OK;
}

void fake_digest_complete(struct fake_digest *unit, err_t status)
{
    if (!unit->is_busy) {
        fail_msg("fake_digest: no operation outstanding");
    }
    if (unit->callback_depth > 0) {
        fail_msg("fake_digest: completion inside a client callback");
    }
    enum fake_digest_operation operation = unit->operation;
    unit->is_busy = false;
    unit->operation = FAKE_DIGEST_NONE;
    unit->callback_depth++;
    if (operation == FAKE_DIGEST_ADD_DATA) {
        if (status == ERR_OK) {
            sha256_update(&unit->sha, unit->buf, unit->len);
            hmac_sha256_update(&unit->hmac, unit->buf, unit->len);
        }
        hil_digest_add_data_done(&unit->digest, unit->buf, unit->len, status);
    } else {
        if (status == ERR_OK) {
            if (unit->mode == HIL_DIGEST_HMAC_SHA256) {
                hmac_sha256_finish(&unit->hmac, unit->out);
            } else {
                sha256_finish(&unit->sha, unit->out);
            }
            sha256_init(&unit->sha); /* a new message, same mode and key */
            hmac_sha256_init(&unit->hmac, unit->key, unit->key_len);
        }
        hil_digest_hash_done(&unit->digest, unit->out, status);
    }
    unit->callback_depth--;
}

/* ---------------------------------------------------------------- AES */

static err_t aes_set_key(struct hil_aes *aes, const uint8_t *key, size_t len)
{
    struct fake_aes *u = CONTAINER_OF(aes, struct fake_aes, aes);
    if (u->is_busy) {
        u->busy_calls++;
        return ERR_BUSY;
    }
    if (key == NULL) {
        return ERR_INVAL;
    }
    if (len != AES128_KEY_LEN) {
        return ERR_SIZE;
    }
    aes128_expand_key(&u->schedule, key);
    u->has_key = true;
    return ERR_OK;
}

static err_t aes_set_iv(struct hil_aes *aes, const uint8_t *iv, size_t len)
{
    struct fake_aes *u = CONTAINER_OF(aes, struct fake_aes, aes);
    if (u->is_busy) {
        u->busy_calls++;
        return ERR_BUSY;
    }
    if (iv == NULL) {
        return ERR_INVAL;
    }
    if (len != AES128_BLOCK_LEN) {
        return ERR_SIZE;
    }
    memcpy(u->iv, iv, len);
    u->has_iv = true;
    return ERR_OK;
}

static err_t aes_set_mode(struct hil_aes *aes, enum hil_aes_mode mode,
                          enum hil_aes_direction direction)
{
    struct fake_aes *u = CONTAINER_OF(aes, struct fake_aes, aes);
    if (u->is_busy) {
        u->busy_calls++;
        return ERR_BUSY;
    }
    if (mode > HIL_AES_CTR || direction > HIL_AES_DECRYPT) {
        return ERR_INVAL;
    }
    u->mode = mode;
    u->direction = direction;
    return ERR_OK;
}

static err_t aes_crypt(struct hil_aes *aes, const uint8_t *src, uint8_t *dst, size_t len)
{
    struct fake_aes *u = CONTAINER_OF(aes, struct fake_aes, aes);
    if (u->is_busy) {
        u->busy_calls++;
        return ERR_BUSY;
    }
    if (len == 0 || (u->mode != HIL_AES_CTR && len % AES128_BLOCK_LEN != 0)) {
        return ERR_SIZE;
    }
    if (src == NULL || dst == NULL || !u->has_key || (u->mode != HIL_AES_ECB && !u->has_iv)) {
        return ERR_INVAL;
    }
    err_t result = u->next_result;
    u->next_result = ERR_OK;
    if (result != ERR_OK) {
        return result;
    }
    u->src = src;
    u->dst = dst;
    u->len = len;
    u->is_busy = true;
    u->crypts++;
    return ERR_OK;
}

static err_t aes_clear(struct hil_aes *aes)
{
    struct fake_aes *u = CONTAINER_OF(aes, struct fake_aes, aes);
    if (u->is_busy) {
        u->busy_calls++;
        return ERR_BUSY;
    }
    u->clear_calls++;
    memset(&u->schedule, 0, sizeof u->schedule);
    memset(u->iv, 0, sizeof u->iv);
    u->has_key = false;
    u->has_iv = false;
    return ERR_OK;
}

static const struct hil_aes_ops fake_aes_ops = {
    .set_key = aes_set_key,
    .set_iv = aes_set_iv,
    .set_mode = aes_set_mode,
    .crypt = aes_crypt,
    .clear = aes_clear,
};

void fake_aes_init(struct fake_aes *unit)
{
    memset(unit, 0, sizeof *unit);
    unit->aes = (struct hil_aes){ .ops = &fake_aes_ops, .client = NULL };
    unit->next_result = ERR_OK;
}

static void compute(struct fake_aes *u)
{
    uint8_t buf[4096];
    if (u->len > sizeof buf) {
        fail_msg("fake_aes: crypt longer than the fake supports");
    }
    bool encrypting = u->direction == HIL_AES_ENCRYPT;
    err_t err = ERR_OK;
    switch (u->mode) {
    case HIL_AES_ECB:
        err = encrypting ? aes128_ecb_encrypt(&u->schedule, u->src, buf, u->len)
                         : aes128_ecb_decrypt(&u->schedule, u->src, buf, u->len);
        break;
    case HIL_AES_CBC:
        err = encrypting ? aes128_cbc_encrypt(&u->schedule, u->iv, u->src, buf, u->len)
                         : aes128_cbc_decrypt(&u->schedule, u->iv, u->src, buf, u->len);
        break;
    case HIL_AES_CTR:
        aes128_ctr_crypt(&u->schedule, u->iv, u->src, buf, u->len);
        break;
    }
    assert_int_equal(err, ERR_OK);
    memcpy(u->dst, buf, u->len);
}

void fake_aes_complete(struct fake_aes *unit, err_t status)
{
    if (!unit->is_busy) {
        fail_msg("fake_aes: no crypt outstanding");
    }
    if (unit->callback_depth > 0) {
        fail_msg("fake_aes: completion inside a client callback");
    }
    if (status == ERR_OK) {
        compute(unit);
    }
    unit->is_busy = false;
    unit->callback_depth++;
    hil_aes_crypt_done(&unit->aes, unit->dst, unit->len, status);
    unit->callback_depth--;
}
