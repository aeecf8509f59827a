/* SPDX-License-Identifier: Apache-2.0 OR MIT */
/*
 * Host tests for the fault policy (kernel/fault_policy.c, process_fault, kernel_clock_fired):
 * the decisions for stop, hold and restart (budget per streak, back-off doubling to its cap,
 * no clock), the per-app overrides by exact name, and the kernel applying them with a fake
 * clock: a restart waits for its back-off, a quick fault doubles it, an instance restarted
 * within a streak is on probation until it has run healthy_ms (then the streak ends), a clean
 * exit ends one, two pending restarts each come at their time, hold keeps the process's RAM
 * and stop clears it.
 *
 * Usage: make build/host/fault_policy_test && build/host/fault_policy_test
 *
 * Invariants: the fake clock only moves when a test sets it; wake_at keeps the earliest time
 * asked for, as kernel_clock.h requires.
 */
#include "kernel_fixture.h"

#include "kernel/fault_policy.h"

static struct fixture fx;

/* ---- decisions ---- */

static const struct process_fault_policy restart3 = {
    .action = PROCESS_FAULT_RESTART, .max_restarts = 3, .backoff_ms = 10, .healthy_ms = 1000
};

static void test_stop_and_hold_decide_without_restarting(void **state)
{
    (void)state;
    struct process_fault_policy stop = { .action = PROCESS_FAULT_STOP };
    struct process_fault_policy hold = { .action = PROCESS_FAULT_HOLD };
    struct fault_decision d = fault_policy_decide(&stop, 0, true);
    assert_int_equal(d.action, FAULT_DECISION_STOP);
    assert_int_equal(d.streak, 1);
    d = fault_policy_decide(&hold, 4, false);
    assert_int_equal(d.action, FAULT_DECISION_HOLD);
    assert_int_equal(d.streak, 5);
}

static void test_restart_budget_counts_faults_in_a_row(void **state)
{
    (void)state;
    uint32_t expected_delay[] = { 10, 20, 40 };
    for (uint32_t streak = 0; streak < 3; streak++) {
        struct fault_decision d = fault_policy_decide(&restart3, streak, true);
        assert_int_equal(d.action, FAULT_DECISION_RESTART);
        assert_int_equal(d.streak, streak + 1);
        assert_int_equal(d.delay_ms, expected_delay[streak]);
    }
    struct fault_decision d = fault_policy_decide(&restart3, 3, true);
    assert_int_equal(d.action, FAULT_DECISION_GIVE_UP);
    assert_int_equal(d.streak, 4);
}

static void test_without_a_clock_restarts_are_immediate(void **state)
{
    (void)state;
    struct fault_decision d = fault_policy_decide(&restart3, 1, false);
    assert_int_equal(d.action, FAULT_DECISION_RESTART);
    assert_int_equal(d.streak, 2);
    assert_int_equal(d.delay_ms, 0);
}

static void test_backoff_doubles_up_to_its_cap(void **state)
{
    (void)state;
    struct process_fault_policy many = restart3;
    many.max_restarts = UINT32_MAX;
    /* The 11th fault in a row waits 10 * 2^10 ms, the 12th 10 * 2^11, the 13th the cap. */
    assert_int_equal(fault_policy_decide(&many, 10, true).delay_ms, 10240);
    assert_int_equal(fault_policy_decide(&many, 11, true).delay_ms, 20480);
    assert_int_equal(fault_policy_decide(&many, 12, true).delay_ms,
                     PROCESS_FAULT_BACKOFF_MAX_MS);
    assert_int_equal(fault_policy_decide(&many, 4000000000u, true).delay_ms,
                     PROCESS_FAULT_BACKOFF_MAX_MS);
    many.backoff_ms = UINT32_MAX;
    assert_int_equal(fault_policy_decide(&many, 1, true).delay_ms,
                     PROCESS_FAULT_BACKOFF_MAX_MS);
    many.backoff_ms = 0;
    assert_int_equal(fault_policy_decide(&many, 7, true).delay_ms, 0);
}

static void test_overrides_match_the_exact_name(void **state)
{
    (void)state;
    const struct process_fault_override overrides[] = {
        { "fault_hold", { .action = PROCESS_FAULT_HOLD } },
        { "b", { .action = PROCESS_FAULT_STOP } },
    };
    struct kernel_config config = { .fault_policy = restart3,
                                    .fault_overrides = overrides,
                                    .fault_override_count = 2 };
    assert_int_equal(fault_policy_for(&config, "fault_hold").action, PROCESS_FAULT_HOLD);
    assert_int_equal(fault_policy_for(&config, "b").action, PROCESS_FAULT_STOP);
    assert_int_equal(fault_policy_for(&config, "fault").action, PROCESS_FAULT_RESTART);
    assert_int_equal(fault_policy_for(&config, "fault_hold2").action, PROCESS_FAULT_RESTART);
    assert_int_equal(fault_policy_for(&config, "").action, PROCESS_FAULT_RESTART);
    assert_int_equal(fault_policy_for(&config, "bb").max_restarts, 3);
}

