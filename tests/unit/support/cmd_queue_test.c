/* SPDX-License-Identifier: Apache-2.0 OR MIT */
/*
 * Host tests for the driver command queue (capsules/support/cmd_queue.c): arrival order, one request per
 * process, sessions and their idle timeout, process death mid-request, ticket wrap, and sharing
 * hardware with kernel clients through a mutex (record 002).
 *
 * The fake driver plays hardware that runs one operation at a time: start() fails the test if
 * an operation is already running or if it is called inside a queue call. The test decides when
 * each operation completes. Process death is the queue's exit hook called as the kernel would.
 *
 * Usage: make build/host/cmd_queue_test build/host-san/cmd_queue_test
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include "container.h"
#include "support/cmd_queue.h"
#include "kernel/deferred_call.h"
#include "support/mutex.h"

/* ---------------------------------------------------------------- fake driver */

#define SLOTS 6u
#define IDLE_TICKS 100u
#define LOG_MAX 4096u

#define CMD_HASH 1u   /* one operation */
#define CMD_UPDATE 2u /* opens a session (or continues it) */
#define CMD_FINISH 3u /* closes the session when it completes */

struct fake_driver {
    struct cmd_queue queue;
    bool is_hardware_busy;
    struct process_id running;
    uint32_t running_command;
    unsigned starts;
    unsigned aborts;
    struct process_id aborted;
    enum cmd_queue_abort_reason abort_reason;
    bool is_done_in_start;
    bool is_done_in_abort;
    err_t session_status;
};

static struct fake_driver drv;
static struct cmd_queue_entry entries[SLOTS];
static uint32_t clock_now;
static bool is_inside_queue_call;
static unsigned start_depth;
static char log_text[LOG_MAX + 1];
static size_t log_len;

static void log_char(char c)
{
    if (log_len < LOG_MAX) {
        log_text[log_len++] = c;
        log_text[log_len] = '\0';
    }
}

static void clear_log(void)
{
    log_len = 0;
    log_text[0] = '\0';
}

static uint32_t fake_now(void *ctx)
{
    (void)ctx;
    return clock_now;
}

static const struct cmd_queue_config with_sessions = {
    .now = fake_now, .clock_ctx = NULL, .session_idle_ticks = IDLE_TICKS};
static const struct cmd_queue_config without_sessions = {
    .now = fake_now, .clock_ctx = NULL, .session_idle_ticks = 0};

/* The hardware finished the running operation (the driver's completion handler). */
static void complete(struct fake_driver *d)
{
    assert_true(d->is_hardware_busy);
    d->is_hardware_busy = false;
    bool was_inside = is_inside_queue_call;
    is_inside_queue_call = true; /* done() must not start the next request synchronously */
    if (d->running_command == CMD_FINISH) {
        cmd_queue_session_end(&d->queue, d->running);
    }
    cmd_queue_done(&d->queue);
    is_inside_queue_call = was_inside;
}

static void fake_start(struct cmd_queue *queue, struct process_id pid,
                       const struct cmd_queue_command *command)
{
    struct fake_driver *d = CONTAINER_OF(queue, struct fake_driver, queue);
    assert_false(is_inside_queue_call);
    assert_false(d->is_hardware_busy); /* one operation at a time, dead owners' included */
    start_depth++;
    assert_int_equal(start_depth, 1);
    d->is_hardware_busy = true;
    d->running = pid;
    d->running_command = command->command_num;
    d->starts++;
    log_char((char)('0' + pid.index));
    if (command->command_num == CMD_UPDATE) {
        d->session_status = cmd_queue_session_begin(queue, pid);
    }
    if (d->is_done_in_start) {
        is_inside_queue_call = false;
        complete(d);
    }
    start_depth--;
}

static void fake_abort(struct cmd_queue *queue, struct process_id pid,
                       enum cmd_queue_abort_reason reason)
{
    struct fake_driver *d = CONTAINER_OF(queue, struct fake_driver, queue);
    d->aborts++;
    d->aborted = pid;
    d->abort_reason = reason;
    log_char(reason == CMD_QUEUE_ABORT_EXITED ? 'x' : 't');
    if (reason == CMD_QUEUE_ABORT_EXITED && d->is_hardware_busy && d->is_done_in_abort) {
        complete(d); /* the driver could cancel the hardware synchronously */
    }
}

