/* SPDX-License-Identifier: Apache-2.0 OR MIT */
/*
 * Crypto engine AES unit (see crypto_engine/aes.h).
 *
 * Each step copies one block (or a final partial block) of the caller's source into the crypto
 * RAM's data window, runs the mode on it in place with the RAM's key schedule and chaining
 * register (or CCM/GCM message state), and copies the result out to the caller's destination.
 * Copying block by block is what makes in-place requests (src == dst) safe in every mode. The
 * AEAD operations check order and lengths against the message state before they claim the RAM,
 * so the mode library's own checks never fail in a step.
 *
 * Usage: see crypto_engine/aes.h.
 *
 * Invariants: see crypto_engine/aes.h.
 */
#include "crypto_engine/aes.h"

#include "container.h"
#include "crypto/aes_ccm.h"
#include "crypto/aes_gcm.h"

static bool overlap_partially(const uint8_t *src, const uint8_t *dst, size_t len)
{
    uintptr_t s = (uintptr_t)src;
    uintptr_t d = (uintptr_t)dst;
    return s != d && s < d + len && d < s + len;
}

static bool is_busy(const struct crypto_engine_aes *aes)
{
    return aes->job != CRYPTO_ENGINE_AES_IDLE;
}

static err_t store_key(struct crypto_engine_aes *aes, const uint8_t *key, size_t len)
{
    if (is_busy(aes)) {
        return ERR_BUSY;
    }
    if (key == NULL) {
        return ERR_INVAL;
    }
    if (len != HIL_AES128_KEY_LEN) {
        return ERR_SIZE;
    }
    for (size_t i = 0; i < len; i++) {
        aes->key[i] = key[i];
    }
    aes->has_key = true;
    return ERR_OK;
}

static err_t set_key(struct hil_aes *hil, const uint8_t *key, size_t len)
{
    return store_key(CONTAINER_OF(hil, struct crypto_engine_aes, aes), key, len);
}

static err_t set_iv(struct hil_aes *hil, const uint8_t *iv, size_t len)
{
    struct crypto_engine_aes *aes = CONTAINER_OF(hil, struct crypto_engine_aes, aes);
    if (is_busy(aes)) {
        return ERR_BUSY;
    }
    if (iv == NULL) {
        return ERR_INVAL;
    }
    if (len != HIL_AES_BLOCK_LEN) {
        return ERR_SIZE;
    }
    for (size_t i = 0; i < len; i++) {
        aes->iv[i] = iv[i];
    }
    aes->has_iv = true;
    return ERR_OK;
}

static err_t set_mode(struct hil_aes *hil, enum hil_aes_mode mode,
                      enum hil_aes_direction direction)
{
    struct crypto_engine_aes *aes = CONTAINER_OF(hil, struct crypto_engine_aes, aes);
    if (is_busy(aes)) {
        return ERR_BUSY;
    }
    if ((mode != HIL_AES_ECB && mode != HIL_AES_CBC && mode != HIL_AES_CTR) ||
        (direction != HIL_AES_ENCRYPT && direction != HIL_AES_DECRYPT)) {
        return ERR_INVAL;
    }
    aes->mode = mode;
    aes->direction = direction;
    return ERR_OK;
}

/* Record the operation and claim the RAM (queued, never BUSY). */
static err_t start_job(struct crypto_engine_aes *aes, enum crypto_engine_aes_job job,
                       const uint8_t *src, uint8_t *dst, size_t len)
{
    aes->job = job;
    aes->src = src;
    aes->dst = dst;
    aes->len = len;
    aes->done = 0;
    aes->status = ERR_OK;
    err_t err = crypto_engine_claim(aes->unit.engine, &aes->unit);
    if (err != ERR_OK) {
        aes->job = CRYPTO_ENGINE_AES_IDLE; /* unreachable: no claim is outstanding while idle */
        aes->src = NULL;
        aes->dst = NULL;
    }
    return err;
}

static err_t crypt(struct hil_aes *hil, const uint8_t *src, uint8_t *dst, size_t len)
{
    struct crypto_engine_aes *aes = CONTAINER_OF(hil, struct crypto_engine_aes, aes);
    if (is_busy(aes)) {
        return ERR_BUSY;
    }
    if (len == 0 || (aes->mode != HIL_AES_CTR && len % HIL_AES_BLOCK_LEN != 0)) {
        return ERR_SIZE;
    }
    if (src == NULL || dst == NULL || overlap_partially(src, dst, len) || !aes->has_key ||
        (aes->mode != HIL_AES_ECB && !aes->has_iv)) {
        return ERR_INVAL;
    }
    return start_job(aes, CRYPTO_ENGINE_AES_BLOCKS, src, dst, len);
}

