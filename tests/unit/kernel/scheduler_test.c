/* SPDX-License-Identifier: Apache-2.0 OR MIT */
/*
 * Host tests for the kernel loop (kernel/kernel.c, kernel_step) with the fake arch and chip:
 * upcall delivery only inside yield, Yield-WaitFor results, round-robin, resumption after an
 * interrupt, and the fault policy (ABI §1.6, §1.12, §1.13).
 *
 * The processes are scripts (tests/fakes/arch/fake_arch.h): every switch to a process takes the
 * next scripted trap; fake_arch.ran[] logs which context ran and at which pc.
 *
 * Usage: make build/host/scheduler_test build/host-san/scheduler_test
 */
#include "kernel_fixture.h"

#include "kernel/grant.h"

static struct fixture fx;

static int setup(void **state)
{
    (void)state;
    fixture_init(&fx);
    return 0;
}

static int teardown(void **state)
{
    (void)state;
    fixture_fini(&fx);
    return 0;
}

static uint32_t entry_of(const struct process *p)
{
    return (uint32_t)p->entry_point;
}

struct schedule_args {
    uint32_t sub, a0, a1, a2;
    err_t result;
};

static err_t schedule_fn(void *data, struct grant_kernel_data *kd, void *ctx)
{
    (void)data;
    struct schedule_args *s = ctx;
    s->result = grant_schedule_upcall(kd, s->sub, s->a0, s->a1, s->a2);
    return ERR_OK;
}

static void schedule(struct grant *g, struct process *p, uint32_t sub, uint32_t a0, uint32_t a1,
                     uint32_t a2)
{
    struct schedule_args s = {sub, a0, a1, a2, ERR_FAIL};
    assert_int_equal(grant_enter(g, p->pid, schedule_fn, &s), ERR_OK);
    assert_int_equal(s.result, ERR_OK);
}

/* Running process p subscribes fn to (A, sub) directly through the syscall layer. */
static void subscribe(struct process *p, uint32_t sub, uint32_t fn, uint32_t appdata)
{
    fixture_syscall(&fx, p, 1, FIX_DRV_A, sub, fn, appdata);
    assert_int_equal(p->context.regs[0], 130);
}

static void test_new_process_runs_its_entry_point_with_startup_arguments(void **state)
{
    (void)state;
    struct process *p = fixture_start_process(&fx, 0);
    fake_arch_script_syscall(&p->context, 0, 1, 0, 0, 0); /* _start yields */
    assert_true(kernel_step(&fx.k));
    assert_int_equal(fake_arch.switch_count, 1);
    assert_ptr_equal(fake_arch.ran[0], &p->context);
    assert_int_equal(fake_arch.ran_pc[0], entry_of(p));
    assert_int_equal(p->context.upcall_args[0], (uint32_t)(p->flash_start + FIX_PROTECTED));
    assert_int_equal(p->context.upcall_args[1], (uint32_t)p->mem_start);
    assert_int_equal(p->context.upcall_args[2], FIX_RAM_SIZE);
    assert_int_equal(p->context.upcall_args[3], (uint32_t)p->app_brk);
    assert_int_equal(p->state, PROCESS_YIELDED);
    assert_int_equal(fake_arch.slice_started_us, KERNEL_TIMESLICE_US);
    assert_ptr_equal(fake_arch.last_configured, &p->mpu); /* its MPU loaded before it ran */
    assert_int_equal(fake_arch.script_underflows, 0);
    /* Nothing left to do. */
    assert_false(kernel_step(&fx.k));
    assert_int_equal(fake_arch.switch_count, 1);
}

