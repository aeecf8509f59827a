/* SPDX-License-Identifier: Apache-2.0 OR MIT */
/*
 * AES HIL: a split-phase block cipher engine with ECB, CBC and CTR modes.
 *
 * Configuration (set_key, set_iv, set_mode, clear) is synchronous: it is copied into the
 * implementation and never calls back. Only crypt() is split-phase. The chaining value (CBC) or
 * counter (CTR) advances with every crypt(), so one message may be processed in several calls;
 * set_iv() starts a new one. In CTR mode the counter block is one big-endian 128-bit integer,
 * and a final partial block uses up a whole counter value.
 *
 * Usage: a chip AES unit embeds `struct hil_aes aes`; the board hands `&unit.aes` to the capsule
 * that uses it, which calls hil_aes_set_client() once.
 *
 * Invariants (the split-phase contract): ERR_OK from crypt() means exactly one crypt_done()
 * later and never inside the call; ERR_BUSY means no new operation; any other error means no
 * callback. `dst` belongs to the implementation until crypt_done() returns it, and `src` must
 * stay valid and unchanged until then.
 */
#pragma once

#include <stddef.h>
#include <stdint.h>

#include "errorcode.h"

#define HIL_AES_BLOCK_LEN 16u
#define HIL_AES128_KEY_LEN 16u

enum hil_aes_mode {
    HIL_AES_ECB = 0,
    HIL_AES_CBC = 1,
    HIL_AES_CTR = 2, /* encrypting and decrypting are the same operation */
};

enum hil_aes_direction {
    HIL_AES_ENCRYPT = 0,
    HIL_AES_DECRYPT = 1,
};

struct hil_aes;
struct hil_aes_client;

struct hil_aes_ops {
    err_t (*set_key)(struct hil_aes *aes, const uint8_t *key, size_t len);
    err_t (*set_iv)(struct hil_aes *aes, const uint8_t *iv, size_t len);
    err_t (*set_mode)(struct hil_aes *aes, enum hil_aes_mode mode,
                      enum hil_aes_direction direction);
    err_t (*crypt)(struct hil_aes *aes, const uint8_t *src, uint8_t *dst, size_t len);
    err_t (*clear)(struct hil_aes *aes);
};
struct hil_aes {
    const struct hil_aes_ops *ops;  /* set by the implementation's _init */
    struct hil_aes_client *client; /* set once by the board or the capsule */
};
struct hil_aes_client_ops {
    void (*crypt_done)(struct hil_aes_client *client, uint8_t *dst, size_t len, err_t status);
};
struct hil_aes_client {
    const struct hil_aes_client_ops *ops;
};

/**
 * Copy the `len`-byte key. Kernel loop only; no callback. Returns ERR_OK, ERR_SIZE (`len` is
 * not a key length the implementation supports: 16 for AES-128), ERR_INVAL (`key` is NULL) or
 * ERR_BUSY (a crypt() is outstanding; nothing changes).
 */
MUST_CHECK static inline err_t hil_aes_set_key(struct hil_aes *aes, const uint8_t *key,
                                               size_t len)
{
    return aes->ops->set_key(aes, key, len);
}
/**
 * Copy the 16-byte IV (CBC) or initial counter block (CTR), starting a new message. Ignored by
 * ECB. Returns ERR_OK, ERR_SIZE (`len` is not 16), ERR_INVAL (`iv` is NULL) or ERR_BUSY.
 */
MUST_CHECK static inline err_t hil_aes_set_iv(struct hil_aes *aes, const uint8_t *iv, size_t len)
{
    return aes->ops->set_iv(aes, iv, len);
}
/* Select the mode and direction. Returns ERR_OK, ERR_INVAL (not a value of the enums) or
 * ERR_BUSY. */
MUST_CHECK static inline err_t hil_aes_set_mode(struct hil_aes *aes, enum hil_aes_mode mode,
                                                enum hil_aes_direction direction)
{
    return aes->ops->set_mode(aes, mode, direction);
}
/**
 * Encrypt or decrypt `len` bytes of `src` into `dst` with the current key, mode and IV.
 * Kernel loop only. `src` may equal `dst` (in place) but must not otherwise overlap it.
 * Returns:
 *   ERR_OK     crypt_done(dst, len, status) follows exactly once, never inside this call;
 *   ERR_BUSY   an operation is outstanding on this interface, or the hardware it shares is in
 *              use by another unit (try again after a completion); no callback;
 *   ERR_SIZE   `len` is 0, or not a multiple of 16 in ECB or CBC mode; no callback;
 *   ERR_INVAL  no key (or, for CBC and CTR, no IV) has been set, or a buffer is NULL or the two
 *              overlap partially; no callback.
 */
MUST_CHECK static inline err_t hil_aes_crypt(struct hil_aes *aes, const uint8_t *src,
                                             uint8_t *dst, size_t len)
{
    return aes->ops->crypt(aes, src, dst, len);
}
/* Wipe the key and IV (mode kept); crypt() then returns ERR_INVAL until they are set again.
 * Returns ERR_OK or ERR_BUSY (a crypt() is outstanding; nothing is wiped). */
MUST_CHECK static inline err_t hil_aes_clear(struct hil_aes *aes)
{
    return aes->ops->clear(aes);
}
static inline void hil_aes_set_client(struct hil_aes *aes, struct hil_aes_client *client)
{
    aes->client = client;
}
/* For implementations: deliver a completion to the client, if one is set. */
static inline void hil_aes_crypt_done(struct hil_aes *aes, uint8_t *dst, size_t len, err_t status)
{
    if (aes->client != NULL) {
        aes->client->ops->crypt_done(aes->client, dst, len, status);
    }
}
