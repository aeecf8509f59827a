/* SPDX-License-Identifier: Apache-2.0 OR MIT */
/*
 * Fake kernel debug output for host tests: a small ring and a log.
 *
 * Everything written through debug_printf/debug_write is appended to a log the test reads
 * (fake_debug_log) and to a ring of settable capacity that a sink drains with debug_take; when
 * the ring is full the newest bytes are dropped and counted (debug_take_dropped), like the
 * kernel's. The sink is kicked after every write. kernel_panic fails the test.
 *
 * Usage:
 *     fake_debug_reset(FAKE_DEBUG_RING_MAX);
 *     ... code under test calls debug_printf ...
 *     assert_string_equal(fake_debug_log(), "LowLevelDebug: App 0x0 prints 0x1\n");
 *
 * Invariants: ring_len <= capacity; the log holds at most FAKE_DEBUG_LOG_MAX bytes.
 */
#pragma once

#include <stddef.h>
#include <stdint.h>

#include "kernel/debug.h"

#define FAKE_DEBUG_RING_MAX 4096u
#define FAKE_DEBUG_LOG_MAX 8192u

/* Empty the ring and log, forget the sink; `capacity` (<= FAKE_DEBUG_RING_MAX) bounds the ring. */
void fake_debug_reset(size_t capacity);
/* Every byte written so far (dropped ones included), NUL-terminated. */
const char *fake_debug_log(void);
/* Bytes currently waiting in the ring. */
size_t fake_debug_pending(void);
unsigned fake_debug_kicks(void);
