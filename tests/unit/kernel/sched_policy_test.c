/* SPDX-License-Identifier: Apache-2.0 OR MIT */
/*
 * Host tests of the scheduling policies' decisions (kernel/sched_*.c, record 027), each built
 * into its own binary with the kernel core in place of round-robin (tests/unit/kernel.mk:
 * sched_round_robin_test, sched_priority_test, sched_cooperative_test, sched_mlfq_test; the
 * -DSCHED_POLICY_* flag picks the matching test list).
 *
 * The processes are fake-arch scripts (tests/fakes/arch/fake_arch.h): each switch takes the next
 * scripted trap; fake_arch.ran[] logs which context ran.
 *
 * Usage: make build/host/sched_priority_test && build/host/sched_priority_test
 */
#include "kernel_fixture.h"

#include "kernel/grant.h"
#include "kernel/sched.h"

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

static inline err_t schedule_fn(void *data, struct grant_kernel_data *kd, void *ctx)
{
    (void)data;
    (void)ctx;
    return grant_schedule_upcall(kd, 0, 7, 0, 0);
}

/* Queue an upcall on (A, 0) for p, which must have subscribed. */
static inline void wake(struct process *p)
{
    assert_int_equal(grant_enter(&fx.grant_a, p->pid, schedule_fn, NULL), ERR_OK);
}

/* p subscribes to (A, 0) and blocks in Yield-Wait. */
static inline void subscribe_and_block(struct process *p)
{
    fixture_syscall(&fx, p, 1, FIX_DRV_A, 0, fixture_code_addr(p, 0x40), 0);
    p->state = PROCESS_YIELDED;
}

static struct process *to_wake __attribute__((unused));

/* While the running process runs: an interrupt arrives whose handler readies `to_wake`. */
static inline void interrupt_wakes(void)
{
    wake(to_wake);
    fake_chip.pending = 1;
}

/* A step of p that an interrupt ends with `remaining_us` of its slice left. */
static inline void interrupted(struct process *p, void (*hook)(void), uint32_t remaining_us)
{
    struct fake_arch_step *s = fake_arch_script(&p->context, ARCH_SWITCH_INTERRUPTED);
    s->hook = hook;
    s->remaining_us = remaining_us;
}

static inline void wake_to_wake(void)
{
    wake(to_wake);
}

static inline void raise_interrupt(void)
{
    fake_chip.pending = 1;
}

/* A step of p that ends with its slice used up. */
static inline void spins_out(struct process *p)
{
    fake_arch_script(&p->context, ARCH_SWITCH_INTERRUPTED)->expire = true;
}

static inline void expect_ran(uint32_t i, const struct process *p)
{
    assert_ptr_equal(fake_arch.ran[i], &p->context);
}

/* ---- round-robin ---- */
#if defined(SCHED_POLICY_ROUND_ROBIN)

static void test_round_robin_takes_turns_and_resumes_a_preempted_process(void **state)
{
    (void)state;
    struct process *p0 = fixture_running(&fx, 0);
    struct process *p1 = fixture_running(&fx, 1);
    struct process *p2 = fixture_running(&fx, 2);
    fx.k.last_scheduled = 2;
    spins_out(p0);
    interrupted(p1, raise_interrupt, 5000);
    spins_out(p1);
    spins_out(p2);
    for (int i = 0; i < 4; i++) {
        assert_true(kernel_step(&fx.k));
    }
    expect_ran(0, p0);
    expect_ran(1, p1);
    expect_ran(2, p1); /* kernel work interrupted it: it goes on with its 5 ms */
    expect_ran(3, p2);
    assert_int_equal(sched_slice_us(&fx.k, p0), KERNEL_TIMESLICE_US);
    assert_int_equal(fake_arch.script_mismatches, 0);
}

#endif

/* ---- fixed priority ---- */
#if defined(SCHED_POLICY_PRIORITY)

