/* SPDX-License-Identifier: Apache-2.0 OR MIT */
/*
 * Host tests for the alarm virtualizer (virtualizers/virtual_alarm.c).
 *
 * A fake alarm is the hardware; recorders are clients and log each firing by tag. Downcalls made
 * by the test set `in_downcall`, and a recorder fired meanwhile fails the test.
 *
 * Usage: make build/host/virtual_alarm_test (or `make unit` for every test).
 *
 * Invariants: each test starts from setup() with fresh deferred calls, hardware, mux and alarms.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include "capsules/virtual_alarm.h"
#include "container.h"
#include "fake_alarm.h"
#include "kernel/deferred_call.h"

#define ALARM_COUNT 5

struct recorder {
    struct hil_alarm_client client;
    struct virtual_alarm *alarm;
    char tag;
    unsigned fired;
    unsigned rearms; /* set again from the callback this many times */
    ticks_t rearm_dt;
    ticks_t fired_at;
};

static struct fake_alarm hw;
static struct mux_alarm mux;
static struct virtual_alarm alarms[ALARM_COUNT];
static struct recorder recs[ALARM_COUNT];
static char order[64];
static size_t order_len;
static bool in_downcall;

static void recorder_fired(struct hil_alarm_client *client)
{
    struct recorder *r = CONTAINER_OF(client, struct recorder, client);
    assert_false(in_downcall);
    r->fired++;
    r->fired_at = hil_alarm_now(&r->alarm->alarm);
    order[order_len++] = r->tag;
    order[order_len] = '\0';
    if (r->rearms > 0) {
        r->rearms--;
        hil_alarm_set(&r->alarm->alarm, hil_alarm_now(&r->alarm->alarm), r->rearm_dt);
    }
}

static const struct hil_alarm_client_ops recorder_ops = { .fired = recorder_fired };

static void setup_at(ticks_t now)
{
    deferred_call_reset_for_test();
    fake_alarm_init(&hw, 32768, now);
    assert_int_equal(mux_alarm_init(&mux, &hw.alarm), ERR_OK);
    for (size_t i = 0; i < ALARM_COUNT; i++) {
        virtual_alarm_init(&alarms[i], &mux);
        recs[i] = (struct recorder){
            .client = { .ops = &recorder_ops },
            .alarm = &alarms[i],
            .tag = (char)('A' + i),
        };
        hil_alarm_set_client(&alarms[i].alarm, &recs[i].client);
    }
    order[0] = '\0';
    order_len = 0;
    in_downcall = false;
}

static int setup(void **state)
{
    (void)state;
    setup_at(1000);
    return 0;
}

static void set(size_t i, ticks_t reference, ticks_t dt)
{
    in_downcall = true;
    hil_alarm_set(&alarms[i].alarm, reference, dt);
    in_downcall = false;
}

static void set_from_now(size_t i, ticks_t dt)
{
    set(i, hw.now, dt);
}

/* Run the kernel loop's share: hardware interrupt if due, then deferred calls. */
static void run(void)
{
    fake_alarm_fire_if_due(&hw);
    while (deferred_call_has_pending()) {
        deferred_call_service();
    }
}

static ticks_t hw_expiration(void)
{
    return (ticks_t)(hw.reference + hw.dt);
}

static void test_alarm_fires_once_when_its_window_ends(void **state)
{
    (void)state;
    set_from_now(0, 50);
    assert_true(hil_alarm_is_armed(&alarms[0].alarm));
    fake_alarm_advance(&hw, 49);
    run();
    assert_int_equal(recs[0].fired, 0);
    fake_alarm_advance(&hw, 1);
    run();
    assert_int_equal(recs[0].fired, 1);
    assert_false(hil_alarm_is_armed(&alarms[0].alarm));
    fake_alarm_advance(&hw, 1000);
    run();
    assert_int_equal(recs[0].fired, 1);
    assert_false(hw.is_armed); /* nothing pending: hardware disarmed */
}

static void test_already_due_alarm_fires_from_deferred_call_not_inside_set(void **state)
{
    (void)state;
    set_from_now(0, 0);
    assert_int_equal(recs[0].fired, 0);
    set(1, hw.now - 100, 10); /* window ended long ago */
    assert_int_equal(recs[1].fired, 0);
    assert_true(deferred_call_has_pending());
    deferred_call_service();
    assert_int_equal(recs[0].fired, 1);
    assert_int_equal(recs[1].fired, 1);
    assert_string_equal(order, "AB");
}

