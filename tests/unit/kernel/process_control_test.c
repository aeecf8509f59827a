/* SPDX-License-Identifier: Apache-2.0 OR MIT */
/*
 * Host tests for process control by request (process_stop, process_resume, process_boot) and
 * for tracing (process_set_traced, struct kernel_tracer): what the process console's stop,
 * start, boot and trace commands do to the kernel.
 *
 * Tracing must cost the untraced nothing and tell the tracer everything about the traced: a
 * traced process's syscalls leave the trap's fast path for the loop (the fake arch plays the
 * trap), and the tracer sees each one with its arguments and return registers, and each upcall
 * with its identity and arguments.
 *
 * Usage: make build/host/process_control_test build/host-san/process_control_test
 */
#include "kernel_fixture.h"

#include "kernel/arch.h"

static struct fixture fx;

#define TRACE_LOG_MAX 16u

struct traced_syscall {
    struct process_id pid;
    uint32_t class_num;
    uint32_t args[4];
    bool has_result;
    uint32_t result[4];
};

struct traced_upcall {
    struct process_id pid;
    uint32_t driver_num;
    uint32_t subscribe_num;
    bool was_waiting;
    uint32_t args[4];
};

static struct {
    struct kernel_tracer tracer;
    struct traced_syscall syscalls[TRACE_LOG_MAX];
    uint32_t syscall_count;
    struct traced_upcall upcalls[TRACE_LOG_MAX];
    uint32_t upcall_count;
} trace;

/* The recorder keeps what syscall_entered saw (the arguments are overwritten by results) and
 * completes the entry at syscall_returned, as the process console does. */
static struct traced_syscall pending_syscall;

static void record_syscall_entered(struct kernel_tracer *tracer, const struct process *p,
                                   const struct arch_syscall *sc)
{
    assert_ptr_equal(tracer, &trace.tracer);
    pending_syscall = (struct traced_syscall){ .pid = p->pid, .class_num = sc->class_num };
    memcpy(pending_syscall.args, sc->args, sizeof pending_syscall.args);
}

static void record_syscall_returned(struct kernel_tracer *tracer, const struct process *p,
                                    const struct arch_syscall *sc)
{
    assert_ptr_equal(tracer, &trace.tracer);
    assert_int_equal(sc->class_num, pending_syscall.class_num);
    assert_true(trace.syscall_count < TRACE_LOG_MAX);
    struct traced_syscall *t = &trace.syscalls[trace.syscall_count++];
    *t = pending_syscall;
    t->has_result = sc->class_num != CLASS_YIELD && process_is_alive(p) &&
                    p->pid.id == pending_syscall.pid.id;
    if (t->has_result) {
        memcpy(t->result, sc->args, sizeof t->result);
    }
}

/* What upcall_coming saw: the identity of the task about to be delivered. */
static struct traced_upcall pending_upcall;

static void record_upcall_coming(struct kernel_tracer *tracer, const struct process *p)
{
    assert_ptr_equal(tracer, &trace.tracer);
    pending_upcall = (struct traced_upcall){ .pid = p->pid };
    if (p->state == PROCESS_YIELDED_FOR) {
        pending_upcall.was_waiting = true;
        pending_upcall.driver_num = p->yield_driver;
        pending_upcall.subscribe_num = p->yield_subscribe;
        return;
    }
    const struct upcall_task *next = upcall_queue_first_function(&p->queue);
    assert_non_null(next);
    pending_upcall.driver_num = next->driver_num;
    pending_upcall.subscribe_num = next->subscribe_num;
}

static void record_upcall_delivered(struct kernel_tracer *tracer, const struct process *p)
{
    assert_ptr_equal(tracer, &trace.tracer);
    assert_int_equal(p->state, PROCESS_RUNNING);
    assert_true(trace.upcall_count < TRACE_LOG_MAX);
    struct traced_upcall *t = &trace.upcalls[trace.upcall_count++];
    *t = pending_upcall;
    memcpy(t->args, arch_syscall_args(&p->context), sizeof t->args);
}

