/* SPDX-License-Identifier: Apache-2.0 OR MIT */
/*
 * Host tests for the per-process upcall queue (kernel/upcall_queue.c), ABI §1.6 and §1.12.
 *
 * Usage: make build/host/upcall_queue_test build/host-san/upcall_queue_test
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include "kernel/upcall_queue.h"

static struct upcall_task fn_task(uint32_t driver, uint32_t sub, uint32_t tag)
{
    return (struct upcall_task){.kind = UPCALL_FUNCTION,
                                .driver_num = driver,
                                .subscribe_num = sub,
                                .fn = 0x1000u + tag,
                                .args = {tag, tag + 1, tag + 2, tag + 3}};
}

static struct upcall_task null_task(uint32_t driver, uint32_t sub, uint32_t tag)
{
    return (struct upcall_task){.kind = UPCALL_NULL_RECORD,
                                .driver_num = driver,
                                .subscribe_num = sub,
                                .fn = 0,
                                .args = {tag, 0, 0, 0}};
}

static void push(struct upcall_queue *q, struct upcall_task t)
{
    assert_int_equal(upcall_queue_push(q, &t), ERR_OK);
}

/* The args[0] tags of the queue, in order, for order assertions. */
static void expect_tags(const struct upcall_queue *q, const uint32_t *tags, uint32_t n)
{
    assert_int_equal(q->count, n);
    for (uint32_t i = 0; i < n; i++) {
        assert_int_equal(q->tasks[i].args[0], tags[i]);
    }
}

static void test_pop_returns_tasks_in_arrival_order(void **state)
{
    (void)state;
    struct upcall_queue q = {.count = 0};
    push(&q, fn_task(1, 0, 10));
    push(&q, fn_task(2, 1, 20));
    push(&q, fn_task(1, 0, 30));
    struct upcall_task out;
    assert_true(upcall_queue_pop_function(&q, &out));
    assert_int_equal(out.args[0], 10);
    assert_int_equal(out.fn, 0x100a);
    assert_int_equal(out.args[3], 13);
    assert_true(upcall_queue_pop_function(&q, &out));
    assert_int_equal(out.args[0], 20);
    assert_int_equal(out.driver_num, 2);
    assert_int_equal(out.subscribe_num, 1);
    assert_true(upcall_queue_pop_function(&q, &out));
    assert_int_equal(out.args[0], 30);
    assert_false(upcall_queue_pop_function(&q, &out));
    assert_int_equal(q.count, 0);
}

static void test_capacity_is_nine_then_nomem(void **state)
{
    (void)state;
    struct upcall_queue q = {.count = 0};
    assert_int_equal(UPCALL_QUEUE_CAPACITY, 9);
    for (uint32_t i = 0; i < 9; i++) {
        struct upcall_task t = i % 2 ? null_task(1, 0, i) : fn_task(1, 0, i);
        assert_int_equal(upcall_queue_push(&q, &t), ERR_OK);
    }
    struct upcall_task extra = fn_task(1, 0, 99);
    assert_int_equal(upcall_queue_push(&q, &extra), ERR_NOMEM);
    assert_int_equal(q.count, 9);
    const uint32_t tags[] = {0, 1, 2, 3, 4, 5, 6, 7, 8};
    expect_tags(&q, tags, 9); /* the rejected task did not replace anything */
    struct upcall_task out;
    assert_true(upcall_queue_pop_function(&q, &out));
    assert_int_equal(upcall_queue_push(&q, &extra), ERR_OK); /* room again after a pop */
}

static void test_pop_function_drops_leading_null_records(void **state)
{
    (void)state;
    struct upcall_queue q = {.count = 0};
    push(&q, null_task(1, 0, 1));
    push(&q, null_task(2, 0, 2));
    push(&q, fn_task(3, 0, 3));
    push(&q, null_task(4, 0, 4));
    struct upcall_task out;
    assert_true(upcall_queue_pop_function(&q, &out));
    assert_int_equal(out.kind, UPCALL_FUNCTION);
    assert_int_equal(out.args[0], 3);
    const uint32_t rest[] = {4};
    expect_tags(&q, rest, 1); /* records after the delivered task stay */
}

