/* SPDX-License-Identifier: Apache-2.0 OR MIT */
/*
 * Digest virtualizer: a mux over one hash engine and its virtual devices.
 *
 * The engine keeps one message's state, so the mux gives it to one device per message. A
 * device *holds* the engine from its first accepted add_data() until its message ends; while
 * a holder is in a message, only the holder's operations start. Otherwise the next queued
 * device after the one served last is started, which first gives the engine that device's mode
 * and key (set_mode, unless the engine already has them). A client that queues again from its
 * own callback therefore goes behind the others as soon as its message is over. Refusals by
 * the engine are reported from the mux's deferred call, never inside the client's call.
 *
 * Usage: see capsules/virtual_digest.h.
 *
 * Invariants:
 *  - mux->inflight != NULL iff the engine owns inflight's buffer; then inflight->state is
 *    INFLIGHT, inflight == mux->holder, and no other device is INFLIGHT.
 *  - At most one device is_in_message, and it is mux->holder.
 *  - mux->holder != NULL means the engine was last given holder's current mode and key.
 *  - A device in VIRTUAL_DIGEST_REPORT has mux->report set; its callback comes from report().
 */
#include "capsules/virtual_digest.h"

#include "container.h"
#include "crypto/sha256.h"

static void wipe(uint8_t *bytes, size_t len)
{
    volatile uint8_t *p = bytes; /* not optimised away: the key must not linger */
    for (size_t i = 0; i < len; i++) {
        p[i] = 0;
    }
}

/* A queued device may start unless another device is in the middle of a message. */
static bool may_start(const struct mux_digest *mux, const struct virtual_digest *v)
{
    return v->state == VIRTUAL_DIGEST_QUEUED &&
           (mux->holder == NULL || mux->holder == v || !mux->holder->is_in_message);
}

/* The device a node of mux->devices is, or NULL for none. */
static struct virtual_digest *device_of(struct list_node *node)
{
    return node == NULL ? NULL : CONTAINER_OF(node, struct virtual_digest, node);
}

static bool is_startable(const struct list_node *node, void *ctx)
{
    return may_start(ctx, CONTAINER_OF(node, struct virtual_digest, node));
}

static struct virtual_digest *pick_next(struct mux_digest *mux)
{
    return device_of(list_round_robin(&mux->devices, is_startable, mux));
}

static err_t start_operation(struct mux_digest *mux, struct virtual_digest *v)
{
    if (mux->holder != v) {
        err_t err = hil_digest_set_mode(mux->hw, v->mode, v->key_len > 0 ? v->key : NULL,
                                        v->key_len);
        if (err != ERR_OK) {
            return err;
        }
        mux->holder = v;
    }
    if (v->operation == VIRTUAL_DIGEST_ADD_DATA) {
        return hil_digest_add_data(mux->hw, v->data, v->len);
    }
    return hil_digest_finish(mux->hw, v->out);
}

static void start_next(struct mux_digest *mux)
{
    struct virtual_digest *v = mux->inflight == NULL ? pick_next(mux) : NULL;
    if (v == NULL) {
        return;
    }
    list_set_cursor(&mux->devices, &v->node);
    err_t err = start_operation(mux, v);
    if (err == ERR_OK) {
        v->state = VIRTUAL_DIGEST_INFLIGHT;
        mux->inflight = v;
    } else {
        v->state = VIRTUAL_DIGEST_REPORT; /* reported later, never inside a downcall */
        v->failure = err;
        deferred_call_set(&mux->report);
    }
}

/* The device's message restarts empty at its next operation: the engine gets set_mode again. */
static void restart_message(struct virtual_digest *v)
{
    v->is_in_message = false;
    if (v->mux->holder == v) {
        v->mux->holder = NULL;
    }
}

static err_t virtual_digest_set_mode(struct hil_digest *digest, enum hil_digest_mode mode,
                                     const uint8_t *key, size_t key_len)
{
    struct virtual_digest *v = CONTAINER_OF(digest, struct virtual_digest, digest);
    if (v->state != VIRTUAL_DIGEST_IDLE) {
        return ERR_BUSY;
    }
    if ((mode != HIL_DIGEST_SHA256 && mode != HIL_DIGEST_HMAC_SHA256) ||
        (mode == HIL_DIGEST_SHA256 && key_len > 0) || (key == NULL && key_len > 0)) {
        return ERR_INVAL;
    }
    wipe(v->key, sizeof v->key);
    if (key_len > VIRTUAL_DIGEST_KEY_MAX) {
        sha256_digest(key, key_len, v->key); /* HMAC's own reduction of a long key */
        v->key_len = SHA256_DIGEST_LEN;
    } else {
        for (size_t i = 0; i < key_len; i++) {
            v->key[i] = key[i];
        }
        v->key_len = key_len;
    }
    v->mode = mode;
    v->has_mode = true;
    restart_message(v);
    /* Another device may have been waiting for this device's message to end. */
    if (v->mux->inflight == NULL) {
        deferred_call_set(&v->mux->report);
    }
    return ERR_OK;
}

static err_t queue(struct virtual_digest *v, enum virtual_digest_operation operation,
                   const uint8_t *data, size_t len, uint8_t *out)
{
    v->operation = operation;
    v->data = data;
    v->len = len;
    v->out = out;
    v->state = VIRTUAL_DIGEST_QUEUED;
    start_next(v->mux);
    return ERR_OK;
}