static const struct kernel_tracer_ops record_ops = {
    .syscall_entered = record_syscall_entered,
    .syscall_returned = record_syscall_returned,
    .upcall_coming = record_upcall_coming,
    .upcall_delivered = record_upcall_delivered,
};

static int setup(void **state)
{
    (void)state;
    fixture_init_policy(&fx, (struct process_fault_policy){ .action = PROCESS_FAULT_RESTART,
                                                            .max_restarts = 2 });
    memset(&trace, 0, sizeof trace);
    trace.tracer.ops = &record_ops;
    kernel_set_tracer(&fx.k, &trace.tracer);
    fake_arch.fast_path = true;
    return 0;
}

static int teardown(void **state)
{
    (void)state;
    fixture_fini(&fx);
    return 0;
}

static struct upcall_task function_task(const struct process *p, uint32_t driver_num,
                                        uint32_t subscribe_num, uint32_t first)
{
    return (struct upcall_task){
        .kind = UPCALL_FUNCTION,
        .driver_num = driver_num,
        .subscribe_num = subscribe_num,
        .fn = fixture_code_addr(p, 0x80),
        .args = { first, first + 1u, first + 2u, first + 3u },
    };
}

/* ==== stop, resume ==== */

static void test_a_stopped_process_is_not_run_but_keeps_its_events_until_resumed(void **state)
{
    (void)state;
    struct process *p = fixture_running(&fx, 0);
    p->state = PROCESS_YIELDED;
    assert_int_equal(process_stop(p), ERR_OK);
    assert_int_equal(p->state, PROCESS_STOPPED);
    assert_int_equal(process_stop(p), ERR_ALREADY);
    struct upcall_task task = function_task(p, FIX_DRV_A, 1, 10);
    assert_int_equal(process_enqueue(p, &task), ERR_OK);
    assert_false(kernel_step(&fx.k)); /* nothing runnable */
    assert_int_equal(fake_arch.switch_count, 0);
    assert_int_equal(p->queue.count, 1);

    assert_int_equal(process_resume(p), ERR_OK);
    assert_int_equal(p->state, PROCESS_YIELDED);
    assert_int_equal(process_resume(p), ERR_ALREADY);
    assert_true(kernel_step(&fx.k));
    assert_int_equal(fake_arch.switch_count, 1);
    assert_int_equal(fake_arch.ran_pc[0], task.fn);
    assert_int_equal(fake_arch.ran_regs[0][0], 10);
}

static void test_a_process_stopped_in_yield_wait_for_still_waits_after_resume(void **state)
{
    (void)state;
    struct process *p = fixture_running(&fx, 0);
    fixture_syscall(&fx, p, CLASS_YIELD, 2, FIX_DRV_A, 1, 0); /* Yield-WaitFor(A, 1) */
    assert_int_equal(p->state, PROCESS_YIELDED_FOR);
    assert_int_equal(process_stop(p), ERR_OK);
    /* Even with a full queue the event is not delivered to a stopped process. */
    for (uint32_t i = 0; i < UPCALL_QUEUE_CAPACITY; i++) {
        struct upcall_task other = function_task(p, FIX_DRV_B, 0, i);
        assert_int_equal(process_enqueue(p, &other), ERR_OK);
    }
    struct upcall_task match = function_task(p, FIX_DRV_A, 1, 50);
    assert_int_equal(process_enqueue(p, &match), ERR_NOMEM);
    assert_int_equal(p->state, PROCESS_STOPPED);
    upcall_queue_clear(&p->queue);
    assert_int_equal(process_enqueue(p, &match), ERR_OK);

    assert_int_equal(process_resume(p), ERR_OK);
    assert_int_equal(p->state, PROCESS_YIELDED_FOR);
    assert_int_equal(p->yield_driver, FIX_DRV_A);
    assert_true(kernel_step(&fx.k));
    assert_int_equal(fake_arch.ran_regs[0][0], 50); /* Yield-WaitFor returned the event */
    assert_int_equal(fake_arch.ran_regs[0][1], 51);
}

