/* SPDX-License-Identifier: Apache-2.0 OR MIT */
/*
 * Host tests for the syscall fast path (kernel_syscall_fast, doc/reference/018-fast-paths.md):
 * a syscall finished in the trap must leave the kernel exactly as the loop would have, and
 * stop the process whenever the loop has to look: an interrupt, an expired slice, a deferred
 * call, a process no longer running, new memory bounds.
 *
 * The fake arch plays the real trap: a scripted syscall goes to kernel_syscall_fast first and,
 * if it resumes, the "process" runs its next step within the same switch (fake_arch.h).
 *
 * Usage: make build/host/fast_path_test build/host-san/fast_path_test
 */
#include "kernel_fixture.h"

#include "kernel/debug.h"
#include "kernel/deferred_call.h"
#include "kernel/grant.h"

#define DRV_TRIGGER 0x40u /* the test's driver: its command does what `trigger` says */

static struct fixture fx;

/* A driver whose command, run inside the fast path, raises an interrupt, queues an upcall
 * (FIX_DRV_A upcall 0) for the caller, or sets a deferred call. */
static struct {
    struct syscall_driver driver;
    bool raise_irq, queue_upcall, set_deferred;
    uint32_t calls;
    struct process_id pid;
    struct deferred_call dc;
    uint32_t deferred_runs;
} trigger;
static struct driver_slot slots[FIX_DRIVERS + 1];

static err_t schedule_fn(void *data, struct grant_kernel_data *kd, void *ctx)
{
    (void)data;
    (void)ctx;
    return grant_schedule_upcall(kd, 0, 7, 8, 9);
}

static struct syscall_return
trigger_command_result(struct syscall_driver *driver, uint32_t command_num, uint32_t arg0,
                       uint32_t arg1, struct process_id pid)
{
    (void)driver;
    (void)command_num;
    (void)arg0;
    (void)arg1;
    trigger.calls++;
    trigger.pid = pid;
    if (trigger.raise_irq) {
        fake_chip.pending = 1;
    }
    if (trigger.queue_upcall) {
        assert_int_equal(grant_enter(&fx.grant_a, pid, schedule_fn, NULL), ERR_OK);
    }
    if (trigger.set_deferred) {
        deferred_call_set(&trigger.dc);
    }
    return syscall_success_u32(trigger.calls);
}

static void trigger_command(struct syscall_driver *driver, uint32_t *regs, struct process_id pid)
{
    syscall_command_run(trigger_command_result, driver, regs, pid);
}

static const struct syscall_driver_ops trigger_ops = { .command = trigger_command };

static void run_deferred(void *ctx)
{
    (void)ctx;
    trigger.deferred_runs++;
}

static bool chip_interrupt_pending(void)
{
    return fake_chip.pending != 0;
}

static int setup(void **state)
{
    (void)state;
    fixture_init_unloaded(&fx, (struct process_fault_policy){ .action = PROCESS_FAULT_STOP });
    memset(&trigger, 0, sizeof trigger);
    trigger.driver = (struct syscall_driver){ &trigger_ops, NULL, false };
    assert_int_equal(deferred_call_register(&trigger.dc, run_deferred, NULL), ERR_OK);
    const struct driver_slot extra = { DRV_TRIGGER, &trigger.driver };
    fixture_add_drivers(&fx, slots, &extra, 1);
    fx.k.processes_loaded = true;
    fake_arch.interrupt_pending = chip_interrupt_pending;
    return 0;
}

static int teardown(void **state)
{
    (void)state;
    fixture_fini(&fx);
    return 0;
}

static void script_command(const struct process *p, uint32_t driver, uint32_t num)
{
    fake_arch_script_syscall(&p->context, CLASS_COMMAND, driver, num, 0, 0);
}

static void script_yield_wait(const struct process *p)
{
    fake_arch_script_syscall(&p->context, 0, 1, 0, 0, 0);
}

