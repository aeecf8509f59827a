/* SPDX-License-Identifier: Apache-2.0 OR MIT */
/*
 * Host tests for the alarm syscall driver (capsules/core/alarm.c).
 *
 * The driver runs over the real alarm virtualizer, a fake hardware alarm and fake grants and
 * processes; upcalls are checked as recorded by the fake grant.
 *
 * Usage: make build/host/alarm_test (or `make unit` for every test).
 *
 * Invariants: each test starts from setup(): time 1000 at 10 MHz, no processes.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include "driver_command.h"

#include "capsules/alarm.h"
#include "capsules/driver_num.h"
#include "capsules/virtual_alarm.h"
#include "fake_alarm.h"
#include "fake_grant.h"
#include "kernel/deferred_call.h"

static struct fake_alarm hw;
static struct mux_alarm mux;
static struct virtual_alarm syscall_alarm;
static struct alarm_driver driver;

static void setup_at(ticks_t now)
{
    deferred_call_reset_for_test();
    fake_grant_reset();
    fake_alarm_init(&hw, 10000000, now);
    assert_int_equal(mux_alarm_init(&mux, &hw.alarm), ERR_OK);
    virtual_alarm_init(&syscall_alarm, &mux);
    assert_int_equal(alarm_driver_init(&driver, &syscall_alarm.alarm, NULL), ERR_OK);
}

static int setup(void **state)
{
    (void)state;
    setup_at(1000);
    return 0;
}

static struct syscall_return command(struct process_id pid, uint32_t num, uint32_t arg0,
                                     uint32_t arg1)
{
    return driver_command(&driver.driver, num, arg0, arg1, pid);
}

static void assert_success(struct syscall_return ret)
{
    assert_int_equal(ret.variant, SYSCALL_SUCCESS);
}

static void assert_success_u32(struct syscall_return ret, uint32_t value)
{
    assert_int_equal(ret.variant, SYSCALL_SUCCESS_U32);
    assert_int_equal(ret.values[0], value);
}

static void assert_failure(struct syscall_return ret, err_t err)
{
    assert_int_equal(ret.variant, SYSCALL_FAILURE);
    assert_int_equal(ret.values[0], err);
}

static void run_until(ticks_t now)
{
    fake_alarm_set_now(&hw, now);
    fake_alarm_fire_if_due(&hw);
    while (deferred_call_has_pending()) {
        deferred_call_service();
    }
}

static void assert_upcall(size_t i, struct process_id pid, uint32_t now, uint32_t expiration)
{
    const struct fake_upcall *u = fake_grant_upcall(i);
    assert_int_equal(u->driver_num, ALARM_DRIVER_NUM);
    assert_true(process_id_equal(u->pid, pid));
    assert_int_equal(u->subscribe_num, ALARM_SUBSCRIBE_FIRED);
    assert_int_equal(u->args[0], now);
    assert_int_equal(u->args[1], expiration);
    assert_int_equal(u->args[2], 0);
}

static void test_exists_frequency_now_and_unsupported(void **state)
{
    (void)state;
    struct process_id a = fake_process_create();
    assert_success(command(a, ALARM_CMD_EXISTS, 0, 0));
    assert_false(grant_is_allocated(&driver.grant, a)); /* command 0 has no side effect */
    assert_success_u32(command(a, ALARM_CMD_FREQUENCY, 0, 0), 10000000);
    assert_success_u32(command(a, ALARM_CMD_NOW, 0, 0), 1000);
    fake_alarm_set_now(&hw, 0xdeadbeefu);
    assert_success_u32(command(a, ALARM_CMD_NOW, 0, 0), 0xdeadbeefu); /* 32-bit: identity */
    assert_failure(command(a, ALARM_CMD_SET_ABSOLUTE, 5, 0), ERR_NOSUPPORT);
    assert_failure(command(a, 7, 0, 0), ERR_NOSUPPORT);
    assert_failure(command(a, 0xffffffffu, 0, 0), ERR_NOSUPPORT);
}

static void test_relative_set_returns_expiration_and_fires_once(void **state)
{
    (void)state;
    struct process_id a = fake_process_create();
    assert_success_u32(command(a, ALARM_CMD_SET_RELATIVE, 100, 0), 1100);
    run_until(1099);
    assert_int_equal(fake_grant_upcall_count(), 0);
    run_until(1100);
    assert_int_equal(fake_grant_upcall_count(), 1);
    assert_upcall(0, a, 1100, 1100);
    run_until(5000);
    assert_int_equal(fake_grant_upcall_count(), 1);
    assert_false(hw.is_armed);
}