static const struct cmd_queue_ops fake_ops = {.start = fake_start, .abort = fake_abort};

static struct process_id pid_of(uint32_t index)
{
    return (struct process_id){.index = index, .id = 100 + index};
}

static struct process_id restarted(struct process_id pid)
{
    return (struct process_id){.index = pid.index, .id = pid.id + 1000};
}

static err_t submit_command(struct process_id pid, uint32_t command_num)
{
    const struct cmd_queue_command command = {.command_num = command_num, .arg0 = pid.index,
                                              .arg1 = 7};
    is_inside_queue_call = true;
    err_t err = cmd_queue_submit(&drv.queue, pid, &command);
    is_inside_queue_call = false;
    return err;
}

static err_t submit(struct process_id pid)
{
    return submit_command(pid, CMD_HASH);
}

static void die(struct process_id pid)
{
    drv.queue.exit_hook.on_exit(&drv.queue.exit_hook, pid); /* as kernel/process.c does */
}

static void tick(void)
{
    cmd_queue_tick(&drv.queue);
}

static unsigned drain(void)
{
    unsigned rounds = 0;
    while (deferred_call_has_pending()) {
        deferred_call_service();
        rounds++;
        assert_true(rounds < 100000);
    }
    return rounds;
}

static int setup_with(const struct cmd_queue_config *config)
{
    deferred_call_reset_for_test();
    memset(&drv, 0, sizeof drv);
    clock_now = 5000;
    is_inside_queue_call = false;
    start_depth = 0;
    clear_log();
    assert_int_equal(cmd_queue_init(&drv.queue, &fake_ops, config, entries, SLOTS), ERR_OK);
    return 0;
}

static int setup(void **state)
{
    (void)state;
    return setup_with(&with_sessions);
}

static int setup_no_sessions(void **state)
{
    (void)state;
    return setup_with(&without_sessions);
}

/* ---------------------------------------------------------------- order and admission */

static void test_request_starts_from_the_kernel_loop_not_inside_submit(void **state)
{
    (void)state;
    assert_int_equal(submit(pid_of(2)), ERR_OK);
    assert_int_equal(drv.starts, 0);
    assert_int_equal(drain(), 1);
    assert_int_equal(drv.starts, 1);
    assert_true(process_id_equal(drv.running, pid_of(2)));
    assert_int_equal(entries[2].command.arg0, 2);
    assert_int_equal(entries[2].command.arg1, 7);
    assert_int_equal(entries[2].state, CMD_QUEUE_RUNNING);
    complete(&drv);
    drain();
    assert_int_equal(entries[2].state, CMD_QUEUE_IDLE);
    assert_int_equal(drv.queue.owner, CMD_QUEUE_NO_OWNER);
}

static void test_second_submit_while_queued_or_running_returns_already(void **state)
{
    (void)state;
    assert_int_equal(submit(pid_of(1)), ERR_OK);
    assert_int_equal(submit(pid_of(1)), ERR_ALREADY); /* queued */
    drain();
    assert_int_equal(submit(pid_of(1)), ERR_ALREADY); /* running */
    complete(&drv);
    assert_int_equal(submit(pid_of(1)), ERR_OK); /* done: may ask again */
    drain();
    assert_int_equal(drv.starts, 2);
}

static void test_requests_start_in_arrival_order_not_slot_order(void **state)
{
    (void)state;
    static const uint32_t arrivals[] = {3, 0, 5, 1, 4};
    for (size_t i = 0; i < ARRAY_LEN(arrivals); i++) {
        assert_int_equal(submit(pid_of(arrivals[i])), ERR_OK); /* waiting is success, not BUSY */
    }
    for (size_t i = 0; i < ARRAY_LEN(arrivals); i++) {
        drain();
        complete(&drv);
    }
    assert_string_equal(log_text, "30514");
}