/* p subscribes fn to FIX_DRV_A upcall 0 (through the loop's syscall entry). */
static void subscribe_a0(struct process *p, uint32_t fn)
{
    fixture_syscall(&fx, p, 1, FIX_DRV_A, 0, fn, 0);
    assert_int_equal(p->context.regs[0], SUCCESS_2U32);
}

/* a running and b yielded with fn subscribed to FIX_DRV_A upcall 0, a's turn first. */
static uint32_t a_running_b_subscribed(struct process **a, struct process **b)
{
    *a = fixture_running(&fx, 0);
    *b = fixture_running(&fx, 1);
    (*b)->state = PROCESS_YIELDED;
    uint32_t fn = fixture_code_addr(*b, 0x40);
    subscribe_a0(*b, fn);
    fx.k.last_scheduled = 2;
    return fn;
}

static void test_command_finishes_in_the_trap_and_the_process_goes_on(void **state)
{
    (void)state;
    struct process *p = fixture_start_process(&fx, 0);
    fx.drv_a.next_return = syscall_success_u32(42);
    script_command(p, FIX_DRV_A, 3);
    script_command(p, 0x7777u, 0); /* no such driver */
    script_yield_wait(p);
    assert_true(kernel_step(&fx.k));
    /* One switch into the process, two fast resumes, and the yield stopped it. */
    assert_int_equal(fake_arch.slice_starts, 1);
    assert_int_equal(fake_arch.fast_resumes, 2);
    assert_int_equal(fake_arch.fast_stops, 1);
    assert_int_equal(fake_arch.fast_defers, 0);
    assert_int_equal(fake_arch.switch_count, 3);
    assert_int_equal(fx.drv_a.calls, 1);
    assert_int_equal(fx.drv_a.command_num, 3);
    /* The process saw each command's result when it resumed. */
    assert_int_equal(fake_arch.ran_regs[1][0], SUCCESS_U32);
    assert_int_equal(fake_arch.ran_regs[1][1], 42);
    assert_int_equal(fake_arch.ran_regs[2][0], FAILURE);
    assert_int_equal(fake_arch.ran_regs[2][1], ERR_NODEVICE);
    assert_int_equal(p->state, PROCESS_YIELDED);
    assert_int_equal(p->syscall_count, 3);
}

static void test_exit_and_bad_syscalls_are_left_to_the_loop(void **state)
{
    (void)state;
    struct process *a = fixture_start_process(&fx, 0);
    struct process *b = fixture_start_process(&fx, 1);
    struct process *c = fixture_start_process(&fx, 2);
    fake_arch_script_syscall(&a->context, CLASS_EXIT, 0, 5, 0, 0);
    fake_arch_script_syscall(&b->context, 9, 0, 0, 0, 0);  /* no such class */
    fake_arch_script_syscall(&c->context, 0, 3, 0, 0, 0);  /* no such yield */
    for (int i = 0; i < 3; i++) {
        assert_true(kernel_step(&fx.k));
    }
    assert_int_equal(fake_arch.fast_defers, 3);
    assert_int_equal(fake_arch.fast_resumes + fake_arch.fast_stops, 0);
    assert_int_equal(a->state, PROCESS_TERMINATED);
    assert_int_equal(a->completion_code, 5);
    assert_int_equal(b->state, PROCESS_FAULTED);
    assert_int_equal(c->state, PROCESS_FAULTED);
    /* Counted once, by the loop, not also by the trap. */
    assert_int_equal(b->syscall_count, 1);
    assert_int_equal(c->syscall_count, 1);
}