static void test_reference_set_returns_reference_plus_dt(void **state)
{
    (void)state;
    struct process_id a = fake_process_create();
    assert_success_u32(command(a, ALARM_CMD_SET_REFERENCE, 900, 300), 1200);
    run_until(1199);
    assert_int_equal(fake_grant_upcall_count(), 0);
    run_until(1203); /* late interrupt: the upcall carries the real now */
    assert_int_equal(fake_grant_upcall_count(), 1);
    assert_upcall(0, a, 1203, 1200);
}

static void test_expiration_already_past_fires_at_once(void **state)
{
    (void)state;
    struct process_id a = fake_process_create();
    assert_success_u32(command(a, ALARM_CMD_SET_REFERENCE, 400, 100), 500);
    assert_int_equal(fake_grant_upcall_count(), 1); /* queued, delivered at the next yield */
    assert_upcall(0, a, 1000, 500);
    assert_success_u32(command(a, ALARM_CMD_SET_RELATIVE, 0, 0), 1000);
    assert_int_equal(fake_grant_upcall_count(), 2);
    assert_upcall(1, a, 1000, 1000);
    assert_failure(command(a, ALARM_CMD_STOP, 0, 0), ERR_ALREADY);
}

static void test_stop_cancels_and_reports_already_when_none(void **state)
{
    (void)state;
    struct process_id a = fake_process_create();
    assert_failure(command(a, ALARM_CMD_STOP, 0, 0), ERR_ALREADY);
    assert_success_u32(command(a, ALARM_CMD_SET_RELATIVE, 100, 0), 1100);
    assert_success(command(a, ALARM_CMD_STOP, 0, 0));
    assert_false(hw.is_armed);
    run_until(2000);
    assert_int_equal(fake_grant_upcall_count(), 0);
    assert_failure(command(a, ALARM_CMD_STOP, 0, 0), ERR_ALREADY);
}

static void test_new_set_replaces_the_pending_one(void **state)
{
    (void)state;
    struct process_id a = fake_process_create();
    assert_success_u32(command(a, ALARM_CMD_SET_RELATIVE, 100, 0), 1100);
    assert_success_u32(command(a, ALARM_CMD_SET_RELATIVE, 500, 0), 1500);
    run_until(1200);
    assert_int_equal(fake_grant_upcall_count(), 0);
    run_until(1500);
    assert_int_equal(fake_grant_upcall_count(), 1);
    assert_upcall(0, a, 1500, 1500);
}

static void test_processes_fire_in_order_of_expiration(void **state)
{
    (void)state;
    struct process_id a = fake_process_create();
    struct process_id b = fake_process_create();
    struct process_id c = fake_process_create();
    assert_success_u32(command(a, ALARM_CMD_SET_RELATIVE, 300, 0), 1300);
    assert_success_u32(command(b, ALARM_CMD_SET_RELATIVE, 100, 0), 1100);
    assert_success_u32(command(c, ALARM_CMD_SET_RELATIVE, 200, 0), 1200);
    assert_int_equal((ticks_t)(hw.reference + hw.dt), 1100);
    run_until(1100);
    assert_int_equal(fake_grant_upcall_count(), 1);
    assert_upcall(0, b, 1100, 1100);
    assert_int_equal((ticks_t)(hw.reference + hw.dt), 1200);
    run_until(1200);
    run_until(1300);
    assert_int_equal(fake_grant_upcall_count(), 3);
    assert_upcall(1, c, 1200, 1200);
    assert_upcall(2, a, 1300, 1300);
}

static void test_all_expired_processes_get_upcalls_on_one_interrupt(void **state)
{
    (void)state;
    struct process_id a = fake_process_create();
    struct process_id b = fake_process_create();
    struct process_id c = fake_process_create();
    assert_success_u32(command(a, ALARM_CMD_SET_RELATIVE, 100, 0), 1100);
    assert_success_u32(command(b, ALARM_CMD_SET_RELATIVE, 150, 0), 1150);
    assert_success_u32(command(c, ALARM_CMD_SET_RELATIVE, 900, 0), 1900);
    run_until(1500);
    assert_int_equal(hw.fire_count, 1);
    assert_int_equal(fake_grant_upcall_count(), 2);
    assert_upcall(0, a, 1500, 1100);
    assert_upcall(1, b, 1500, 1150);
    assert_int_equal((ticks_t)(hw.reference + hw.dt), 1900);
}