static void test_stop_and_resume_refuse_processes_that_are_not_alive(void **state)
{
    (void)state;
    struct process *p = fixture_running(&fx, 0);
    process_terminate(&fx.k, p, 0);
    assert_int_equal(process_stop(p), ERR_OFF);
    assert_int_equal(process_resume(p), ERR_OFF);
    assert_int_equal(p->state, PROCESS_TERMINATED);
}

/* ==== boot ==== */

static void test_boot_starts_an_ended_process_afresh(void **state)
{
    (void)state;
    struct process *p = fixture_running(&fx, 0);
    uint32_t old_id = p->pid.id;
    process_fault(&fx.k, p, "test");
    process_fault(&fx.k, p, "test");
    process_fault(&fx.k, p, "test"); /* the third is past max_restarts (2): stopped */
    assert_int_equal(p->state, PROCESS_FAULTED);
    assert_int_equal(p->restart_count, 2);
    *(volatile uint8_t *)(p->mem_start + 100) = 0x5A;

    assert_int_equal(process_boot(&fx.k, p), ERR_OK);
    assert_int_equal(p->state, PROCESS_YIELDED);
    assert_true(p->pid.id != old_id);
    assert_int_equal(p->fault_streak, 0);
    assert_int_equal(p->fault_count, 3); /* counts are kept */
    assert_int_equal(p->restart_count, 2);
    assert_int_equal(p->queue.count, 1); /* the entry call */
    assert_int_equal(p->queue.tasks[0].driver_num, UPCALL_DRIVER_KERNEL);
    /* The old instance's byte is out of reach until the break grows over it, which zeroes it. */
    assert_int_equal(process_set_brk(p, p->mem_start + 128), ERR_OK);
    assert_int_equal(*(volatile uint8_t *)(p->mem_start + 100), 0);
    /* A new streak: it is restarted again after its next fault. */
    process_fault(&fx.k, p, "test");
    assert_int_equal(p->state, PROCESS_YIELDED);

    process_terminate(&fx.k, p, 0);
    assert_int_equal(process_boot(&fx.k, p), ERR_OK);
    assert_int_equal(p->state, PROCESS_YIELDED);
}

static void test_boot_refuses_a_live_process_and_an_empty_slot(void **state)
{
    (void)state;
    struct process *p = fixture_running(&fx, 0);
    uint32_t id = p->pid.id;
    assert_int_equal(process_boot(&fx.k, p), ERR_ALREADY);
    assert_int_equal(p->pid.id, id);
    assert_int_equal(process_stop(p), ERR_OK);
    assert_int_equal(process_boot(&fx.k, p), ERR_ALREADY);
    assert_int_equal(process_boot(&fx.k, &fx.procs[2]), ERR_NODEVICE);
    assert_int_equal(fx.procs[2].state, PROCESS_EMPTY);
}

/* ==== tracing ==== */

static void test_untraced_syscalls_stay_on_the_fast_path_and_are_not_reported(void **state)
{
    (void)state;
    struct process *p = fixture_start_process(&fx, 0);
    fx.drv_a.next_return = syscall_success_u32(42);
    fake_arch_script_syscall(&p->context, CLASS_COMMAND, FIX_DRV_A, 3, 7, 8);
    fake_arch_script_syscall(&p->context, CLASS_YIELD, 1, 0, 0, 0);
    assert_true(kernel_step(&fx.k));
    assert_int_equal(fake_arch.fast_resumes, 1);
    assert_int_equal(fake_arch.fast_defers, 0);
    assert_int_equal(trace.syscall_count, 0);
    assert_int_equal(trace.upcall_count, 0);
}