/* Item: a process preempted by an interrupt right after a fast syscall. */
static void test_interrupt_during_fast_syscall_preempts_after_it_and_resumes_first(void **state)
{
    (void)state;
    struct process *p = fixture_start_process(&fx, 0);
    struct process *other = fixture_start_process(&fx, 1);
    trigger.raise_irq = true;
    fake_arch_script_syscall(&p->context, CLASS_COMMAND, DRV_TRIGGER, 1, 0, 0)->remaining_us =
        6000;
    assert_true(kernel_step(&fx.k));
    /* The command finished, then the interrupt stopped the process before it ran on. */
    assert_int_equal(trigger.calls, 1);
    assert_int_equal(fake_arch.fast_resumes, 1);
    assert_int_equal(fake_arch.switch_count, 1);
    assert_int_equal(p->state, PROCESS_RUNNING);
    assert_ptr_equal(fx.k.resume, p);
    assert_int_equal(fx.k.resume_slice_us, 6000);
    /* The loop services the interrupt first, then p finishes its slice before `other`, which
     * its yield switches to straight from the trap, with a full slice. */
    fake_arch.interrupt_pending = NULL;
    script_yield_wait(p);
    assert_int_equal(other->context.upcalls_pushed, 0);
    assert_true(kernel_step(&fx.k));
    assert_int_equal(fake_chip.services, 1);
    assert_ptr_equal(fake_arch.ran[1], &p->context);
    assert_int_equal(fake_arch.ran_regs[1][0], SUCCESS_U32);
    assert_int_equal(fake_arch.ran_regs[1][1], 1);
    assert_int_equal(fake_arch.ran_slice_us[1], 6000);
    assert_ptr_equal(fake_arch.ran[2], &other->context);
    assert_int_equal(fake_arch.ran_slice_us[2], KERNEL_TIMESLICE_US);
    assert_int_equal(fake_arch.fast_switches, 1);
    assert_int_equal(other->context.upcalls_pushed, 1); /* its entry */
}

/* Item: an upcall queued (by an interrupt's driver work) during a fast path is delivered only
 * inside the process's next yield, and that yield goes straight to it. */
static void test_upcall_queued_in_fast_path_waits_for_yield(void **state)
{
    (void)state;
    struct process *p = fixture_running(&fx, 0);
    uint32_t fn = fixture_code_addr(p, 0x80);
    subscribe_a0(p, fn);
    fake_arch.interrupt_pending = NULL;
    trigger.queue_upcall = true;
    script_command(p, DRV_TRIGGER, 1);
    script_command(p, FIX_DRV_A, 0);
    script_yield_wait(p);
    script_yield_wait(p);
    assert_true(kernel_step(&fx.k));
    assert_int_equal(p->queue.count, 0);
    /* Queued by the first command, not pushed by the second (no yield yet), pushed at the yield
     * without leaving the trap. */
    assert_int_equal(fake_arch.ran_pc[2], 0);
    assert_int_equal(fake_arch.ran_pc[3], fn);
    assert_int_equal(fake_arch.ran_regs[3][0], 7);
    assert_int_equal(fake_arch.ran_regs[3][1], 8);
    assert_int_equal(fake_arch.ran_regs[3][2], 9);
    assert_int_equal(p->context.upcalls_pushed, 1);
    assert_int_equal(fake_arch.fast_resumes, 3);
    assert_int_equal(fake_arch.fast_stops, 1); /* the last yield: nothing left */
}

/* Item: a break change followed by a fast return: the loop reloads the MPU and the next switch
 * checks traps against the new bounds. */
static void test_break_change_returns_to_the_loop_with_new_bounds(void **state)
{
    (void)state;
    struct process *p = fixture_running(&fx, 0);
    uintptr_t old_brk = p->app_brk;
    fake_arch_script_syscall(&p->context, 5, 1, 64, 0, 0); /* sbrk(64) */
    script_command(p, FIX_DRV_A, 0);
    script_yield_wait(p);
    uint32_t configures = fake_arch.mpu_configures;
    assert_true(kernel_step(&fx.k));
    assert_int_equal(p->app_brk, old_brk + 64);
    /* The brk stopped the fast path; the loop loaded the new configuration and switched back
     * with the new bounds; the command after it was fast again. */
    assert_int_equal(fake_arch.fast_stops, 2);
    assert_int_equal(fake_arch.fast_resumes, 1);
    assert_int_equal(fake_arch.mpu_configures, configures + 2);
    assert_ptr_equal(fake_arch.last_configured, &p->mpu);
    assert_int_equal(fx.k.mpu_loaded_generation, p->mpu.generation);
    assert_int_equal(fake_arch.last_bounds.app_brk, old_brk + 64);
    assert_int_equal(fake_arch.ran_regs[1][0], SUCCESS_U32);
    assert_int_equal(fake_arch.ran_regs[1][1], (uint32_t)old_brk);
}