static void wipe_message(struct crypto_engine_aes *aes)
{
    aes_gcm_wipe(&aes->message.gcm); /* the larger member: covers the whole union */
    aes_ccm_wipe(&aes->message.ccm);
    aes->has_message = false;
}

static err_t wipe(struct crypto_engine_aes *aes)
{
    if (is_busy(aes)) {
        return ERR_BUSY;
    }
    for (size_t i = 0; i < HIL_AES_BLOCK_LEN; i++) {
        aes->key[i] = 0;
        aes->iv[i] = 0;
    }
    aes->has_key = false;
    aes->has_iv = false;
    wipe_message(aes);
    return ERR_OK;
}

static err_t clear(struct hil_aes *hil)
{
    return wipe(CONTAINER_OF(hil, struct crypto_engine_aes, aes));
}

/* ---------------------------------------------------------------- the AEAD interface */

static err_t aead_set_key(struct hil_aead *hil, const uint8_t *key, size_t len)
{
    return store_key(CONTAINER_OF(hil, struct crypto_engine_aes, aead), key, len);
}

static err_t aead_begin(struct hil_aead *hil, const struct hil_aead_message *m)
{
    struct crypto_engine_aes *aes = CONTAINER_OF(hil, struct crypto_engine_aes, aead);
    if (is_busy(aes)) {
        return ERR_BUSY;
    }
    if (!aes->has_key || m == NULL ||
        (m->direction != HIL_AES_ENCRYPT && m->direction != HIL_AES_DECRYPT)) {
        return ERR_INVAL;
    }
    bool is_encrypting = m->direction == HIL_AES_ENCRYPT;
    wipe_message(aes);
    err_t err = ERR_INVAL;
    if (m->mode == HIL_AEAD_CCM) {
        const struct aes_ccm_params p = {
            .nonce = m->nonce, .nonce_len = m->nonce_len, .aad_len = m->aad_len,
            .payload_len = m->payload_len, .tag_len = m->tag_len,
            .is_encrypting = is_encrypting,
            .is_payload_authenticated = m->is_payload_authenticated,
        };
        err = aes_ccm_init(&aes->message.ccm, &p);
    } else if (m->mode == HIL_AEAD_GCM) {
        const struct aes_gcm_params p = {
            .iv = m->nonce, .iv_len = m->nonce_len, .aad_len = m->aad_len,
            .payload_len = m->payload_len, .tag_len = m->tag_len,
            .is_encrypting = is_encrypting,
        };
        err = aes_gcm_init(&aes->message.gcm, &p);
    }
    if (err == ERR_OK) {
        aes->has_message = true;
        aes->aead_mode = m->mode;
    }
    return err;
}

/* Where the message stands: the mode library's own progress. */
static const struct aead_progress *progress(const struct crypto_engine_aes *aes)
{
    return aes->aead_mode == HIL_AEAD_CCM ? &aes->message.ccm.progress
                                          : &aes->message.gcm.progress;
}

static err_t aead_add_aad(struct hil_aead *hil, const uint8_t *src, size_t len)
{
    struct crypto_engine_aes *aes = CONTAINER_OF(hil, struct crypto_engine_aes, aead);
    if (is_busy(aes)) {
        return ERR_BUSY;
    }
    if (!aes->has_message || src == NULL) {
        return ERR_INVAL;
    }
    err_t err = aead_progress_check_aad(progress(aes), len);
    if (err == ERR_OK && len == 0) {
        err = ERR_SIZE; /* an empty step would still claim the RAM */
    }
    if (err != ERR_OK) {
        return err;
    }
    return start_job(aes, CRYPTO_ENGINE_AES_AAD, src, NULL, len);
}

static err_t aead_crypt(struct hil_aead *hil, const uint8_t *src, uint8_t *dst, size_t len)
{
    struct crypto_engine_aes *aes = CONTAINER_OF(hil, struct crypto_engine_aes, aead);
    if (is_busy(aes)) {
        return ERR_BUSY;
    }
    if (!aes->has_message || src == NULL || dst == NULL || overlap_partially(src, dst, len)) {
        return ERR_INVAL;
    }
    err_t err = aead_progress_check_payload(progress(aes), len);
    if (err != ERR_OK) {
        return err;
    }
    return start_job(aes, CRYPTO_ENGINE_AES_PAYLOAD, src, dst, len);
}