static void test_traced_syscalls_go_through_the_loop_and_reach_the_tracer(void **state)
{
    (void)state;
    struct process *p = fixture_start_process(&fx, 0);
    process_set_traced(p, true);
    fx.drv_a.next_return = syscall_success_u32(42);
    fake_arch_script_syscall(&p->context, CLASS_COMMAND, FIX_DRV_A, 3, 7, 8);
    fake_arch_script_syscall(&p->context, CLASS_COMMAND, 0x7777u, 1, 2, 3);
    fake_arch_script_syscall(&p->context, CLASS_YIELD, 1, 0, 0, 0);
    while (fake_arch.script_pos < fake_arch.script_len) {
        assert_true(kernel_step(&fx.k));
    }
    assert_int_equal(fake_arch.fast_resumes, 0);
    assert_int_equal(fake_arch.fast_defers, 3);
    assert_int_equal(p->syscall_count, 3); /* counted once each, by the loop */
    assert_int_equal(fx.drv_a.calls, 1);

    /* The entry call, then the three syscalls. */
    assert_int_equal(trace.upcall_count, 1);
    assert_int_equal(trace.upcalls[0].driver_num, UPCALL_DRIVER_KERNEL);
    assert_int_equal(trace.syscall_count, 3);
    const struct traced_syscall *command = &trace.syscalls[0];
    assert_int_equal(command->class_num, CLASS_COMMAND);
    assert_int_equal(command->args[0], FIX_DRV_A);
    assert_int_equal(command->args[1], 3);
    assert_int_equal(command->args[2], 7);
    assert_int_equal(command->args[3], 8);
    assert_true(command->has_result);
    assert_int_equal(command->result[0], SUCCESS_U32);
    assert_int_equal(command->result[1], 42);
    const struct traced_syscall *missing = &trace.syscalls[1];
    assert_int_equal(missing->args[0], 0x7777u);
    assert_true(missing->has_result);
    assert_int_equal(missing->result[0], FAILURE);
    assert_int_equal(missing->result[1], ERR_NODEVICE);
    const struct traced_syscall *yield = &trace.syscalls[2];
    assert_int_equal(yield->class_num, CLASS_YIELD);
    assert_int_equal(yield->args[0], 1);
    assert_false(yield->has_result);
    assert_int_equal(p->state, PROCESS_YIELDED);
}

static void test_traced_upcalls_report_identity_and_arguments(void **state)
{
    (void)state;
    struct process *p = fixture_running(&fx, 0);
    process_set_traced(p, true);
    p->state = PROCESS_YIELDED;
    struct upcall_task task = function_task(p, FIX_DRV_B, 1, 20);
    assert_int_equal(process_enqueue(p, &task), ERR_OK);
    fake_arch_script_syscall(&p->context, CLASS_YIELD, 2, FIX_DRV_A, 2, 0); /* then WaitFor */
    assert_true(kernel_step(&fx.k));
    assert_int_equal(trace.upcall_count, 1);
    assert_int_equal(trace.upcalls[0].driver_num, FIX_DRV_B);
    assert_int_equal(trace.upcalls[0].subscribe_num, 1);
    assert_false(trace.upcalls[0].was_waiting);
    assert_int_equal(trace.upcalls[0].args[0], 20);
    assert_int_equal(trace.upcalls[0].args[3], 23);
    assert_int_equal(p->state, PROCESS_YIELDED_FOR);

    struct upcall_task match = function_task(p, FIX_DRV_A, 2, 30);
    assert_int_equal(process_enqueue(p, &match), ERR_OK);
    assert_true(kernel_step(&fx.k));
    assert_int_equal(trace.upcall_count, 2);
    assert_int_equal(trace.upcalls[1].driver_num, FIX_DRV_A);
    assert_int_equal(trace.upcalls[1].subscribe_num, 2);
    assert_true(trace.upcalls[1].was_waiting);
    assert_int_equal(trace.upcalls[1].args[0], 30);
    assert_int_equal(trace.upcalls[1].args[2], 32);
}

