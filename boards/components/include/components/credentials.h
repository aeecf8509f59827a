/* SPDX-License-Identifier: Apache-2.0 OR MIT */
/*
 * The board's app credential policy (kernel/credentials.h, doc/reference/025-app-credentials.md).
 * Each policy is a named const object in its own file, and an image links exactly one:
 *   components/credentials.c                    the demo boards' product: accept all, no keys
 *                                               (the demo apps and libtock-c apps carry no
 *                                               credentials, so boot hashes nothing);
 *   components/credentials_require_hash.c       test kernel: a matching hash or a listed key's
 *                                               signature required;
 *   components/credentials_require_signature.c  test kernel: a signature by the test key
 *                                               required; storage permissions follow the identity.
 *
 * Usage (board, full configuration, before kernel_load_processes):
 *     credentials_component_setup(&kernel);
 *
 * A board that ships its own policy writes one such file with its keys (tools/ecdsa_p256.py KEY
 * prints a key's initializer) and links it instead of components/credentials.c.
 */
#pragma once

#include "kernel/credentials.h"
#include "kernel/kernel.h"

void credentials_component_setup(struct kernel *k);
