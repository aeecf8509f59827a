/* SPDX-License-Identifier: Apache-2.0 OR MIT */
/*
 * The kernel loop: service interrupts and deferred calls, then run processes as the board's
 * scheduling policy chooses (sched.h: round-robin, fixed priority, cooperative or MLFQ), with
 * the timeslice it gives. Upcalls are delivered here, only to processes that are yielding.
 *
 * Invariants: a process runs only after every pending interrupt and deferred call has been
 * serviced; a process preempted by kernel work goes on with the rest of its slice if the
 * policy keeps it (round-robin: with at least KERNEL_MIN_QUANTUM_US left), else the policy
 * picks again; the policy hears of every slice that ran out and every process that blocked.
 */
#include "kernel/kernel.h"

#include "kernel/arch.h"
#include "kernel/trace.h"
#include "kernel/deferred_call.h"
#include "kernel/sched.h"
#include "kernel/yield_wait.h"
#include "container.h"

#include <stddef.h>

/* deliver_queued's latched cases (record 030), out of line and reached by tail calls so that
 * the common delivery keeps its shape (a leaf where the arch allows): a Yield-Wait whose ring
 * holds no function call has the first latched one moved into the ring, from where the next
 * delivery attempt (the scheduler picks the process again: it is ready) pushes it; a
 * Yield-WaitFor takes its match from a latched slot (defensive: such an event completes the
 * wait when it is scheduled or when the wait begins). */
__attribute__((noinline)) static void deliver_latched(struct process *p)
{
    if (p->state == PROCESS_YIELDED) {
        (void)upcall_queue_latched_to_ring(&p->queue);
    } else {
        (void)process_wait_takes_latched(p);
    }
}

/* Yield-WaitFor's delivery: the first task in the ring with the awaited identity becomes the
 * syscall's return values (no upcall runs); failing that, a latched one. */
__attribute__((noinline)) static void deliver_match(struct process *p)
{
    struct upcall_task task;
    if (!upcall_queue_ring_take_match(&p->queue, p->yield_driver, p->yield_subscribe, &task)) {
        if (p->queue.latched != 0) {
            deliver_latched(p);
        }
        return;
    }
    process_complete_wait(p, &task);
}

/* deliver_queued's rarer Yield-Wait cases, when the ring's head is not a function call: drop
 * the null records ahead of the first one (it is delivered at the process's next delivery: it
 * is still ready, and the scheduler comes back to it), or, with none in the ring, move a
 * latched one there. */
__attribute__((noinline)) static void deliver_after_null_records(struct process *p)
{
    if (upcall_queue_skip_null_records(&p->queue) == NULL && p->queue.latched_wakes != 0) {
        deliver_latched(p);
    }
}

/* Turn a yielding process with matching work into a running one. The common case (a function
 * call at the head of the ring) calls out only as its last step, so it saves no registers. */
__attribute__((noinline)) static void deliver_queued(struct kernel *k, struct process *p)
{
    if (p->state == PROCESS_YIELDED_FOR) {
        deliver_match(p);
        return;
    }
    if (p->state != PROCESS_YIELDED) {
        return;
    }
    const struct upcall_task *head = upcall_queue_head_if_function(&p->queue);
    if (head == NULL) {
        deliver_after_null_records(p);
        return;
    }
    err_t err = arch_push_upcall(&p->context, head); /* read in place, then dropped */
    if (err != ERR_OK) {
        upcall_queue_drop_head_function(&p->queue);
        process_fault(k, p, "upcall frame: stack pointer outside process memory");
        return;
    }
    p->state = PROCESS_RUNNING;
    upcall_queue_drop_head_function(&p->queue);
}

/* deliver_queued for a process whose after_upcall asks for more: tell the tracer before (the
 * queue still holds the task) and after (its arguments are in p's registers), and let hooks
 * that hold events for lack of room queue them. Apart from deliver_queued, so the common
 * delivery keeps nothing live for this. */
__attribute__((noinline)) static void deliver_queued_noted(struct kernel *k, struct process *p)
{
    trace_upcall_coming(k, p);
    deliver_queued(k, p);
    if (p->state != PROCESS_RUNNING) {
        return; /* nothing was delivered, or the push faulted it */
    }
    trace_upcall_delivered(k, p);
    if ((p->after_upcall & PROCESS_AFTER_UPCALL_ROOM) != 0) {
        kernel_offer_room(k, p);
    }
}