static err_t virtual_digest_add_data(struct hil_digest *digest, const uint8_t *buf, size_t len)
{
    struct virtual_digest *v = CONTAINER_OF(digest, struct virtual_digest, digest);
    if (v->state != VIRTUAL_DIGEST_IDLE) {
        return ERR_BUSY;
    }
    if (len == 0) {
        return ERR_SIZE;
    }
    if (!v->has_mode || buf == NULL) {
        return ERR_INVAL;
    }
    return queue(v, VIRTUAL_DIGEST_ADD_DATA, buf, len, NULL);
}

static err_t virtual_digest_finish(struct hil_digest *digest, uint8_t *out)
{
    struct virtual_digest *v = CONTAINER_OF(digest, struct virtual_digest, digest);
    if (v->state != VIRTUAL_DIGEST_IDLE) {
        return ERR_BUSY;
    }
    if (!v->has_mode || out == NULL) {
        return ERR_INVAL;
    }
    return queue(v, VIRTUAL_DIGEST_FINISH, NULL, 0, out);
}

static err_t virtual_digest_clear(struct hil_digest *digest)
{
    struct virtual_digest *v = CONTAINER_OF(digest, struct virtual_digest, digest);
    struct mux_digest *mux = v->mux;
    if (v->state != VIRTUAL_DIGEST_IDLE) {
        return ERR_BUSY;
    }
    if (mux->holder == v) {
        /* The engine is idle (v has nothing outstanding and holds it). Should it still refuse,
         * the next device to take it over replaces the key with set_mode anyway. */
        err_t ignored = hil_digest_clear(mux->hw);
        (void)ignored;
    }
    wipe(v->key, sizeof v->key);
    v->key_len = 0;
    v->has_mode = false;
    restart_message(v);
    if (mux->inflight == NULL) {
        deferred_call_set(&mux->report);
    }
    return ERR_OK;
}

/* Hand the operation's buffer back; v may queue again from its callback. */
static void deliver(struct virtual_digest *v, err_t status)
{
    enum virtual_digest_operation operation = v->operation;
    const uint8_t *data = v->data;
    size_t len = v->len;
    uint8_t *out = v->out;
    v->data = NULL;
    v->out = NULL;
    v->state = VIRTUAL_DIGEST_IDLE;
    if (operation == VIRTUAL_DIGEST_ADD_DATA) {
        hil_digest_add_data_done(&v->digest, data, len, status);
    } else {
        hil_digest_hash_done(&v->digest, out, status);
    }
}

static void mux_digest_add_data_done(struct hil_digest_client *client, const uint8_t *buf,
                                     size_t len, err_t status)
{
    struct mux_digest *mux = CONTAINER_OF(client, struct mux_digest, hw_client);
    struct virtual_digest *v = mux->inflight;
    if (v == NULL) {
        return; /* not ours: nothing was lent */
    }
    (void)len;
    mux->inflight = NULL;
    v->data = buf;
    if (status == ERR_OK) {
        v->is_in_message = true;
    } else {
        restart_message(v);
    }
    deliver(v, status);
    start_next(mux);
}

static void mux_digest_hash_done(struct hil_digest_client *client, uint8_t *out, err_t status)
{
    struct mux_digest *mux = CONTAINER_OF(client, struct mux_digest, hw_client);
    struct virtual_digest *v = mux->inflight;
    if (v == NULL) {
        return; /* not ours: nothing was lent */
    }
    mux->inflight = NULL;
    v->out = out;
    /* On success the engine starts v's next message with the same mode and key, so it stays
     * the holder, but other devices may now take the engine over. */
    if (status == ERR_OK) {
        v->is_in_message = false;
    } else {
        restart_message(v);
    }
    deliver(v, status);
    start_next(mux); /* the cursor puts a device that re-queued behind the others */
}

static void report(void *ctx)
{
    struct mux_digest *mux = ctx;
    for (struct virtual_digest *v = device_of(mux->devices.head); v != NULL;
         v = device_of(v->node.next)) {
        if (v->state == VIRTUAL_DIGEST_REPORT) {
            deliver(v, v->failure);
        }
    }
    start_next(mux);
}

static const struct hil_digest_ops virtual_digest_ops = {
    .set_mode = virtual_digest_set_mode,
    .add_data = virtual_digest_add_data,
    .finish = virtual_digest_finish,
    .clear = virtual_digest_clear,
};
static const struct hil_digest_client_ops mux_digest_client_ops = {
    .add_data_done = mux_digest_add_data_done,
    .hash_done = mux_digest_hash_done,
};

err_t mux_digest_init(struct mux_digest *mux, struct hil_digest *hw)
{
    *mux = (struct mux_digest){
        .hw_client = { .ops = &mux_digest_client_ops },
        .hw = hw,
        .devices = { .head = NULL, .tail = NULL, .cursor = NULL },
        .inflight = NULL,
        .holder = NULL,
    };
    hil_digest_set_client(hw, &mux->hw_client);
    return deferred_call_register(&mux->report, report, mux);
}

void virtual_digest_init(struct virtual_digest *v, struct mux_digest *mux)
{
    *v = (struct virtual_digest){
        .digest = { .ops = &virtual_digest_ops, .client = NULL },
        .mux = mux,
        .has_mode = false,
        .mode = HIL_DIGEST_SHA256,
        .key_len = 0,
        .is_in_message = false,
        .state = VIRTUAL_DIGEST_IDLE,
        .operation = VIRTUAL_DIGEST_ADD_DATA,
        .data = NULL,
        .len = 0,
        .out = NULL,
        .failure = ERR_OK,
    };
    list_append(&mux->devices, &v->node);
}
