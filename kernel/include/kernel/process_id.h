/* SPDX-License-Identifier: Apache-2.0 OR MIT */
/*
 * Process identity: a slot index plus an id that is never reused within a boot.
 *
 * `index` is the process's slot in the kernel's table (IPC addresses peers by it); `id` is taken
 * from a kernel-wide counter at every load and restart (first process: id 0), so a stale
 * struct process_id held by a capsule never matches a restarted process in the same slot.
 */
#pragma once

#include <stdbool.h>
#include <stdint.h>

/* 8-byte aligned: GCC then passes and keeps a process_id in a register pair (a 64-bit mode)
 * instead of spilling it to the stack in every function that takes one by value, as it does
 * for a 4-byte aligned 8-byte struct. That is most drivers' command path: -900 bytes of kernel
 * text and several instructions per command (doc/reference/018-fast-paths.md). The cost is
 * padding where a struct holds one after an odd number of words; put it first or pair it. */
struct __attribute__((aligned(8))) process_id {
    uint32_t index;
    uint32_t id;
};

static inline bool process_id_equal(struct process_id a, struct process_id b)
{
    return a.index == b.index && a.id == b.id;
}