static void test_upcalls_are_delivered_only_when_the_process_yields(void **state)
{
    (void)state;
    struct process *p = fixture_running(&fx, 0);
    uint32_t fn = fixture_code_addr(p, 0x40);
    subscribe(p, 0, fn, 0xAD);
    schedule(&fx.grant_a, p, 0, 1, 2, 3);
    p->context.pc = 0x1234;                                       /* where the running process is */
    fake_arch_script_syscall(&p->context, 2, FIX_DRV_A, 1, 0, 0); /* a command: no delivery */
    fake_arch_script_syscall(&p->context, 0, 1, 0, 0, 0);         /* yield: deliver */
    fake_arch_script_syscall(&p->context, 0, 1, 0, 0, 0);         /* upcall done, yield */
    assert_true(kernel_step(&fx.k));
    assert_int_equal(fake_arch.switch_count, 3);
    assert_int_equal(fake_arch.ran_pc[0], 0x1234);
    assert_int_equal(fake_arch.ran_pc[1], 0x1234);
    assert_int_equal(fake_arch.ran_pc[2], fn);
    assert_int_equal(p->context.upcalls_pushed, 1);
    assert_int_equal(p->context.upcall_args[0], 1);
    assert_int_equal(p->context.upcall_args[1], 2);
    assert_int_equal(p->context.upcall_args[2], 3);
    assert_int_equal(p->context.upcall_args[3], 0xAD);
    assert_int_equal(p->state, PROCESS_YIELDED);
    assert_int_equal(p->queue.count, 0);
    assert_int_equal(fake_arch.script_underflows, 0);
}

/* Null records ahead of the first function call (events for an unsubscribed slot) are
 * dropped on delivery, and the function call behind them is delivered in the same step. */
static void test_null_records_ahead_of_a_function_are_dropped_on_delivery(void **state)
{
    (void)state;
    struct process *p = fixture_running(&fx, 0);
    uint32_t fn = fixture_code_addr(p, 0x40);
    schedule(&fx.grant_a, p, 1, 7, 0, 0); /* slot 1 never subscribed: null records */
    schedule(&fx.grant_a, p, 1, 8, 0, 0);
    subscribe(p, 0, fn, 0xAD);
    schedule(&fx.grant_a, p, 0, 4, 5, 6);
    assert_int_equal(p->queue.count, 3);
    fake_arch_script_syscall(&p->context, 0, 1, 0, 0, 0); /* yield: deliver */
    fake_arch_script_syscall(&p->context, 0, 1, 0, 0, 0); /* upcall done, yield */
    assert_true(kernel_step(&fx.k));
    assert_int_equal(fake_arch.ran_pc[1], fn);
    assert_int_equal(p->context.upcalls_pushed, 1);
    assert_int_equal(p->context.upcall_args[0], 4);
    assert_int_equal(p->context.upcall_args[3], 0xAD);
    assert_int_equal(p->queue.count, 0);
    assert_int_equal(p->queue.functions, 0);
    assert_int_equal(p->state, PROCESS_YIELDED);
    assert_int_equal(fake_arch.script_underflows, 0);
}

/* p, yielded with a function on (A, 0), runs one upcall and yields again. */
static void run_one_upcall(struct process *p)
{
    schedule(&fx.grant_a, p, 0, 0, 0, 0);
    fake_arch_script_syscall(&p->context, 0, 1, 0, 0, 0);
    assert_true(kernel_step(&fx.k));
}

/* The MPU is loaded when another process's configuration (or an older one) is in it, never
 * again for syscalls that leave the same process running with the same configuration. */
static void test_mpu_is_reloaded_only_after_a_switch_or_a_change(void **state)
{
    (void)state;
    struct process *p0 = fixture_running(&fx, 0);
    struct process *p1 = fixture_running(&fx, 1);
    subscribe(p0, 0, fixture_code_addr(p0, 0x40), 0);
    subscribe(p1, 0, fixture_code_addr(p1, 0x40), 0);
    p1->state = PROCESS_YIELDED;
    for (int i = 0; i < 3; i++) {
        fake_arch_script_syscall(&p0->context, 2, FIX_DRV_A, 1, 0, 0); /* commands: same MPU */
    }
    fake_arch_script_syscall(&p0->context, 5, 1, 64, 0, 0); /* sbrk: a new configuration */
    fake_arch_script_syscall(&p0->context, 2, FIX_DRV_A, 1, 0, 0);
    fake_arch_script_syscall(&p0->context, 0, 1, 0, 0, 0); /* yield */
    assert_true(kernel_step(&fx.k));
    assert_int_equal(fake_arch.switch_count, 6);
    assert_int_equal(fake_arch.mpu_configures, 2); /* first run, and after the sbrk */
    assert_ptr_equal(fake_arch.last_configured, &p0->mpu);
    run_one_upcall(p1); /* p1's own configuration */
    assert_int_equal(fake_arch.mpu_configures, 3);
    assert_ptr_equal(fake_arch.last_configured, &p1->mpu);
    run_one_upcall(p0); /* back to p0's */
    assert_int_equal(fake_arch.mpu_configures, 4);
    assert_ptr_equal(fake_arch.last_configured, &p0->mpu);
    run_one_upcall(p0); /* same process, same configuration: nothing loaded */
    assert_int_equal(fake_arch.mpu_configures, 4);
    arch_mpu_remove_shared(&p0->mpu, 0, UINTPTR_MAX); /* a withdrawn share: a new one */
    run_one_upcall(p0);
    assert_int_equal(fake_arch.mpu_configures, 5);
    assert_int_equal(fake_arch.script_underflows, 0);
    assert_int_equal(fake_arch.script_mismatches, 0);
}

