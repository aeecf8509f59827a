/* SPDX-License-Identifier: Apache-2.0 OR MIT */
/*
 * Starting an AES-128-CBC encryption from a test app: the algorithm, the four allows and the
 * setup command, in that order, stopping at the first that fails.
 *
 * Usage:
 *     const struct test_aes_request job = { .key = key, .iv = iv, .source = src,
 *                                       .source_len = sizeof src, .dest = dst,
 *                                       .dest_len = sizeof dst };
 *     returncode_t rc = test_aes_cbc_encrypt_start(&job);  // then wait for the AES upcall
 *
 * Invariants: key and iv point at 16 bytes; the buffers stay allowed after the call (the
 * caller withdraws them, or finishes with libtock_aes_finish, or dies).
 */
#pragma once

#include <stdint.h>

#include <libtock/tock.h>

struct test_aes_request {
    const uint8_t *key; /* 16 bytes */
    const uint8_t *iv;  /* 16 bytes */
    const uint8_t *source;
    uint32_t source_len;
    uint8_t *dest;
    uint32_t dest_len;
};

/* RETURNCODE_SUCCESS when the request was started (its AES upcall follows), else the first
 * failing call's code. */
returncode_t test_aes_cbc_encrypt_start(const struct test_aes_request *req);