static void test_next_request_starts_only_after_done_in_a_later_round(void **state)
{
    (void)state;
    assert_int_equal(submit(pid_of(0)), ERR_OK);
    assert_int_equal(submit(pid_of(1)), ERR_OK);
    drain();
    assert_int_equal(drain(), 0);
    assert_string_equal(log_text, "0"); /* 1 waits while 0's operation runs */
    complete(&drv);                     /* complete() fails if done() starts 1 inside itself */
    assert_int_equal(drv.starts, 1);
    assert_int_equal(drain(), 1);
    assert_string_equal(log_text, "01");
}

static void test_process_resubmitting_after_completion_goes_behind_the_others(void **state)
{
    (void)state;
    assert_int_equal(submit(pid_of(0)), ERR_OK);
    assert_int_equal(submit(pid_of(1)), ERR_OK);
    assert_int_equal(submit(pid_of(2)), ERR_OK);
    drain();
    complete(&drv);
    assert_int_equal(submit(pid_of(0)), ERR_OK); /* from its completion upcall */
    for (unsigned i = 0; i < 3; i++) {
        drain();
        complete(&drv);
    }
    assert_string_equal(log_text, "0120");
}

static void test_four_looping_processes_share_the_driver_evenly(void **state)
{
    (void)state;
    /* Regression against first-slot-first scanning: every process resubmits at once. */
    unsigned served[4] = {0};
    unsigned since_submit[4] = {0}; /* other processes' operations since its last submit */
    for (uint32_t p = 0; p < 4; p++) {
        assert_int_equal(submit(pid_of(3 - p)), ERR_OK);
    }
    for (unsigned op = 0; op < 1000; op++) {
        drain();
        uint32_t p = drv.running.index;
        assert_true(since_submit[p] <= 3); /* waited at most three service times */
        served[p]++;
        for (uint32_t other = 0; other < 4; other++) {
            since_submit[other] += other != p;
        }
        since_submit[p] = 0;
        complete(&drv);
        assert_int_equal(submit(pid_of(p)), ERR_OK);
    }
    for (uint32_t p = 0; p < 4; p++) {
        assert_int_equal(served[p], 250);
    }
}

static void test_driver_finishing_inside_start_moves_on_without_recursion(void **state)
{
    (void)state;
    drv.is_done_in_start = true; /* e.g. start() failed and reported the error at once */
    for (uint32_t p = 0; p < SLOTS; p++) {
        assert_int_equal(submit(pid_of(p)), ERR_OK);
    }
    assert_int_equal(drain(), SLOTS + 1); /* one start per round; fake_start checks depth */
    assert_string_equal(log_text, "012345");
    assert_int_equal(drv.queue.owner, CMD_QUEUE_NO_OWNER);
}

static void test_done_without_a_running_request_is_ignored(void **state)
{
    (void)state;
    cmd_queue_done(&drv.queue);
    assert_false(deferred_call_has_pending());
    assert_int_equal(submit(pid_of(0)), ERR_OK);
    assert_int_equal(submit(pid_of(1)), ERR_OK);
    cmd_queue_done(&drv.queue); /* 0 queued, not started: nothing is running */
    assert_int_equal(entries[0].state, CMD_QUEUE_QUEUED);
    drain();
    assert_string_equal(log_text, "0");
}

static void test_slot_beyond_the_entry_array_is_refused(void **state)
{
    (void)state;
    assert_int_equal(submit(pid_of(SLOTS)), ERR_NOMEM);
    assert_false(deferred_call_has_pending());
}

static void test_init_checks_the_entry_array_and_the_deferred_call(void **state)
{
    (void)state;
    static struct cmd_queue other;
    assert_int_equal(cmd_queue_init(&other, &fake_ops, &with_sessions, entries, 0), ERR_INVAL);
    deferred_call_reset_for_test();
    static struct deferred_call slots[DEFERRED_CALL_SLOTS];
    for (size_t i = 0; i < DEFERRED_CALL_SLOTS; i++) {
        assert_int_equal(deferred_call_register(&slots[i], NULL, NULL), ERR_OK);
    }
    assert_int_equal(cmd_queue_init(&other, &fake_ops, &with_sessions, entries, SLOTS),
                     ERR_NOMEM);
}

/* ---------------------------------------------------------------- process death */