static void test_blocked_processes_are_not_run(void **state)
{
    (void)state;
    struct process *p0 = fixture_running(&fx, 0);
    struct process *p1 = fixture_running(&fx, 1);
    struct process *p2 = fixture_running(&fx, 2);
    p0->state = PROCESS_YIELDED;
    schedule(&fx.grant_a, p0, 0, 1, 0, 0); /* null record: never wakes Yield-Wait */
    p1->state = PROCESS_YIELDED_FOR;
    p1->yield_driver = FIX_DRV_A;
    p1->yield_subscribe = 1;
    subscribe(p1, 0, fixture_code_addr(p1, 0), 0);
    p1->state = PROCESS_YIELDED_FOR;
    schedule(&fx.grant_a, p1, 0, 1, 0, 0); /* not the awaited identity */
    subscribe(p2, 0, fixture_code_addr(p2, 0), 0);
    schedule(&fx.grant_a, p2, 0, 1, 0, 0);
    p2->state = PROCESS_STOPPED; /* stopped: keeps its queue, never runs */
    assert_false(kernel_step(&fx.k));
    assert_int_equal(fake_arch.switch_count, 0);
    assert_int_equal(p0->queue.count, 1);
    assert_int_equal(p1->queue.count, 1);
    assert_int_equal(p2->queue.count, 1);
}

static void test_yield_wait_for_returns_event_without_calling_upcall(void **state)
{
    (void)state;
    struct process *p = fixture_running(&fx, 0);
    uint32_t fn0 = fixture_code_addr(p, 0x40), fn1 = fixture_code_addr(p, 0x80);
    subscribe(p, 0, fn0, 0xA0);
    subscribe(p, 1, fn1, 0xA1);
    fixture_syscall(&fx, p, 0, 2, FIX_DRV_A, 0, 0x3333); /* Yield-WaitFor(A, 0) */
    assert_int_equal(p->state, PROCESS_YIELDED_FOR);
    p->context.pc = 0x2000;
    schedule(&fx.grant_a, p, 1, 7, 8, 9); /* other slot: not taken by WaitFor */
    schedule(&fx.grant_a, p, 0, 10, 11, 12);
    schedule(&fx.grant_a, p, 0, 13, 14, 15); /* a second match stays queued */
    fake_arch_script_syscall(&p->context, 0, 1, 0, 0, 0);
    fake_arch_script_syscall(&p->context, 0, 1, 0, 0, 0);
    fake_arch_script_syscall(&p->context, 0, 1, 0, 0, 0);
    assert_true(kernel_step(&fx.k));
    /* WaitFor resumed it after the svc with (10, 11, 12); fn0 was not called for that event. */
    assert_int_equal(fake_arch.ran_pc[0], 0x2000);
    assert_int_equal(fake_arch.ran_regs[0][0], 10);
    assert_int_equal(fake_arch.ran_regs[0][1], 11);
    assert_int_equal(fake_arch.ran_regs[0][2], 12);
    /* Its Yield-Wait then got the rest as upcalls, oldest first. */
    assert_int_equal(fake_arch.switch_count, 3);
    assert_int_equal(fake_arch.ran_pc[1], fn1);
    assert_int_equal(fake_arch.ran_pc[2], fn0);
    assert_int_equal(p->context.upcall_args[0], 13);
    assert_int_equal(p->context.upcall_args[3], 0xA0);
    assert_int_equal(fake_arch.script_underflows, 0);
    assert_int_equal(p->queue.count, 0);
}

