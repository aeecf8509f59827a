/* SPDX-License-Identifier: Apache-2.0 OR MIT */
/*
 * Digest HIL: a split-phase SHA-256 / HMAC-SHA256 engine.
 *
 * A message is set_mode(), then add_data() any number of times, then finish(), which writes the
 * 32-byte digest and starts a new message with the same mode and key. set_mode() and clear()
 * are synchronous and never call back; add_data() and finish() are split-phase.
 *
 * Usage: a chip hash unit embeds `struct hil_digest digest`; the board hands `&unit.digest` to
 * the capsule that uses it, which calls hil_digest_set_client() once.
 *
 * Invariants (the split-phase contract): ERR_OK from add_data() or finish() means exactly one
 * matching callback later and never inside the call; ERR_BUSY means no new operation; any
 * other error means no callback. A lent buffer belongs to the implementation until its
 * callback returns it. At most one add_data() or finish() is outstanding at a time.
 */
#pragma once

#include <stddef.h>
#include <stdint.h>

#include "errorcode.h"

#define HIL_DIGEST_SHA256_LEN 32u

enum hil_digest_mode {
    HIL_DIGEST_SHA256 = 0,
    HIL_DIGEST_HMAC_SHA256 = 1,
};

struct hil_digest;
struct hil_digest_client;

struct hil_digest_ops {
    err_t (*set_mode)(struct hil_digest *digest, enum hil_digest_mode mode, const uint8_t *key,
                      size_t key_len);
    err_t (*add_data)(struct hil_digest *digest, const uint8_t *buf, size_t len);
    err_t (*finish)(struct hil_digest *digest, uint8_t *out);
    err_t (*clear)(struct hil_digest *digest);
};
struct hil_digest {
    const struct hil_digest_ops *ops;  /* set by the implementation's _init */
    struct hil_digest_client *client; /* set once by the board or the capsule */
};
struct hil_digest_client_ops {
    void (*add_data_done)(struct hil_digest_client *client, const uint8_t *buf, size_t len,
                          err_t status);
    void (*hash_done)(struct hil_digest_client *client, uint8_t *out, err_t status);
};
struct hil_digest_client {
    const struct hil_digest_client_ops *ops;
};

/**
 * Start a new message (dropping any message in progress) in `mode`. HMAC copies `key`
 * (key_len may be 0; any length is accepted, keys longer than 64 bytes are hashed first as
 * RFC 2104 requires); SHA-256 takes no key. Kernel loop only; no callback.
 * Returns ERR_OK, ERR_INVAL (unknown mode, a key for SHA-256, or a NULL key with key_len > 0)
 * or ERR_BUSY (an operation is outstanding; nothing changes).
 */
MUST_CHECK static inline err_t hil_digest_set_mode(struct hil_digest *digest,
                                                   enum hil_digest_mode mode, const uint8_t *key,
                                                   size_t key_len)
{
    return digest->ops->set_mode(digest, mode, key, key_len);
}
/**
 * Add `len` bytes of `buf` to the message. Kernel loop only.
 * Returns:
 *   ERR_OK     add_data_done(buf, len, status) follows exactly once, never inside this call;
 *   ERR_BUSY   an operation is outstanding on this interface, or the hardware it shares is in
 *              use by another unit (try again after a completion); no callback;
 *   ERR_SIZE   `len` is 0, or the message would outgrow SHA-256's 2^64-bit limit; no callback;
 *   ERR_INVAL  no mode has been set, or `buf` is NULL; no callback.
 */
MUST_CHECK static inline err_t hil_digest_add_data(struct hil_digest *digest, const uint8_t *buf,
                                                   size_t len)
{
    return digest->ops->add_data(digest, buf, len);
}
/**
 * Finish the message: write the HIL_DIGEST_SHA256_LEN-byte digest (or MAC) to `out`, lent until
 * hash_done(out, status) returns it, then start a new message with the same mode and key.
 * Returns ERR_OK (hash_done follows exactly once, never inside this call), ERR_BUSY (as for
 * add_data) or ERR_INVAL (no mode has been set, or `out` is NULL); no callback after an error.
 */
MUST_CHECK static inline err_t hil_digest_finish(struct hil_digest *digest, uint8_t *out)
{
    return digest->ops->finish(digest, out);
}
/* Drop the message, wipe the key and forget the mode, as after init. Returns ERR_OK or ERR_BUSY
 * (an operation is outstanding; nothing changes). */
MUST_CHECK static inline err_t hil_digest_clear(struct hil_digest *digest)
{
    return digest->ops->clear(digest);
}
static inline void hil_digest_set_client(struct hil_digest *digest,
                                         struct hil_digest_client *client)
{
    digest->client = client;
}
/* For implementations: deliver completions to the client, if one is set. */
static inline void hil_digest_add_data_done(struct hil_digest *digest, const uint8_t *buf,
                                            size_t len, err_t status)
{
    if (digest->client != NULL) {
        digest->client->ops->add_data_done(digest->client, buf, len, status);
    }
}
static inline void hil_digest_hash_done(struct hil_digest *digest, uint8_t *out, err_t status)
{
    if (digest->client != NULL) {
        digest->client->ops->hash_done(digest->client, out, status);
    }
}