static void test_dead_queued_process_is_forgotten_and_the_rest_keep_order(void **state)
{
    (void)state;
    assert_int_equal(submit(pid_of(0)), ERR_OK);
    assert_int_equal(submit(pid_of(1)), ERR_OK);
    assert_int_equal(submit(pid_of(2)), ERR_OK);
    assert_int_equal(submit(pid_of(3)), ERR_OK);
    drain();
    die(pid_of(2));
    assert_int_equal(drv.aborts, 0); /* nothing of 2's reached the driver */
    assert_int_equal(entries[2].state, CMD_QUEUE_IDLE);
    for (unsigned i = 0; i < 3; i++) {
        complete(&drv);
        drain();
    }
    assert_string_equal(log_text, "013");
}

static void test_death_mid_request_aborts_and_the_next_starts_only_after_done(void **state)
{
    (void)state;
    assert_int_equal(submit(pid_of(0)), ERR_OK);
    assert_int_equal(submit(pid_of(1)), ERR_OK);
    drain();
    die(pid_of(0)); /* the hardware is busy with 0's operation */
    assert_int_equal(drv.aborts, 1);
    assert_true(process_id_equal(drv.aborted, pid_of(0)));
    assert_int_equal(drv.abort_reason, CMD_QUEUE_ABORT_EXITED);
    assert_int_equal(submit(restarted(pid_of(0))), ERR_OK); /* the new instance may queue */
    drain();
    assert_string_equal(log_text, "0x"); /* 1 does not start on busy hardware */
    complete(&drv); /* the dead request's operation ends; its result is discarded */
    drain();
    assert_string_equal(log_text, "0x1");
    complete(&drv);
    drain();
    assert_string_equal(log_text, "0x10");
    assert_true(process_id_equal(drv.running, restarted(pid_of(0))));
    assert_int_equal(drv.starts, 3); /* the dead instance was never started again */
}

static void test_death_mid_request_with_a_synchronous_abort(void **state)
{
    (void)state;
    drv.is_done_in_abort = true;
    assert_int_equal(submit(pid_of(4)), ERR_OK);
    assert_int_equal(submit(pid_of(2)), ERR_OK);
    drain();
    die(pid_of(4));
    assert_false(drv.is_hardware_busy);
    assert_int_equal(drv.starts, 1); /* not inside the exit hook */
    drain();
    assert_string_equal(log_text, "4x2");
}

static void test_exit_of_other_or_stale_identities_changes_nothing(void **state)
{
    (void)state;
    assert_int_equal(submit(pid_of(0)), ERR_OK);
    assert_int_equal(submit(pid_of(1)), ERR_OK);
    drain();
    die(restarted(pid_of(0)));                                   /* another instance of slot 0 */
    die(restarted(pid_of(1)));                                   /* of a queued slot */
    die(pid_of(3));                                              /* a process with no request */
    die((struct process_id){.index = SLOTS + 3, .id = 1});       /* beyond the array */
    assert_int_equal(drv.aborts, 0);
    assert_int_equal(entries[0].state, CMD_QUEUE_RUNNING);
    assert_int_equal(entries[1].state, CMD_QUEUE_QUEUED);
    complete(&drv);
    drain();
    assert_string_equal(log_text, "01");
}

static void test_stale_identity_cannot_submit_over_a_live_request(void **state)
{
    (void)state;
    assert_int_equal(submit(restarted(pid_of(1))), ERR_OK);
    assert_int_equal(submit(pid_of(1)), ERR_INVAL); /* an older instance of slot 1 */
    drain();
    assert_int_equal(submit(pid_of(1)), ERR_INVAL);
    assert_true(process_id_equal(drv.running, restarted(pid_of(1))));
}

static void test_restart_storm_leaves_no_request_behind(void **state)
{
    (void)state;
    struct process_id p = pid_of(1);
    assert_int_equal(submit(pid_of(0)), ERR_OK);
    drain();
    for (unsigned i = 0; i < 10000; i++) {
        assert_int_equal(submit(p), ERR_OK);
        die(p);
        p.id++;
    }
    assert_int_equal(entries[1].state, CMD_QUEUE_IDLE);
    assert_int_equal(submit(p), ERR_OK);
    complete(&drv);
    drain();
    assert_string_equal(log_text, "01");
    assert_true(process_id_equal(drv.running, p));
}

/* ---------------------------------------------------------------- sessions */

