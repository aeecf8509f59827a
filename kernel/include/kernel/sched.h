/* SPDX-License-Identifier: Apache-2.0 OR MIT */
/*
 * The scheduling policy: exactly one kernel/sched_*.c is linked into an image, chosen by the
 * board's build (SCHED=round_robin (default), priority, cooperative or mlfq: boards/boards.mk;
 * record 027). Plain functions chosen at link time, not a table of pointers: the loop and the
 * trap's switch ask them on every decision, and LTO inlines them there (round-robin's answers
 * are constants where it can, so it costs the fast paths nothing).
 *
 * The mechanism stays in scheduler.c (running a process, preemption by kernel work, the trap's
 * switch, upcall delivery); a policy answers, about processes process_is_ready() can judge:
 *   sched_pick      which ready process runs next (NULL: none is ready);
 *   sched_slice_us  how long p may run when it starts afresh (0: until it blocks);
 *   sched_keeps     kernel work interrupted `running` with left_us of its slice left: may it
 *                   go on with that rest before a fresh pick?
 *   sched_outranked must another ready process run before `running` goes on: asked after the
 *                   kernel work that interrupted a kept process was serviced, and after every
 *                   syscall the trap finished (so a process that an interrupt or a syscall
 *                   readied preempts at once when the policy ranks it higher);
 * and is told:
 *   sched_stopped   p stopped: its slice ran out, or it blocked (yielded, exited, faulted);
 *   sched_started   p (re)starts: set its policy state.
 *
 * Invariants: sched_pick returns only ready processes; kernel work preempts a process whatever
 * the policy (interrupts and deferred calls are serviced before any process runs).
 */
#pragma once

#include <stdbool.h>
#include <stdint.h>

struct kernel;
struct process;

enum sched_stop {
    SCHED_EXPIRED, /* it used its whole slice */
    SCHED_BLOCKED, /* it yielded, exited or faulted */
};

struct process *sched_pick(struct kernel *k);
uint32_t sched_slice_us(const struct kernel *k, const struct process *p);
bool sched_keeps(struct kernel *k, const struct process *running, uint32_t left_us);
bool sched_outranked(struct kernel *k, const struct process *running);
void sched_stopped(struct kernel *k, struct process *p, enum sched_stop why);
void sched_started(struct kernel *k, struct process *p);
