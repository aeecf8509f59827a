/* SPDX-License-Identifier: Apache-2.0 OR MIT */
/*
 * AEAD HIL: AES-128 CCM and GCM messages, streamed split-phase in pieces.
 *
 * A message is declared with begin() (synchronous: mode, direction, nonce, the lengths of its
 * associated data and payload, the tag length), then fed in order: add_aad() for all of the
 * associated data, crypt() for all of the payload (each piece a multiple of 16 bytes except the
 * last), and finish() produces the tag -- the one to append when encrypting, the one to compare
 * with the received tag (in constant time, crypto/compare.h) when decrypting. Each of the three
 * is split-phase. The key is set with set_key() and kept until clear().
 *
 * Usage: a chip AES unit embeds `struct hil_aead aead` beside its `struct hil_aes`; the board
 * hands `&unit.aead` to the capsule, which calls hil_aead_set_client() once.
 *
 * Invariants (the split-phase contract): ERR_OK from add_aad/crypt/finish means exactly one
 * matching callback later, never inside the call; ERR_BUSY means an operation of this unit (on
 * either interface) is outstanding and nothing changes; any other error means no callback.
 * Buffers handed over belong to the implementation until their callback returns them.
 */
#pragma once

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "errorcode.h"
#include "hil/aes.h"

#define HIL_AEAD_TAG_MAX 16u

enum hil_aead_mode {
    HIL_AEAD_CCM = 0, /* nonce 7..13 bytes; tag 0 (CCM*) or 4..16 even */
    HIL_AEAD_GCM = 1, /* IV 1..64 bytes (12 recommended); tag 4, 8, 12..16 */
};

struct hil_aead_message {
    enum hil_aead_mode mode;
    enum hil_aes_direction direction;
    const uint8_t *nonce; /* copied by begin() */
    size_t nonce_len;
    size_t aad_len;
    size_t payload_len;
    size_t tag_len;
    bool is_payload_authenticated; /* CCM only: false leaves the payload out of the MAC (CCM*) */
};

struct hil_aead;
struct hil_aead_client;

struct hil_aead_ops {
    err_t (*set_key)(struct hil_aead *aead, const uint8_t *key, size_t len);
    err_t (*begin)(struct hil_aead *aead, const struct hil_aead_message *message);
    err_t (*add_aad)(struct hil_aead *aead, const uint8_t *src, size_t len);
    err_t (*crypt)(struct hil_aead *aead, const uint8_t *src, uint8_t *dst, size_t len);
    err_t (*finish)(struct hil_aead *aead, uint8_t *tag);
    err_t (*clear)(struct hil_aead *aead);
};
struct hil_aead {
    const struct hil_aead_ops *ops;
    struct hil_aead_client *client;
};
struct hil_aead_client_ops {
    void (*aad_done)(struct hil_aead_client *client, err_t status);
    void (*crypt_done)(struct hil_aead_client *client, uint8_t *dst, size_t len, err_t status);
    void (*tag_done)(struct hil_aead_client *client, uint8_t *tag, err_t status);
};
struct hil_aead_client {
    const struct hil_aead_client_ops *ops;
};

/* Copy the 16-byte key. Returns ERR_OK, ERR_SIZE (not 16), ERR_INVAL (NULL) or ERR_BUSY. */
MUST_CHECK static inline err_t hil_aead_set_key(struct hil_aead *aead, const uint8_t *key,
                                                size_t len)
{
    return aead->ops->set_key(aead, key, len);
}
/**
 * Start a message (dropping any unfinished one). Kernel loop only; no callback.
 * Returns ERR_OK, ERR_INVAL (no key, a mode or direction not in the enums, a nonce or tag
 * length the mode does not allow), ERR_SIZE (payload_len too long for the CCM nonce length)
 * or ERR_BUSY.
 */
MUST_CHECK static inline err_t hil_aead_begin(struct hil_aead *aead,
                                              const struct hil_aead_message *message)
{
    return aead->ops->begin(aead, message);
}
/**
 * Feed `len` (> 0) bytes of associated data. ERR_OK: aad_done(status) follows; `src` must stay
 * unchanged until then. ERR_SIZE (0, or more than is left), ERR_INVAL (no message, or the payload
 * began), ERR_BUSY: no callback.
 */
MUST_CHECK static inline err_t hil_aead_add_aad(struct hil_aead *aead, const uint8_t *src,
                                                size_t len)
{
    return aead->ops->add_aad(aead, src, len);
}
/**
 * Encrypt or decrypt `len` payload bytes of `src` into `dst` (`src` may equal `dst`).
 * ERR_OK: crypt_done(dst, len, status) follows. ERR_SIZE (0, more than is left, or not a multiple
 * of 16 short of the end), ERR_INVAL (no message, associated data still due, NULL or partially
 * overlapping buffers), ERR_BUSY: no callback.
 */
MUST_CHECK static inline err_t hil_aead_crypt(struct hil_aead *aead, const uint8_t *src,
                                              uint8_t *dst, size_t len)
{
    return aead->ops->crypt(aead, src, dst, len);
}
/**
 * End the message: tag_done(tag, status) follows with the tag in tag[0..tag_len) and zeros up
 * to HIL_AEAD_TAG_MAX. ERR_INVAL (no message, data still due, `tag` NULL) or ERR_BUSY: no
 * callback.
 */
MUST_CHECK static inline err_t hil_aead_finish(struct hil_aead *aead, uint8_t *tag)
{
    return aead->ops->finish(aead, tag);
}
/* Wipe the key and any message. Returns ERR_OK or ERR_BUSY. */
MUST_CHECK static inline err_t hil_aead_clear(struct hil_aead *aead)
{
    return aead->ops->clear(aead);
}
static inline void hil_aead_set_client(struct hil_aead *aead, struct hil_aead_client *client)
{
    aead->client = client;
}