static void test_yield_wait_for_writes_r0_to_r2_only(void **state)
{
    (void)state;
    struct process *p = fixture_running(&fx, 0);
    subscribe(p, 0, fixture_code_addr(p, 0x40), 0xA0);
    fixture_syscall(&fx, p, 0, 2, FIX_DRV_A, 0, 0x3333);
    schedule(&fx.grant_a, p, 1, 7, 8, 9); /* null record for another slot */
    schedule(&fx.grant_a, p, 0, 10, 11, 12);
    schedule(&fx.grant_a, p, 0, 13, 14, 15);
    fake_arch_script_syscall(&p->context, 0, 2, FIX_DRV_A, 1, 0x4444); /* then WaitFor(A, 1) */
    fake_arch_script_syscall(&p->context, 0, 2, FIX_DRV_A, 2, 0x5555); /* then WaitFor(A, 2) */
    assert_true(kernel_step(&fx.k));
    assert_int_equal(fake_arch.switch_count, 2);
    assert_int_equal(fake_arch.ran_return_count[0], 3);
    assert_int_equal(fake_arch.ran_regs[0][0], 10);
    assert_int_equal(fake_arch.ran_regs[0][1], 11);
    assert_int_equal(fake_arch.ran_regs[0][2], 12);
    assert_int_equal(fake_arch.ran_regs[0][3], 0x3333); /* r3 untouched */
    /* WaitFor(A, 1) is satisfied by the null record, returned the same way. */
    assert_int_equal(fake_arch.ran_return_count[1], 3);
    assert_int_equal(fake_arch.ran_regs[1][0], 7);
    assert_int_equal(fake_arch.ran_regs[1][1], 8);
    assert_int_equal(fake_arch.ran_regs[1][2], 9);
    assert_int_equal(fake_arch.ran_regs[1][3], 0x4444);
    assert_int_equal(p->context.upcalls_pushed, 0);
    assert_int_equal(p->state, PROCESS_YIELDED_FOR);
    assert_int_equal(p->queue.count, 1);
    assert_int_equal(p->queue.tasks[0].args[0], 13); /* the second match, still queued */
}

static void expire_now(struct fake_arch_step *s)
{
    s->expire = true;
}

static void test_round_robin_between_two_ready_processes(void **state)
{
    (void)state;
    struct process *p0 = fixture_start_process(&fx, 0);
    struct process *p1 = fixture_start_process(&fx, 1);
    for (int i = 0; i < 3; i++) {
        expire_now(fake_arch_script(&p0->context, ARCH_SWITCH_INTERRUPTED));
        expire_now(fake_arch_script(&p1->context, ARCH_SWITCH_INTERRUPTED));
    }
    for (int i = 0; i < 6; i++) {
        assert_true(kernel_step(&fx.k));
    }
    assert_int_equal(fake_arch.switch_count, 6);
    assert_int_equal(fake_arch.script_mismatches, 0);
    for (int i = 0; i < 6; i++) {
        assert_ptr_equal(fake_arch.ran[i], i % 2 == 0 ? &p0->context : &p1->context);
    }
    assert_int_equal(p0->timeslice_expirations, 3);
    assert_int_equal(p1->timeslice_expirations, 3);
    assert_int_equal(p0->state, PROCESS_RUNNING);
}

static void test_round_robin_skips_blocked_process(void **state)
{
    (void)state;
    struct process *p0 = fixture_start_process(&fx, 0);
    struct process *p1 = fixture_start_process(&fx, 1);
    struct process *p2 = fixture_start_process(&fx, 2);
    expire_now(fake_arch_script(&p0->context, ARCH_SWITCH_INTERRUPTED));
    fake_arch_script_syscall(&p1->context, 0, 1, 0, 0, 0); /* p1 blocks */
    expire_now(fake_arch_script(&p2->context, ARCH_SWITCH_INTERRUPTED));
    expire_now(fake_arch_script(&p0->context, ARCH_SWITCH_INTERRUPTED));
    expire_now(fake_arch_script(&p2->context, ARCH_SWITCH_INTERRUPTED));
    /* p1's yield goes from the trap straight to p2: five resumes in four steps. */
    for (int i = 0; i < 4; i++) {
        assert_true(kernel_step(&fx.k));
    }
    assert_int_equal(fake_arch.script_mismatches, 0);
    assert_int_equal(fake_arch.switch_count, 5);
    assert_int_equal(fake_arch.fast_switches, 1);
    assert_int_equal(p1->state, PROCESS_YIELDED);
}