static void test_pop_function_on_only_null_records_empties_and_fails(void **state)
{
    (void)state;
    struct upcall_queue q = {.count = 0};
    push(&q, null_task(1, 0, 1));
    push(&q, null_task(1, 1, 2));
    assert_false(upcall_queue_has_function(&q));
    struct upcall_task out = {.args = {77, 0, 0, 0}};
    assert_false(upcall_queue_pop_function(&q, &out));
    assert_int_equal(q.count, 0);
    assert_int_equal(out.args[0], 77); /* out untouched */
}

static void test_has_function_and_has_match(void **state)
{
    (void)state;
    struct upcall_queue q = {.count = 0};
    assert_false(upcall_queue_has_function(&q));
    assert_false(upcall_queue_has_match(&q, 1, 0));
    push(&q, null_task(1, 0, 1));
    assert_false(upcall_queue_has_function(&q));
    assert_true(upcall_queue_has_match(&q, 1, 0)); /* null records match Yield-WaitFor */
    assert_false(upcall_queue_has_match(&q, 1, 1));
    assert_false(upcall_queue_has_match(&q, 0, 0));
    push(&q, fn_task(2, 5, 2));
    assert_true(upcall_queue_has_function(&q));
    assert_true(upcall_queue_has_match(&q, 2, 5));
}

static void test_take_match_removes_first_match_and_keeps_others_order(void **state)
{
    (void)state;
    struct upcall_queue q = {.count = 0};
    push(&q, fn_task(1, 0, 1));
    push(&q, null_task(2, 3, 2));
    push(&q, fn_task(1, 1, 3));
    push(&q, fn_task(2, 3, 4));
    push(&q, fn_task(1, 0, 5));
    struct upcall_task out;
    assert_true(upcall_queue_take_match(&q, 2, 3, &out));
    assert_int_equal(out.kind, UPCALL_NULL_RECORD);
    assert_int_equal(out.args[0], 2);
    const uint32_t after_first[] = {1, 3, 4, 5};
    expect_tags(&q, after_first, 4);
    assert_true(upcall_queue_take_match(&q, 2, 3, &out));
    assert_int_equal(out.kind, UPCALL_FUNCTION);
    assert_int_equal(out.args[0], 4);
    const uint32_t after_second[] = {1, 3, 5};
    expect_tags(&q, after_second, 3);
    assert_false(upcall_queue_take_match(&q, 2, 3, &out));
    expect_tags(&q, after_second, 3);
}

/* The scheduler's delivery looks at the head without dropping null records first. */
static void test_head_if_function_sees_only_a_function_at_the_head(void **state)
{
    (void)state;
    struct upcall_queue q = {.count = 0};
    assert_null(upcall_queue_head_if_function(&q));
    push(&q, null_task(2, 3, 1));
    push(&q, fn_task(1, 0, 2));
    assert_null(upcall_queue_head_if_function(&q));
    const uint32_t both[] = {1, 2};
    expect_tags(&q, both, 2); /* nothing dropped */
    const struct upcall_task *head = upcall_queue_head_function(&q);
    assert_non_null(head);
    assert_ptr_equal(upcall_queue_head_if_function(&q), head);
    assert_int_equal(head->args[0], 2);
    upcall_queue_drop_head_function(&q);
    assert_int_equal(q.count, 0);
    assert_int_equal(q.functions, 0);
}

