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
#include <stddef.h>
#include <stdint.h>

#include "kernel/grant.h"
#include "kernel/process.h"

enum grant_slot_kind {
    GRANT_SLOT_UPCALL,
    GRANT_SLOT_READ_ONLY,
    GRANT_SLOT_READ_WRITE,
    GRANT_SLOT_USERSPACE_READABLE,
};

/* struct grant's slot_counts[kind] is the count named for kind. */
_Static_assert(offsetof(struct grant, upcalls) ==
                       offsetof(struct grant, slot_counts) + GRANT_SLOT_UPCALL &&
                   offsetof(struct grant, read_only) ==
                       offsetof(struct grant, slot_counts) + GRANT_SLOT_READ_ONLY &&
                   offsetof(struct grant, read_write) ==
                       offsetof(struct grant, slot_counts) + GRANT_SLOT_READ_WRITE &&
                   offsetof(struct grant, userspace_readable) ==
                       offsetof(struct grant, slot_counts) + GRANT_SLOT_USERSPACE_READABLE,
               "slot_counts follows enum grant_slot_kind");

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

/* Slot n of kind in p's instance of g when p has one, NULL when it has none or n is not a
 * declared slot; allocates nothing (grant_slot does). For a caller that holds p and reads
 * another process's slots on a hot path (the IPC notify). */
static inline __attribute__((always_inline)) uint32_t *
grant_slot_if_allocated(const struct grant *g, const struct process *p, enum grant_slot_kind kind,
                        uint32_t n)
{
    uintptr_t base = p->grant_pointers[g->index];
    if (base == 0 || n >= g->slot_counts[kind]) {
        return NULL;
    }
    /* SAFETY: an instance starts with its slot header, slot_counts[kind] pairs of kind at word
     * slot_words[kind] (grant_create); n is below the count. */
    return (uint32_t *)base + g->slot_words[kind] + 2u * n;
}

/* grant_slot_if_allocated's two words copied to out: false, out untouched, when there is no
 * such slot. (Inlined, out stays in registers and no pointer is tested for NULL.) */
static inline __attribute__((always_inline)) bool
grant_slot_read(const struct grant *g, const struct process *p, enum grant_slot_kind kind,
                uint32_t n, uint32_t out[2])
{
    uintptr_t base = p->grant_pointers[g->index];
    if (base == 0 || n >= g->slot_counts[kind]) {
        return false;
    }
    /* SAFETY: as in grant_slot_if_allocated. */
    const uint32_t *slot = (const uint32_t *)base + g->slot_words[kind] + 2u * n;
    out[0] = slot[0];
    out[1] = slot[1];
    return true;
}

/* The process whose instance kd is: live for as long as the entry lasts. */
struct process *grant_entered_process(const struct grant_kernel_data *kd);

/* Slots first .. first+count-1 of kind in kd's instance (the one being entered), as count
 * consecutive {address, length} word pairs: a snapshot of several allows in one read. NULL if
 * any of them is not a declared slot. */
const uint32_t *grant_slots_of(const struct grant_kernel_data *kd, enum grant_slot_kind kind,
                               uint32_t first, uint32_t count);
