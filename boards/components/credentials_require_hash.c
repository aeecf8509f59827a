/* SPDX-License-Identifier: Apache-2.0 OR MIT */
/*
 * Test kernel policy (kernel-require-hash.elf): only apps with a matching SHA-256/384/512
 * footer run (a listed key's signature would do too; this policy lists none). Storage
 * permissions are the apps' own TLV 7 (components/credentials.h).
 */
#include "components/credentials.h"

static const struct credential_policy require_hash_policy = {
    .mode = CREDENTIALS_REQUIRE_HASH,
    .keys = NULL,
    .key_count = 0,
    .storage_from_identity = false,
};

void credentials_component_setup(struct kernel *k)
{
    kernel_set_credential_policy(k, &require_hash_policy);
}