/* ---- the kernel applying them, with a fake clock ---- */

struct fake_clock {
    struct kernel_clock clock;
    uint32_t now;
    bool wake_pending;
    uint32_t wake_at;
    uint32_t wake_calls;
};

static struct fake_clock clk;

static uint32_t fake_now_ms(struct kernel_clock *clock)
{
    (void)clock;
    return clk.now;
}

static void fake_wake_at(struct kernel_clock *clock, uint32_t at_ms)
{
    (void)clock;
    clk.wake_calls++;
    if (!clk.wake_pending || (int32_t)(at_ms - clk.wake_at) < 0) {
        clk.wake_at = at_ms;
        clk.wake_pending = true;
    }
}

static const struct kernel_clock_ops fake_clock_ops = { fake_now_ms, fake_wake_at };

/* Move the clock to `now` and fire it if its wake-up came, as the alarm would. */
static void advance_to(uint32_t now)
{
    clk.now = now;
    if (clk.wake_pending && (int32_t)(now - clk.wake_at) >= 0) {
        clk.wake_pending = false;
        kernel_clock_fired(&fx.k);
    }
}

static int setup(void **state)
{
    (void)state;
    fixture_init_policy(&fx, restart3);
    clk = (struct fake_clock){ .clock = { &fake_clock_ops }, .now = 5000 };
    kernel_set_clock(&fx.k, &clk.clock);
    return 0;
}

static int teardown(void **state)
{
    (void)state;
    fixture_fini(&fx);
    return 0;
}

static void fault_now(struct process *p)
{
    fixture_make_running(p);
    process_fault(&fx.k, p, "test fault");
}

static bool debug_says(const char *what)
{
    static char text[16384];
    fixture_debug_text(text, sizeof text);
    return strstr(text, what) != NULL;
}

static void test_restart_waits_for_its_backoff_and_doubles_it(void **state)
{
    (void)state;
    struct process *p = fixture_start_process(&fx, 0);
    fixture_drain_debug();
    fault_now(p);
    assert_true(debug_says("app0: restarting after fault (1 of 3) in 10 ms\n"));
    assert_int_equal(p->state, PROCESS_FAULTED);
    assert_true(p->restart_pending);
    assert_true(clk.wake_pending);
    assert_int_equal(clk.wake_at, 5010);
    advance_to(5009);
    assert_int_equal(p->state, PROCESS_FAULTED);
    advance_to(5010);
    assert_int_equal(p->state, PROCESS_YIELDED); /* a fresh instance, entry queued */
    assert_false(p->restart_pending);
    assert_int_equal(p->restart_count, 1);
    assert_int_equal(p->fault_streak, 1);
    /* A quick second fault: twice the wait. */
    advance_to(5100);
    fault_now(p);
    assert_true(debug_says("(2 of 3) in 20 ms\n"));
    assert_int_equal(clk.wake_at, 5120);
    advance_to(5120);
    assert_int_equal(p->restart_count, 2);
    /* On probation since its restart at 5120: at 6119 the streak still stands... */
    assert_true(p->on_probation);
    assert_int_equal(clk.wake_at, 6120);
    advance_to(6119);
    assert_int_equal(p->fault_streak, 2);
    /* ...a run of healthy_ms ends it, and the next fault is number 1 again. */
    advance_to(6120);
    assert_false(p->on_probation);
    assert_int_equal(p->fault_streak, 0);
    assert_false(clk.wake_pending); /* nothing left to time */
    advance_to(9000);
    fixture_drain_debug();
    fault_now(p);
    assert_true(debug_says("(1 of 3) in 10 ms\n"));
    assert_int_equal(p->fault_streak, 1);
}

static void test_a_first_fault_needs_no_clock_and_a_quick_refault_keeps_the_streak(void **state)
{
    (void)state;
    struct process *p = fixture_start_process(&fx, 0);
    assert_false(p->on_probation); /* no streak: its run time does not matter */
    assert_int_equal(clk.wake_calls, 0);
    fault_now(p);
    advance_to(clk.now + 10);
    assert_true(p->on_probation);
    /* Faulting on probation ends the instance, and the probation with it. */
    fault_now(p);
    assert_false(p->on_probation);
    assert_int_equal(p->fault_streak, 2);
}