/* The scan covers every slot below the highest one ever started (an empty slot between is
 * skipped), and a process started later in a higher slot is scheduled too. */
static void test_round_robin_across_an_empty_slot_and_a_later_start(void **state)
{
    (void)state;
    struct process *p0 = fixture_start_process(&fx, 0);
    expire_now(fake_arch_script(&p0->context, ARCH_SWITCH_INTERRUPTED));
    assert_true(kernel_step(&fx.k));
    assert_int_equal(fx.k.slot_limit, 1);
    struct process *p2 = fixture_start_process(&fx, 2); /* slot 1 stays empty */
    assert_int_equal(fx.k.slot_limit, 3);
    for (int i = 0; i < 2; i++) {
        expire_now(fake_arch_script(&p2->context, ARCH_SWITCH_INTERRUPTED));
        expire_now(fake_arch_script(&p0->context, ARCH_SWITCH_INTERRUPTED));
    }
    for (int i = 0; i < 4; i++) {
        assert_true(kernel_step(&fx.k));
    }
    assert_int_equal(fake_arch.switch_count, 5);
    assert_int_equal(fake_arch.script_mismatches, 0);
    for (int i = 1; i < 5; i++) {
        assert_ptr_equal(fake_arch.ran[i], i % 2 == 1 ? &p2->context : &p0->context);
    }
    assert_int_equal(fx.procs[1].state, PROCESS_EMPTY);
}

static void raise_interrupt(void)
{
    fake_chip.pending = 1;
}

static void test_process_preempted_by_interrupt_resumes_first(void **state)
{
    (void)state;
    struct process *p0 = fixture_start_process(&fx, 0);
    struct process *p1 = fixture_start_process(&fx, 1);
    struct fake_arch_step *s = fake_arch_script(&p0->context, ARCH_SWITCH_INTERRUPTED);
    s->hook = raise_interrupt;
    s->remaining_us = 6000;
    expire_now(fake_arch_script(&p0->context, ARCH_SWITCH_INTERRUPTED));
    expire_now(fake_arch_script(&p1->context, ARCH_SWITCH_INTERRUPTED));
    assert_true(kernel_step(&fx.k)); /* p0 runs, the interrupt stops it */
    assert_int_equal(fake_arch.switch_count, 1);
    assert_ptr_equal(fx.k.resume, p0);
    assert_int_equal(fake_chip.services, 0);
    assert_true(kernel_step(&fx.k)); /* interrupt serviced, then p0 again with its 6 ms */
    assert_int_equal(fake_chip.services, 1);
    assert_int_equal(fake_arch.switch_count, 2);
    assert_ptr_equal(fake_arch.ran[1], &p0->context);
    assert_int_equal(fake_arch.slice_started_us, 6000);
    assert_int_equal(p0->timeslice_expirations, 1);
    assert_true(kernel_step(&fx.k)); /* now p1's turn, with a full slice */
    assert_ptr_equal(fake_arch.ran[2], &p1->context);
    assert_int_equal(fake_arch.slice_started_us, KERNEL_TIMESLICE_US);
    assert_int_equal(fake_arch.script_mismatches, 0);
}

static void test_preempted_process_with_tiny_slice_left_goes_to_the_back(void **state)
{
    (void)state;
    struct process *p0 = fixture_start_process(&fx, 0);
    struct process *p1 = fixture_start_process(&fx, 1);
    struct fake_arch_step *s = fake_arch_script(&p0->context, ARCH_SWITCH_INTERRUPTED);
    s->hook = raise_interrupt;
    s->remaining_us = KERNEL_MIN_QUANTUM_US - 1;
    expire_now(fake_arch_script(&p1->context, ARCH_SWITCH_INTERRUPTED));
    assert_true(kernel_step(&fx.k));
    assert_null(fx.k.resume);
    assert_true(kernel_step(&fx.k));
    assert_ptr_equal(fake_arch.ran[1], &p1->context);
    assert_int_equal(fake_arch.script_mismatches, 0);
}