static void test_session_keeps_the_driver_for_its_process_across_commands(void **state)
{
    (void)state;
    assert_int_equal(submit_command(pid_of(2), CMD_UPDATE), ERR_OK);
    drain();
    assert_int_equal(drv.session_status, ERR_OK);
    assert_int_equal(submit(pid_of(0)), ERR_OK);
    complete(&drv);
    drain();
    assert_string_equal(log_text, "2"); /* between commands: 0 still waits */
    assert_int_equal(entries[2].state, CMD_QUEUE_SESSION_IDLE);
    assert_int_equal(submit_command(pid_of(2), CMD_UPDATE), ERR_OK);
    drain();
    assert_int_equal(drv.session_status, ERR_ALREADY); /* continuing: already open */
    complete(&drv);
    assert_int_equal(submit_command(pid_of(2), CMD_FINISH), ERR_OK);
    assert_int_equal(submit(pid_of(1)), ERR_OK);
    drain();
    assert_string_equal(log_text, "222"); /* the session's commands go before any ticket */
    complete(&drv); /* FINISH ends the session */
    drain();
    complete(&drv);
    drain();
    assert_string_equal(log_text, "22201");
    assert_int_equal(drv.aborts, 0);
}

static void test_idle_session_is_cancelled_by_tick_and_its_next_command_gets_cancel(void **state)
{
    (void)state;
    assert_int_equal(submit_command(pid_of(3), CMD_UPDATE), ERR_OK);
    drain();
    assert_int_equal(submit(pid_of(1)), ERR_OK);
    complete(&drv); /* idle from now */
    drain();
    clock_now += IDLE_TICKS - 1;
    tick();
    assert_int_equal(drv.aborts, 0);
    clock_now += 1;
    tick();
    assert_int_equal(drv.aborts, 1);
    assert_int_equal(drv.abort_reason, CMD_QUEUE_ABORT_SESSION_EXPIRED);
    assert_true(process_id_equal(drv.aborted, pid_of(3)));
    assert_int_equal(drv.queue.sessions_expired, 1);
    drain();
    assert_string_equal(log_text, "3t1"); /* the others proceed */
    assert_int_equal(submit_command(pid_of(3), CMD_FINISH), ERR_CANCEL);
    assert_int_equal(submit_command(pid_of(3), CMD_UPDATE), ERR_OK); /* told once; starts over */
    complete(&drv);
    drain();
    assert_string_equal(log_text, "3t13");
}

static void test_session_command_restarts_the_idle_timer(void **state)
{
    (void)state;
    assert_int_equal(submit_command(pid_of(0), CMD_UPDATE), ERR_OK);
    drain();
    complete(&drv);
    clock_now += IDLE_TICKS - 10;
    assert_int_equal(submit_command(pid_of(0), CMD_UPDATE), ERR_OK);
    drain();
    clock_now += 50; /* running: not idle */
    tick();
    complete(&drv);
    clock_now += IDLE_TICKS - 1;
    tick();
    assert_int_equal(drv.aborts, 0);
    clock_now += 1;
    tick();
    assert_int_equal(drv.aborts, 1);
}

static void test_idle_session_expires_when_another_process_submits(void **state)
{
    (void)state;
    assert_int_equal(submit_command(pid_of(0), CMD_UPDATE), ERR_OK);
    drain();
    complete(&drv);
    clock_now += IDLE_TICKS + 500; /* no tick comes */
    assert_int_equal(drv.aborts, 0);
    assert_int_equal(submit(pid_of(5)), ERR_OK);
    assert_int_equal(drv.aborts, 0); /* not inside submit */
    drain();
    assert_string_equal(log_text, "0t5");
}

static void test_idle_session_timer_is_wrap_safe(void **state)
{
    (void)state;
    clock_now = 0xFFFFFFC0u;
    assert_int_equal(submit_command(pid_of(0), CMD_UPDATE), ERR_OK);
    drain();
    complete(&drv);
    clock_now = 0x20u; /* 0x60 = 96 ticks later */
    tick();
    assert_int_equal(drv.aborts, 0);
    clock_now = 0x24u;
    tick();
    assert_int_equal(drv.aborts, 1);
}