static void test_budget_spent_stops_and_clears_ram(void **state)
{
    (void)state;
    struct process *p = fixture_start_process(&fx, 0);
    for (uint32_t i = 0; i < 3; i++) {
        fault_now(p);
        advance_to(clk.now + 100);
        assert_int_equal(p->state, PROCESS_YIELDED);
    }
    *(volatile uint32_t *)p->mem_start = 0xfeedu;
    fixture_drain_debug();
    fault_now(p);
    assert_true(debug_says("app0: stopped (fault 4 in a row)\n"));
    assert_int_equal(p->state, PROCESS_FAULTED);
    assert_false(p->restart_pending);
    assert_int_equal(*(volatile uint32_t *)p->mem_start, 0);
    advance_to(clk.now + 60000);
    assert_int_equal(p->state, PROCESS_FAULTED);
}

static void test_a_clean_exit_ends_the_streak(void **state)
{
    (void)state;
    struct process *p = fixture_start_process(&fx, 0);
    fault_now(p);
    advance_to(clk.now + 10);
    fault_now(p);
    assert_int_equal(p->fault_streak, 2);
    advance_to(clk.now + 20);
    fixture_make_running(p);
    process_restart(&fx.k, p); /* exit-restart */
    assert_int_equal(p->fault_streak, 0);
    fixture_drain_debug();
    fault_now(p);
    assert_true(debug_says("(1 of 3) in 10 ms"));
}

static void test_two_pending_restarts_each_come_at_their_time(void **state)
{
    (void)state;
    struct process *a = fixture_start_process(&fx, 0);
    struct process *b = fixture_start_process(&fx, 1);
    fault_now(a); /* due 5010 */
    advance_to(5010);
    fault_now(a); /* second in a row: due 5030 */
    fault_now(b); /* due 5020 */
    assert_int_equal(clk.wake_at, 5020);
    advance_to(5020);
    assert_int_equal(b->state, PROCESS_YIELDED);
    assert_int_equal(a->state, PROCESS_FAULTED);
    assert_true(clk.wake_pending); /* asked again for a */
    assert_int_equal(clk.wake_at, 5030);
    advance_to(5030);
    assert_int_equal(a->state, PROCESS_YIELDED);
    /* Both restarted within a streak: on probation, b's ends first. */
    assert_true(a->on_probation && b->on_probation);
    assert_true(clk.wake_pending);
    assert_int_equal(clk.wake_at, 6020);
}

static void test_hold_keeps_ram_and_registers_and_never_restarts(void **state)
{
    (void)state;
    struct process *p = fixture_start_process(&fx, 0);
    p->fault_policy = (struct process_fault_policy){ .action = PROCESS_FAULT_HOLD };
    fixture_make_running(p);
    *(volatile uint32_t *)p->mem_start = 0xfeedu;
    p->context.pc = 0x1234u;
    fixture_drain_debug();
    process_fault(&fx.k, p, "test fault");
    assert_true(debug_says("app0: held for inspection\n"));
    assert_int_equal(p->state, PROCESS_FAULTED);
    assert_int_equal(*(volatile uint32_t *)p->mem_start, 0xfeedu);
    assert_int_equal(p->context.pc, 0x1234u);
    assert_false(clk.wake_pending);
    advance_to(clk.now + 60000);
    assert_int_equal(p->state, PROCESS_FAULTED);
    /* Its grants and queue went with the instance, as for every fault. */
    assert_int_equal(p->queue.count, 0);
    assert_int_equal(p->grant_pointers[0], 0);
}

static void test_a_restart_by_hand_cancels_the_pending_one(void **state)
{
    (void)state;
    struct process *p = fixture_start_process(&fx, 0);
    fault_now(p);
    assert_true(p->restart_pending);
    process_restart(&fx.k, p);
    assert_false(p->restart_pending);
    uint32_t restarts = p->restart_count;
    advance_to(clk.now + 10);
    assert_int_equal(p->restart_count, restarts); /* nothing more */
}

#define T(f) cmocka_unit_test_setup_teardown(f, setup, teardown)

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_stop_and_hold_decide_without_restarting),
        cmocka_unit_test(test_restart_budget_counts_faults_in_a_row),
        cmocka_unit_test(test_without_a_clock_restarts_are_immediate),
        cmocka_unit_test(test_backoff_doubles_up_to_its_cap),
        cmocka_unit_test(test_overrides_match_the_exact_name),
        T(test_restart_waits_for_its_backoff_and_doubles_it),
        T(test_a_first_fault_needs_no_clock_and_a_quick_refault_keeps_the_streak),
        T(test_budget_spent_stops_and_clears_ram),
        T(test_a_clean_exit_ends_the_streak),
        T(test_two_pending_restarts_each_come_at_their_time),
        T(test_hold_keeps_ram_and_registers_and_never_restarts),
        T(test_a_restart_by_hand_cancels_the_pending_one),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
