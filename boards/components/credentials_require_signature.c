/* SPDX-License-Identifier: Apache-2.0 OR MIT */
/*
 * Test kernel policy (kernel-require-signature.elf): only apps signed (ECDSA P-256) by the
 * test key run, tests/board/keys/credentials_test_key.hex (a development key, public in this
 * tree: never trust it on a device). A signed app keeps its TLV 7; storage permissions
 * otherwise follow the identity (components/credentials.h).
 */
#include "components/credentials.h"

/* python3 tools/ecdsa_p256.py tests/board/keys/credentials_test_key.hex */
static const struct credential_key test_keys[] = {
    { .public_key = {
          0xc6, 0x6e, 0xce, 0x01, 0xe5, 0xe7, 0x8f, 0x17, 0x80, 0x81, 0x21, 0xed,
          0x9d, 0xf9, 0xbf, 0xcb, 0x16, 0x86, 0xa5, 0x77, 0xcf, 0x2d, 0x8c, 0x7c,
          0xf5, 0xfd, 0x59, 0x68, 0x68, 0xcc, 0xbb, 0xf4, 0x74, 0x8a, 0x59, 0x40,
          0x14, 0x6f, 0x23, 0xfc, 0xb2, 0x10, 0x54, 0x3e, 0x63, 0x93, 0xcd, 0x5d,
          0xf1, 0x92, 0x90, 0x8e, 0x73, 0x5d, 0xfb, 0x14, 0xe9, 0x0c, 0x72, 0xc6,
          0xee, 0x8b, 0x06, 0x4a,
      } },
};

static const struct credential_policy require_signature_policy = {
    .mode = CREDENTIALS_REQUIRE_SIGNATURE,
    .keys = test_keys,
    .key_count = sizeof test_keys / sizeof test_keys[0],
    .storage_from_identity = true,
};

void credentials_component_setup(struct kernel *k)
{
    kernel_set_credential_policy(k, &require_signature_policy);
}
