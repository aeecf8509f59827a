/* SPDX-License-Identifier: Apache-2.0 OR MIT */
/*
 * HMAC algorithm numbers (libtock-c's libtock/crypto/hmac_types.h).
 *
 * Usage: libtock_hmac_simple(LIBTOCK_HMAC_SHA256, ...).
 *
 * Invariants: values are command 0's argument; tockc supports LIBTOCK_HMAC_SHA256 only.
 */
#pragma once

#include "../tock.h"

#ifdef __cplusplus
extern "C" {
#endif

typedef enum {
    LIBTOCK_HMAC_SHA256 = 0,
    LIBTOCK_HMAC_SHA384 = 1,
    LIBTOCK_HMAC_SHA512 = 2,
} libtock_hmac_algorithm_t;

#ifdef __cplusplus
}
#endif
