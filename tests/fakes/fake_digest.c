/* SPDX-License-Identifier: Apache-2.0 OR MIT */
/*
 * Fake digest engine (see fake_digest.h): a test-driven implementation of the digest HIL.
 *
 * Usage: see fake_digest.h.
 *
 * Invariants: callbacks are delivered only from fake_digest_complete(), one at a time.
 */
#include "fake_digest.h"

#include <setjmp.h>
#include <stdarg.h>
#include <string.h>

#include <cmocka.h>

#include "container.h"

static void log_char(struct fake_digest *d, char c)
{
    if (d->log_len + 1 < FAKE_DIGEST_LOG_MAX) {
        d->log[d->log_len++] = c;
        d->log[d->log_len] = '\0';
    }
}

static void log_bytes(struct fake_digest *d, const uint8_t *bytes, size_t len)
{
    for (size_t i = 0; i < len; i++) {
        log_char(d, (char)bytes[i]);
    }
}

static err_t take_result(err_t *next)
{
    err_t result = *next;
    *next = ERR_OK;
    return result;
}

static err_t fake_set_mode(struct hil_digest *hil, enum hil_digest_mode mode, const uint8_t *key,
                           size_t key_len)
{
    struct fake_digest *d = CONTAINER_OF(hil, struct fake_digest, digest);
    log_char(d, 'S');
    log_char(d, (char)('0' + (int)mode));
    log_char(d, ':');
    if (key != NULL) {
        log_bytes(d, key, key_len);
    }
    log_char(d, ' ');
    err_t result = take_result(&d->next_set_mode_result);
    if (result != ERR_OK) {
        return result;
    }
    if (d->operation != FAKE_DIGEST_NONE) {
        return ERR_BUSY;
    }
    if (key_len > sizeof d->key) {
        fail_msg("fake_digest: key longer than the fake keeps");
    }
    d->mode = mode;
    if (key != NULL) {
        memcpy(d->key, key, key_len);
    }
    d->key_len = key_len;
    return ERR_OK;
}

static err_t fake_add_data(struct hil_digest *hil, const uint8_t *buf, size_t len)
{
    struct fake_digest *d = CONTAINER_OF(hil, struct fake_digest, digest);
    log_char(d, 'A');
    log_bytes(d, buf, len);
    log_char(d, ' ');
    err_t result = take_result(&d->next_add_data_result);
    if (result != ERR_OK) {
        return result;
    }
    if (d->operation != FAKE_DIGEST_NONE) {
        return ERR_BUSY;
    }
    d->operation = FAKE_DIGEST_ADD_DATA;
    d->data = buf;
    d->len = len;
    return ERR_OK;
}

static err_t fake_finish(struct hil_digest *hil, uint8_t *out)
{
    struct fake_digest *d = CONTAINER_OF(hil, struct fake_digest, digest);
    log_char(d, 'F');
    log_char(d, ' ');
    err_t result = take_result(&d->next_finish_result);
    if (result != ERR_OK) {
        return result;
    }
    if (d->operation != FAKE_DIGEST_NONE) {
        return ERR_BUSY;
    }
    d->operation = FAKE_DIGEST_FINISH;
    d->out = out;
    return ERR_OK;
}

static err_t fake_clear(struct hil_digest *hil)
{
    struct fake_digest *d = CONTAINER_OF(hil, struct fake_digest, digest);
    d->clear_calls++;
    log_char(d, 'C');
    log_char(d, ' ');
    err_t result = take_result(&d->next_clear_result);
    if (result != ERR_OK) {
        return result;
    }
    if (d->operation != FAKE_DIGEST_NONE) {
        return ERR_BUSY;
    }
    memset(d->key, 0, sizeof d->key);
    d->key_len = 0;
    return ERR_OK;
}

static const struct hil_digest_ops fake_digest_ops = {
    .set_mode = fake_set_mode,
    .add_data = fake_add_data,
    .finish = fake_finish,
    .clear = fake_clear,
};

void fake_digest_init(struct fake_digest *digest)
{
    *digest = (struct fake_digest){
        .digest = { .ops = &fake_digest_ops, .client = NULL },
        .next_set_mode_result = ERR_OK,
        .next_add_data_result = ERR_OK,
        .next_finish_result = ERR_OK,
        .next_clear_result = ERR_OK,
        .operation = FAKE_DIGEST_NONE,
        .digest_byte = 0xD1,
    };
}

bool fake_digest_busy(const struct fake_digest *digest)
{
    return digest->operation != FAKE_DIGEST_NONE;
}

void fake_digest_complete(struct fake_digest *d, err_t status)
{
    if (d->operation == FAKE_DIGEST_NONE) {
        fail_msg("fake_digest: no operation to complete");
    }
    if (d->callback_depth != 0) {
        fail_msg("fake_digest: completion delivered while a callback is running (re-entrant)");
    }
    enum fake_digest_operation operation = d->operation;
    d->operation = FAKE_DIGEST_NONE;
    d->callback_depth++;
    if (operation == FAKE_DIGEST_ADD_DATA) {
        const uint8_t *data = d->data;
        d->data = NULL;
        hil_digest_add_data_done(&d->digest, data, d->len, status);
    } else {
        uint8_t *out = d->out;
        d->out = NULL;
        if (status == ERR_OK) {
            memset(out, d->digest_byte, HIL_DIGEST_SHA256_LEN);
        }
        hil_digest_hash_done(&d->digest, out, status);
    }
    d->callback_depth--;
}
