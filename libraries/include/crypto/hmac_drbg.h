/* SPDX-License-Identifier: Apache-2.0 OR MIT */
/*
 * HMAC_DRBG with SHA-256 (NIST SP 800-90A Rev. 1, §10.1.2), without prediction resistance.
 *
 * A deterministic random bit generator: instantiated from entropy input, a nonce and an
 * optional personalization string, it produces output whose unpredictability is exactly that
 * of the entropy it was given (security strength 256 bits when the entropy input carries at
 * least 256 bits of entropy and the nonce at least 128). Reseeding folds in fresh entropy.
 * The caller owns the entropy policy: where the entropy comes from, and when to reseed before
 * HMAC_DRBG_RESEED_INTERVAL generate calls force it.
 *
 * Usage:
 *     struct hmac_drbg drbg;
 *     hmac_drbg_instantiate(&drbg, entropy, 32, nonce, 16, "board-x", 7);
 *     err = hmac_drbg_generate(&drbg, out, len, NULL, 0);  // ERR_OFF: reseed first
 *     hmac_drbg_reseed(&drbg, fresh, 32, NULL, 0);
 *     hmac_drbg_uninstantiate(&drbg);                        // wipes K and V
 *
 * Invariants: reseed_counter is 0 exactly when the DRBG is not instantiated; otherwise it is the
 * number of generate calls since the last (re)seed, plus one, as in §10.1.2.1.
 */
#pragma once

#include <stddef.h>
#include <stdint.h>

#include "errorcode.h"
#include "crypto/hmac_sha256.h"

#define HMAC_DRBG_OUTLEN HMAC_SHA256_MAC_LEN
#define HMAC_DRBG_SECURITY_STRENGTH 32u /* bytes: 256 bits */
#define HMAC_DRBG_MIN_ENTROPY_LEN HMAC_DRBG_SECURITY_STRENGTH
#define HMAC_DRBG_MIN_NONCE_LEN (HMAC_DRBG_SECURITY_STRENGTH / 2u)
/* Table 2 of SP 800-90A: at most 2^19 bits per generate request, at most 2^48 requests
 * between reseeds. */
#define HMAC_DRBG_MAX_REQUEST_LEN 65536u
#define HMAC_DRBG_RESEED_INTERVAL (1ull << 48)

struct hmac_drbg {
    uint8_t key[HMAC_DRBG_OUTLEN];   /* K */
    uint8_t value[HMAC_DRBG_OUTLEN]; /* V */
    uint64_t reseed_counter;         /* 0: not instantiated */
};

/* §10.1.2.3: seed from entropy_input || nonce || personalization (any may be empty; the
 * caller is responsible for their entropy). Replaces any earlier state. */
void hmac_drbg_instantiate(struct hmac_drbg *drbg, const uint8_t *entropy, size_t entropy_len,
                           const uint8_t *nonce, size_t nonce_len,
                           const uint8_t *personalization, size_t personalization_len);

/* §10.1.2.4: fold entropy_input || additional_input into the state; the counter restarts.
 * Returns ERR_OFF if the DRBG is not instantiated. */
MUST_CHECK err_t hmac_drbg_reseed(struct hmac_drbg *drbg, const uint8_t *entropy,
                                  size_t entropy_len, const uint8_t *additional,
                                  size_t additional_len);

/* §10.1.2.5: write `len` pseudorandom bytes to `out`, with optional additional input.
 * Returns ERR_OFF (not instantiated, or HMAC_DRBG_RESEED_INTERVAL requests since the last
 * seed: reseed first), ERR_SIZE (len > HMAC_DRBG_MAX_REQUEST_LEN) or ERR_OK. */
MUST_CHECK err_t hmac_drbg_generate(struct hmac_drbg *drbg, uint8_t *out, size_t len,
                                    const uint8_t *additional, size_t additional_len);

/* Generate calls made since the last (re)seed (0 when not instantiated). */
uint64_t hmac_drbg_generates_since_seed(const struct hmac_drbg *drbg);

/* §9.4: wipe the state; the DRBG is no longer instantiated. */
void hmac_drbg_uninstantiate(struct hmac_drbg *drbg);