/* Item: a process switch right after a same-process fast return. */
static void test_switch_after_fast_return_runs_the_other_process_with_its_own_mpu(void **state)
{
    (void)state;
    struct process *a, *b;
    uint32_t fn = a_running_b_subscribed(&a, &b);
    script_command(a, DRV_TRIGGER, 1);
    script_yield_wait(a);
    assert_true(kernel_step(&fx.k));
    assert_true(trigger.pid.index == a->pid.index && trigger.pid.id == a->pid.id);
    /* Meanwhile b got an upcall; it runs next, with its MPU, and its command is its own. */
    trigger.queue_upcall = true;
    assert_int_equal(grant_enter(&fx.grant_a, b->pid, schedule_fn, NULL), ERR_OK);
    trigger.queue_upcall = false;
    script_command(b, DRV_TRIGGER, 1);
    script_yield_wait(b);
    assert_true(kernel_step(&fx.k));
    assert_ptr_equal(fake_arch.ran[2], &b->context);
    assert_int_equal(fake_arch.ran_pc[2], fn);
    assert_ptr_equal(fake_arch.last_configured, &b->mpu);
    assert_true(trigger.pid.index == b->pid.index && trigger.pid.id == b->pid.id);
    assert_int_equal(fake_arch.ran_regs[3][0], SUCCESS_U32);
    assert_int_equal(fake_arch.ran_regs[3][1], 2);
    /* a saw its own result (call 1) when it resumed, b its own (call 2). */
    assert_ptr_equal(fake_arch.ran[1], &a->context);
    assert_int_equal(fake_arch.ran_regs[1][0], SUCCESS_U32);
    assert_int_equal(fake_arch.ran_regs[1][1], 1);
}

/* A process that only makes fast syscalls is still preempted when its slice ends. */
static void test_fast_syscalls_do_not_escape_the_timeslice(void **state)
{
    (void)state;
    struct process *p = fixture_running(&fx, 0);
    struct process *q = fixture_start_process(&fx, 1);
    fx.k.last_scheduled = 2;
    script_command(p, FIX_DRV_A, 0);
    script_command(p, FIX_DRV_A, 0);
    fake_arch_script_syscall(&p->context, CLASS_COMMAND, FIX_DRV_A, 0, 0, 0)->expire = true;
    script_command(p, FIX_DRV_A, 0); /* not reached in this slice */
    assert_true(kernel_step(&fx.k));
    assert_int_equal(fx.drv_a.calls, 3);
    assert_int_equal(p->timeslice_expirations, 1);
    assert_int_equal(p->state, PROCESS_RUNNING);
    assert_null(fx.k.resume);
    script_yield_wait(q);
    assert_true(kernel_step(&fx.k));
    assert_ptr_equal(fake_arch.ran[3], &q->context);
}

