/* SPDX-License-Identifier: Apache-2.0 OR MIT */
/*
 * Entropy HIL: a split-phase source of raw entropy bytes.
 *
 * One request fills a lent buffer completely: the implementation gathers as many hardware
 * samples, words or partial transfers as it needs and calls entropy_ready once, with the whole
 * buffer or an error. Bytes rather than 32-bit words: a conditioner (a DRBG) hashes bytes, and
 * a device that delivers words simply stores them little-endian. Unlike Tock's iterator-based
 * entropy traits there is no "more/done" negotiation: the client asks for exactly what it needs.
 *
 * What the bytes are worth is a property of the source, not of this interface: a hardware
 * source (virtio-rng, a TRNG) claims full entropy per byte; a stand-in on a board without one
 * (capsules/extra/clock_entropy.c) claims nothing and says so. Consumers must condition the
 * bytes (capsules/extra/rng.c seeds an SP 800-90A DRBG with them) and never hand them out raw.
 *
 * Usage: a chip's entropy device embeds `struct hil_entropy entropy`; the board hands
 * `&dev.entropy` to the consumer, which calls hil_entropy_set_client() once.
 *
 * Invariants (the split-phase contract): ERR_OK from get() means exactly one entropy_ready
 * later and never inside the call; any error means no callback. The buffer belongs to the
 * implementation until entropy_ready returns it. At most one get() is outstanding.
 */
#pragma once

#include <stddef.h>
#include <stdint.h>

#include "errorcode.h"

struct hil_entropy;
struct hil_entropy_client;

struct hil_entropy_ops {
    err_t (*get)(struct hil_entropy *source, uint8_t *buf, size_t len);
};
struct hil_entropy {
    const struct hil_entropy_ops *ops;  /* set by the implementation's _init */
    struct hil_entropy_client *client; /* set once by the board or the consumer */
};
struct hil_entropy_client_ops {
    /* `len` bytes of `buf` are filled when status is ERR_OK; on an error their contents are
     * unspecified and must not be used. */
    void (*entropy_ready)(struct hil_entropy_client *client, uint8_t *buf, size_t len,
                          err_t status);
};
struct hil_entropy_client {
    const struct hil_entropy_client_ops *ops;
};

/**
 * Fill `len` bytes of `buf` with entropy. Kernel loop only.
 * Returns:
 *   ERR_OK        entropy_ready(buf, len, status) follows exactly once, never inside this call;
 *                 status ERR_FAIL means the source failed part way (the bytes are unusable);
 *   ERR_BUSY      a request is outstanding; no callback for this call;
 *   ERR_SIZE      `len` is 0 or larger than the source can transfer at once; no callback;
 *   ERR_INVAL     `buf` is NULL; no callback;
 *   ERR_NODEVICE  the source is absent or broken (for example no device was found at boot);
 *                 no callback.
 */
MUST_CHECK static inline err_t hil_entropy_get(struct hil_entropy *source, uint8_t *buf,
                                               size_t len)
{
    return source->ops->get(source, buf, len);
}
static inline void hil_entropy_set_client(struct hil_entropy *source,
                                          struct hil_entropy_client *client)
{
    source->client = client;
}
/* For implementations: deliver the completion to the client, if one is set. */
static inline void hil_entropy_ready(struct hil_entropy *source, uint8_t *buf, size_t len,
                                     err_t status)
{
    if (source->client != NULL) {
        source->client->ops->entropy_ready(source->client, buf, len, status);
    }
}