static err_t aead_finish(struct hil_aead *hil, uint8_t *tag)
{
    struct crypto_engine_aes *aes = CONTAINER_OF(hil, struct crypto_engine_aes, aead);
    if (is_busy(aes)) {
        return ERR_BUSY;
    }
    if (!aes->has_message || tag == NULL) {
        return ERR_INVAL;
    }
    err_t err = aead_progress_check_finish(progress(aes));
    if (err != ERR_OK) {
        return err;
    }
    return start_job(aes, CRYPTO_ENGINE_AES_TAG, NULL, tag, HIL_AEAD_TAG_MAX);
}

static err_t aead_clear(struct hil_aead *hil)
{
    return wipe(CONTAINER_OF(hil, struct crypto_engine_aes, aead));
}

static void granted(struct crypto_engine_unit *unit, struct crypto_ram *ram)
{
    struct crypto_engine_aes *aes = CONTAINER_OF(unit, struct crypto_engine_aes, unit);
    aes128_expand_key(&ram->registers.aes.schedule, aes->key);
    for (size_t i = 0; i < HIL_AES_BLOCK_LEN; i++) {
        ram->registers.aes.chain[i] = aes->iv[i];
    }
    if (aes->job != CRYPTO_ENGINE_AES_BLOCKS) {
        ram->registers.aes.aead = aes->message;
    }
}

/* Run the configured mode on the first `len` bytes of the data window, in place. */
static err_t crypt_window(const struct crypto_engine_aes *aes, struct crypto_ram *ram, size_t len)
{
    struct crypto_ram_aes *registers = &ram->registers.aes;
    uint8_t *window = ram->window;
    bool encrypting = aes->direction == HIL_AES_ENCRYPT;
    switch (aes->mode) {
    case HIL_AES_ECB:
        return encrypting ? aes128_ecb_encrypt(&registers->schedule, window, window, len)
                          : aes128_ecb_decrypt(&registers->schedule, window, window, len);
    case HIL_AES_CBC:
        return encrypting ? aes128_cbc_encrypt(&registers->schedule, registers->chain, window,
                                               window, len)
                          : aes128_cbc_decrypt(&registers->schedule, registers->chain, window,
                                               window, len);
    case HIL_AES_CTR:
        aes128_ctr_crypt(&registers->schedule, registers->chain, window, window, len);
        return ERR_OK;
    }
    return ERR_INVAL; /* unreachable: set_mode admits only the cases above */
}

/* One block of an AEAD operation, through the data window. */
static err_t aead_window(struct crypto_engine_aes *aes, struct crypto_ram *ram, size_t len)
{
    struct crypto_ram_aes *registers = &ram->registers.aes;
    bool is_ccm = aes->aead_mode == HIL_AEAD_CCM;
    uint8_t *window = ram->window;
    switch (aes->job) {
    case CRYPTO_ENGINE_AES_AAD:
        return is_ccm ? aes_ccm_aad(&registers->aead.ccm, &registers->schedule, window, len)
                      : aes_gcm_aad(&registers->aead.gcm, &registers->schedule, window, len);
    case CRYPTO_ENGINE_AES_PAYLOAD:
        return is_ccm ? aes_ccm_crypt(&registers->aead.ccm, &registers->schedule, window, window,
                                      len)
                      : aes_gcm_crypt(&registers->aead.gcm, &registers->schedule, window, window,
                                      len);
    case CRYPTO_ENGINE_AES_TAG:
        return is_ccm ? aes_ccm_finish(&registers->aead.ccm, &registers->schedule, window)
                      : aes_gcm_finish(&registers->aead.gcm, &registers->schedule, window);
    case CRYPTO_ENGINE_AES_IDLE:
    case CRYPTO_ENGINE_AES_BLOCKS:
        break;
    }
    return ERR_INVAL; /* unreachable: step() sends only AEAD jobs here */
}

