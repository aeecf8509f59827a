/* SPDX-License-Identifier: Apache-2.0 OR MIT */
/*
 * What the loader learnt about who an app is (doc/reference/025-app-credentials.md): which
 * credential vouched for it and the short id it runs under. Kept in struct process.
 *
 * The application identifier is (authority, key index when signed, package name), plus the
 * TBF's flash address when nothing vouched for the app; two running apps never share one, nor
 * a short id. Short id 0 means "none": kernels that link kernel/credentials_none.c (CONFIG=core)
 * check no credentials and give none.
 *
 * Usage: the loader fills it (kernel/credentials.h); drivers and the process console read it.
 *
 * Invariants: key_index is meaningful only for APP_AUTHORITY_KEY.
 */
#pragma once

#include <stdint.h>

enum app_authority {
    APP_AUTHORITY_NONE = 0, /* no credential was checked: the identity is the app's own claim */
    APP_AUTHORITY_HASH,     /* a SHA-256/384/512 footer matched: integrity, not origin */
    APP_AUTHORITY_KEY,      /* an ECDSA P-256 signature by the board's key key_index */
};

struct app_identity {
    uint8_t authority; /* enum app_authority */
    uint8_t key_index;
    uint32_t short_id; /* 0: none */
};