static const char *const order_app2_app1[] = { "app2", "app1" };

static void test_priority_runs_the_highest_ready_process_in_the_boards_order(void **state)
{
    (void)state;
    kernel_set_sched_order(&fx.k, order_app2_app1, 2);
    struct process *p0 = fixture_running(&fx, 0);
    struct process *p1 = fixture_running(&fx, 1);
    struct process *p2 = fixture_running(&fx, 2);
    assert_int_equal(p2->sched_rank, 0);
    assert_int_equal(p1->sched_rank, 1);
    assert_int_equal(p0->sched_rank, 255); /* not named: after the named ones */
    spins_out(p2);
    spins_out(p2); /* still the highest ready: it runs again, slice after slice */
    fake_arch_script_syscall(&p2->context, 0, 1, 0, 0, 0); /* it blocks: the trap hands over */
    spins_out(p1);
    for (int i = 0; i < 3; i++) {
        assert_true(kernel_step(&fx.k));
    }
    expect_ran(0, p2);
    expect_ran(1, p2);
    expect_ran(2, p2);
    expect_ran(3, p1); /* the next in the board's order, not the next slot */
    assert_int_equal(fake_arch.switch_count, 4);
    assert_ptr_equal(sched_pick(&fx.k), p1);
    p1->state = PROCESS_STOPPED;
    assert_ptr_equal(sched_pick(&fx.k), p0);
    assert_int_equal(fake_arch.script_mismatches, 0);
}

static const char *const order_app0[] = { "app0" };

static void test_priority_process_readied_by_an_interrupt_preempts_at_once(void **state)
{
    (void)state;
    kernel_set_sched_order(&fx.k, order_app0, 1);
    struct process *p0 = fixture_running(&fx, 0);
    struct process *p1 = fixture_running(&fx, 1);
    subscribe_and_block(p0);
    to_wake = p0;
    interrupted(p1, interrupt_wakes, 9000); /* most of its slice left */
    fake_arch_script_syscall(&p0->context, 0, 1, 0, 0, 0); /* p0's upcall runs, yields */
    assert_true(kernel_step(&fx.k)); /* p1 runs; the interrupt readies p0 */
    assert_true(kernel_step(&fx.k)); /* serviced; p0 outranks p1: no resumption */
    expect_ran(0, p1);
    expect_ran(1, p0);
    assert_int_equal(p0->context.upcalls_pushed, 1);
    assert_int_equal(fake_arch.script_mismatches, 0);
}

static void test_priority_a_higher_ready_process_outranks_the_running_one(void **state)
{
    (void)state;
    kernel_set_sched_order(&fx.k, order_app0, 1);
    struct process *p0 = fixture_running(&fx, 0);
    struct process *p1 = fixture_running(&fx, 1);
    subscribe_and_block(p0);
    assert_false(sched_outranked(&fx.k, p1)); /* p0 waits with nothing to take */
    wake(p0); /* e.g. p1's syscall queued an upcall for p0: the trap stops at once */
    assert_true(sched_outranked(&fx.k, p1));
    assert_false(sched_outranked(&fx.k, p0));
}

#endif

/* ---- cooperative ---- */
#if defined(SCHED_POLICY_COOPERATIVE)

/* Steps the kernel until nothing is left to run (bounded). */
static inline void run_until_idle(void)
{
    for (int i = 0; i < 100 && kernel_step(&fx.k); i++) {
    }
}