static bool step(struct crypto_engine_unit *unit, struct crypto_ram *ram)
{
    struct crypto_engine_aes *aes = CONTAINER_OF(unit, struct crypto_engine_aes, unit);
    if (aes->job != CRYPTO_ENGINE_AES_BLOCKS) {
        size_t chunk = aes->len - aes->done;
        chunk = chunk > HIL_AES_BLOCK_LEN ? HIL_AES_BLOCK_LEN : chunk;
        for (size_t i = 0; aes->src != NULL && i < chunk; i++) {
            ram->window[i] = aes->src[aes->done + i];
        }
        err_t err = aead_window(aes, ram, chunk);
        if (err != ERR_OK) {
            aes->status = err;
            return true;
        }
        for (size_t i = 0; aes->dst != NULL && i < chunk; i++) {
            aes->dst[aes->done + i] = ram->window[i];
        }
        aes->done += chunk;
        return aes->done == aes->len;
    }
    size_t chunk = aes->len - aes->done;
    if (chunk > HIL_AES_BLOCK_LEN) {
        chunk = HIL_AES_BLOCK_LEN;
    }
    for (size_t i = 0; i < chunk; i++) {
        ram->window[i] = aes->src[aes->done + i];
    }
    err_t err = crypt_window(aes, ram, chunk);
    if (err != ERR_OK) {
        aes->status = err;
        return true;
    }
    for (size_t i = 0; i < chunk; i++) {
        aes->dst[aes->done + i] = ram->window[i];
    }
    aes->done += chunk;
    return aes->done == aes->len;
}

static void completed(struct crypto_engine_unit *unit, struct crypto_ram *ram)
{
    struct crypto_engine_aes *aes = CONTAINER_OF(unit, struct crypto_engine_aes, unit);
    enum crypto_engine_aes_job job = aes->job;
    if (job == CRYPTO_ENGINE_AES_BLOCKS) {
        for (size_t i = 0; i < HIL_AES_BLOCK_LEN; i++) {
            aes->iv[i] = ram->registers.aes.chain[i];
        }
    } else {
        aes->message = ram->registers.aes.aead;
    }
    crypto_engine_release(unit->engine, unit); /* wipes the RAM's copy */
    uint8_t *dst = aes->dst;
    size_t len = aes->status == ERR_OK ? aes->len : aes->done;
    aes->job = CRYPTO_ENGINE_AES_IDLE;
    aes->src = NULL;
    aes->dst = NULL;
    struct hil_aead_client *client = aes->aead.client;
    switch (job) {
    case CRYPTO_ENGINE_AES_BLOCKS:
        hil_aes_crypt_done(&aes->aes, dst, len, aes->status);
        break;
    case CRYPTO_ENGINE_AES_AAD:
        if (client != NULL) {
            client->ops->aad_done(client, aes->status);
        }
        break;
    case CRYPTO_ENGINE_AES_PAYLOAD:
        if (client != NULL) {
            client->ops->crypt_done(client, dst, len, aes->status);
        }
        break;
    case CRYPTO_ENGINE_AES_TAG:
        if (client != NULL) {
            client->ops->tag_done(client, dst, aes->status);
        }
        break;
    case CRYPTO_ENGINE_AES_IDLE:
        break;
    }
}

static const struct hil_aes_ops aes_ops = {
    .set_key = set_key,
    .set_iv = set_iv,
    .set_mode = set_mode,
    .crypt = crypt,
    .clear = clear,
};

static const struct hil_aead_ops aead_ops = {
    .set_key = aead_set_key,
    .begin = aead_begin,
    .add_aad = aead_add_aad,
    .crypt = aead_crypt,
    .finish = aead_finish,
    .clear = aead_clear,
};

static const struct crypto_engine_unit_ops unit_ops = {
    .granted = granted,
    .step = step,
    .completed = completed,
};

void crypto_engine_aes_init(struct crypto_engine_aes *aes, struct crypto_engine *engine)
{
    *aes = (struct crypto_engine_aes){
        .aes = { .ops = &aes_ops, .client = NULL },
        .aead = { .ops = &aead_ops, .client = NULL },
        .has_key = false,
        .has_message = false,
        .aead_mode = HIL_AEAD_CCM,
        .job = CRYPTO_ENGINE_AES_IDLE,
        .has_iv = false,
        .mode = HIL_AES_ECB,
        .direction = HIL_AES_ENCRYPT,
        .src = NULL,
        .dst = NULL,
    };
    crypto_engine_unit_init(&aes->unit, engine, &unit_ops, "crypto aes");
}