static void test_remove_functions_keeps_null_records_and_others(void **state)
{
    (void)state;
    struct upcall_queue q = {.count = 0};
    push(&q, fn_task(1, 0, 1));
    push(&q, null_task(1, 0, 2));
    push(&q, fn_task(1, 1, 3));
    push(&q, fn_task(1, 0, 4));
    push(&q, fn_task(2, 0, 5));
    const uint32_t slot[2] = {0x2000, 9}; /* a swap to another function */
    upcall_queue_resubscribed(&q, 1, 0, slot);
    const uint32_t left[] = {2, 3, 5};
    expect_tags(&q, left, 3);
    assert_int_equal(q.tasks[0].kind, UPCALL_NULL_RECORD);
}

static void test_remove_all_removes_both_kinds_of_one_identity(void **state)
{
    (void)state;
    struct upcall_queue q = {.count = 0};
    push(&q, fn_task(1, 0, 1));
    push(&q, null_task(1, 0, 2));
    push(&q, fn_task(2, 0, 3));
    push(&q, null_task(1, 1, 4));
    push(&q, fn_task(1, 0, 5));
    upcall_queue_remove_all(&q, 1, 0);
    const uint32_t left[] = {3, 4};
    expect_tags(&q, left, 2);
    upcall_queue_remove_all(&q, 9, 9); /* no match: nothing changes */
    expect_tags(&q, left, 2);
}

static void test_clear_empties_the_queue(void **state)
{
    (void)state;
    struct upcall_queue q = {.count = 0};
    for (uint32_t i = 0; i < 9; i++) {
        push(&q, fn_task(1, 0, i));
    }
    upcall_queue_clear(&q);
    assert_int_equal(q.count, 0);
    assert_false(upcall_queue_has_function(&q));
    push(&q, fn_task(1, 0, 42));
    assert_int_equal(q.tasks[0].args[0], 42);
}

/* The count of function-call tasks (has_function reads only it) equals a scan of the queue
 * after every operation of a long pseudo-random sequence of pushes, pops and removals. */
static uint32_t scanned_functions(const struct upcall_queue *q)
{
    uint32_t n = 0;
    for (uint32_t i = 0; i < q->count; i++) {
        n += q->tasks[i].kind == UPCALL_FUNCTION ? 1u : 0u;
    }
    return n;
}

/* ---- latched slots (record 030) ---- */

static uint32_t scanned_latched_functions(const struct upcall_queue *q)
{
    uint32_t mask = 0;
    uint32_t n = q->latched != 0 ? q->latched_slots->count : 0;
    for (uint32_t i = 0; i < n; i++) {
        if (q->latched_slots->tasks[i].kind == UPCALL_FUNCTION) {
            mask |= 1u << i;
        }
    }
    return mask;
}

/* The masks agree with the slots: latched is the low `count` bits, the function mask and its
 * copy name exactly the function calls, and no identity is latched twice. */
static void expect_latched_consistent(const struct upcall_queue *q)
{
    uint32_t n = q->latched != 0 ? q->latched_slots->count : 0;
    assert_true(n <= UPCALL_LATCHED_SLOTS);
    assert_int_equal(q->latched, (1u << n) - 1u);
    assert_int_equal(q->latched_wakes, scanned_latched_functions(q));
    if (n != 0) {
        assert_int_equal(q->latched_slots->functions, q->latched_wakes);
    }
    for (uint32_t i = 0; i < n; i++) {
        for (uint32_t j = i + 1; j < n; j++) {
            const struct upcall_task *a = &q->latched_slots->tasks[i];
            const struct upcall_task *b = &q->latched_slots->tasks[j];
            assert_false(a->driver_num == b->driver_num && a->subscribe_num == b->subscribe_num);
        }
    }
}

static void latch(struct upcall_queue *q, struct upcall_task t)
{
    assert_int_equal(upcall_queue_latch(q, &t), ERR_OK);
}

static void setup_latched(struct upcall_queue *q, struct upcall_latched *storage)
{
    *q = (struct upcall_queue){.latched_slots = storage};
    upcall_queue_clear(q);
}