static void test_death_during_an_idle_session_aborts_and_frees_the_driver(void **state)
{
    (void)state;
    assert_int_equal(submit_command(pid_of(0), CMD_UPDATE), ERR_OK);
    drain();
    complete(&drv);
    assert_int_equal(submit(pid_of(1)), ERR_OK);
    drain();
    die(pid_of(0));
    assert_int_equal(drv.abort_reason, CMD_QUEUE_ABORT_EXITED);
    drain();
    assert_string_equal(log_text, "0x1");
    assert_int_equal(submit(restarted(pid_of(0))), ERR_OK); /* a fresh entry, no CANCEL */
}

static void test_death_with_a_session_command_queued(void **state)
{
    (void)state;
    assert_int_equal(submit_command(pid_of(0), CMD_UPDATE), ERR_OK);
    drain();
    complete(&drv);
    assert_int_equal(submit(pid_of(1)), ERR_OK);
    assert_int_equal(submit_command(pid_of(0), CMD_UPDATE), ERR_OK); /* not started yet */
    die(pid_of(0));
    drain();
    assert_string_equal(log_text, "0x1");
}

static void test_session_end_between_commands_frees_the_driver(void **state)
{
    (void)state;
    assert_int_equal(submit_command(pid_of(0), CMD_UPDATE), ERR_OK);
    drain();
    complete(&drv);
    assert_int_equal(submit(pid_of(1)), ERR_OK);
    drain();
    cmd_queue_session_end(&drv.queue, pid_of(1)); /* not the owner: ignored */
    drain();
    assert_string_equal(log_text, "0");
    cmd_queue_session_end(&drv.queue, pid_of(0)); /* e.g. a synchronous "reset" command */
    drain();
    assert_string_equal(log_text, "01");
    assert_int_equal(entries[0].state, CMD_QUEUE_IDLE);
    assert_int_equal(drv.aborts, 0);
}

static void test_session_begin_is_for_the_running_owner_only(void **state)
{
    (void)state;
    assert_int_equal(cmd_queue_session_begin(&drv.queue, pid_of(0)), ERR_INVAL); /* idle */
    assert_int_equal(submit(pid_of(0)), ERR_OK);
    assert_int_equal(submit(pid_of(1)), ERR_OK);
    assert_int_equal(cmd_queue_session_begin(&drv.queue, pid_of(0)), ERR_INVAL); /* queued */
    drain();
    assert_int_equal(cmd_queue_session_begin(&drv.queue, pid_of(1)), ERR_INVAL);
    assert_int_equal(cmd_queue_session_begin(&drv.queue, restarted(pid_of(0))), ERR_INVAL);
    assert_int_equal(cmd_queue_session_begin(&drv.queue, pid_of(0)), ERR_OK);
    assert_int_equal(cmd_queue_session_begin(&drv.queue, pid_of(0)), ERR_ALREADY);
}

static void test_driver_without_sessions_refuses_them(void **state)
{
    (void)state;
    assert_int_equal(submit_command(pid_of(0), CMD_UPDATE), ERR_OK);
    assert_int_equal(submit(pid_of(1)), ERR_OK);
    drain();
    assert_int_equal(drv.session_status, ERR_NOSUPPORT);
    complete(&drv);
    drain();
    assert_string_equal(log_text, "01");
}

static void test_cancelled_process_that_dies_starts_fresh(void **state)
{
    (void)state;
    assert_int_equal(submit_command(pid_of(0), CMD_UPDATE), ERR_OK);
    drain();
    complete(&drv);
    clock_now += IDLE_TICKS;
    tick();
    assert_int_equal(entries[0].state, CMD_QUEUE_CANCELLED);
    die(pid_of(0));
    assert_int_equal(drv.aborts, 1); /* only the expiry: nothing more to abort */
    assert_int_equal(submit(restarted(pid_of(0))), ERR_OK);
}

/* ---------------------------------------------------------------- tickets */

