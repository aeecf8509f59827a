/* SPDX-License-Identifier: Apache-2.0 OR MIT */
/*
 * Crypto engine AES unit (see crypto_engine/aes.h).
 *
 * Each step copies one block (or CTR's final partial block) of the caller's source into the
 * crypto RAM's data window, runs the mode on it in place with the RAM's key schedule and
 * chaining register, and copies the result out to the caller's destination. Copying block by
 * block is what makes in-place requests (src == dst) safe in every mode.
 *
 * Usage: see crypto_engine/aes.h.
 *
 * Invariants: see crypto_engine/aes.h.
 */
#include "crypto_engine/aes.h"

#include "container.h"

static bool overlap_partially(const uint8_t *src, const uint8_t *dst, size_t len)
{
    uintptr_t s = (uintptr_t)src;
    uintptr_t d = (uintptr_t)dst;
    return s != d && s < d + len && d < s + len;
}

static err_t set_key(struct hil_aes *hil, const uint8_t *key, size_t len)
{
    struct crypto_engine_aes *aes = CONTAINER_OF(hil, struct crypto_engine_aes, aes);
    if (aes->dst != NULL) {
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

static err_t set_iv(struct hil_aes *hil, const uint8_t *iv, size_t len)
{
    struct crypto_engine_aes *aes = CONTAINER_OF(hil, struct crypto_engine_aes, aes);
    if (aes->dst != NULL) {
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
    if (aes->dst != NULL) {
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

static err_t crypt(struct hil_aes *hil, const uint8_t *src, uint8_t *dst, size_t len)
{
    struct crypto_engine_aes *aes = CONTAINER_OF(hil, struct crypto_engine_aes, aes);
    if (aes->dst != NULL) {
        return ERR_BUSY;
    }
    if (len == 0 || (aes->mode != HIL_AES_CTR && len % HIL_AES_BLOCK_LEN != 0)) {
        return ERR_SIZE;
    }
    if (src == NULL || dst == NULL || overlap_partially(src, dst, len) || !aes->has_key ||
        (aes->mode != HIL_AES_ECB && !aes->has_iv)) {
        return ERR_INVAL;
    }
    aes->src = src;
    aes->dst = dst;
    aes->len = len;
    aes->done = 0;
    aes->status = ERR_OK;
    err_t err = crypto_engine_claim(aes->unit.engine, &aes->unit); /* queued, never BUSY */
    if (err != ERR_OK) {
        aes->src = NULL; /* unreachable: no claim is outstanding while dst is NULL */
        aes->dst = NULL;
    }
    return err;
}

static err_t clear(struct hil_aes *hil)
{
    struct crypto_engine_aes *aes = CONTAINER_OF(hil, struct crypto_engine_aes, aes);
    if (aes->dst != NULL) {
        return ERR_BUSY;
    }
    for (size_t i = 0; i < HIL_AES_BLOCK_LEN; i++) {
        aes->key[i] = 0;
        aes->iv[i] = 0;
    }
    aes->has_key = false;
    aes->has_iv = false;
    return ERR_OK;
}

static void granted(struct crypto_engine_unit *unit, struct crypto_ram *ram)
{
    struct crypto_engine_aes *aes = CONTAINER_OF(unit, struct crypto_engine_aes, unit);
    aes128_expand_key(&ram->registers.aes.schedule, aes->key);
    for (size_t i = 0; i < HIL_AES_BLOCK_LEN; i++) {
        ram->registers.aes.chain[i] = aes->iv[i];
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

static bool step(struct crypto_engine_unit *unit, struct crypto_ram *ram)
{
    struct crypto_engine_aes *aes = CONTAINER_OF(unit, struct crypto_engine_aes, unit);
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
    for (size_t i = 0; i < HIL_AES_BLOCK_LEN; i++) {
        aes->iv[i] = ram->registers.aes.chain[i];
    }
    crypto_engine_release(unit->engine, unit);
    uint8_t *dst = aes->dst;
    size_t len = aes->status == ERR_OK ? aes->len : aes->done;
    aes->src = NULL;
    aes->dst = NULL;
    hil_aes_crypt_done(&aes->aes, dst, len, aes->status);
}

static const struct hil_aes_ops aes_ops = {
    .set_key = set_key,
    .set_iv = set_iv,
    .set_mode = set_mode,
    .crypt = crypt,
    .clear = clear,
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
        .has_key = false,
        .has_iv = false,
        .mode = HIL_AES_ECB,
        .direction = HIL_AES_ENCRYPT,
        .src = NULL,
        .dst = NULL,
    };
    crypto_engine_unit_init(&aes->unit, engine, &unit_ops, "crypto aes");
}