static void test_latched_event_is_overwritten_by_a_newer_one(void **state)
{
    (void)state;
    struct upcall_latched storage;
    struct upcall_queue q;
    setup_latched(&q, &storage);
    latch(&q, fn_task(7, 0, 10));
    latch(&q, fn_task(8, 0, 20));
    latch(&q, fn_task(7, 0, 30)); /* same identity: newest wins, place kept */
    assert_int_equal(q.count, 0);
    assert_int_equal(storage.count, 2);
    struct upcall_task out;
    assert_true(upcall_queue_pop_function(&q, &out));
    assert_int_equal(out.driver_num, 7);
    assert_int_equal(out.args[0], 30);
    assert_true(upcall_queue_pop_function(&q, &out));
    assert_int_equal(out.args[0], 20);
    assert_false(upcall_queue_pop_function(&q, &out)); /* exactly once each */
    assert_int_equal(q.pending, 0);
    expect_latched_consistent(&q);
}

static void test_ring_is_delivered_before_latched_slots(void **state)
{
    (void)state;
    struct upcall_latched storage;
    struct upcall_queue q;
    setup_latched(&q, &storage);
    latch(&q, fn_task(7, 1, 1));
    push(&q, fn_task(1, 0, 2));
    latch(&q, fn_task(7, 0, 3));
    push(&q, null_task(1, 1, 4));
    push(&q, fn_task(2, 0, 5));
    const uint32_t order[] = {2, 5, 1, 3}; /* ring functions, then slots as they became pending */
    for (uint32_t i = 0; i < 4; i++) {
        const struct upcall_task *next = upcall_queue_first_function(&q);
        assert_non_null(next);
        assert_int_equal(next->args[0], order[i]);
        struct upcall_task out;
        assert_true(upcall_queue_pop_function(&q, &out));
        assert_int_equal(out.args[0], order[i]);
        expect_latched_consistent(&q);
    }
    assert_false(upcall_queue_has_function(&q));
    assert_null(upcall_queue_first_function(&q));
}

static void test_yield_wait_for_takes_a_latched_event_of_either_kind(void **state)
{
    (void)state;
    struct upcall_latched storage;
    struct upcall_queue q;
    setup_latched(&q, &storage);
    latch(&q, null_task(7, 0, 11));
    latch(&q, fn_task(7, 1, 12));
    assert_true(upcall_queue_has_match(&q, 7, 0));
    assert_true(upcall_queue_has_match(&q, 7, 1));
    assert_false(upcall_queue_has_match(&q, 7, 2));
    assert_true(upcall_queue_has_function(&q));
    struct upcall_task out;
    assert_true(upcall_queue_take_match(&q, 7, 0, &out)); /* a null record: only YWF takes it */
    assert_int_equal(out.args[0], 11);
    assert_true(upcall_queue_take_match(&q, 7, 1, &out));
    assert_int_equal(out.args[0], 12);
    assert_false(upcall_queue_take_match(&q, 7, 1, &out));
    assert_int_equal(q.pending, 0);
    assert_int_equal(q.wakes, 0);
}

static void test_ring_match_is_taken_before_the_latched_one(void **state)
{
    (void)state;
    struct upcall_latched storage;
    struct upcall_queue q;
    setup_latched(&q, &storage);
    latch(&q, fn_task(7, 0, 2)); /* the identity overflowed to the ring before: older there */
    push(&q, fn_task(7, 0, 1));
    struct upcall_task out;
    assert_true(upcall_queue_take_match(&q, 7, 0, &out));
    assert_int_equal(out.args[0], 1);
    assert_true(upcall_queue_take_match(&q, 7, 0, &out));
    assert_int_equal(out.args[0], 2);
}

