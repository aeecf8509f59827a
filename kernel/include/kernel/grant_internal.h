/* SPDX-License-Identifier: Apache-2.0 OR MIT */
/*
 * Kernel-only access to grant slots, for the subscribe and allow syscalls.
 *
 * An allocated grant instance in process memory is laid out as
 *     upcalls × {fn, appdata} | read-only × {ptr, len} | read-write × {ptr, len}
 *     | userspace-readable × {ptr, len} | padding | data
 * and lives above the process's kernel break, where the MPU gives the process no access.
 */
#pragma once

#include <stdbool.h>
#include <stdint.h>

#include "kernel/grant.h"
#include "kernel/process.h"

enum grant_slot_kind {
    GRANT_SLOT_UPCALL,
    GRANT_SLOT_READ_ONLY,
    GRANT_SLOT_READ_WRITE,
    GRANT_SLOT_USERSPACE_READABLE,
};

/**
 * Find (allocating if needed) p's instance of the grant for driver_num and return a pointer to
 * slot `n` of `kind` (two words). ERR_NOMEM (no grant for the driver, or no room),
 * ERR_NOSUPPORT (n is not a declared slot).
 */
MUST_CHECK err_t grant_slot(struct kernel *k, struct process *p, struct grant *g,
                            enum grant_slot_kind kind, uint32_t n, uint32_t **slot);

/* grant_is_allocated for a process the caller already holds (no lookup by id). */
static inline bool grant_is_allocated_in(const struct grant *g, const struct process *p)
{
    return p->grant_pointers[g->index] != 0;
}

/* The process whose instance kd is: live for as long as the entry lasts. */
struct process *grant_entered_process(const struct grant_kernel_data *kd);

/* Slots first .. first+count-1 of kind in kd's instance (the one being entered), as count
 * consecutive {address, length} word pairs: a snapshot of several allows in one read. NULL if
 * any of them is not a declared slot. */
const uint32_t *grant_slots_of(const struct grant_kernel_data *kd, enum grant_slot_kind kind,
                               uint32_t first, uint32_t count);