/* Work the loop polls for (a deferred call) stops the process after the syscall. */
static void test_deferred_call_set_in_fast_path_runs_before_the_process_goes_on(void **state)
{
    (void)state;
    struct process *p = fixture_running(&fx, 0);
    trigger.set_deferred = true;
    script_command(p, DRV_TRIGGER, 1);
    script_yield_wait(p);
    assert_true(kernel_step(&fx.k));
    assert_int_equal(fake_arch.fast_stops, 1);
    assert_int_equal(fake_arch.switch_count, 1);
    assert_int_equal(trigger.deferred_runs, 0);
    assert_ptr_equal(fx.k.resume, p);
    assert_true(kernel_step(&fx.k));
    assert_int_equal(trigger.deferred_runs, 1);
    assert_ptr_equal(fake_arch.ran[1], &p->context);
    assert_int_equal(fake_arch.ran_regs[1][0], SUCCESS_U32);
}

/* A yield-no-wait with an upcall queued stays fast: the upcall runs at once. */
static void test_yield_no_wait_with_upcall_queued_goes_straight_to_it(void **state)
{
    (void)state;
    struct process *p = fixture_running(&fx, 0);
    uint32_t fn = fixture_code_addr(p, 0x90);
    subscribe_a0(p, fn);
    assert_int_equal(grant_enter(&fx.grant_a, p->pid, schedule_fn, NULL), ERR_OK);
    fake_arch_script_syscall(&p->context, 0, 0, 0, 0, 0);
    script_yield_wait(p);
    assert_true(kernel_step(&fx.k));
    assert_int_equal(fake_arch.ran_pc[1], fn);
    assert_int_equal(fake_arch.fast_resumes, 1);
}

/* ---- switching processes in the trap (KERNEL_FAST_SWITCH) ---- */

/* A yield-wait with another process ready goes to it without the loop: its upcall pushed, its
 * MPU loaded, a full slice, the cursor on it; the loop then handles the trap of the process
 * that is running by then (here its exit), not the one it started. */
static void test_blocking_yield_switches_to_the_next_ready_process_in_the_trap(void **state)
{
    (void)state;
    struct process *a, *b;
    uint32_t fn = a_running_b_subscribed(&a, &b);
    assert_int_equal(grant_enter(&fx.grant_a, b->pid, schedule_fn, NULL), ERR_OK);
    script_command(a, DRV_TRIGGER, 1);
    fake_arch_script_syscall(&a->context, 0, 1, 0, 0, 0)->remaining_us = 3000; /* a blocks */
    fake_arch_script_syscall(&b->context, CLASS_EXIT, 0, 7, 0, 0);
    assert_true(kernel_step(&fx.k));
    assert_int_equal(fake_arch.script_mismatches, 0);
    assert_int_equal(fake_arch.switch_count, 3); /* a, a after its command, then b */
    assert_int_equal(fake_arch.fast_switches, 1);
    assert_int_equal(fake_arch.fast_defers, 1); /* b's exit, left to the loop */
    assert_ptr_equal(fake_arch.ran[2], &b->context);
    assert_int_equal(fake_arch.ran_pc[2], fn);
    assert_int_equal(fake_arch.ran_regs[2][0], 7);
    assert_int_equal(fake_arch.ran_slice_us[2], KERNEL_TIMESLICE_US);
    assert_int_equal(fake_arch.last_bounds.mem_start, b->mem_start);
    assert_int_equal(fake_arch.last_bounds.app_brk, b->app_brk);
    assert_ptr_equal(fake_arch.last_configured, &b->mpu);
    assert_ptr_equal(fx.k.mpu_loaded, &b->mpu);
    assert_int_equal(fx.k.last_scheduled, 1);
    assert_int_equal(a->state, PROCESS_YIELDED);
    assert_int_equal(b->completion_code, 7); /* the loop handled b's trap */
    assert_int_equal(a->syscall_count, 2);
    assert_int_equal(b->syscall_count, 2); /* its subscribe, its exit */
    assert_false(fake_arch.slice_running);
}

