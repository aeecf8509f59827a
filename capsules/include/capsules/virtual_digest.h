/* SPDX-License-Identifier: Apache-2.0 OR MIT */
/*
 * Digest virtualizer: many clients hash their own messages on one SHA-256/HMAC engine.
 *
 * struct mux_digest is the engine's only client. Each struct virtual_digest offers the
 * engine's own HIL (hil_digest) to one client, with its own mode and key, and may have one
 * add_data() or finish() outstanding. The engine holds the state of one message at a time, so
 * it is shared message by message: once a device's first add_data() has been accepted by the
 * engine, that device keeps the engine until its message ends (finish() completes, or the
 * device calls set_mode() or clear(), or an operation of its fails); meanwhile other devices'
 * operations wait. Between messages, waiting devices are served round-robin, starting after
 * the device served last.
 *
 * Usage (board):
 *     static struct mux_digest digest_mux;
 *     static struct virtual_digest sha_driver_digest, hmac_driver_digest;
 *     boot_check(mux_digest_init(&digest_mux, &sha_unit.digest), "digest mux");
 *     virtual_digest_init(&sha_driver_digest, &digest_mux);
 *     virtual_digest_init(&hmac_driver_digest, &digest_mux);
 *     ... hil_digest_set_client(&sha_driver_digest.digest, &sha_driver.digest_client);
 *
 * Invariants: see virtual_digest.c.
 */
#pragma once

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "errorcode.h"
#include "hil/digest.h"
#include "kernel/deferred_call.h"
#include "list.h"

/* Longest key a device keeps; longer HMAC keys are reduced to SHA-256(key) (RFC 2104). */
#define VIRTUAL_DIGEST_KEY_MAX 64u

enum virtual_digest_operation {
    VIRTUAL_DIGEST_ADD_DATA,
    VIRTUAL_DIGEST_FINISH,
};

enum virtual_digest_state {
    VIRTUAL_DIGEST_IDLE,
    VIRTUAL_DIGEST_QUEUED,   /* waiting for the engine */
    VIRTUAL_DIGEST_INFLIGHT, /* the engine owns the buffer */
    VIRTUAL_DIGEST_REPORT,   /* the engine refused; the deferred call reports `failure` */
};

struct mux_digest;

struct virtual_digest {
    struct hil_digest digest;    /* clients see the engine's HIL */
    struct list_node node; /* in mux->devices, in virtual_digest_init order */
    struct mux_digest *mux;
    /* this device's configuration, given to the engine when the device takes it over */
    bool has_mode;
    enum hil_digest_mode mode;
    uint8_t key[VIRTUAL_DIGEST_KEY_MAX];
    size_t key_len;
    bool is_in_message; /* the engine holds part of this device's message */
    /* the outstanding operation */
    enum virtual_digest_state state;
    enum virtual_digest_operation operation;
    const uint8_t *data; /* add_data: owned here while state != IDLE */
    size_t len;
    uint8_t *out; /* finish: owned here while state != IDLE */
    err_t failure; /* valid in VIRTUAL_DIGEST_REPORT */
};

struct mux_digest {
    struct hil_digest_client hw_client; /* the mux is the engine's only client */
    struct hil_digest *hw;
    struct list devices; /* in init order; its cursor is the round-robin cursor */
    struct virtual_digest *inflight;    /* non-NULL iff the engine owns inflight's buffer */
    struct virtual_digest *holder;      /* the device whose mode and key the engine has */
    struct deferred_call report;
};

/**
 * Boot only: make `mux` the only client of `hw` and register its deferred call.
 * Returns ERR_OK or ERR_NOMEM (no deferred-call slot).
 */
MUST_CHECK err_t mux_digest_init(struct mux_digest *mux, struct hil_digest *hw);

/**
 * Boot only: link `v` into `mux` with no mode set. Its client is then set with
 * hil_digest_set_client(&v->digest, c).
 *
 * The virtual HIL follows hil/digest.h, with these specifics:
 *  - set_mode: ERR_OK (recorded; the key is copied, or reduced to its SHA-256 when longer than
 *    VIRTUAL_DIGEST_KEY_MAX; the device's message in progress is dropped), ERR_BUSY (this
 *    device has an operation outstanding), ERR_INVAL (as hil/digest.h). No callback.
 *  - add_data/finish: ERR_OK (the callback follows once, never inside the call; a refusal by
 *    the engine, e.g. ERR_BUSY while hardware it shares is in use, is the callback's status,
 *    and the device's message then starts again empty), ERR_BUSY (this device has an
 *    operation outstanding), ERR_SIZE (add_data of 0 bytes), ERR_INVAL (no mode set, or a
 *    NULL buffer). No callback follows an error.
 *  - clear: ERR_OK (the device's key is wiped, its mode forgotten and, if the engine has its
 *    key, the engine is cleared too) or ERR_BUSY (an operation is outstanding).
 */
void virtual_digest_init(struct virtual_digest *v, struct mux_digest *mux);
