/* SPDX-License-Identifier: Apache-2.0 OR MIT */
/*
 * The kernel's clock: milliseconds since boot and one wake-up, for the fault policy's back-off
 * and healthy-run rule (kernel/fault_policy.c). The kernel core has no timer of its own; a
 * board gives it one built on an alarm (capsules/core/kernel_clock_alarm.c) with
 * kernel_set_clock. Without one, restarts happen at once and no run counts as healthy.
 *
 * Invariants: now_ms never goes backwards (it wraps after 2^32 ms; the kernel compares times
 * by their difference); after wake_at calls the clock calls kernel_clock_fired once, at or
 * after the earliest time asked for since it last did, from the kernel loop (never from inside
 * wake_at). kernel_clock_fired asks again for whatever is still pending.
 */
#pragma once

#include <stdint.h>

struct kernel_clock;

struct kernel_clock_ops {
    uint32_t (*now_ms)(struct kernel_clock *clock);
    void (*wake_at)(struct kernel_clock *clock, uint32_t at_ms);
};

struct kernel_clock {
    const struct kernel_clock_ops *ops;
};
