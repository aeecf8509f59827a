/* SPDX-License-Identifier: Apache-2.0 OR MIT */
/*
 * The first half of every ipc_keeper client: find the keeper, share a buffer holding
 * "kept secret" with it, notify it and wait for its answer.
 *
 * Usage:
 *     static char buf[64] __attribute__((aligned(64)));
 *     size_t keeper;
 *     if (test_ipc_share_with_keeper(buf, sizeof buf, &keeper) != RETURNCODE_SUCCESS) { ... }
 *
 * Invariants: buf stays shared with the keeper (slot *keeper) when this returns success.
 */
#pragma once

#include <stddef.h>

#include <libtock/tock.h>

/* RETURNCODE_SUCCESS once the keeper answered; the failing share or notify's code otherwise. */
returncode_t test_ipc_share_with_keeper(char *buf, size_t len, size_t *keeper);