static void test_hardware_is_armed_for_the_earliest_alarm(void **state)
{
    (void)state;
    ticks_t start = hw.now;
    set_from_now(0, 300);
    assert_int_equal(hw_expiration(), start + 300);
    set_from_now(1, 100);
    assert_int_equal(hw_expiration(), start + 100);
    set_from_now(2, 200);
    assert_int_equal(hw_expiration(), start + 100);
    fake_alarm_set_now(&hw, start + 100);
    run();
    assert_string_equal(order, "B");
    assert_int_equal(hw_expiration(), start + 200);
    in_downcall = true;
    assert_int_equal(hil_alarm_disarm(&alarms[2].alarm), ERR_OK);
    in_downcall = false;
    assert_int_equal(hw_expiration(), start + 300);
    fake_alarm_set_now(&hw, start + 300);
    run();
    assert_string_equal(order, "BA");
    assert_int_equal(recs[2].fired, 0);
}

static void test_many_alarms_fire_in_time_order(void **state)
{
    (void)state;
    const ticks_t dts[ALARM_COUNT] = { 500, 100, 400, 200, 300 };
    for (size_t i = 0; i < ALARM_COUNT; i++) {
        set_from_now(i, dts[i]);
    }
    while (hw.is_armed) {
        fake_alarm_set_now(&hw, hw_expiration());
        run();
    }
    assert_string_equal(order, "BDECA");
    for (size_t i = 0; i < ALARM_COUNT; i++) {
        assert_int_equal(recs[i].fired, 1);
        assert_int_equal(recs[i].fired_at, 1000 + dts[i]);
    }
}

static void test_all_expired_alarms_fire_on_one_interrupt(void **state)
{
    (void)state;
    set_from_now(0, 10);
    set_from_now(1, 20);
    set_from_now(2, 30);
    set_from_now(3, 1000);
    fake_alarm_advance(&hw, 100);
    assert_int_equal(hw.fire_count, 1);
    assert_string_equal(order, "ABC");
    assert_false(deferred_call_has_pending());
    assert_int_equal(hw_expiration(), 1000 + 1000);
}

static void test_wrap_around_near_2_32(void **state)
{
    (void)state;
    setup_at(0xffffff00u);
    set_from_now(0, 0x200); /* expires at 0x100, after the wrap */
    set_from_now(1, 0x80);  /* expires at 0xffffff80, before it */
    assert_int_equal(hw_expiration(), 0xffffff80u);
    fake_alarm_set_now(&hw, 0xffffff80u);
    run();
    assert_string_equal(order, "B");
    assert_int_equal(hw_expiration(), 0x100u);
    fake_alarm_set_now(&hw, 0x50u); /* wrapped, but A's window is not over */
    run();
    assert_int_equal(recs[0].fired, 0);
    assert_true(hil_alarm_is_armed(&alarms[0].alarm));
    fake_alarm_set_now(&hw, 0xffu);
    run();
    assert_int_equal(recs[0].fired, 0);
    fake_alarm_set_now(&hw, 0x100u);
    run();
    assert_string_equal(order, "BA");
    assert_int_equal(hil_alarm_get(&alarms[0].alarm), 0x100u);
}

