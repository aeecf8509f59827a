/* SPDX-License-Identifier: Apache-2.0 OR MIT */
/*
 * Fake grants and processes for host tests (kernel/grant.h on the host).
 *
 * Processes are slots in a static table; each gets a fresh id when created (as the kernel's
 * counter does), so a pid kept after fake_process_kill() is stale and grant_enter() answers
 * ERR_INVAL, exactly like the real kernel for a dead process. Allow buffers are host memory
 * the test owns; upcalls are recorded, in order, instead of being delivered. Entering a grant
 * that is already entered (grant_enter or grant_each) fails the test, as the kernel panics.
 *
 * Usage:
 *     fake_grant_reset();
 *     assert_int_equal(console_init(&console, ..., NULL), ERR_OK);   // grant_create
 *     struct process_id a = fake_process_create();
 *     fake_process_allow_ro(a, CONSOLE_DRIVER_NUM, 1, "hi", 2);
 *     ... driver command ...
 *     assert_int_equal(fake_grant_upcall(0)->args[1], 2);
 *
 * Invariants: instance data is zeroed when first entered and when its process is killed.
 */
#pragma once

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "errorcode.h"
#include "kernel/grant.h"
#include "kernel/process_id.h"

#define FAKE_GRANT_MAX_PROCESSES 8u
#define FAKE_GRANT_MAX_GRANTS 8u
#define FAKE_GRANT_MAX_SLOTS 5u /* per allow class and for subscribe (the app loader has 5 upcalls) */
#define FAKE_GRANT_DATA_MAX 256u
#define FAKE_GRANT_MAX_UPCALLS 512u

struct fake_upcall {
    uint32_t driver_num;
    struct process_id pid;
    uint32_t subscribe_num;
    uint32_t args[3];
    bool is_removed; /* by grant_remove_pending_upcalls */
};

/* Forget every grant, process, allow and upcall record. */
void fake_grant_reset(void);
/* The next grant_create() fails with `err` (once). */
void fake_grant_fail_next_create(err_t err);
/* True while some grant is entered (grant_enter or grant_each is running). */
bool fake_grant_is_entered(void);

/* A new live process in the lowest free slot, with a fresh id. Fails the test when full. */
struct process_id fake_process_create(void);
/* The process exits: its slot frees and its grant instances and allows vanish. */
void fake_process_kill(struct process_id pid);
bool fake_process_is_alive(struct process_id pid);
/* While set, allocating a new grant instance for pid fails with ERR_NOMEM. */
void fake_process_set_nomem(struct process_id pid, bool is_nomem);
/* While set, grant_schedule_upcall for pid fails with ERR_NOMEM (the event is dropped). */
void fake_process_set_upcall_queue_full(struct process_id pid, bool is_full);
/* Allow host memory as slot n of the grant of `driver_num` (allocating its instance, as a real
 * allow does). len 0 or buf NULL unallows. Fails the test for an undeclared slot. */
void fake_process_allow_ro(struct process_id pid, uint32_t driver_num, uint32_t n,
                           const void *buf, size_t len);
void fake_process_allow_rw(struct process_id pid, uint32_t driver_num, uint32_t n, void *buf,
                           size_t len);
void fake_process_allow_ur(struct process_id pid, uint32_t driver_num, uint32_t n, void *buf,
                           size_t len);

/* Scheduled upcalls, oldest first (removed ones included, flagged). */
size_t fake_grant_upcall_count(void);
const struct fake_upcall *fake_grant_upcall(size_t i);
/* How many not-removed upcalls match (driver_num, pid, subscribe_num). */
size_t fake_grant_upcall_count_for(uint32_t driver_num, struct process_id pid,
                                   uint32_t subscribe_num);
void fake_grant_clear_upcalls(void);