/* A switch chain: each blocking yield hands over to the next ready process, round-robin. */
static void test_yields_hand_over_round_robin_without_the_loop(void **state)
{
    (void)state;
    struct process *p[3];
    for (uint32_t i = 0; i < 3; i++) {
        p[i] = fixture_start_process(&fx, i);
    }
    for (uint32_t i = 0; i < 3; i++) {
        script_yield_wait(p[i]);
    }
    assert_true(kernel_step(&fx.k));
    assert_int_equal(fake_arch.script_mismatches, 0);
    assert_int_equal(fake_arch.switch_count, 3);
    assert_int_equal(fake_arch.fast_switches, 2);
    assert_int_equal(fake_arch.fast_stops, 1); /* the last: nobody ready, the loop sleeps */
    for (uint32_t i = 0; i < 3; i++) {
        assert_ptr_equal(fake_arch.ran[i], &p[i]->context);
        assert_int_equal(p[i]->state, PROCESS_YIELDED);
    }
    assert_false(kernel_step(&fx.k)); /* nothing left to do */
}

static void raise_irq_hook(void)
{
    fake_chip.pending = 1;
}

/* Kernel work pending (an interrupt) keeps the switch for the loop, which services it first. */
static void test_no_switch_in_the_trap_while_the_kernel_has_work(void **state)
{
    (void)state;
    struct process *a = fixture_running(&fx, 0);
    struct process *b = fixture_start_process(&fx, 1);
    fx.k.last_scheduled = 2;
    fake_arch_script_syscall(&a->context, 0, 1, 0, 0, 0)->hook = raise_irq_hook;
    assert_true(kernel_step(&fx.k));
    assert_int_equal(a->state, PROCESS_YIELDED);
    assert_int_equal(fake_arch.fast_switches, 0);
    assert_int_equal(fake_arch.fast_stops, 1);
    assert_int_equal(fake_arch.switch_count, 1);
    assert_int_equal(b->context.upcalls_pushed, 0);
    assert_int_equal(fake_chip.services, 0);
    script_yield_wait(b);
    assert_true(kernel_step(&fx.k)); /* the interrupt first, then b */
    assert_int_equal(fake_chip.services, 1);
    assert_ptr_equal(fake_arch.ran[1], &b->context);
}

/* A process whose stack cannot take its upcall faults in the trap; the loop takes over. */
static void test_next_process_that_cannot_take_its_upcall_stops_the_switch(void **state)
{
    (void)state;
    struct process *a = fixture_running(&fx, 0);
    struct process *b = fixture_start_process(&fx, 1);
    struct process *c = fixture_start_process(&fx, 2);
    fx.k.last_scheduled = 2;
    b->context.fail_push = true;
    script_yield_wait(a);
    script_yield_wait(c);
    assert_true(kernel_step(&fx.k));
    assert_int_equal(b->state, PROCESS_FAULTED);
    assert_int_equal(fake_arch.fast_switches, 0);
    assert_int_equal(fake_arch.fast_stops, 1);
    assert_int_equal(fake_arch.switch_count, 1);
    assert_true(kernel_step(&fx.k)); /* the loop picks again from a: c */
    assert_ptr_equal(fake_arch.ran[1], &c->context);
}

/* ---- the driver index (kernel_find_driver): one probe, present or not ---- */

static uint32_t rng_state = 12345u;
static uint32_t next_random(void)
{
    rng_state = rng_state * 1664525u + 1013904223u;
    return rng_state ^ (rng_state >> 16); /* the LCG's low bits alone repeat quickly */
}

static struct driver_slot table[KERNEL_DRIVER_INDEX_SLOTS];

static bool listed(uint32_t num, uint32_t count)
{
    for (uint32_t i = 0; i < count; i++) {
        if (table[i].driver_num == num) {
            return true;
        }
    }
    return false;
}