static void test_long_dt_over_half_the_range_does_not_fire_early(void **state)
{
    (void)state;
    setup_at(0);
    set_from_now(0, 0xf0000000u);
    assert_int_equal(hil_alarm_get(&alarms[0].alarm), 0xf0000000u);
    /* Late processing of the first leg must not be mistaken for the end. */
    fake_alarm_set_now(&hw, hw_expiration() + 0x1000);
    run();
    assert_int_equal(recs[0].fired, 0);
    assert_true(hil_alarm_is_armed(&alarms[0].alarm));
    assert_int_equal(hil_alarm_get(&alarms[0].alarm), 0xf0000000u);
    fake_alarm_set_now(&hw, 0xefffffffu);
    run();
    assert_int_equal(recs[0].fired, 0);
    fake_alarm_set_now(&hw, 0xf0000000u);
    run();
    assert_int_equal(recs[0].fired, 1);
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

/* Deadlines near and across the wrap, dt up to 2^32 - 1, each interrupt served 0 to 2^31 - 1
 * ticks late: the alarm fires at the first interrupt served after its deadline, never before. */
static void test_late_interrupts_never_lose_or_advance_an_alarm(void **state)
{
    (void)state;
    const ticks_t starts[] = { 1000, 0xFFFFF000u, 0x80000000u };
    const ticks_t dts[] = { 0xFFFFFFFFu, 0xFFFFFFFFu - 17295u, 0xFFFFFFFFu - 1999999u,
                            0x80000001u, 0x80000000u, 1000u, 1u };
    const ticks_t lates[] = { 0, 1, 2, 17295, 17296, 17297, 2000000, 0x10000000u, 0x7FFFFFFFu };
    for (size_t s = 0; s < sizeof starts / sizeof starts[0]; s++) {
        for (size_t d = 0; d < sizeof dts / sizeof dts[0]; d++) {
            for (size_t l = 0; l < sizeof lates / sizeof lates[0]; l++) {
                setup_at(starts[s]);
                set_from_now(0, dts[d]);
                assert_int_equal(hil_alarm_get(&alarms[0].alarm), (ticks_t)(starts[s] + dts[d]));
                uint64_t elapsed = 0;
                for (int step = 0; step < 8 && recs[0].fired == 0; step++) {
                    assert_true(hw.is_armed);
                    assert_true(hw.dt <= HIL_ALARM_MAX_WAIT);
                    serve_late(lates[l], &elapsed);
                    if (recs[0].fired == 0) {
                        assert_true(elapsed < dts[d]); /* due but not fired: lost */
                    }
                }
                assert_int_equal(recs[0].fired, 1);
                assert_true(elapsed >= dts[d]);
                assert_true(elapsed <= (uint64_t)dts[d] + lates[l]);
                assert_int_equal(recs[0].fired_at, (ticks_t)(starts[s] + elapsed));
                assert_false(hw.is_armed);
            }
        }
    }
}

/* A long alarm that became due while a shorter one's interrupt waited fires on that interrupt. */
static void test_long_alarm_due_during_another_late_interrupt_fires_with_it(void **state)
{
    (void)state;
    setup_at(0x10000000u);
    set_from_now(0, 0xFFFFFFFFu); /* due at 0x0FFFFFFF, after the wrap */
    uint64_t elapsed = 0;
    serve_late(0, &elapsed); /* half way */
    assert_int_equal(recs[0].fired, 0);
    fake_alarm_set_now(&hw, 0x0FFFFF00u);
    set_from_now(1, 0x80); /* due at 0x0FFFFF80 */
    serve_late(0x1000, &elapsed); /* served at 0x10000F80: both are due */
    assert_string_equal(order, "AB");
    assert_false(hw.is_armed);
}

/* A counter that steps back a little (as QEMU's do after an -icount time warp) is neither a wrap
 * (everything would fire at once) nor lost time: the mux waits until it has caught up. */
static void test_counter_stepping_back_fires_nothing_early(void **state)
{
    (void)state;
    set_from_now(0, 100000); /* due at 101000 */
    fake_alarm_set_now(&hw, 60000);
    set_from_now(1, 10); /* due at 60010 */
    fake_alarm_set_now(&hw, 60000 - 35655);
    run(); /* the hardware's window looks over: it interrupts */
    assert_string_equal(order, "");
    assert_true(hw.is_armed);
    fake_alarm_set_now(&hw, 60009);
    run();
    assert_string_equal(order, "");
    fake_alarm_set_now(&hw, 60010);
    run();
    assert_string_equal(order, "B");
    fake_alarm_set_now(&hw, 100999);
    run();
    assert_string_equal(order, "B");
    fake_alarm_set_now(&hw, 101000);
    run();
    assert_string_equal(order, "BA");
}

/* With nothing pending the clock stops; a set after any idle gap starts it afresh. */
static void test_alarm_set_after_a_long_idle_gap_fires_on_time(void **state)
{
    (void)state;
    const ticks_t gaps[] = { 0xFFFFFF00u, 0x80000000u, 0xFFFFFFFFu, 5 };
    for (size_t g = 0; g < sizeof gaps / sizeof gaps[0]; g++) {
        setup_at(1000);
        set_from_now(0, 10);
        fake_alarm_set_now(&hw, 1010);
        run();
        assert_int_equal(recs[0].fired, 1);
        fake_alarm_set_now(&hw, 1010 + gaps[g]);
        set_from_now(0, 100);
        fake_alarm_set_now(&hw, 1010 + gaps[g] + 99);
        run();
        assert_int_equal(recs[0].fired, 1);
        fake_alarm_set_now(&hw, 1010 + gaps[g] + 100);
        run();
        assert_int_equal(recs[0].fired, 2);
    }
}

static void test_client_rearming_from_callback_does_not_starve_others(void **state)
{
    (void)state;
    recs[0].rearms = 3;
    recs[0].rearm_dt = 0; /* due again at once */
    set_from_now(0, 10);
    set_from_now(1, 10);
    fake_alarm_advance(&hw, 10);
    assert_string_equal(order, "AB"); /* B fired on the same interrupt */
    run();
    assert_string_equal(order, "ABAAA");
    assert_int_equal(recs[1].fired, 1);
}

static void test_alarm_set_from_callback_rearms_hardware_after_processing(void **state)
{
    (void)state;
    recs[0].rearms = 1;
    recs[0].rearm_dt = 50;
    set_from_now(0, 10);
    set_from_now(1, 500);
    fake_alarm_advance(&hw, 10);
    assert_int_equal(hw_expiration(), 1010 + 50);
    fake_alarm_advance(&hw, 50);
    assert_string_equal(order, "AA");
    assert_int_equal(hw_expiration(), 1000 + 500);
}

static void test_disarm_prevents_firing_and_returns_ok(void **state)
{
    (void)state;
    set_from_now(0, 10);
    in_downcall = true;
    assert_int_equal(hil_alarm_disarm(&alarms[0].alarm), ERR_OK);
    assert_int_equal(hil_alarm_disarm(&alarms[0].alarm), ERR_OK);
    in_downcall = false;
    assert_false(hw.is_armed);
    fake_alarm_advance(&hw, 100);
    run();
    assert_int_equal(recs[0].fired, 0);
}

static void test_set_replaces_pending_alarm(void **state)
{
    (void)state;
    set_from_now(0, 10);
    set_from_now(0, 100);
    fake_alarm_advance(&hw, 50);
    run();
    assert_int_equal(recs[0].fired, 0);
    fake_alarm_advance(&hw, 50);
    run();
    assert_int_equal(recs[0].fired, 1);
}

static void test_time_queries_pass_through(void **state)
{
    (void)state;
    hw.minimum_dt = 3;
    assert_int_equal(hil_alarm_now(&alarms[0].alarm), 1000);
    assert_int_equal(hil_alarm_frequency(&alarms[0].alarm), 32768);
    assert_int_equal(hil_alarm_minimum_dt(&alarms[0].alarm), 3);
    set(0, 7, 8);
    assert_int_equal(hil_alarm_get(&alarms[0].alarm), 15);
}

static void unused_deferred(void *ctx)
{
    (void)ctx;
}

static void test_init_fails_without_deferred_call_slot(void **state)
{
    (void)state;
    static struct deferred_call fillers[DEFERRED_CALL_SLOTS];
    size_t filled = 0;
    while (filled < DEFERRED_CALL_SLOTS &&
           deferred_call_register(&fillers[filled], unused_deferred, NULL) == ERR_OK) {
        filled++;
    }
    struct mux_alarm other;
    assert_int_equal(mux_alarm_init(&other, &hw.alarm), ERR_NOMEM);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup(test_alarm_fires_once_when_its_window_ends, setup),
        cmocka_unit_test_setup(test_already_due_alarm_fires_from_deferred_call_not_inside_set,
                               setup),
        cmocka_unit_test_setup(test_hardware_is_armed_for_the_earliest_alarm, setup),
        cmocka_unit_test_setup(test_many_alarms_fire_in_time_order, setup),
        cmocka_unit_test_setup(test_all_expired_alarms_fire_on_one_interrupt, setup),
        cmocka_unit_test_setup(test_wrap_around_near_2_32, setup),
        cmocka_unit_test_setup(test_long_dt_over_half_the_range_does_not_fire_early, setup),
        cmocka_unit_test_setup(test_late_interrupts_never_lose_or_advance_an_alarm, setup),
        cmocka_unit_test_setup(test_long_alarm_due_during_another_late_interrupt_fires_with_it,
                               setup),
        cmocka_unit_test_setup(test_counter_stepping_back_fires_nothing_early, setup),
        cmocka_unit_test_setup(test_alarm_set_after_a_long_idle_gap_fires_on_time, setup),
        cmocka_unit_test_setup(test_client_rearming_from_callback_does_not_starve_others, setup),
        cmocka_unit_test_setup(test_alarm_set_from_callback_rearms_hardware_after_processing,
                               setup),
        cmocka_unit_test_setup(test_disarm_prevents_firing_and_returns_ok, setup),
        cmocka_unit_test_setup(test_set_replaces_pending_alarm, setup),
        cmocka_unit_test_setup(test_time_queries_pass_through, setup),
        cmocka_unit_test_setup(test_init_fails_without_deferred_call_slot, setup),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