static struct process *wake_target;

static void wake_from_interrupt(void)
{
    schedule(&fx.grant_a, wake_target, 0, 42, 0, 0);
}

static void test_interrupts_are_serviced_before_processes_run(void **state)
{
    (void)state;
    struct process *p = fixture_running(&fx, 0);
    uint32_t fn = fixture_code_addr(p, 0x40);
    subscribe(p, 0, fn, 0);
    p->state = PROCESS_YIELDED;
    wake_target = p;
    fake_chip.on_service = wake_from_interrupt;
    fake_chip.pending = 1;
    assert_true(kernel_step(&fx.k));
    assert_int_equal(fake_chip.services, 1);
    assert_int_equal(fake_arch.switch_count, 1);
    assert_int_equal(fake_arch.ran_pc[0], fn);
    assert_int_equal(p->context.upcall_args[0], 42);
}

static uint32_t deferred_runs;

static void deferred_fn(void *ctx)
{
    (void)ctx;
    deferred_runs++;
}

static void test_deferred_calls_run_before_processes(void **state)
{
    (void)state;
    struct process *p = fixture_start_process(&fx, 0);
    static struct deferred_call dc;
    deferred_runs = 0;
    assert_int_equal(deferred_call_register(&dc, deferred_fn, NULL), ERR_OK);
    deferred_call_set(&dc);
    fake_arch_script_syscall(&p->context, 0, 1, 0, 0, 0);
    assert_true(kernel_step(&fx.k));
    assert_int_equal(deferred_runs, 1);
    assert_int_equal(fake_arch.switch_count, 1);
    assert_false(deferred_call_has_pending());
}

static void test_nothing_to_do_returns_false(void **state)
{
    (void)state;
    assert_false(kernel_step(&fx.k)); /* no processes at all */
    (void)fixture_running(&fx, 0);
    fx.procs[0].state = PROCESS_YIELDED;
    assert_false(kernel_step(&fx.k));
    assert_int_equal(fake_arch.switch_count, 0);
}

/* ==== faults ==== */

static void test_faulted_process_is_stopped_under_stop_policy(void **state)
{
    (void)state;
    struct process *p0 = fixture_start_process(&fx, 0);
    struct process *p1 = fixture_start_process(&fx, 1);
    fixture_drain_debug();
    fake_arch_script(&p0->context, ARCH_SWITCH_FAULT);
    fake_arch_script_syscall(&p1->context, 0, 1, 0, 0, 0);
    assert_true(kernel_step(&fx.k));
    assert_int_equal(p0->state, PROCESS_FAULTED);
    assert_int_equal(p0->fault_count, 1);
    assert_int_equal(p0->restart_count, 0);
    char text[4096];
    fixture_debug_text(text, sizeof text);
    assert_non_null(strstr(text, "app0"));
    assert_non_null(strstr(text, "faulted: fake fault"));
    assert_non_null(strstr(text, "stopped"));
    assert_true(kernel_step(&fx.k)); /* p1 still runs */
    assert_ptr_equal(fake_arch.ran[1], &p1->context);
    assert_false(kernel_step(&fx.k));
    assert_int_equal(fake_arch.switch_count, 2);
}

struct exit_log {
    struct process_exit_hook hook;
    uint32_t count;
    struct process_id pids[8];
};

static void log_exit(struct process_exit_hook *hook, struct process_id pid)
{
    struct exit_log *log = (struct exit_log *)hook;
    if (log->count < 8) {
        log->pids[log->count] = pid;
    }
    log->count++;
}

