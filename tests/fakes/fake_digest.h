/* SPDX-License-Identifier: Apache-2.0 OR MIT */
/*
 * Fake digest engine for host tests: records what it is asked, the test drives completions.
 *
 * Every call is appended to `log` as a token: "S<mode>:<key>" for set_mode (the key bytes as
 * characters, so tests use printable keys), "A<bytes>" for add_data (the data as characters),
 * "F" for finish, "C" for clear, each followed by a space. Each call returns its next_*_result
 * (ERR_OK by default) when that is not ERR_OK, else ERR_BUSY while an operation is
 * outstanding, else accepts. fake_digest_complete() delivers the outstanding operation's
 * callback; a finish writes `digest_byte` into all 32 bytes of `out` when it succeeds. A
 * completion started while another callback is still running fails the test.
 *
 * Usage:
 *     static struct fake_digest hw;
 *     fake_digest_init(&hw);
 *     ... code under test ...
 *     fake_digest_complete(&hw, ERR_OK);
 *     assert_string_equal(hw.log, "S1:key Aabc F ");
 *
 * Invariants: operation != FAKE_DIGEST_NONE iff an add_data or finish is outstanding.
 */
#pragma once

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "errorcode.h"
#include "hil/digest.h"

#define FAKE_DIGEST_LOG_MAX 1024u

enum fake_digest_operation {
    FAKE_DIGEST_NONE,
    FAKE_DIGEST_ADD_DATA,
    FAKE_DIGEST_FINISH,
};

struct fake_digest {
    struct hil_digest digest;
    err_t next_set_mode_result;
    err_t next_add_data_result;
    err_t next_finish_result;
    err_t next_clear_result;
    enum fake_digest_operation operation;
    const uint8_t *data;
    size_t len;
    uint8_t *out;
    uint8_t digest_byte; /* what a successful finish writes */
    enum hil_digest_mode mode;
    uint8_t key[128];
    size_t key_len;
    unsigned clear_calls;
    unsigned callback_depth;
    char log[FAKE_DIGEST_LOG_MAX];
    size_t log_len;
};

void fake_digest_init(struct fake_digest *digest);
bool fake_digest_busy(const struct fake_digest *digest);
/* Deliver the outstanding operation's callback with `status`. Fails the test if none. */
void fake_digest_complete(struct fake_digest *digest, err_t status);
