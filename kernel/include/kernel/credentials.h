/* SPDX-License-Identifier: Apache-2.0 OR MIT */
/*
 * App credentials: the loader's check of an app's credential footers against the board's
 * policy, and the identity it then runs under (doc/reference/025-app-credentials.md).
 *
 * A board chooses one policy:
 *   CREDENTIALS_ACCEPT_ALL         any app may run; a credential the kernel can check (a hash,
 *                                  a signature when the board lists keys) must still hold;
 *   CREDENTIALS_REQUIRE_HASH       only apps vouched for by a matching SHA-256/384/512 footer
 *                                  or a listed key's signature;
 *   CREDENTIALS_REQUIRE_SIGNATURE  only apps signed (ECDSA P-256 over SHA-256) by a listed key.
 * Footers are read in order and the first that decides wins: a hash that does not match, or a
 * signature no listed key made, refuses the app; a matching hash accepts it (under
 * REQUIRE_SIGNATURE the walk goes on), a listed key's signature accepts it; Reserved and RSA
 * footers, and signatures on a board with no keys, decide nothing.
 *
 * Usage (board, before kernel_load_processes; without it the policy is ACCEPT_ALL, no keys):
 *     static const struct credential_key board_keys[] = { { .public_key = { x..., y... } } };
 *     static const struct credential_policy board_credentials = {
 *         .mode = CREDENTIALS_REQUIRE_SIGNATURE, .keys = board_keys, .key_count = 1,
 *         .storage_from_identity = true };
 *     kernel_set_credential_policy(&kernel, &board_credentials);
 *
 * Two implementations, one per image (boards/boards.mk): kernel/credentials.c (full kernels)
 * and kernel/credentials_none.c (CONFIG=core: accepts every app, checks nothing, gives no
 * identity; kernel_set_credential_policy is not there).
 *
 * Invariants: credentials_check changes nothing but *id and the reason buffer; the footers it
 * reads lie inside the TBF (libraries/tbf.c's iterator).
 */
#pragma once

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "kernel/app_identity.h"
#include "tbf.h"

struct kernel;
struct process;

#define CREDENTIAL_KEY_LEN 64u /* P-256 public key: x then y, big-endian */
#define CREDENTIALS_REASON_LEN 64u

enum credential_policy_mode {
    CREDENTIALS_ACCEPT_ALL = 0,
    CREDENTIALS_REQUIRE_HASH,
    CREDENTIALS_REQUIRE_SIGNATURE,
};

struct credential_key {
    uint8_t public_key[CREDENTIAL_KEY_LEN];
};

struct credential_policy {
    enum credential_policy_mode mode;
    const struct credential_key *keys; /* key i signs identity "key i" */
    uint32_t key_count;                /* at most 255 */
    /* Storage permissions from the identity: a signed app's Storage Permissions TLV (7) is
     * kept; every other app gets its short id as write id, reading and modifying only that.
     * false: TLV 7 as written, for every app. */
    bool storage_from_identity;
};

/* Boot only, before kernel_load_processes (kernel/credentials.c). */
void kernel_set_credential_policy(struct kernel *k, const struct credential_policy *policy);

/*
 * May the app whose parsed header is `hdr` and whose TBF starts at `tbf` (total_size bytes
 * readable) run, given the `running` apps already in slots 0..running-1? NULL and *id written:
 * yes. Otherwise the reason, formatted into `reason` when it carries numbers.
 */
const char *credentials_check(const struct kernel *k, uint32_t running,
                              const struct tbf_header *hdr, const uint8_t *tbf,
                              struct app_identity *id, char reason[CREDENTIALS_REASON_LEN]);

/* p was just created from `hdr` with the identity credentials_check gave: record it and, when
 * the policy says so, the storage permissions that follow from it. */
void credentials_adopt(const struct kernel *k, struct process *p, const struct tbf_header *hdr,
                       const struct app_identity *id);
