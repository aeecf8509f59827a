/* SPDX-License-Identifier: Apache-2.0 OR MIT */
/*
 * AEAD message progress (see crypto/aead_progress.h).
 *
 * Usage: see crypto/aead_progress.h.
 *
 * Invariants: see crypto/aead_progress.h.
 */
#include "crypto/aead_progress.h"

#include "crypto/aes128.h"

void aead_progress_init(struct aead_progress *p, size_t aad_len, size_t payload_len)
{
    *p = (struct aead_progress){
        .aad_len = aad_len,
        .payload_len = payload_len,
        .aad_left = aad_len,
        .payload_left = payload_len,
        .is_declared = true,
        .is_started = false,
        .is_finished = false,
    };
}

static bool is_open(const struct aead_progress *p)
{
    return p->is_declared && !p->is_finished;
}

bool aead_progress_has_payload_begun(const struct aead_progress *p)
{
    return p->payload_left != p->payload_len;
}

err_t aead_progress_check_aad(const struct aead_progress *p, size_t len)
{
    if (!is_open(p) || aead_progress_has_payload_begun(p)) {
        return ERR_INVAL;
    }
    if (len > p->aad_left) {
        return ERR_SIZE;
    }
    return ERR_OK;
}

err_t aead_progress_check_payload(const struct aead_progress *p, size_t len)
{
    if (!is_open(p) || p->aad_left != 0) {
        return ERR_INVAL;
    }
    if (len == 0 || len > p->payload_left ||
        (len % AES128_BLOCK_LEN != 0 && len != p->payload_left)) {
        return ERR_SIZE;
    }
    return ERR_OK;
}

err_t aead_progress_check_finish(const struct aead_progress *p)
{
    if (!is_open(p) || p->aad_left != 0 || p->payload_left != 0) {
        return ERR_INVAL;
    }
    return ERR_OK;
}

bool aead_progress_advance_aad(struct aead_progress *p, size_t len)
{
    p->aad_left -= len;
    return p->aad_left == 0;
}

bool aead_progress_advance_payload(struct aead_progress *p, size_t len)
{
    p->payload_left -= len;
    return p->payload_left == 0;
}