static void test_wrap_around_near_2_32(void **state)
{
    (void)state;
    setup_at(0xfffffff0u);
    struct process_id a = fake_process_create();
    assert_success_u32(command(a, ALARM_CMD_SET_RELATIVE, 0x20, 0), 0x10);
    run_until(0xfffffffau);
    run_until(0x5u);
    assert_int_equal(fake_grant_upcall_count(), 0);
    run_until(0x10u);
    assert_int_equal(fake_grant_upcall_count(), 1);
    assert_upcall(0, a, 0x10, 0x10);
}

/* Serve the hardware's interrupt `late` ticks after its deadline, then the deferred calls;
 * *elapsed follows the time that has passed, in 64 bits. */
static void serve_late(ticks_t late, uint64_t *elapsed)
{
    ticks_t before = hw.now;
    assert_true(fake_alarm_fire_late(&hw, late));
    *elapsed += (ticks_t)(hw.now - before);
    while (deferred_call_has_pending()) {
        deferred_call_service();
    }
}

/* Serve interrupts `late` ticks late until the process's upcall arrives (at most 8); returns
 * the time that passed. Fails if the expiration was due at an interrupt that did not fire it. */
static uint64_t serve_until_upcall(ticks_t dt, ticks_t late)
{
    size_t before = fake_grant_upcall_count();
    uint64_t elapsed = 0;
    for (int step = 0; step < 8 && fake_grant_upcall_count() == before; step++) {
        assert_true(hw.is_armed);
        assert_true(hw.dt <= HIL_ALARM_MAX_WAIT);
        serve_late(late, &elapsed);
        if (fake_grant_upcall_count() == before) {
            assert_true(elapsed < dt); /* due but not fired: it would wait another period */
        }
    }
    assert_int_equal(fake_grant_upcall_count(), before + 1);
    assert_true(elapsed >= dt);
    assert_true(elapsed <= (uint64_t)dt + late);
    return elapsed;
}

/* Expirations near and across the wrap, dt up to 2^32 - 1, interrupts served 1 to 2^31 - 1
 * ticks late: each fires once, at the first interrupt after it, never early. */
static void test_late_interrupts_never_lose_a_long_expiration(void **state)
{
    (void)state;
    const ticks_t starts[] = { 1000, 0xFFFFF000u, 0x90000000u };
    const ticks_t dts[] = { 0xFFFFFFFFu, 0xFFFFFFFFu - 17295u, 0xFFFFFFFFu - 7295u,
                            0xFFFFFFFFu - 1999999u, 0x80000001u, 25000000u };
    const ticks_t lates[] = { 0, 1, 2, 100, 7295, 7296, 7297, 17295, 17296, 17297, 25000,
                              2000000, 0x40000000u, 0x7FFFFFFFu };
    for (size_t s = 0; s < sizeof starts / sizeof starts[0]; s++) {
        for (size_t d = 0; d < sizeof dts / sizeof dts[0]; d++) {
            for (size_t l = 0; l < sizeof lates / sizeof lates[0]; l++) {
                setup_at(starts[s]);
                struct process_id a = fake_process_create();
                ticks_t expiration = starts[s] + dts[d];
                assert_success_u32(command(a, ALARM_CMD_SET_REFERENCE, starts[s], dts[d]),
                                   expiration);
                uint64_t elapsed = serve_until_upcall(dts[d], lates[l]);
                assert_upcall(0, a, (ticks_t)(starts[s] + elapsed), expiration);
                assert_false(hw.is_armed);
            }
        }
    }
}

/* libtock-c's long delays: chunks just under 2^32 ticks, each set from the upcall with the
 * previous expiration as reference, each interrupt a millisecond (at 25 MHz) late. */
static void test_chunks_just_under_2_32_fire_back_to_back(void **state)
{
    (void)state;
    setup_at(0x12345678u);
    struct process_id a = fake_process_create();
    const ticks_t chunk = 0xFFFFFFFFu - 17295u;
    ticks_t reference = hw.now;
    for (size_t i = 0; i < 4; i++) {
        assert_success_u32(command(a, ALARM_CMD_SET_REFERENCE, reference, chunk),
                           (ticks_t)(reference + chunk));
        ticks_t set_at = hw.now;
        uint64_t elapsed = serve_until_upcall(chunk - (ticks_t)(set_at - reference), 25000);
        assert_upcall(i, a, (ticks_t)(set_at + elapsed), (ticks_t)(reference + chunk));
        reference += chunk;
    }
}