/* deliver_queued, for a process that may have something to deliver: the common cases (running,
 * or an empty queue and no latched event) cost a few instructions. */
static inline void deliver_pending(struct kernel *k, struct process *p)
{
    if (p->state != PROCESS_RUNNING && p->queue.pending != 0) {
        if (__builtin_expect(p->after_upcall != 0, 0)) {
            deliver_queued_noted(k, p);
        } else {
            deliver_queued(k, p);
        }
    }
}

static bool kernel_work_pending(const struct kernel *k)
{
    return deferred_call_has_pending() || chip_has_pending_interrupts(k->config.chip);
}

/* Out of line: the loop and the trap's switch share one copy. */
__attribute__((noinline)) static void reload_mpu(struct kernel *k, const struct arch_mpu *mpu)
{
    arch_mpu_configure(mpu);
    k->mpu_loaded = mpu;
    k->mpu_loaded_generation = mpu->generation;
}

/* Reprogram the MPU/PMP only when it may hold something other than mpu as it is now. */
static inline void load_mpu(struct kernel *k, const struct arch_mpu *mpu)
{
    if (k->mpu_loaded != mpu || k->mpu_loaded_generation != mpu->generation) {
        reload_mpu(k, mpu);
    }
}

/* The policy's choice (sched.h). Out of line: the loop and the trap's switch share one copy. */
__attribute__((noinline)) static struct process *pick_next(struct kernel *k)
{
    return sched_pick(k);
}

/* Start p's slice as the policy says: the usual full one without a conversion, none at all
 * for a policy that runs a process until it blocks. */
static inline void start_slice(uint32_t slice_us)
{
    if (slice_us == KERNEL_TIMESLICE_US) {
        arch_timeslice_start_full();
    } else if (slice_us == 0) {
        arch_timeslice_stop();
    } else {
        arch_timeslice_start(slice_us);
    }
}

/* The kernel whose process arch_switch_to_process is running, for kernel_syscall_fast. */
static struct kernel *fast_kernel;

/* The running process blocked in a syscall the fast path finished. With no kernel work to do,
 * the next ready process starts its slice straight from the trap, as kernel_step would start
 * it: the same choice (pick_next from the same cursor), a full slice, the same delivery. */
__attribute__((noinline)) static enum kernel_fast_result
switch_from_trap(struct kernel *k, struct process *blocked, struct kernel_fast_switch *next)
{
    if (kernel_work_pending(k)) {
        return KERNEL_FAST_STOP;
    }
    struct process *q = pick_next(k);
    if (q == NULL) {
        return KERNEL_FAST_STOP; /* nothing to run: the loop sleeps */
    }
    deliver_pending(k, q);
    if (q->state != PROCESS_RUNNING || deferred_call_has_pending()) {
        return KERNEL_FAST_STOP; /* the loop picks again from the same cursor */
    }
    /* Committed to the switch: the policy hears of the blocked process once (the loop does,
     * on the paths above), while its slice timer still runs, and q's slice starts. */
    sched_stopped(k, blocked, SCHED_BLOCKED);
    start_slice(sched_slice_us(k, q));
    k->last_scheduled = q->pid.index;
    load_mpu(k, &q->mpu);
    next->ctx = &q->context;
    return KERNEL_FAST_SWITCH;
}

enum kernel_fast_result kernel_syscall_fast(struct arch_context *ctx,
                                            struct kernel_fast_switch *next)
{
    struct kernel *k = fast_kernel;
    struct process *p = CONTAINER_OF(ctx, struct process, context);
    if (trace_takes_syscall(p)) {
        return KERNEL_FAST_DEFER; /* the loop's syscall_handle reports it to the tracer */
    }
    uint32_t generation = p->mpu.generation;
    if (!syscall_handle_fast(k, p)) {
        return KERNEL_FAST_DEFER;
    }
    if (__builtin_expect(p->state != PROCESS_RUNNING, 0)) {
        deliver_pending(k, p); /* a yield with an upcall ready goes straight to it */
        if (p->state != PROCESS_RUNNING) {
            return switch_from_trap(k, p, next);
        }
    }
    /* The loop must see work it polls for (deferred calls) and new memory bounds (the arch
     * checks the next trap's frame against the switch's bounds). */
    bool bounds_changed = p->mpu.generation != generation;
    /* And the policy's preemption: the syscall readied a process it runs first (round-robin:
     * never, a constant). One branch for all three. */
    uint32_t stop = (uint32_t)deferred_call_has_pending() | (uint32_t)bounds_changed |
                    (uint32_t)sched_outranked(k, p);
    if (__builtin_expect(stop != 0, 0)) {
        return KERNEL_FAST_STOP;
    }
    return KERNEL_FAST_RESUME;
}

