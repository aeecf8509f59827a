/* SPDX-License-Identifier: Apache-2.0 OR MIT */
/*
 * Counter-reading stand-in entropy source (see capsules/clock_entropy.h: not secure).
 *
 * get() records the buffer; a deferred call fills it, one byte per counter reading (the four
 * bytes of the reading folded together), and completes it.
 *
 * Usage: see capsules/clock_entropy.h.
 *
 * Invariants: see capsules/clock_entropy.h.
 */
#include "capsules/clock_entropy.h"

#include "container.h"

static err_t get(struct hil_entropy *entropy, uint8_t *buf, size_t len)
{
    struct clock_entropy *source = CONTAINER_OF(entropy, struct clock_entropy, entropy);
    if (source->buf != NULL) {
        return ERR_BUSY;
    }
    if (buf == NULL) {
        return ERR_INVAL;
    }
    if (len == 0) {
        return ERR_SIZE;
    }
    source->buf = buf;
    source->len = len;
    deferred_call_set(&source->fill);
    return ERR_OK;
}

static void fill(void *ctx)
{
    struct clock_entropy *source = ctx;
    uint8_t *buf = source->buf;
    for (size_t i = 0; i < source->len; i++) {
        ticks_t t = hil_alarm_now(source->clock);
        buf[i] = (uint8_t)(t ^ (t >> 8) ^ (t >> 16) ^ (t >> 24));
    }
    source->buf = NULL;
    hil_entropy_ready(&source->entropy, buf, source->len, ERR_OK);
}

static const struct hil_entropy_ops clock_entropy_ops = { .get = get };

err_t clock_entropy_init(struct clock_entropy *source, struct hil_alarm *clock)
{
    *source = (struct clock_entropy){ .entropy = { .ops = &clock_entropy_ops }, .clock = clock };
    return deferred_call_register(&source->fill, fill, source);
}