static void test_faulted_process_restarts_up_to_max_restarts(void **state)
{
    (void)state;
    fixture_fini(&fx);
    fixture_init_policy(&fx, (struct process_fault_policy){ .action = PROCESS_FAULT_RESTART, .max_restarts = 2 });
    struct exit_log log = {.hook = {.on_exit = log_exit}};
    kernel_add_exit_hook(&fx.k, &log.hook);
    struct process *p = fixture_start_process(&fx, 0);
    for (int i = 0; i < 3; i++) {
        fake_arch_script(&p->context, ARCH_SWITCH_FAULT);
    }
    fixture_drain_debug();
    while (kernel_step(&fx.k)) {
    }
    assert_int_equal(p->fault_count, 3);
    assert_int_equal(p->restart_count, 2);
    assert_int_equal(p->state, PROCESS_FAULTED);
    assert_int_equal(fake_arch.switch_count, 3);
    for (int i = 0; i < 3; i++) {
        assert_int_equal(fake_arch.ran_pc[i], entry_of(p)); /* each instance starts over */
    }
    /* Three instances, each with its own identity, each reported once. */
    assert_int_equal(log.count, 3);
    assert_true(log.pids[0].id < log.pids[1].id);
    assert_true(log.pids[1].id < log.pids[2].id);
    char text[8192];
    fixture_debug_text(text, sizeof text);
    assert_non_null(strstr(text, "(1 of 2)"));
    assert_non_null(strstr(text, "(2 of 2)"));
    assert_non_null(strstr(text, "app0: stopped"));
    assert_null(strstr(text, "(3 of 2)"));
    assert_int_equal(fake_arch.script_underflows, 0);
}

static void test_bad_stack_at_upcall_delivery_faults(void **state)
{
    (void)state;
    struct process *p = fixture_start_process(&fx, 0);
    p->context.fail_push = true;
    fixture_drain_debug();
    assert_true(kernel_step(&fx.k));
    assert_int_equal(fake_arch.switch_count, 0);
    assert_int_equal(p->state, PROCESS_FAULTED);
    char text[4096];
    fixture_debug_text(text, sizeof text);
    assert_non_null(strstr(text, "stack pointer outside process memory"));
}

static void test_bad_syscall_in_loop_faults_and_stops(void **state)
{
    (void)state;
    struct process *p = fixture_start_process(&fx, 0);
    fake_arch_script_syscall(&p->context, 0, 9, 0, 0, 0); /* bad yield number */
    assert_true(kernel_step(&fx.k));
    assert_int_equal(p->state, PROCESS_FAULTED);
    assert_false(kernel_step(&fx.k));
    assert_int_equal(fake_arch.switch_count, 1);
}

static void test_exit_restart_in_loop_runs_entry_again(void **state)
{
    (void)state;
    struct process *p = fixture_start_process(&fx, 0);
    fake_arch_script_syscall(&p->context, 6, 1, 0, 0, 0); /* exit-restart */
    fake_arch_script_syscall(&p->context, 6, 0, 5, 0, 0); /* exit-terminate */
    assert_true(kernel_step(&fx.k));
    assert_int_equal(p->state, PROCESS_TERMINATED);
    assert_int_equal(p->completion_code, 5);
    assert_int_equal(fake_arch.switch_count, 2);
    assert_int_equal(fake_arch.ran_pc[1], entry_of(p));
    assert_false(kernel_step(&fx.k));
}

#define T(name) cmocka_unit_test_setup_teardown(name, setup, teardown)

int main(void)
{
    const struct CMUnitTest tests[] = {
        T(test_new_process_runs_its_entry_point_with_startup_arguments),
        T(test_upcalls_are_delivered_only_when_the_process_yields),
        T(test_null_records_ahead_of_a_function_are_dropped_on_delivery),
        T(test_mpu_is_reloaded_only_after_a_switch_or_a_change),
        T(test_blocked_processes_are_not_run),
        T(test_yield_wait_for_returns_event_without_calling_upcall),
        T(test_yield_wait_for_writes_r0_to_r2_only),
        T(test_round_robin_between_two_ready_processes),
        T(test_round_robin_skips_blocked_process),
        T(test_round_robin_across_an_empty_slot_and_a_later_start),
        T(test_process_preempted_by_interrupt_resumes_first),
        T(test_preempted_process_with_tiny_slice_left_goes_to_the_back),
        T(test_interrupts_are_serviced_before_processes_run),
        T(test_deferred_calls_run_before_processes),
        T(test_nothing_to_do_returns_false),
        T(test_faulted_process_is_stopped_under_stop_policy),
        T(test_faulted_process_restarts_up_to_max_restarts),
        T(test_bad_stack_at_upcall_delivery_faults),
        T(test_bad_syscall_in_loop_faults_and_stops),
        T(test_exit_restart_in_loop_runs_entry_again),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
