/* SPDX-License-Identifier: Apache-2.0 OR MIT */
/*
 * A stand-in entropy source for boards with no entropy hardware: bytes folded from readings of
 * a free-running counter (an alarm's now()). NOT an entropy source in any cryptographic sense.
 *
 * What the bytes are worth: only the unpredictability of *when* they are read. On silicon, a
 * counter clocked with the CPU and read in a tight loop yields nearly the same bytes every
 * time; under QEMU the counter follows host time, so the readings (and the moment of the first
 * request, which depends on when a process asks) vary from run to run by host scheduling
 * noise, but nobody has measured how much, and under `-icount` they are exactly repeatable.
 * An attacker who knows the board and roughly when it booted can guess them. The board that
 * uses this says so at boot, and so does the documentation: random numbers seeded from it are
 * fine for tests, games and jitter, never for keys, nonces or tokens.
 *
 * Usage:
 *     static struct clock_entropy weak_entropy;
 *     boot_check(clock_entropy_init(&weak_entropy, &timer.alarm), "clock entropy");
 *     hand &weak_entropy.entropy to the consumer (capsules/rng.h).
 *
 * Invariants: `buf` is non-NULL exactly while a request waits for its deferred call.
 */
#pragma once

#include <stddef.h>
#include <stdint.h>

#include "hil/alarm.h"
#include "hil/entropy.h"
#include "kernel/deferred_call.h"

struct clock_entropy {
    struct hil_entropy entropy;
    struct hil_alarm *clock; /* only now() is used */
    struct deferred_call fill;
    uint8_t *buf;
    size_t len;
};

/* Boot only. Returns deferred_call_register's error. */
MUST_CHECK err_t clock_entropy_init(struct clock_entropy *source, struct hil_alarm *clock);