static void test_cooperative_runs_a_process_until_it_blocks(void **state)
{
    (void)state;
    struct process *p0 = fixture_running(&fx, 0);
    struct process *p1 = fixture_running(&fx, 1);
    fx.k.last_scheduled = 1;
    /* p0 never yields: interrupts come and go, its "slice" would have ended many times. */
    for (int i = 0; i < 5; i++) {
        interrupted(p0, raise_interrupt, 0);
    }
    spins_out(p0);
    fake_arch_script_syscall(&p0->context, 0, 1, 0, 0, 0); /* at last it yields */
    spins_out(p1);
    run_until_idle();
    for (uint32_t i = 0; i < 7; i++) {
        expect_ran(i, p0); /* p1 was ready all along, and waited */
    }
    expect_ran(7, p1);
    assert_int_equal(fake_chip.services, 5); /* the kernel work was done meanwhile */
    assert_int_equal(fake_arch.slice_starts, 0); /* no timeslice at all */
    assert_int_equal(p0->timeslice_expirations, 0);
    assert_int_equal(sched_slice_us(&fx.k, p1), 0);
    assert_int_equal(fake_arch.script_mismatches, 0);
}

static void test_cooperative_spinner_starves_the_others(void **state)
{
    (void)state;
    struct process *p0 = fixture_running(&fx, 0);
    struct process *p1 = fixture_running(&fx, 1);
    fx.k.last_scheduled = 1;
    for (int i = 0; i < 20; i++) {
        spins_out(p0); /* would end a slice under any other policy */
    }
    assert_true(kernel_step(&fx.k));
    for (uint32_t i = 0; i < 20; i++) {
        expect_ran(i, p0);
    }
    /* p1 runs only once p0 blocks (here: its script ran out, which the fake makes a yield). */
    for (uint32_t i = 0; i <= 20; i++) {
        assert_ptr_not_equal(fake_arch.ran[i], &p1->context);
    }
    assert_int_equal(p0->timeslice_expirations, 0);
}

#endif

/* ---- MLFQ ---- */
#if defined(SCHED_POLICY_MLFQ)

static void test_mlfq_demotes_a_process_that_uses_its_slice(void **state)
{
    (void)state;
    struct process *p0 = fixture_running(&fx, 0);
    struct process *p1 = fixture_running(&fx, 1);
    fx.k.last_scheduled = 1;
    assert_int_equal(p0->sched_level, 0);
    spins_out(p0);                                         /* level 0 -> 1 */
    fake_arch_script_syscall(&p1->context, 0, 1, 0, 0, 0); /* blocks: stays at 0 */
    spins_out(p0);                                         /* level 1 -> 2 */
    spins_out(p0);                                         /* stays at the lowest */
    for (int i = 0; i < 4; i++) {
        assert_true(kernel_step(&fx.k));
    }
    expect_ran(0, p0);
    expect_ran(1, p1);
    expect_ran(2, p0);
    expect_ran(3, p0);
    assert_int_equal(fake_arch.ran_slice_us[2], 20000);
    assert_int_equal(fake_arch.ran_slice_us[3], 40000);
    assert_int_equal(p0->sched_level, 2);
    assert_int_equal(p1->sched_level, 0);
    assert_int_equal(fake_arch.script_mismatches, 0);
}

static void test_mlfq_higher_level_runs_first_and_preempts(void **state)
{
    (void)state;
    struct process *p0 = fixture_running(&fx, 0);
    struct process *p1 = fixture_running(&fx, 1);
    p1->sched_level = 2; /* a demoted spinner */
    subscribe_and_block(p0);
    assert_ptr_equal(sched_pick(&fx.k), p1);
    to_wake = p0;
    interrupted(p1, interrupt_wakes, 30000);
    fake_arch_script_syscall(&p0->context, 0, 1, 0, 0, 0);
    assert_true(kernel_step(&fx.k));
    assert_true(kernel_step(&fx.k));
    expect_ran(0, p1);
    expect_ran(1, p0); /* level 0 ready: the demoted process is not resumed */
    assert_int_equal(fake_arch.script_mismatches, 0);
}

/* A process that blocks in a syscall is reported to the policy once, with the time it used,
 * also when the trap's hand-over gives up after the pick (here: the next process's stack
 * cannot take its upcall) and the loop takes over. */
