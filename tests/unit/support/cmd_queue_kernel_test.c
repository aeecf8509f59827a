/* SPDX-License-Identifier: Apache-2.0 OR MIT */
/*
 * Host tests for the driver command queue inside the real kernel core: the exit hook registered
 * with kernel_add_exit_hook runs when a process terminates, restarts or faults, and a driver that
 * submits from inside grant_enter can enter the started process's grant from start().
 *
 * Usage: make build/host/cmd_queue_kernel_test build/host-san/cmd_queue_kernel_test
 */
#include "kernel_fixture.h"

#include "container.h"
#include "support/cmd_queue.h"

struct grant_driver {
    struct cmd_queue queue;
    struct grant *grant;
    unsigned starts;
    unsigned aborts;
    struct process_id started;
    struct process_id aborted;
    err_t start_grant_status; /* grant_enter from inside start() */
};

static struct fixture fx;
static struct grant_driver drv;
static struct cmd_queue_entry entries[FIX_PROCS];

static uint32_t zero_clock(void *ctx)
{
    (void)ctx;
    return 0;
}

static const struct cmd_queue_config queue_config = {.now = zero_clock,
                                                     .session_idle_ticks = 0};

static err_t touch_grant(void *data, struct grant_kernel_data *kd, void *ctx)
{
    (void)kd;
    (void)ctx;
    uint8_t *bytes = data;
    bytes[0]++;
    return ERR_OK;
}

static void grant_driver_start(struct cmd_queue *queue, struct process_id pid,
                               const struct cmd_queue_command *command)
{
    (void)command;
    struct grant_driver *d = CONTAINER_OF(queue, struct grant_driver, queue);
    d->starts++;
    d->started = pid;
    d->start_grant_status = grant_enter(d->grant, pid, touch_grant, NULL);
}

static void grant_driver_abort(struct cmd_queue *queue, struct process_id pid,
                               enum cmd_queue_abort_reason reason)
{
    struct grant_driver *d = CONTAINER_OF(queue, struct grant_driver, queue);
    assert_int_equal(reason, CMD_QUEUE_ABORT_EXITED);
    d->aborts++;
    d->aborted = pid;
    /* The dead process's grant is already gone: nothing can be written back to it. */
    assert_int_equal(grant_enter(d->grant, pid, touch_grant, NULL), ERR_INVAL);
}

static const struct cmd_queue_ops grant_driver_ops = {.start = grant_driver_start,
                                                      .abort = grant_driver_abort};

struct submit_args {
    struct grant_driver *driver;
    struct process_id pid;
};

/* A driver's command handler: it submits while inside the caller's grant. */
static err_t submit_in_grant(void *data, struct grant_kernel_data *kd, void *ctx)
{
    (void)data;
    (void)kd;
    const struct submit_args *args = ctx;
    const struct cmd_queue_command command = {.command_num = 1, .arg0 = 0, .arg1 = 0};
    return cmd_queue_submit(&args->driver->queue, args->pid, &command);
}

static err_t command(struct process *p)
{
    struct submit_args args = {.driver = &drv, .pid = p->pid};
    return grant_enter(drv.grant, p->pid, submit_in_grant, &args);
}

static void drain(void)
{
    for (unsigned rounds = 0; deferred_call_has_pending(); rounds++) {
        assert_true(rounds < 100);
        deferred_call_service();
    }
}

static int setup(void **state)
{
    (void)state;
    fixture_init_policy(&fx, (struct process_fault_policy){ .action = PROCESS_FAULT_RESTART, .max_restarts = 5 });
    memset(&drv, 0, sizeof drv);
    drv.grant = &fx.grant_a;
    assert_int_equal(cmd_queue_init(&drv.queue, &grant_driver_ops, &queue_config, entries,
                                    FIX_PROCS),
                     ERR_OK);
    kernel_add_exit_hook(&fx.k, &drv.queue.exit_hook);
    return 0;
}

static int teardown(void **state)
{
    (void)state;
    fixture_fini(&fx);
    return 0;
}

static void test_submit_inside_grant_and_start_entering_the_grant(void **state)
{
    (void)state;
    struct process *p0 = fixture_running(&fx, 0);
    assert_int_equal(command(p0), ERR_OK);
    assert_int_equal(drv.starts, 0);
    drain();
    assert_int_equal(drv.starts, 1);
    assert_true(process_id_equal(drv.started, p0->pid));
    assert_int_equal(drv.start_grant_status, ERR_OK); /* start() runs outside any grant */
}

static void test_terminated_owner_is_aborted_and_the_next_waits_for_done(void **state)
{
    (void)state;
    struct process *p0 = fixture_running(&fx, 0);
    struct process *p1 = fixture_running(&fx, 1);
    assert_int_equal(command(p0), ERR_OK);
    assert_int_equal(command(p1), ERR_OK);
    drain();
    struct process_id dead = p0->pid;
    process_terminate(&fx.k, p0, 0);
    assert_int_equal(drv.aborts, 1);
    assert_true(process_id_equal(drv.aborted, dead));
    drain();
    assert_int_equal(drv.starts, 1); /* the dead request's operation still owns the hardware */
    cmd_queue_done(&drv.queue);
    drain();
    assert_int_equal(drv.starts, 2);
    assert_true(process_id_equal(drv.started, p1->pid));
}

static void test_restarted_owner_queues_again_as_a_new_instance(void **state)
{
    (void)state;
    struct process *p0 = fixture_running(&fx, 0);
    struct process *p2 = fixture_running(&fx, 2);
    assert_int_equal(command(p0), ERR_OK);
    drain();
    struct process_id old = p0->pid;
    process_restart(&fx.k, p0);
    assert_int_equal(drv.aborts, 1);
    assert_false(process_id_equal(p0->pid, old));
    fixture_make_running(p0);
    assert_int_equal(command(p2), ERR_OK);
    assert_int_equal(command(p0), ERR_OK); /* the new instance: a fresh entry, behind p2 */
    cmd_queue_done(&drv.queue);
    drain();
    assert_true(process_id_equal(drv.started, p2->pid));
    cmd_queue_done(&drv.queue);
    drain();
    assert_true(process_id_equal(drv.started, p0->pid));
    assert_int_equal(drv.start_grant_status, ERR_OK);
    assert_int_equal(drv.starts, 3);
}

static void test_faulted_process_loses_its_queued_request(void **state)
{
    (void)state;
    struct process *p0 = fixture_running(&fx, 0);
    struct process *p1 = fixture_running(&fx, 1);
    assert_int_equal(command(p0), ERR_OK);
    assert_int_equal(command(p1), ERR_OK);
    drain();
    process_fault(&fx.k, p1, "test fault"); /* restarts under the fixture's policy */
    fixture_drain_debug();
    assert_int_equal(drv.aborts, 0); /* it was only queued */
    assert_int_equal(entries[1].state, CMD_QUEUE_IDLE);
    cmd_queue_done(&drv.queue);
    drain();
    assert_int_equal(drv.starts, 1); /* nothing else was waiting */
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(test_submit_inside_grant_and_start_entering_the_grant,
                                        setup, teardown),
        cmocka_unit_test_setup_teardown(
            test_terminated_owner_is_aborted_and_the_next_waits_for_done, setup, teardown),
        cmocka_unit_test_setup_teardown(test_restarted_owner_queues_again_as_a_new_instance,
                                        setup, teardown),
        cmocka_unit_test_setup_teardown(test_faulted_process_loses_its_queued_request, setup,
                                        teardown),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