static void test_tickets_keep_arrival_order_across_the_32_bit_wrap(void **state)
{
    (void)state;
    drv.queue.next_ticket = 0xFFFFFFFDu;
    static const uint32_t arrivals[] = {4, 2, 0, 5, 1, 3}; /* tickets ...FD, FE, FF, 0, 1, 2 */
    for (size_t i = 0; i < ARRAY_LEN(arrivals); i++) {
        assert_int_equal(submit(pid_of(arrivals[i])), ERR_OK);
    }
    for (size_t i = 0; i < ARRAY_LEN(arrivals); i++) {
        drain();
        complete(&drv);
        if (i == 1) {
            assert_int_equal(submit(pid_of(4)), ERR_OK); /* behind everyone, ticket 3 */
        }
    }
    drain();
    complete(&drv);
    assert_string_equal(log_text, "4205134");
}

/* ---------------------------------------------------------------- with a hardware mutex */

static const struct mutex_type engine_type = {"engine"};
static const struct mutex_config engine_config = {
    .name = "engine", .type = &engine_type, .rank = 8, .hold_budget = 0};

static void ignore_violation(const struct mutex_violation *v, void *ctx)
{
    (void)v;
    (void)ctx;
    fail_msg("unexpected mutex violation");
}

static const struct mutex_dispatcher_config mutex_checks = {
    .on_violation = ignore_violation, .now = fake_now, .is_debug = true};

static struct mutex_dispatcher dispatcher;
static struct mutex engine;
static int engine_resource;

/* A driver whose start() first takes the engine mutex it shares with kernel clients. */
struct mutex_driver {
    struct cmd_queue queue;
    struct mutex_owner owner;
    struct mutex_waiter waiter;
    struct mutex_guard guard;
    struct process_id pid;
};

static struct mutex_driver mdrv;

static void mutex_driver_ready(struct mutex_waiter *waiter, struct mutex_guard guard)
{
    struct mutex_driver *d = CONTAINER_OF(waiter, struct mutex_driver, waiter);
    d->guard = guard;
    assert_ptr_equal(mutex_guard_resource(&guard, &engine_type), &engine_resource);
    log_char((char)('0' + d->pid.index)); /* the operation runs on the engine now */
}

static const struct mutex_waiter_ops mutex_driver_waiter_ops = {.ready = mutex_driver_ready};

static void mutex_driver_start(struct cmd_queue *queue, struct process_id pid,
                               const struct cmd_queue_command *command)
{
    (void)command;
    struct mutex_driver *d = CONTAINER_OF(queue, struct mutex_driver, queue);
    d->pid = pid;
    assert_int_equal(mutex_request(&engine, &d->waiter, MUTEX_EXCLUSIVE), ERR_OK);
}

static void mutex_driver_abort(struct cmd_queue *queue, struct process_id pid,
                               enum cmd_queue_abort_reason reason)
{
    (void)queue;
    (void)pid;
    (void)reason;
}

static const struct cmd_queue_ops mutex_driver_ops = {.start = mutex_driver_start,
                                                      .abort = mutex_driver_abort};

static void mutex_driver_complete(struct mutex_driver *d)
{
    mutex_release(&d->guard);
    cmd_queue_done(&d->queue);
}

struct kernel_client {
    struct mutex_owner owner;
    struct mutex_waiter waiter;
    struct mutex_guard guard;
};

static void kernel_client_ready(struct mutex_waiter *waiter, struct mutex_guard guard)
{
    struct kernel_client *k = CONTAINER_OF(waiter, struct kernel_client, waiter);
    k->guard = guard;
    log_char('K');
}

static const struct mutex_waiter_ops kernel_client_ops = {.ready = kernel_client_ready};