static void test_mlfq_counts_a_blocked_process_once_when_the_hand_over_falls_back(void **state)
{
    (void)state;
    struct process *p0 = fixture_running(&fx, 0);
    struct process *p1 = fixture_running(&fx, 1);
    subscribe_and_block(p1);
    p1->context.fail_push = true;
    p0->sched_level = 2; /* a 40 ms slice; p1's would be 10 ms */
    fx.k.last_scheduled = 1;
    to_wake = p1;
    struct fake_arch_step *s = fake_arch_script_syscall(&p0->context, 0, 1, 0, 0, 0);
    s->hook = wake_to_wake; /* p1 becomes ready while p0 runs; then p0 blocks */
    s->remaining_us = 4000;
    assert_true(kernel_step(&fx.k));
    assert_int_equal(p1->state, PROCESS_FAULTED); /* the hand-over fell back to the loop */
    assert_int_equal(p0->state, PROCESS_YIELDED);
    assert_int_equal(fx.k.sched_run_us, 40000u - 4000u); /* once, against its own slice */
    assert_int_equal(p0->sched_level, 2); /* blocked before its slice ended */
}

static void test_mlfq_boost_brings_everyone_back_to_the_top(void **state)
{
    (void)state;
    struct process *p0 = fixture_running(&fx, 0);
    uint32_t run_us = 0;
    uint32_t steps = 0;
    /* A lone spinner: 10 + 20 + 40 + 40 + ... ms of run time, then the 1 s boost. */
    while (run_us < 1000000u) {
        run_us += sched_slice_us(&fx.k, p0);
        spins_out(p0);
        assert_true(kernel_step(&fx.k));
        steps++;
        if (run_us < 1000000u) {
            assert_int_equal(p0->sched_level, steps < 2 ? steps : 2);
        }
    }
    assert_int_equal(p0->sched_level, 0);
    assert_int_equal(fx.k.sched_run_us, 0);
}

#endif

#if defined(SCHED_POLICY_ROUND_ROBIN)
static const struct CMUnitTest tests[] = {
    cmocka_unit_test_setup_teardown(test_round_robin_takes_turns_and_resumes_a_preempted_process,
                                    setup, teardown),
};
#elif defined(SCHED_POLICY_PRIORITY)
static const struct CMUnitTest tests[] = {
    cmocka_unit_test_setup_teardown(
        test_priority_runs_the_highest_ready_process_in_the_boards_order, setup, teardown),
    cmocka_unit_test_setup_teardown(
        test_priority_process_readied_by_an_interrupt_preempts_at_once, setup, teardown),
    cmocka_unit_test_setup_teardown(
        test_priority_a_higher_ready_process_outranks_the_running_one, setup, teardown),
};
#elif defined(SCHED_POLICY_COOPERATIVE)
static const struct CMUnitTest tests[] = {
    cmocka_unit_test_setup_teardown(test_cooperative_runs_a_process_until_it_blocks, setup,
                                    teardown),
    cmocka_unit_test_setup_teardown(test_cooperative_spinner_starves_the_others, setup,
                                    teardown),
};
#elif defined(SCHED_POLICY_MLFQ)
static const struct CMUnitTest tests[] = {
    cmocka_unit_test_setup_teardown(test_mlfq_demotes_a_process_that_uses_its_slice, setup,
                                    teardown),
    cmocka_unit_test_setup_teardown(test_mlfq_higher_level_runs_first_and_preempts, setup,
                                    teardown),
    cmocka_unit_test_setup_teardown(test_mlfq_boost_brings_everyone_back_to_the_top, setup,
                                    teardown),
    cmocka_unit_test_setup_teardown(
        test_mlfq_counts_a_blocked_process_once_when_the_hand_over_falls_back, setup, teardown),
};
#else
#error "build with one of -DSCHED_POLICY_ROUND_ROBIN, _PRIORITY, _COOPERATIVE, _MLFQ"
#endif

int main(void)
{
    return cmocka_run_group_tests(tests, NULL, NULL);
}