static void test_exit_is_reported_without_a_result(void **state)
{
    (void)state;
    struct process *p = fixture_running(&fx, 0);
    process_set_traced(p, true);
    fixture_syscall(&fx, p, CLASS_EXIT, 0, 5, 0, 0);
    assert_int_equal(p->state, PROCESS_TERMINATED);
    assert_int_equal(trace.syscall_count, 1);
    assert_int_equal(trace.syscalls[0].class_num, CLASS_EXIT);
    assert_int_equal(trace.syscalls[0].args[1], 5);
    assert_false(trace.syscalls[0].has_result);
    /* An exit number the kernel does not know returns an error: that is a result. */
    struct process *q = fixture_running(&fx, 1);
    process_set_traced(q, true);
    fixture_syscall(&fx, q, CLASS_EXIT, 9, 0, 0, 0);
    assert_int_equal(trace.syscall_count, 2);
    assert_true(trace.syscalls[1].has_result);
    assert_int_equal(trace.syscalls[1].result[0], FAILURE);
    assert_int_equal(trace.syscalls[1].result[1], ERR_NOSUPPORT);
}

static void test_a_trace_survives_a_restart_and_ends_when_turned_off(void **state)
{
    (void)state;
    struct process *p = fixture_running(&fx, 0);
    process_set_traced(p, true);
    process_restart(&fx.k, p);
    assert_true(p->is_traced);
    fixture_make_running(p);
    fixture_syscall(&fx, p, CLASS_COMMAND, FIX_DRV_A, 1, 0, 0);
    assert_int_equal(trace.syscall_count, 1);

    process_set_traced(p, false);
    assert_false(p->is_traced);
    assert_int_equal(p->after_upcall & PROCESS_AFTER_UPCALL_TRACE, 0);
    fixture_syscall(&fx, p, CLASS_COMMAND, FIX_DRV_A, 1, 0, 0);
    p->state = PROCESS_YIELDED;
    struct upcall_task task = function_task(p, FIX_DRV_B, 0, 1);
    assert_int_equal(process_enqueue(p, &task), ERR_OK);
    assert_true(kernel_step(&fx.k));
    assert_int_equal(trace.syscall_count, 1);
    assert_int_equal(trace.upcall_count, 0);
}

static void test_turning_a_trace_off_keeps_held_events_noted(void **state)
{
    (void)state;
    struct process *p = fixture_running(&fx, 0);
    p->after_upcall |= PROCESS_AFTER_UPCALL_ROOM;
    process_set_traced(p, true);
    process_set_traced(p, false);
    assert_int_equal(p->after_upcall, PROCESS_AFTER_UPCALL_ROOM);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(
            test_a_stopped_process_is_not_run_but_keeps_its_events_until_resumed, setup,
            teardown),
        cmocka_unit_test_setup_teardown(
            test_a_process_stopped_in_yield_wait_for_still_waits_after_resume, setup, teardown),
        cmocka_unit_test_setup_teardown(test_stop_and_resume_refuse_processes_that_are_not_alive,
                                        setup, teardown),
        cmocka_unit_test_setup_teardown(test_boot_starts_an_ended_process_afresh, setup,
                                        teardown),
        cmocka_unit_test_setup_teardown(test_boot_refuses_a_live_process_and_an_empty_slot,
                                        setup, teardown),
        cmocka_unit_test_setup_teardown(
            test_untraced_syscalls_stay_on_the_fast_path_and_are_not_reported, setup, teardown),
        cmocka_unit_test_setup_teardown(
            test_traced_syscalls_go_through_the_loop_and_reach_the_tracer, setup, teardown),
        cmocka_unit_test_setup_teardown(test_traced_upcalls_report_identity_and_arguments, setup,
                                        teardown),
        cmocka_unit_test_setup_teardown(test_exit_is_reported_without_a_result, setup, teardown),
        cmocka_unit_test_setup_teardown(
            test_a_trace_survives_a_restart_and_ends_when_turned_off, setup, teardown),
        cmocka_unit_test_setup_teardown(test_turning_a_trace_off_keeps_held_events_noted, setup,
                                        teardown),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
