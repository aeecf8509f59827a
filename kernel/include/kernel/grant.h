/* SPDX-License-Identifier: Apache-2.0 OR MIT */
/*
 * Grants: per-process kernel state carved from the top of that process's own RAM.
 *
 * A capsule that keeps state per process declares one struct grant (a board static) and creates
 * it at boot with the size of its per-process struct and its upcall/allow slot counts. The
 * instance for a process is allocated on first entry and is reachable only inside a grant_fn
 * callback, so no pointer into process memory outlives the call. Instances vanish when the
 * process exits, faults or restarts.
 *
 * Usage:
 *     static err_t command_in_grant(void *data, struct grant_kernel_data *kd, void *ctx) {...}
 *     err = grant_enter(&console->grant, pid, command_in_grant, &args);
 *
 * Invariants: grants are created before the first process loads; a grant is never entered twice
 * at once (re-entry is a kernel bug and panics); `data` is zeroed on allocation and aligned to
 * `data_align`.
 */
#pragma once

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "errorcode.h"
#include "kernel/process_id.h"

struct kernel;
struct grant_kernel_data; /* opaque: the slots and identity of one process's instance */

struct grant {
    struct kernel *kernel;
    uint32_t driver_num;
    uint32_t index; /* position in the kernel's grant table */
    uint32_t data_size;
    uint32_t data_align;
    union {
        struct {
            uint8_t upcalls;            /* subscribe slots */
            uint8_t read_only;          /* read-only allow slots */
            uint8_t read_write;         /* read-write allow slots */
            uint8_t userspace_readable; /* userspace-readable allow slots (class 7) */
        };
        /* The same four counts indexed by enum grant_slot_kind (one load, no switch). */
        uint8_t slot_counts[4];
    };
    /* Computed once by grant_create (every grant access needs them): the words of slots
     * before each kind's first slot (enum grant_slot_kind order), and the bytes of the slot
     * header, rounded up to data_align (where the capsule's data starts). */
    uint16_t slot_words[4];
    uint32_t header_bytes;
    /* Latched subscribes (record 030): bit n set when subscribe n is latched; ring_upcalls is
     * the lowest latched subscribe (upcalls when none), so the scheduling of an ordinary event
     * below it tests one byte, as it would the slot count. */
    uint32_t latched_upcalls;
    uint8_t ring_upcalls;
};

struct grant_config {
    uint32_t driver_num;
    uint32_t data_size;
    uint32_t data_align; /* power of two, at most 8 */
    uint8_t upcalls;
    uint8_t read_only;
    uint8_t read_write;
    uint8_t userspace_readable;
    /* Bit n: subscribe n is latched (doc/reference/030-latched-upcalls.md): its events take the
     * process's latched slot for (driver, n), newest wins, instead of a ring entry. Only
     * subscribes below `upcalls` (and below 32) may be named. */
    uint32_t latched_upcalls;
};

typedef err_t (*grant_fn)(void *data, struct grant_kernel_data *kd, void *ctx);
typedef void (*grant_each_fn)(struct process_id pid, void *data, struct grant_kernel_data *kd,
                              void *ctx);

/**
 * Boot only: register `g`. Returns ERR_NOMEM when the kernel's grant table is full, ERR_INVAL for
 * a bad alignment or a latched subscribe that is not declared, ERR_ALREADY if a grant for the
 * driver number exists or processes are loaded.
 */
MUST_CHECK err_t grant_create(struct grant *g, struct kernel *k, const struct grant_config *config);

/**
 * Run fn with exclusive access to pid's instance, allocating it (zeroed) on first use.
 * Returns ERR_INVAL (no live process with that identity), ERR_NOMEM (no room between the
 * process's break and its grant region) or fn's result. Kernel loop only.
 */
MUST_CHECK err_t grant_enter(struct grant *g, struct process_id pid, grant_fn fn, void *ctx);

/* grant_enter for an instance that must exist already: ERR_NODEVICE, allocating nothing, when
 * pid is not a live process or has no instance of g (for reading another process's state). */
MUST_CHECK err_t grant_enter_existing(struct grant *g, struct process_id pid, grant_fn fn,
                                      void *ctx);

/* Call fn for every live process that has an instance of g, in slot order. */
void grant_each(struct grant *g, grant_each_fn fn, void *ctx);

/* True when the owning process has an event of this driver's `subscribe_num` queued or latched,
 * not yet delivered (a driver keeping one completion outstanding at a time). */
bool grant_upcall_is_pending(const struct grant_kernel_data *kd, uint32_t subscribe_num);

/* True when pid is live and already has an instance of g (nothing is allocated). */
_Bool grant_is_allocated(struct grant *g, struct process_id pid);

/* The identity of the process whose instance kd belongs to. */
struct process_id grant_process(const struct grant_kernel_data *kd);

/**
 * Queue upcall `subscribe_num` with three arguments for the owning process (appdata is added by
 * the kernel). Returns ERR_INVAL (slot not declared), ERR_NOMEM (the process's upcall queue is
 * full; the event is dropped and counted) or ERR_OK. Null upcalls are queued as records that
 * only Yield-WaitFor consumes. A latched subscribe's event takes its latched slot instead
 * (overwriting a pending one; never ERR_NOMEM unless every latched slot holds another identity
 * and the ring is full too).
 */
MUST_CHECK err_t grant_schedule_upcall(struct grant_kernel_data *kd, uint32_t subscribe_num,
                                       uint32_t arg0, uint32_t arg1, uint32_t arg2);

/* Drop every queued or latched upcall of this driver's slot `subscribe_num` for the owning
 * process. */
void grant_remove_pending_upcalls(struct grant_kernel_data *kd, uint32_t subscribe_num);

/* Length of read-only / read-write allow slot n (0 when unset or n not declared). */
size_t grant_ro_len(const struct grant_kernel_data *kd, uint32_t n);
size_t grant_rw_len(const struct grant_kernel_data *kd, uint32_t n);
/* The process allowed a buffer at a non-NULL address in slot n, even one of length 0 (a
 * NULL allow, or none, is "no buffer"). */
bool grant_ro_is_set(const struct grant_kernel_data *kd, uint32_t n);
bool grant_rw_is_set(const struct grant_kernel_data *kd, uint32_t n);

/**
 * Copy `len` bytes starting at `offset` of an allowed buffer. The range is checked against the
 * buffer's current length on every call. Returns ERR_SIZE if it does not fit, else ERR_OK.
 */
MUST_CHECK err_t grant_ro_read(const struct grant_kernel_data *kd, uint32_t n, size_t offset,
                               void *dst, size_t len);
MUST_CHECK err_t grant_rw_read(const struct grant_kernel_data *kd, uint32_t n, size_t offset,
                               void *dst, size_t len);
MUST_CHECK err_t grant_rw_write(struct grant_kernel_data *kd, uint32_t n, size_t offset,
                                const void *src, size_t len);

/* Userspace-readable allow slot n: length, and a bounds-checked write into it. */
size_t grant_ur_len(const struct grant_kernel_data *kd, uint32_t n);
MUST_CHECK err_t grant_ur_write(struct grant_kernel_data *kd, uint32_t n, size_t offset,
                                const void *src, size_t len);