static void test_driver_index_finds_every_driver_and_nothing_else(void **state)
{
    (void)state;
    for (uint32_t round = 0; round < 300; round++) {
        uint32_t count = 1u + round % KERNEL_MAX_DRIVERS;
        for (uint32_t i = 0; i < count; i++) {
            uint32_t num;
            do {
                /* Half Tock-like (small, 0x10000-aligned families), half anything. */
                num = (round & 1u) ? next_random()
                                   : ((next_random() % 0x10u) << 16) | (next_random() % 8u);
            } while (listed(num, i));
            table[i] = (struct driver_slot){ num, &fx.drv_a.driver };
        }
        kernel_set_drivers(&fx.k, table, count);
        for (uint32_t i = 0; i < count; i++) {
            assert_ptr_equal(kernel_find_driver(&fx.k, table[i].driver_num), &table[i]);
        }
        for (uint32_t i = 0; i < 200; i++) {
            uint32_t num = next_random() >> (i & 15u);
            if (!listed(num, count)) {
                assert_null(kernel_find_driver(&fx.k, num));
            }
        }
    }
}

/* The board's table is checked when the kernel starts: a bad one stops it with a message. */
static void expect_index_panic(uint32_t count, const char *message)
{
    jmp_buf halted;
    fixture_capture_panic(&halted);
    if (setjmp(halted) == 0) {
        kernel_set_drivers(&fx.k, table, count);
        fail_msg("no panic");
    }
    fake_arch.halt_jmp = NULL;
    assert_non_null(strstr(fixture_panic()->text, message));
}

static void test_driver_table_errors_stop_the_kernel_at_start(void **state)
{
    (void)state;
    for (uint32_t i = 0; i < 5; i++) {
        table[i] = (struct driver_slot){ i * 3u, &fx.drv_a.driver };
    }
    table[4].driver_num = 6u; /* listed twice */
    expect_index_panic(5, "listed twice");
    for (uint32_t i = 0; i <= KERNEL_MAX_DRIVERS; i++) {
        table[i] = (struct driver_slot){ i, &fx.drv_a.driver };
    }
    expect_index_panic(KERNEL_MAX_DRIVERS + 1u, "too many drivers");
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(test_command_finishes_in_the_trap_and_the_process_goes_on,
                                        setup, teardown),
        cmocka_unit_test_setup_teardown(test_exit_and_bad_syscalls_are_left_to_the_loop, setup,
                                        teardown),
        cmocka_unit_test_setup_teardown(
            test_interrupt_during_fast_syscall_preempts_after_it_and_resumes_first, setup,
            teardown),
        cmocka_unit_test_setup_teardown(test_upcall_queued_in_fast_path_waits_for_yield, setup,
                                        teardown),
        cmocka_unit_test_setup_teardown(test_break_change_returns_to_the_loop_with_new_bounds,
                                        setup, teardown),
        cmocka_unit_test_setup_teardown(
            test_switch_after_fast_return_runs_the_other_process_with_its_own_mpu, setup,
            teardown),
        cmocka_unit_test_setup_teardown(test_fast_syscalls_do_not_escape_the_timeslice, setup,
                                        teardown),
        cmocka_unit_test_setup_teardown(
            test_deferred_call_set_in_fast_path_runs_before_the_process_goes_on, setup, teardown),
        cmocka_unit_test_setup_teardown(
            test_yield_no_wait_with_upcall_queued_goes_straight_to_it, setup, teardown),
        cmocka_unit_test_setup_teardown(
            test_blocking_yield_switches_to_the_next_ready_process_in_the_trap, setup, teardown),
        cmocka_unit_test_setup_teardown(test_yields_hand_over_round_robin_without_the_loop,
                                        setup, teardown),
        cmocka_unit_test_setup_teardown(test_no_switch_in_the_trap_while_the_kernel_has_work,
                                        setup, teardown),
        cmocka_unit_test_setup_teardown(
            test_next_process_that_cannot_take_its_upcall_stops_the_switch, setup, teardown),
        cmocka_unit_test_setup_teardown(test_driver_index_finds_every_driver_and_nothing_else,
                                        setup, teardown),
        cmocka_unit_test_setup_teardown(test_driver_table_errors_stop_the_kernel_at_start,
                                        setup, teardown),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