/* An expiration that became due while another process's interrupt waited fires with it. */
static void test_long_expiration_due_during_another_late_interrupt_fires_with_it(void **state)
{
    (void)state;
    setup_at(0x10000000u);
    struct process_id a = fake_process_create();
    struct process_id b = fake_process_create();
    assert_success_u32(command(a, ALARM_CMD_SET_RELATIVE, 0xFFFFFFFFu, 0), 0x0FFFFFFFu);
    uint64_t elapsed = 0;
    serve_late(0, &elapsed); /* half way: nothing due */
    assert_int_equal(fake_grant_upcall_count(), 0);
    fake_alarm_set_now(&hw, 0x0FFFFF00u);
    assert_success_u32(command(b, ALARM_CMD_SET_RELATIVE, 0x80, 0), 0x0FFFFF80u);
    serve_late(0x1000, &elapsed); /* at 0x10000F80 both are due */
    assert_int_equal(fake_grant_upcall_count(), 2);
    assert_upcall(0, a, 0x10000F80u, 0x0FFFFFFFu);
    assert_upcall(1, b, 0x10000F80u, 0x0FFFFF80u);
    assert_false(hw.is_armed);
}

/* With no expiration pending the driver's clock stops; one set after any idle gap (here just
 * short of a whole period, which a running clock would take for the counter stepping back)
 * fires on time. */
static void test_expiration_set_after_a_long_idle_gap_fires_on_time(void **state)
{
    (void)state;
    struct process_id a = fake_process_create();
    assert_success_u32(command(a, ALARM_CMD_SET_RELATIVE, 10, 0), 1010);
    run_until(1010);
    assert_int_equal(fake_grant_upcall_count(), 1);
    fake_alarm_set_now(&hw, 1010 + 0xFFFFFF00u);
    assert_success_u32(command(a, ALARM_CMD_SET_RELATIVE, 100, 0), 1010 + 0xFFFFFF00u + 100);
    run_until(1010 + 0xFFFFFF00u + 99);
    assert_int_equal(fake_grant_upcall_count(), 1);
    run_until(1010 + 0xFFFFFF00u + 100);
    assert_int_equal(fake_grant_upcall_count(), 2);
    assert_upcall(1, a, 1010 + 0xFFFFFF00u + 100, 1010 + 0xFFFFFF00u + 100);
}

static void test_dead_process_alarm_is_dropped_and_others_still_fire(void **state)
{
    (void)state;
    struct process_id a = fake_process_create();
    struct process_id b = fake_process_create();
    assert_success_u32(command(a, ALARM_CMD_SET_RELATIVE, 100, 0), 1100);
    assert_success_u32(command(b, ALARM_CMD_SET_RELATIVE, 200, 0), 1200);
    fake_process_kill(a);
    run_until(1100);
    assert_int_equal(fake_grant_upcall_count(), 0);
    run_until(1200);
    assert_int_equal(fake_grant_upcall_count(), 1);
    assert_upcall(0, b, 1200, 1200);
    /* A stale identity is refused; the restarted process is a new one. */
    assert_failure(command(a, ALARM_CMD_SET_RELATIVE, 10, 0), ERR_INVAL);
}

static void test_grant_allocation_failure_is_returned(void **state)
{
    (void)state;
    struct process_id a = fake_process_create();
    fake_process_set_nomem(a, true);
    assert_failure(command(a, ALARM_CMD_SET_RELATIVE, 10, 0), ERR_NOMEM);
    assert_failure(command(a, ALARM_CMD_STOP, 0, 0), ERR_NOMEM);
    assert_success_u32(command(a, ALARM_CMD_NOW, 0, 0), 1000);
}

static void test_full_upcall_queue_drops_the_event_but_clears_the_alarm(void **state)
{
    (void)state;
    struct process_id a = fake_process_create();
    assert_success_u32(command(a, ALARM_CMD_SET_RELATIVE, 10, 0), 1010);
    fake_process_set_upcall_queue_full(a, true);
    run_until(1010);
    assert_int_equal(fake_grant_upcall_count(), 0);
    assert_failure(command(a, ALARM_CMD_STOP, 0, 0), ERR_ALREADY);
    assert_false(hw.is_armed);
}

static void test_process_can_set_again_after_firing(void **state)
{
    (void)state;
    struct process_id a = fake_process_create();
    assert_success_u32(command(a, ALARM_CMD_SET_RELATIVE, 10, 0), 1010);
    run_until(1010);
    assert_success_u32(command(a, ALARM_CMD_SET_REFERENCE, 1010, 10), 1020);
    run_until(1020);
    assert_int_equal(fake_grant_upcall_count(), 2);
    assert_upcall(1, a, 1020, 1020);
}

/* A set due at once by a process with nothing pending fires in place and leaves the alarm as
 * it was (armed for the others, or disarmed with the clock stopped); every other change walks
 * and re-arms for the earliest deadline. */
