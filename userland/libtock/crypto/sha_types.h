/* SPDX-License-Identifier: Apache-2.0 OR MIT */
/*
 * SHA algorithm numbers (libtock-c's libtock/crypto/sha_types.h).
 *
 * Usage: libtock_sha_simple_hash(LIBTOCK_SHA256, ...).
 *
 * Invariants: values are set algorithm's (command 1's) argument; tockc supports LIBTOCK_SHA256
 * only.
 */
#pragma once

#include "../tock.h"

#ifdef __cplusplus
extern "C" {
#endif

typedef enum {
    LIBTOCK_SHA256 = 0,
    LIBTOCK_SHA384 = 1,
    LIBTOCK_SHA512 = 2,
} libtock_sha_algorithm_t;

#ifdef __cplusplus
}
#endif
