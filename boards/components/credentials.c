/* SPDX-License-Identifier: Apache-2.0 OR MIT */
/*
 * The demo boards' credential policy: every app may run; a hash footer an app carries must
 * match (a tampered app with one is refused); no keys, so signatures decide nothing; storage
 * permissions are the apps' own TLV 7 (components/credentials.h).
 */
#include "components/credentials.h"

static const struct credential_policy demo_credential_policy = {
    .mode = CREDENTIALS_ACCEPT_ALL,
    .keys = NULL,
    .key_count = 0,
    .storage_from_identity = false,
};

void credentials_component_setup(struct kernel *k)
{
    kernel_set_credential_policy(k, &demo_credential_policy);
}
