/* SPDX-License-Identifier: Apache-2.0 OR MIT */
/*
 * Where one AEAD message stands (crypto/aes_ccm.h, crypto/aes_gcm.h): how much associated data
 * and payload are still due, whether the mode's key-dependent setup ran and whether the tag was
 * taken. Both modes check every step against it and advance it the same way.
 *
 * Usage (inside a mode):
 *     aead_progress_init(&m->progress, aad_len, payload_len);
 *     err_t err = aead_progress_check_aad(&m->progress, len);   // or _payload, _finish
 *     if (err != ERR_OK) { return err; }
 *     ... block work ...
 *     if (aead_progress_advance_aad(&m->progress, len)) { ... pad: the last of it ... }
 *
 * Invariants: aad_left and payload_left count down to 0 in that order; no step is accepted
 * before init (an all-zero state, e.g. after a wipe, is not declared) or after the finish.
 */
#pragma once

#include <stdbool.h>
#include <stddef.h>

#include "errorcode.h"

struct aead_progress {
    size_t aad_len;
    size_t payload_len;
    size_t aad_left;
    size_t payload_left;
    bool is_declared; /* init ran: the zeroed state refuses every step */
    bool is_started;  /* the mode's key-dependent setup is done (the first call with a key) */
    bool is_finished; /* the tag was taken */
};

/* A message of `aad_len` associated-data bytes and `payload_len` payload bytes, nothing done. */
void aead_progress_init(struct aead_progress *p, size_t aad_len, size_t payload_len);

/* True once some payload was processed (associated data is then refused). */
bool aead_progress_has_payload_begun(const struct aead_progress *p);

/* May `len` bytes of associated data come now? ERR_OK, ERR_INVAL (not declared, finished or
 * the payload began) or ERR_SIZE (more than is left). */
MUST_CHECK err_t aead_progress_check_aad(const struct aead_progress *p, size_t len);

/* May `len` payload bytes come now? ERR_OK, ERR_INVAL (not declared, finished or associated
 * data still due) or ERR_SIZE (`len` 0, more than is left, or not a multiple of 16 while it is
 * not the rest of the payload). */
MUST_CHECK err_t aead_progress_check_payload(const struct aead_progress *p, size_t len);

/* May the message end now? ERR_OK or ERR_INVAL (not declared, finished, or data still due). */
MUST_CHECK err_t aead_progress_check_finish(const struct aead_progress *p);

/* Count `len` checked bytes as done; true when no associated data (payload) is left after it. */
bool aead_progress_advance_aad(struct aead_progress *p, size_t len);
bool aead_progress_advance_payload(struct aead_progress *p, size_t len);
