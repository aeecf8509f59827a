/* SPDX-License-Identifier: Apache-2.0 OR MIT */
/*
 * Host tests for the CMSDK timer pair alarm (chips/cmsdk/timer.c) on register blocks in RAM.
 *
 * The test plays the hardware: it sets the free-running counter's value (now = 2^32 - 1 -
 * value) and calls the interrupt handler as the compare timer's line would, early, on time or
 * late.
 *
 * Usage: make build/host/cmsdk_timer_test (or `make unit` for every test).
 *
 * Invariants: each test starts from setup(): a fresh alarm at now = 1000, no firing yet.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include "cmsdk/timer.h"
#include "container.h"

static struct cmsdk_timer_registers counter;
static struct cmsdk_timer_registers compare;
static struct cmsdk_alarm alarm;
static unsigned fired;
static bool in_downcall;

static void client_fired(struct hil_alarm_client *client)
{
    (void)client;
    assert_false(in_downcall);
    fired++;
}

static const struct hil_alarm_client_ops client_ops = { .fired = client_fired };
static struct hil_alarm_client client = { .ops = &client_ops };

static void set_now(ticks_t now)
{
    counter.value = 0xFFFFFFFFu - now;
}

static void setup_at(ticks_t now)
{
    counter = (struct cmsdk_timer_registers){ 0 };
    compare = (struct cmsdk_timer_registers){ 0 };
    cmsdk_alarm_init(&alarm, (uintptr_t)&counter, (uintptr_t)&compare, 25000000);
    hil_alarm_set_client(&alarm.alarm, &client);
    set_now(now);
    fired = 0;
    in_downcall = false;
}

static int setup(void **state)
{
    (void)state;
    setup_at(1000);
    return 0;
}

static void set(ticks_t reference, ticks_t dt)
{
    in_downcall = true;
    hil_alarm_set(&alarm.alarm, reference, dt);
    in_downcall = false;
}

static bool compare_running(void)
{
    return (compare.ctrl & 0x1u) != 0 && (compare.ctrl & 0x8u) != 0;
}

static void test_counter_counts_up_from_the_down_counter(void **state)
{
    (void)state;
    assert_int_equal(counter.reload, 0xFFFFFFFFu);
    assert_int_equal(hil_alarm_now(&alarm.alarm), 1000);
    assert_int_equal(hil_alarm_frequency(&alarm.alarm), 25000000);
}

static void test_compare_counts_the_rest_of_the_window(void **state)
{
    (void)state;
    set(900, 300);
    assert_true(compare_running());
    assert_int_equal(compare.value, 200);
    assert_int_equal(hil_alarm_get(&alarm.alarm), 1200);
    set_now(1200);
    cmsdk_alarm_handle_interrupt(&alarm);
    assert_int_equal(fired, 1);
    assert_false(hil_alarm_is_armed(&alarm.alarm));
    assert_false(compare_running());
}

static void test_window_already_ended_fires_from_the_interrupt_not_inside_set(void **state)
{
    (void)state;
    set(400, 100);
    assert_int_equal(fired, 0);
    assert_int_equal(compare.value, 1);
    set_now(1001);
    cmsdk_alarm_handle_interrupt(&alarm);
    assert_int_equal(fired, 1);
    /* dt 0 is due at once as well. */
    set(1001, 0);
    assert_int_equal(compare.value, 1);
    set_now(1002);
    cmsdk_alarm_handle_interrupt(&alarm);
    assert_int_equal(fired, 2);
}

static void test_deadline_within_a_few_ticks(void **state)
{
    (void)state;
    set(1000, 1);
    assert_int_equal(compare.value, 1);
    set_now(1002); /* served a tick late */
    cmsdk_alarm_handle_interrupt(&alarm);
    assert_int_equal(fired, 1);
    set(1002, 2);
    assert_int_equal(compare.value, 2);
    set_now(1004);
    cmsdk_alarm_handle_interrupt(&alarm);
    assert_int_equal(fired, 2);
}

static void test_early_interrupt_waits_for_the_rest(void **state)
{
    (void)state;
    set(1000, 500);
    set_now(1499); /* the two timers a tick apart */
    cmsdk_alarm_handle_interrupt(&alarm);
    assert_int_equal(fired, 0);
    assert_true(hil_alarm_is_armed(&alarm.alarm));
    assert_true(compare_running());
    assert_int_equal(compare.value, 1);
    set_now(1500);
    cmsdk_alarm_handle_interrupt(&alarm);
    assert_int_equal(fired, 1);
}

static void test_interrupt_without_alarm_is_ignored(void **state)
{
    (void)state;
    set(1000, 50);
    assert_int_equal(hil_alarm_disarm(&alarm.alarm), ERR_OK);
    assert_false(compare_running());
    set_now(2000);
    cmsdk_alarm_handle_interrupt(&alarm);
    assert_int_equal(fired, 0);
}

/* A late interrupt fires the alarm whatever its dt, also across the counter's wrap. */
static void test_late_interrupt_fires_even_with_dt_near_2_32(void **state)
{
    (void)state;
    const ticks_t starts[] = { 1000, 0xFFFFF000u, 0x80000000u };
    const ticks_t dts[] = { 0xFFFFFFFFu, 0xFFFFFFFFu - 17295u, 0xFFFFFFFFu - 1999999u,
                            0x80000001u, 25000000u, 2u };
    const ticks_t lates[] = { 0, 1, 2, 17295, 17296, 17297, 25000, 2000000, 0x10000000u,
                              0x7FFFFFFFu };
    for (size_t s = 0; s < sizeof starts / sizeof starts[0]; s++) {
        for (size_t d = 0; d < sizeof dts / sizeof dts[0]; d++) {
            for (size_t l = 0; l < sizeof lates / sizeof lates[0]; l++) {
                setup_at(starts[s]);
                set(starts[s], dts[d]);
                assert_int_equal(compare.value, dts[d]);
                set_now(starts[s] + dts[d] + lates[l]);
                cmsdk_alarm_handle_interrupt(&alarm);
                assert_int_equal(fired, 1);
                assert_false(hil_alarm_is_armed(&alarm.alarm));
            }
        }
    }
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup(test_counter_counts_up_from_the_down_counter, setup),
        cmocka_unit_test_setup(test_compare_counts_the_rest_of_the_window, setup),
        cmocka_unit_test_setup(test_window_already_ended_fires_from_the_interrupt_not_inside_set,
                               setup),
        cmocka_unit_test_setup(test_deadline_within_a_few_ticks, setup),
        cmocka_unit_test_setup(test_early_interrupt_waits_for_the_rest, setup),
        cmocka_unit_test_setup(test_interrupt_without_alarm_is_ignored, setup),
        cmocka_unit_test_setup(test_late_interrupt_fires_even_with_dt_near_2_32, setup),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