static void test_null_latched_event_waits_for_a_subscribe(void **state)
{
    (void)state;
    struct upcall_latched storage;
    struct upcall_queue q;
    setup_latched(&q, &storage);
    latch(&q, null_task(7, 0, 5));
    assert_int_equal(q.wakes, 0); /* Yield-Wait does not wake for it */
    assert_int_not_equal(q.pending, 0);
    struct upcall_task out;
    assert_false(upcall_queue_pop_function(&q, &out));
    assert_true(upcall_queue_has_match(&q, 7, 0)); /* kept */
    const uint32_t subscribed[2] = {0x4000, 99};
    upcall_queue_resubscribed(&q, 7, 0, subscribed);
    assert_true(upcall_queue_has_function(&q));
    assert_true(upcall_queue_pop_function(&q, &out));
    assert_int_equal(out.fn, 0x4000);
    assert_int_equal(out.args[0], 5);
    assert_int_equal(out.args[3], 99); /* the new subscription's appdata */
}

static void test_resubscribe_keeps_the_latched_event_and_unsubscribe_makes_it_null(void **state)
{
    (void)state;
    struct upcall_latched storage;
    struct upcall_queue q;
    setup_latched(&q, &storage);
    latch(&q, fn_task(7, 0, 5));
    const uint32_t other[2] = {0x5000, 1};
    upcall_queue_resubscribed(&q, 7, 0, other);
    assert_int_equal(upcall_queue_first_function(&q)->fn, 0x5000);
    const uint32_t none[2] = {0, 0};
    upcall_queue_resubscribed(&q, 7, 0, none);
    assert_false(upcall_queue_has_function(&q));
    assert_true(upcall_queue_has_match(&q, 7, 0));
    expect_latched_consistent(&q);
    upcall_queue_remove_all(&q, 7, 0); /* a driver cancelling its events */
    assert_false(upcall_queue_has_match(&q, 7, 0));
    assert_int_equal(q.pending, 0);
}

static void test_clear_empties_the_latched_slots(void **state)
{
    (void)state;
    struct upcall_latched storage;
    struct upcall_queue q;
    setup_latched(&q, &storage);
    latch(&q, fn_task(7, 0, 5));
    latch(&q, null_task(7, 1, 6));
    upcall_queue_clear(&q); /* process start and end */
    assert_int_equal(q.pending, 0);
    assert_int_equal(q.wakes, 0);
    assert_false(upcall_queue_has_match(&q, 7, 0));
    assert_true(q.latched_slots == &storage); /* the storage stays attached */
    latch(&q, fn_task(8, 0, 7));
    expect_latched_consistent(&q);
}

static void test_flooded_ring_does_not_stop_a_latched_completion(void **state)
{
    (void)state;
    struct upcall_latched storage;
    struct upcall_queue q;
    setup_latched(&q, &storage);
    for (uint32_t i = 0; i < UPCALL_QUEUE_CAPACITY; i++) {
        push(&q, fn_task(1, 0, 100 + i));
    }
    struct upcall_task flood = fn_task(1, 0, 999);
    assert_int_equal(upcall_queue_push(&q, &flood), ERR_NOMEM); /* the ring is full */
    latch(&q, fn_task(7, 0, 42));                               /* the completion is not */
    latch(&q, fn_task(7, 0, 43));
    uint32_t completions = 0;
    struct upcall_task out;
    while (upcall_queue_pop_function(&q, &out)) {
        completions += out.driver_num == 7;
        if (out.driver_num == 7) {
            assert_int_equal(out.args[0], 43);
        }
    }
    assert_int_equal(completions, 1); /* delivered, exactly once */
}

static void test_latched_slots_hold_four_identities(void **state)
{
    (void)state;
    struct upcall_latched storage;
    struct upcall_queue q;
    setup_latched(&q, &storage);
    for (uint32_t i = 0; i < UPCALL_LATCHED_SLOTS; i++) {
        latch(&q, fn_task(7, i, i));
    }
    struct upcall_task fifth = fn_task(8, 0, 50);
    assert_int_equal(upcall_queue_latch(&q, &fifth), ERR_NOMEM); /* the caller uses the ring */
    latch(&q, fn_task(7, 2, 60));                                 /* a known identity still fits */
    struct upcall_queue bare = {.count = 0};
    assert_int_equal(upcall_queue_latch(&bare, &fifth), ERR_NOMEM); /* no storage: the ring */
}