static void test_set_without_a_pending_expiration_touches_only_its_own(void **state)
{
    (void)state;
    struct process_id a = fake_process_create();
    struct process_id b = fake_process_create();
    assert_success_u32(command(a, ALARM_CMD_SET_RELATIVE, 0, 0), 1000); /* due at once */
    assert_int_equal(fake_grant_upcall_count(), 1);
    assert_upcall(0, a, 1000, 1000);
    assert_false(hw.is_armed);
    assert_false(driver.clock.is_running);
    assert_success_u32(command(b, ALARM_CMD_SET_RELATIVE, 300, 0), 1300);
    assert_int_equal((ticks_t)(hw.reference + hw.dt), 1300);
    assert_success_u32(command(a, ALARM_CMD_SET_RELATIVE, 500, 0), 1500); /* later: stays at 1300 */
    assert_int_equal((ticks_t)(hw.reference + hw.dt), 1300);
    /* a had one pending: the set replaces it and walks, which fires the past window. */
    assert_success_u32(command(a, ALARM_CMD_SET_REFERENCE, 900, 50), 950);
    assert_int_equal(fake_grant_upcall_count(), 2);
    assert_upcall(1, a, 1000, 950);
    assert_int_equal((ticks_t)(hw.reference + hw.dt), 1300);
    run_until(1000);
    assert_int_equal(fake_grant_upcall_count(), 2);
    fake_alarm_set_now(&hw, 1100);
    assert_success_u32(command(a, ALARM_CMD_SET_RELATIVE, 0, 0), 1100); /* b stays armed */
    assert_int_equal(fake_grant_upcall_count(), 3);
    assert_upcall(2, a, 1100, 1100);
    assert_true(hw.is_armed);
    assert_int_equal((ticks_t)(hw.reference + hw.dt), 1300);
    assert_true(driver.clock.is_running);
    assert_success_u32(command(a, ALARM_CMD_SET_RELATIVE, 100, 0), 1200); /* earlier: moves */
    assert_int_equal((ticks_t)(hw.reference + hw.dt), 1200);
    run_until(1200);
    run_until(1300);
    assert_int_equal(fake_grant_upcall_count(), 5);
    assert_upcall(3, a, 1200, 1200);
    assert_upcall(4, b, 1300, 1300);
    assert_false(hw.is_armed);
    assert_false(driver.clock.is_running);
}

static void test_init_reports_grant_create_failure(void **state)
{
    (void)state;
    struct alarm_driver other;
    struct virtual_alarm other_alarm;
    virtual_alarm_init(&other_alarm, &mux);
    fake_grant_fail_next_create(ERR_NOMEM);
    assert_int_equal(alarm_driver_init(&other, &other_alarm.alarm, NULL), ERR_NOMEM);
    assert_int_equal(alarm_driver_init(&other, &other_alarm.alarm, NULL), ERR_ALREADY);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup(test_exists_frequency_now_and_unsupported, setup),
        cmocka_unit_test_setup(test_relative_set_returns_expiration_and_fires_once, setup),
        cmocka_unit_test_setup(test_reference_set_returns_reference_plus_dt, setup),
        cmocka_unit_test_setup(test_expiration_already_past_fires_at_once, setup),
        cmocka_unit_test_setup(test_stop_cancels_and_reports_already_when_none, setup),
        cmocka_unit_test_setup(test_new_set_replaces_the_pending_one, setup),
        cmocka_unit_test_setup(test_processes_fire_in_order_of_expiration, setup),
        cmocka_unit_test_setup(test_all_expired_processes_get_upcalls_on_one_interrupt, setup),
        cmocka_unit_test_setup(test_wrap_around_near_2_32, setup),
        cmocka_unit_test_setup(test_late_interrupts_never_lose_a_long_expiration, setup),
        cmocka_unit_test_setup(test_chunks_just_under_2_32_fire_back_to_back, setup),
        cmocka_unit_test_setup(test_long_expiration_due_during_another_late_interrupt_fires_with_it,
                               setup),
        cmocka_unit_test_setup(test_expiration_set_after_a_long_idle_gap_fires_on_time, setup),
        cmocka_unit_test_setup(test_dead_process_alarm_is_dropped_and_others_still_fire, setup),
        cmocka_unit_test_setup(test_grant_allocation_failure_is_returned, setup),
        cmocka_unit_test_setup(test_full_upcall_queue_drops_the_event_but_clears_the_alarm,
                               setup),
        cmocka_unit_test_setup(test_process_can_set_again_after_firing, setup),
        cmocka_unit_test_setup(test_set_without_a_pending_expiration_touches_only_its_own, setup),
        cmocka_unit_test_setup(test_init_reports_grant_create_failure, setup),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