static void test_kernel_client_and_processes_share_hardware_through_a_mutex(void **state)
{
    (void)state;
    assert_int_equal(mutex_dispatcher_init(&dispatcher, &mutex_checks), ERR_OK);
    assert_int_equal(mutex_init(&engine, &dispatcher, &engine_config, &engine_resource), ERR_OK);
    assert_int_equal(cmd_queue_init(&mdrv.queue, &mutex_driver_ops, &with_sessions, entries,
                                    SLOTS),
                     ERR_OK);
    mutex_owner_init(&mdrv.owner, "driver");
    mutex_waiter_init(&mdrv.waiter, &mdrv.owner, &mutex_driver_waiter_ops);
    static struct kernel_client k;
    mutex_owner_init(&k.owner, "kernel");
    mutex_waiter_init(&k.waiter, &k.owner, &kernel_client_ops);

    assert_int_equal(mutex_request(&engine, &k.waiter, MUTEX_EXCLUSIVE), ERR_OK);
    drain();
    const struct cmd_queue_command hash = {.command_num = CMD_HASH};
    assert_int_equal(cmd_queue_submit(&mdrv.queue, pid_of(0), &hash), ERR_OK);
    assert_int_equal(cmd_queue_submit(&mdrv.queue, pid_of(1), &hash), ERR_OK);
    drain(); /* process 0's request waits for the engine behind the kernel client */
    mutex_release(&k.guard);
    assert_int_equal(mutex_request(&engine, &k.waiter, MUTEX_EXCLUSIVE), ERR_OK);
    drain();
    assert_string_equal(log_text, "K0");
    mutex_driver_complete(&mdrv); /* the kernel client asked before process 1 started */
    drain();
    assert_string_equal(log_text, "K0K");
    mutex_release(&k.guard);
    drain();
    assert_string_equal(log_text, "K0K1"); /* FIFO interleaving at the engine */
    mutex_driver_complete(&mdrv);
    drain();
    assert_int_equal(engine.holder_count, 0);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup(test_request_starts_from_the_kernel_loop_not_inside_submit, setup),
        cmocka_unit_test_setup(test_second_submit_while_queued_or_running_returns_already, setup),
        cmocka_unit_test_setup(test_requests_start_in_arrival_order_not_slot_order, setup),
        cmocka_unit_test_setup(test_next_request_starts_only_after_done_in_a_later_round, setup),
        cmocka_unit_test_setup(test_process_resubmitting_after_completion_goes_behind_the_others,
                               setup),
        cmocka_unit_test_setup(test_four_looping_processes_share_the_driver_evenly, setup),
        cmocka_unit_test_setup(test_driver_finishing_inside_start_moves_on_without_recursion,
                               setup),
        cmocka_unit_test_setup(test_done_without_a_running_request_is_ignored, setup),
        cmocka_unit_test_setup(test_slot_beyond_the_entry_array_is_refused, setup),
        cmocka_unit_test_setup(test_init_checks_the_entry_array_and_the_deferred_call, setup),
        cmocka_unit_test_setup(test_dead_queued_process_is_forgotten_and_the_rest_keep_order,
                               setup),
        cmocka_unit_test_setup(test_death_mid_request_aborts_and_the_next_starts_only_after_done,
                               setup),
        cmocka_unit_test_setup(test_death_mid_request_with_a_synchronous_abort, setup),
        cmocka_unit_test_setup(test_exit_of_other_or_stale_identities_changes_nothing, setup),
        cmocka_unit_test_setup(test_stale_identity_cannot_submit_over_a_live_request, setup),
        cmocka_unit_test_setup(test_restart_storm_leaves_no_request_behind, setup),
        cmocka_unit_test_setup(test_session_keeps_the_driver_for_its_process_across_commands,
                               setup),
        cmocka_unit_test_setup(
            test_idle_session_is_cancelled_by_tick_and_its_next_command_gets_cancel, setup),
        cmocka_unit_test_setup(test_session_command_restarts_the_idle_timer, setup),
        cmocka_unit_test_setup(test_idle_session_expires_when_another_process_submits, setup),
        cmocka_unit_test_setup(test_idle_session_timer_is_wrap_safe, setup),
        cmocka_unit_test_setup(test_death_during_an_idle_session_aborts_and_frees_the_driver,
                               setup),
        cmocka_unit_test_setup(test_death_with_a_session_command_queued, setup),
        cmocka_unit_test_setup(test_session_end_between_commands_frees_the_driver, setup),
        cmocka_unit_test_setup(test_session_begin_is_for_the_running_owner_only, setup),
        cmocka_unit_test_setup(test_driver_without_sessions_refuses_them, setup_no_sessions),
        cmocka_unit_test_setup(test_cancelled_process_that_dies_starts_fresh, setup),
        cmocka_unit_test_setup(test_tickets_keep_arrival_order_across_the_32_bit_wrap, setup),
        cmocka_unit_test_setup(test_kernel_client_and_processes_share_hardware_through_a_mutex,
                               setup),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
