/* SPDX-License-Identifier: Apache-2.0 OR MIT */
/*
 * Pieces shared by the host tests (and the kv fuzz harness) that run a storage capsule over
 * the fake flash (tests/fakes/fake_flash.h) and the real deferred calls: driving them to idle,
 * a command-queue clock that never moves, a permission lookup over a table, and the power-cut
 * campaign of the *_powercut tests.
 *
 * Usage:
 *     static struct storage_permissions perms[FAKE_GRANT_MAX_PROCESSES];
 *     static const struct isolated_storage_config config = {
 *         ..., .permissions = storage_permissions_from_table, .ctx = perms };
 *     isolated_storage_init(..., &storage_still_clock, entries, ...);
 *     ... start an operation ...
 *     assert_true(storage_settle(&hw, 100000));
 *
 * Invariants: nothing here holds state; every function works on what the caller passes.
 */
#pragma once

#include <stdbool.h>

#include "errorcode.h"
#include "fake_flash.h"
#include "support/cmd_queue.h"
#include "kernel/process_id.h"
#include "kernel/storage_permissions.h"

/* Serve deferred calls and complete flash operations until neither has work left. False when
 * work is still pending after `max_rounds` rounds (a client that never stops). */
bool storage_settle(struct fake_flash *flash, unsigned max_rounds);

/* Command-queue configuration whose clock stays at 0 (no sessions, nothing times out). */
extern const struct cmd_queue_config storage_still_clock;

/* Permission lookup for capsule configs: ctx is a struct storage_permissions
 * [FAKE_GRANT_MAX_PROCESSES] indexed by process slot; ERR_INVAL for a slot outside it. */
err_t storage_permissions_from_table(void *ctx, struct process_id pid,
                                     struct storage_permissions *out);

/* A power-cut campaign (the *_powercut tests): for every program/erase k in 1..count and every
 * tear variant, `fresh_boot` (erased flash, driver booted), the cut armed in operation k (see
 * fake_flash_cut_power), `workload` run, the power asserted dead, then `reboot` over what the
 * cut left and `check(k, tear)`. `flash` is the fake the boots (re)initialise. */
struct storage_cut_campaign {
    struct fake_flash *flash;
    void (*fresh_boot)(void);
    void (*workload)(void);
    void (*reboot)(void);
    void (*check)(unsigned k, unsigned tear);
};

/* Runs the campaign; returns how many cuts were checked (count * FAKE_FLASH_TEAR_COUNT). */
unsigned storage_cut_everywhere(const struct storage_cut_campaign *campaign, unsigned count);
