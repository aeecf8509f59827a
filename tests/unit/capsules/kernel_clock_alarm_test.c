/* SPDX-License-Identifier: Apache-2.0 OR MIT */
/*
 * Host tests for the kernel clock over an alarm (capsules/core/kernel_clock_alarm.c): idle (no
 * alarm armed) until a wake-up is asked for; while one is pending it counts milliseconds
 * across counter wraps (the alarm is armed at most HIL_ALARM_MAX_WAIT ahead, so no reading is
 * missed); it holds when the counter steps back, wakes the kernel once at the earliest time
 * asked for, and never calls it from inside wake_at.
 *
 * Usage: make build/host/kernel_clock_alarm_test && build/host/kernel_clock_alarm_test
 *
 * Invariants: kernel_set_clock and kernel_clock_fired are this file's stand-ins for the
 * kernel's; fired_at records the clock's reading at each wake-up.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include "capsules/kernel_clock_alarm.h"
#include "fake_alarm.h"

static struct fake_alarm hw;
static struct kernel_clock_alarm clk;
static struct kernel kernel_stand_in;
static struct kernel_clock *given;
static uint32_t fired_count;
static uint32_t fired_at[8];
static bool in_wake_at;

void kernel_set_clock(struct kernel *k, struct kernel_clock *clock)
{
    assert_ptr_equal(k, &kernel_stand_in);
    given = clock;
}

void kernel_clock_fired(struct kernel *k)
{
    assert_ptr_equal(k, &kernel_stand_in);
    assert_false(in_wake_at);
    if (fired_count < 8) {
        fired_at[fired_count] = given->ops->now_ms(given);
    }
    fired_count++;
}

static void wake_at(uint32_t at_ms)
{
    in_wake_at = true;
    given->ops->wake_at(given, at_ms);
    in_wake_at = false;
}

static uint32_t now_ms(void)
{
    return given->ops->now_ms(given);
}

/* 25 MHz (mps2's timer), starting just before the counter wraps. */
static int setup(void **state)
{
    (void)state;
    fake_alarm_init(&hw, 25000000u, 0xfff00000u);
    fired_count = 0;
    given = NULL;
    kernel_clock_alarm_init(&clk, &hw.alarm, &kernel_stand_in);
    return 0;
}

static void test_idle_until_a_wake_up_is_asked_for(void **state)
{
    (void)state;
    assert_ptr_equal(given, &clk.clock);
    assert_int_equal(now_ms(), 0);
    assert_false(hw.is_armed); /* nothing to time: the alarm mux pays nothing */
    fake_alarm_advance(&hw, 25000u * 7u);
    assert_false(hw.is_armed);
}

static void test_counts_milliseconds_across_wraps_while_a_wake_up_is_pending(void **state)
{
    (void)state;
    wake_at(700000u);
    fake_alarm_advance(&hw, 25000u * 7u + 24999u);
    assert_int_equal(now_ms(), 7);
    /* 10 minutes in steps the alarm serves (each at most HIL_ALARM_MAX_WAIT ahead): the
     * 32-bit counter wraps about 3.5 times. */
    for (uint32_t i = 0; i < 600u; i++) {
        fake_alarm_advance(&hw, 25000000u);
        assert_true(hw.is_armed);
        assert_true(hw.dt <= HIL_ALARM_MAX_WAIT);
    }
    assert_int_equal(now_ms(), 600007u);
    assert_int_equal(fired_count, 0);
}

static void test_a_step_back_holds_the_clock(void **state)
{
    (void)state;
    wake_at(1000u);
    fake_alarm_advance(&hw, 25000u * 100u);
    assert_int_equal(now_ms(), 100);
    fake_alarm_set_now(&hw, hw.now - 1000u);
    assert_int_equal(now_ms(), 100);
    fake_alarm_set_now(&hw, hw.now + 1000u + 25000u);
    assert_int_equal(now_ms(), 101);
}

static void test_wakes_once_at_the_earliest_time_asked_for(void **state)
{
    (void)state;
    wake_at(50);
    wake_at(80); /* later: the earlier one stands */
    assert_int_equal(fired_count, 0);
    fake_alarm_advance(&hw, 25000u * 49u);
    assert_int_equal(fired_count, 0);
    fake_alarm_advance(&hw, 25000u);
    assert_int_equal(fired_count, 1);
    assert_int_equal(fired_at[0], 50);
    assert_false(hw.is_armed); /* the kernel asks again if it still needs to */
    fake_alarm_advance(&hw, 25000u * 100u);
    assert_int_equal(fired_count, 1);
    /* The clock stopped while idle: it restarts from the next reading, here 50 ms. */
    wake_at(60);
    wake_at(55); /* earlier: replaces */
    fake_alarm_advance(&hw, 25000u * 5u);
    assert_int_equal(fired_count, 2);
    assert_int_equal(fired_at[1], 55);
}

static void test_a_time_already_past_fires_from_the_alarm_not_inside_wake_at(void **state)
{
    (void)state;
    wake_at(1000);
    fake_alarm_advance(&hw, 25000u * 10u);
    wake_at(3); /* 7 ms ago */
    assert_int_equal(fired_count, 0);
    fake_alarm_fire_if_due(&hw);
    assert_int_equal(fired_count, 1);
}

static void test_a_far_wake_up_is_reached_through_intermediate_fires(void **state)
{
    (void)state;
    wake_at(100000u); /* 100 s: beyond HIL_ALARM_MAX_WAIT ticks at 25 MHz */
    assert_true(hw.dt <= HIL_ALARM_MAX_WAIT);
    for (uint32_t s = 0; s < 99; s++) {
        fake_alarm_advance(&hw, 25000000u);
    }
    assert_int_equal(fired_count, 0);
    fake_alarm_advance(&hw, 25000000u);
    assert_int_equal(fired_count, 1);
    assert_int_equal(fired_at[0], 100000u);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup(test_idle_until_a_wake_up_is_asked_for, setup),
        cmocka_unit_test_setup(test_counts_milliseconds_across_wraps_while_a_wake_up_is_pending,
                               setup),
        cmocka_unit_test_setup(test_a_step_back_holds_the_clock, setup),
        cmocka_unit_test_setup(test_wakes_once_at_the_earliest_time_asked_for, setup),
        cmocka_unit_test_setup(test_a_time_already_past_fires_from_the_alarm_not_inside_wake_at,
                               setup),
        cmocka_unit_test_setup(test_a_far_wake_up_is_reached_through_intermediate_fires, setup),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
