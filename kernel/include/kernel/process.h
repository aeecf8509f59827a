/* SPDX-License-Identifier: Apache-2.0 OR MIT */
/*
 * A process: one application instance loaded from a TBF, with its RAM block, MPU configuration,
 * registers, upcall queue and grant table. The array of processes is a board static owned by the
 * kernel; nothing about a process lives in the process's own memory except its grants.
 *
 * Process RAM:   mem_start ... app_brk (app) ... kernel_brk ... mem_end (grants, top down)
 *
 * Invariants: mem_start <= allow_high_water <= app_brk <= kernel_brk <= mem_start + mem_size;
 * the MPU exposes [mem_start, app_brk) rounded up, never reaching kernel_brk; a process that is
 * not alive has no grants, an empty queue and no shared (IPC) regions.
 */
#pragma once

#include <stdbool.h>
#include <stdint.h>

#include "arch/arch_types.h"
#include "errorcode.h"
#include "kernel/app_identity.h"
#include "kernel/process_id.h"
#include "kernel/storage_permissions.h"
#include "kernel/upcall_queue.h"

/* Drivers with a grant, at most (grants_entered has a bit per grant): the full demo board has 17
 * (with the app loader, IPC_SHARE and the message queues). */
#define PROCESS_MAX_GRANTS 20u
#define PROCESS_NAME_MAX 32u
#define PROCESS_MAX_WRITEABLE_REGIONS 8u
#define PROCESS_AFTER_UPCALL_ROOM 0x1u
#define PROCESS_AFTER_UPCALL_TRACE 0x2u

enum process_state {
    PROCESS_EMPTY,       /* slot unused */
    PROCESS_RUNNING,     /* runnable */
    PROCESS_YIELDED,     /* Yield-Wait: waits for a function-call upcall */
    PROCESS_YIELDED_FOR, /* Yield-WaitFor(yield_driver, yield_subscribe) */
    PROCESS_STOPPED,     /* stopped by the kernel (not scheduled, keeps its state) */
    PROCESS_FAULTED,     /* faulted and stopped by the fault policy */
    PROCESS_TERMINATED,  /* exited */
};

/* What happens to a process after its fault report (doc/reference/023-fault-reports.md). In
 * every case the instance ends first: its grants, queued upcalls, shares, mutexes and queued
 * driver requests are released (exit hooks), so a fault never holds up another process. */
enum process_fault_action {
    PROCESS_FAULT_STOP,    /* stopped for good: its RAM is cleared */
    PROCESS_FAULT_RESTART, /* restarted after a back-off while the streak budget lasts, then stop */
    PROCESS_FAULT_HOLD,    /* kept faulted with RAM and registers as they were, for inspection */
};

struct process_fault_policy {
    enum process_fault_action action;
    /* RESTART: how many faults in a row are restarted; an instance restarted within a streak
     * that then runs healthy_ms (or any clean exit) ends the streak. */
    uint32_t max_restarts;
    /* RESTART: wait before the first restart of a streak, doubled for each next one, at most
     * PROCESS_FAULT_BACKOFF_MAX_MS (0: restart at once). Needs the kernel clock. */
    uint32_t backoff_ms;
    uint32_t healthy_ms; /* RESTART: 0: no run counts as healthy */
};

#define PROCESS_FAULT_BACKOFF_MAX_MS 30000u

/* A board's per-app policy, matched on the process name (the TBF package name) at load. */
struct process_fault_override {
    const char *name;
    struct process_fault_policy policy;
};