/* Run p until the process running blocks, its slice ends, or the kernel has work. The fast
 * path may switch to other processes in the trap; the loop goes on with the one that trapped.
 * Returns that process if kernel work preempted it with slice left (it should resume first),
 * else NULL. The caller checked that the kernel had no work just before; only deliver_pending
 * ran since, and the hooks it may run can set deferred calls (checked again) but not
 * interrupts (an interrupt that arrives now stops the process as soon as it runs, as one
 * arriving a moment later would). */
static struct process *run_process(struct kernel *k, struct process *p, uint32_t slice_us,
                                   uint32_t *left_us)
{
    start_slice(slice_us);
    deliver_pending(k, p);
    bool has_work = deferred_call_has_pending();
    while (p->state == PROCESS_RUNNING && !has_work) {
        if (arch_timeslice_expired()) {
            p->timeslice_expirations++;
            sched_stopped(k, p, SCHED_EXPIRED);
            break;
        }
        load_mpu(k, &p->mpu);
        fast_kernel = k;
        struct arch_context *trapped = &p->context;
        enum arch_switch_reason reason =
            arch_switch_to_process(&p->context, &trapped);
        p = CONTAINER_OF(trapped, struct process, context);
        switch (reason) {
        case ARCH_SWITCH_SYSCALL:
            syscall_handle(k, p);
            break;
        case ARCH_SWITCH_INTERRUPTED:
            break;
        case ARCH_SWITCH_FAULT:
            process_fault(k, p, NULL);
            break;
        }
        deliver_pending(k, p);
        has_work = p->state == PROCESS_RUNNING && kernel_work_pending(k);
    }
    if (p->state == PROCESS_RUNNING && has_work) {
        *left_us = slice_us == 0 ? 0 : arch_timeslice_remaining_us();
        arch_timeslice_stop();
        return p;
    }
    if (p->state != PROCESS_RUNNING) {
        sched_stopped(k, p, SCHED_BLOCKED);
    }
    arch_timeslice_stop();
    return NULL;
}

/* Service pending interrupts and deferred calls; true if there were any. */
static bool service_kernel_work(struct kernel *k)
{
    bool did_work = false;
    if (chip_has_pending_interrupts(k->config.chip)) {
        chip_service_pending_interrupts(k->config.chip);
        did_work = true;
    }
    if (deferred_call_has_pending()) {
        deferred_call_service();
        did_work = true;
    }
    return did_work;
}

bool kernel_step(struct kernel *k)
{
    bool did_work = service_kernel_work(k);
    if (did_work && kernel_work_pending(k)) {
        return true; /* servicing made more: service it before any process runs */
    }
    struct process *p = NULL;
    uint32_t slice = 0;
    if (k->resume != NULL && process_is_ready(k->resume) && !sched_outranked(k, k->resume)) {
        p = k->resume; /* preempted by kernel work: it finishes its slice first */
        slice = k->resume_slice_us;
    } else {
        p = pick_next(k);
        slice = p != NULL ? sched_slice_us(k, p) : 0;
    }
    k->resume = NULL;
    if (p == NULL) {
        return did_work;
    }
    k->last_scheduled = p->pid.index;
    uint32_t left = 0;
    struct process *preempted = run_process(k, p, slice, &left);
    if (preempted != NULL && sched_keeps(k, preempted, left)) {
        k->resume = preempted; /* unless the kernel work readies a process that outranks it */
        k->resume_slice_us = left;
    }
    return true;
}

void kernel_loop(struct kernel *k)
{
    for (;;) {
        if (!kernel_step(k)) {
            chip_sleep(k->config.chip);
        }
    }
}
