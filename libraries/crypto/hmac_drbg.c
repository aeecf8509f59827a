/* SPDX-License-Identifier: Apache-2.0 OR MIT */
/*
 * HMAC_DRBG (SP 800-90A Rev. 1 §10.1.2) over HMAC-SHA256.
 *
 * The update function takes its provided_data as up to three pieces, so instantiate (entropy,
 * nonce, personalization) and reseed (entropy, additional input) never concatenate them into a
 * buffer: HMAC absorbs the pieces one after the other, which is the same message.
 *
 * Usage: see crypto/hmac_drbg.h.
 *
 * Invariants: see crypto/hmac_drbg.h; every stack copy of K, V or output is wiped before
 * returning.
 */
#include "crypto/hmac_drbg.h"

struct piece {
    const uint8_t *data;
    size_t len;
};

#define PIECES 3u

static void wipe(void *p, size_t len)
{
    volatile uint8_t *bytes = p;
    for (size_t i = 0; i < len; i++) {
        bytes[i] = 0;
    }
}

static size_t total_len(const struct piece pieces[PIECES])
{
    size_t total = 0;
    for (unsigned i = 0; i < PIECES; i++) {
        total += pieces[i].len;
    }
    return total;
}

/* K = HMAC(K, V || separator || provided_data); V = HMAC(K, V). */
static void update_step(struct hmac_drbg *drbg, uint8_t separator, const struct piece pieces[PIECES])
{
    struct hmac_sha256_ctx ctx;
    hmac_sha256_init(&ctx, drbg->key, sizeof drbg->key);
    hmac_sha256_update(&ctx, drbg->value, sizeof drbg->value);
    hmac_sha256_update(&ctx, &separator, 1);
    for (unsigned i = 0; i < PIECES; i++) {
        hmac_sha256_update(&ctx, pieces[i].data, pieces[i].len);
    }
    hmac_sha256_finish(&ctx, drbg->key);
    hmac_sha256(drbg->key, sizeof drbg->key, drbg->value, sizeof drbg->value, drbg->value);
}

/* §10.1.2.2 HMAC_DRBG_Update. */
static void update(struct hmac_drbg *drbg, const struct piece pieces[PIECES])
{
    update_step(drbg, 0x00, pieces);
    if (total_len(pieces) != 0) {
        update_step(drbg, 0x01, pieces);
    }
}

void hmac_drbg_instantiate(struct hmac_drbg *drbg, const uint8_t *entropy, size_t entropy_len,
                           const uint8_t *nonce, size_t nonce_len,
                           const uint8_t *personalization, size_t personalization_len)
{
    for (unsigned i = 0; i < HMAC_DRBG_OUTLEN; i++) {
        drbg->key[i] = 0x00;
        drbg->value[i] = 0x01;
    }
    const struct piece seed[PIECES] = {
        { entropy, entropy_len }, { nonce, nonce_len }, { personalization, personalization_len }
    };
    update(drbg, seed);
    drbg->reseed_counter = 1;
}

err_t hmac_drbg_reseed(struct hmac_drbg *drbg, const uint8_t *entropy, size_t entropy_len,
                       const uint8_t *additional, size_t additional_len)
{
    if (drbg->reseed_counter == 0) {
        return ERR_OFF;
    }
    const struct piece seed[PIECES] = {
        { entropy, entropy_len }, { additional, additional_len }, { NULL, 0 }
    };
    update(drbg, seed);
    drbg->reseed_counter = 1;
    return ERR_OK;
}

err_t hmac_drbg_generate(struct hmac_drbg *drbg, uint8_t *out, size_t len,
                         const uint8_t *additional, size_t additional_len)
{
    if (drbg->reseed_counter == 0 || drbg->reseed_counter > HMAC_DRBG_RESEED_INTERVAL) {
        return ERR_OFF;
    }
    if (len > HMAC_DRBG_MAX_REQUEST_LEN) {
        return ERR_SIZE;
    }
    const struct piece input[PIECES] = { { additional, additional_len }, { NULL, 0 }, { NULL, 0 } };
    if (additional_len != 0) {
        update(drbg, input);
    }
    size_t done = 0;
    while (done < len) {
        hmac_sha256(drbg->key, sizeof drbg->key, drbg->value, sizeof drbg->value, drbg->value);
        size_t n = len - done < HMAC_DRBG_OUTLEN ? len - done : HMAC_DRBG_OUTLEN;
        for (size_t i = 0; i < n; i++) {
            out[done + i] = drbg->value[i];
        }
        done += n;
    }
    update(drbg, input);
    drbg->reseed_counter++;
    return ERR_OK;
}

uint64_t hmac_drbg_generates_since_seed(const struct hmac_drbg *drbg)
{
    return drbg->reseed_counter == 0 ? 0 : drbg->reseed_counter - 1u;
}

void hmac_drbg_uninstantiate(struct hmac_drbg *drbg)
{
    wipe(drbg, sizeof *drbg);
}