struct process {
    /* First: the trap gets the context, and the process is then the same address, with its
     * fields at small offsets from it (kernel_syscall_fast, record 018). */
    struct arch_context context;
    struct process_id pid; /* 8-byte aligned (process_id.h): before state, so no padding */
    enum process_state state;
    /* Flash: the TBF object. */
    uintptr_t flash_start;
    uint32_t flash_size;
    uint32_t protected_size; /* header + protected trailer */
    uintptr_t entry_point;   /* header + init_fn_offset (odd on Thumb) */
    char name[PROCESS_NAME_MAX + 1];
    const uint8_t *package_name; /* in flash, for IPC discovery (exact bytes) */
    uint32_t package_name_len;
    uint32_t writeable_region_count;
    uint32_t writeable_regions[PROCESS_MAX_WRITEABLE_REGIONS][2]; /* from flash_start, size */
    struct storage_permissions storage_permissions; /* TBF TLV 7 (is_present false without) */
    /* RAM. */
    uintptr_t mem_start;
    uint32_t mem_size;
    uintptr_t app_brk;
    uintptr_t kernel_brk;
    uintptr_t initial_kernel_brk;
    uintptr_t allow_high_water;
    uintptr_t debug_stack_top; /* memop 10 */
    uintptr_t debug_heap_start;  /* memop 11 */
    /* Execution. */
    struct arch_mpu mpu;
    uint32_t yield_driver;
    uint32_t yield_subscribe;
    /* Scheduling policy state (sched.h): the MLFQ level and the fixed-priority rank (0 the
     * highest of each). */
    uint8_t sched_level;
    uint8_t sched_rank;
    struct upcall_queue queue;
    uintptr_t grant_pointers[PROCESS_MAX_GRANTS]; /* 0 = not allocated */
    uint32_t grants_entered;                      /* bit per grant: re-entry detection */
    /* What the kernel does after p takes an upcall, tested as one byte on every delivery:
     * PROCESS_AFTER_UPCALL_ROOM, a ready hook holds events for p for lack of queue space
     * (on_room); PROCESS_AFTER_UPCALL_TRACE, the upcall goes to the kernel's tracer. */
    uint8_t after_upcall;
    /* Every syscall of p goes through the loop's syscall_handle, which reports it to the
     * kernel's tracer (process_set_traced keeps it equal to PROCESS_AFTER_UPCALL_TRACE). */
    bool is_traced;
    /* Accounting. */
    struct process_fault_policy fault_policy;
    uint32_t restart_count;
    uint32_t fault_count;
    uint32_t fault_streak;  /* faults in a row, none after a healthy run (fault_policy.h) */
    uint32_t policy_due_ms; /* while restart_pending or on_probation: when that ends */
    bool restart_pending;   /* FAULTED, to be restarted when its back-off ends */
    bool on_probation;      /* restarted within a streak: healthy once it runs healthy_ms */
    uint32_t completion_code;
    uint32_t syscall_count;
    uint32_t dropped_upcalls;
    uint32_t timeslice_expirations;
    enum process_state state_before_stop; /* valid while STOPPED: where process_resume goes */
    /* Who the app is (kernel/credentials.h): set once at load, kept across restarts. */
    struct app_identity identity;
};

/* Running, yielded (either way) or stopped: the states from RUNNING to STOPPED, in that order
 * (inline: every grant entry and process lookup asks). */
_Static_assert(PROCESS_YIELDED == PROCESS_RUNNING + 1 &&
                   PROCESS_YIELDED_FOR == PROCESS_RUNNING + 2 &&
                   PROCESS_STOPPED == PROCESS_RUNNING + 3,
               "process_is_alive relies on the order of enum process_state");
static inline bool process_is_alive(const struct process *p)
{
    return (uint32_t)p->state - (uint32_t)PROCESS_RUNNING <=
           (uint32_t)PROCESS_STOPPED - (uint32_t)PROCESS_RUNNING;
}

/* Running, or yielding with work to deliver: what a scheduling policy may pick (sched.h). The
 * cheap tests come first: a slot that is not running and has an empty queue (empty, stopped,
 * or blocked with nothing queued: most slots most of the time) is rejected after two loads. */
static inline bool process_is_ready(const struct process *p)
{
    if (p->state == PROCESS_RUNNING) {
        return true;
    }
    if (p->queue.pending == 0) { /* ring and latched slots both empty */
        return false;
    }
    /* Tested as an offset from PROCESS_YIELDED: the scheduler's walk inlines this, and on
     * RV32 comparing with 0 and 1 (which PROCESS_RUNNING's test already holds) spares the
     * registers the walk needs for its loop. */
    uint32_t waiting = (uint32_t)p->state - (uint32_t)PROCESS_YIELDED;
    if (waiting == (uint32_t)PROCESS_YIELDED - (uint32_t)PROCESS_YIELDED) {
        return upcall_queue_has_function(&p->queue);
    }
    if (waiting == (uint32_t)PROCESS_YIELDED_FOR - (uint32_t)PROCESS_YIELDED) {
        /* The ring only: a latched event it waits for completes the wait when it is scheduled
         * or when the wait begins (process_wait_takes_latched), so none is ever pending here. */
        return upcall_queue_ring_has_match(&p->queue, p->yield_driver, p->yield_subscribe);
    }
    return false;
}

/* [addr, addr+len) lies inside [mem_start, app_brk) without wrapping (len > 0). */
bool process_in_app_ram(const struct process *p, uintptr_t addr, uint32_t len);
/* [addr, addr+len) lies in the flash after the protected region. */
bool process_in_app_flash(const struct process *p, uintptr_t addr, uint32_t len);
/* [addr, addr+len) (len > 0) lies inside one of the process's Writeable Flash Regions (the
 * loader only starts processes whose regions lie inside their own TBF after the protected
 * region). */
bool process_in_writeable_flash(const struct process *p, uintptr_t addr, uint32_t len);
