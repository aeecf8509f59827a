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
    upcall_queue_remove_functions(&q, 1, 0);
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

static void test_function_count_matches_the_queue_through_every_operation(void **state)
{
    (void)state;
    struct upcall_queue q = {.count = 0};
    uint32_t seed = 12345u;
    for (uint32_t step = 0; step < 20000u; step++) {
        seed = seed * 1103515245u + 12345u;
        uint32_t r = seed >> 8;
        uint32_t driver = r % 3u, sub = (r >> 4) % 2u;
        struct upcall_task out;
        struct upcall_task t = (r >> 8) % 3u == 0 ? null_task(driver, sub, step)
                                                   : fn_task(driver, sub, step);
        switch ((r >> 12) % 7u) {
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
        case 5:
            upcall_queue_remove_functions(&q, driver, sub);
            break;
        default:
            if ((r >> 16) % 8u == 0) {
                upcall_queue_clear(&q);
            } else {
                upcall_queue_remove_all(&q, driver, sub);
            }
            break;
        }
        assert_int_equal(q.functions, scanned_functions(&q));
        assert_int_equal(upcall_queue_has_function(&q), scanned_functions(&q) != 0);
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
        cmocka_unit_test(test_function_count_matches_the_queue_through_every_operation),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