static void test_function_count_matches_the_queue_through_every_operation(void **state)
{
    (void)state;
    struct upcall_latched storage;
    struct upcall_queue q = {.count = 0, .latched_slots = &storage};
    upcall_queue_clear(&q);
    uint32_t seed = 12345u;
    for (uint32_t step = 0; step < 20000u; step++) {
        seed = seed * 1103515245u + 12345u;
        uint32_t r = seed >> 8;
        uint32_t driver = r % 3u, sub = (r >> 4) % 2u;
        struct upcall_task out;
        struct upcall_task t = (r >> 8) % 3u == 0 ? null_task(driver, sub, step)
                                                   : fn_task(driver, sub, step);
        switch ((r >> 12) % 8u) {
        case 7:
            if (upcall_queue_latch(&q, &t) != ERR_OK) {
                assert_int_equal(storage.count, UPCALL_LATCHED_SLOTS); /* full, t is new */
                assert_false(upcall_latched_has(&q, driver, sub));
            }
            break;
        case 0:
        case 1:
            if (upcall_queue_push(&q, &t) != ERR_OK) {
                assert_int_equal(q.count, UPCALL_QUEUE_CAPACITY); /* full: nothing queued */
            }
            break;
        case 2:
            (void)upcall_queue_pop_function(&q, &out);
            break;
        case 3:
            (void)upcall_queue_take_match(&q, driver, sub, &out);
            break;
        case 4:
            (void)upcall_queue_take_newest_of(&q, driver, &out);
            break;
        case 5: {
            const uint32_t slot[2] = {(r >> 20) % 2u ? 0x3000u : 0u, 7};
            upcall_queue_resubscribed(&q, driver, sub, slot);
            break;
        }
        default:
            if ((r >> 16) % 8u == 0) {
                upcall_queue_clear(&q);
            } else {
                upcall_queue_remove_all(&q, driver, sub);
            }
            break;
        }
        assert_int_equal(q.functions, scanned_functions(&q));
        expect_latched_consistent(&q);
        assert_int_equal(upcall_queue_has_function(&q),
                         scanned_functions(&q) != 0 || scanned_latched_functions(&q) != 0);
    }
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_pop_returns_tasks_in_arrival_order),
        cmocka_unit_test(test_capacity_is_nine_then_nomem),
        cmocka_unit_test(test_pop_function_drops_leading_null_records),
        cmocka_unit_test(test_pop_function_on_only_null_records_empties_and_fails),
        cmocka_unit_test(test_has_function_and_has_match),
        cmocka_unit_test(test_take_match_removes_first_match_and_keeps_others_order),
        cmocka_unit_test(test_head_if_function_sees_only_a_function_at_the_head),
        cmocka_unit_test(test_remove_functions_keeps_null_records_and_others),
        cmocka_unit_test(test_remove_all_removes_both_kinds_of_one_identity),
        cmocka_unit_test(test_clear_empties_the_queue),
        cmocka_unit_test(test_latched_event_is_overwritten_by_a_newer_one),
        cmocka_unit_test(test_ring_is_delivered_before_latched_slots),
        cmocka_unit_test(test_yield_wait_for_takes_a_latched_event_of_either_kind),
        cmocka_unit_test(test_ring_match_is_taken_before_the_latched_one),
        cmocka_unit_test(test_null_latched_event_waits_for_a_subscribe),
        cmocka_unit_test(test_resubscribe_keeps_the_latched_event_and_unsubscribe_makes_it_null),
        cmocka_unit_test(test_clear_empties_the_latched_slots),
        cmocka_unit_test(test_flooded_ring_does_not_stop_a_latched_completion),
        cmocka_unit_test(test_latched_slots_hold_four_identities),
        cmocka_unit_test(test_function_count_matches_the_queue_through_every_operation),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
