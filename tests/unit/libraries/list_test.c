/* SPDX-License-Identifier: Apache-2.0 OR MIT */
/*
 * Host tests for the intrusive list and its round-robin cursor (libraries/include/list.h), the
 * one every virtualizer serves its devices with and the mutex queues its waiters in.
 *
 * Usage: make build/host/list_test build/host-san/list_test && build/host-san/list_test
 *
 * Invariants: none; each test builds its own list.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include "container.h"
#include "list.h"

struct item {
    struct list_node node;
    char name;
    bool is_waiting;
};

static bool is_waiting(const struct list_node *node, void *ctx)
{
    (void)ctx;
    return CONTAINER_OF(node, const struct item, node)->is_waiting;
}

static struct item items[5];
static struct list list;

static void build(size_t count)
{
    list_init(&list);
    for (size_t i = 0; i < count; i++) {
        items[i] = (struct item){ .name = (char)('A' + i), .is_waiting = false };
        list_append(&list, &items[i].node);
    }
}

/* Serve whoever round robin picks, n times, recording names; a served item keeps waiting if
 * `requeue`. */
static void serve(size_t n, bool requeue, char *log)
{
    for (size_t i = 0; i < n; i++) {
        struct list_node *node = list_round_robin(&list, is_waiting, NULL);
        if (node == NULL) {
            log[i] = '-';
            continue;
        }
        list_set_cursor(&list, node);
        struct item *it = CONTAINER_OF(node, struct item, node);
        it->is_waiting = requeue;
        log[i] = it->name;
    }
    log[n] = '\0';
}

static void test_append_keeps_wiring_order(void **state)
{
    (void)state;
    build(3);
    char names[4] = { 0 };
    size_t i = 0;
    for (struct list_node *n = list.head; n != NULL; n = n->next) {
        names[i++] = CONTAINER_OF(n, struct item, node)->name;
    }
    assert_string_equal(names, "ABC");
    assert_ptr_equal(list.tail, &items[2].node);
    assert_null(items[2].node.next);
}

static void test_prepend_runs_newest_first_and_keeps_the_tail(void **state)
{
    (void)state;
    struct list hooks = { 0 }; /* a zeroed list is empty */
    list_prepend(&hooks, &items[0].node);
    list_prepend(&hooks, &items[1].node);
    items[0].name = 'A';
    items[1].name = 'B';
    assert_ptr_equal(hooks.head, &items[1].node);
    assert_ptr_equal(hooks.head->next, &items[0].node);
    assert_null(items[0].node.next);
    assert_ptr_equal(hooks.tail, &items[0].node);
}

static void test_empty_list_finds_nothing(void **state)
{
    (void)state;
    build(0);
    assert_null(list.head);
    assert_null(list.tail);
    assert_null(list_round_robin(&list, is_waiting, NULL));
}

static void test_nothing_waiting_finds_nothing_and_asks_each_once(void **state)
{
    (void)state;
    build(4);
    list_set_cursor(&list, &items[1].node);
    assert_null(list_round_robin(&list, is_waiting, NULL));
}

/* Everyone keeps asking: the order rotates, nobody is served twice before the others. */
static void test_clients_that_requeue_are_served_in_turn(void **state)
{
    (void)state;
    build(3);
    for (size_t i = 0; i < 3; i++) {
        items[i].is_waiting = true;
    }
    char log[8];
    serve(7, true, log);
    assert_string_equal(log, "ABCABCA");
}

/* Round robin resumes after the last served, not at the head, and wraps round. */
static void test_resumes_after_the_cursor_and_wraps(void **state)
{
    (void)state;
    build(4);
    items[0].is_waiting = true;
    items[2].is_waiting = true;
    list_set_cursor(&list, &items[2].node);
    char log[4];
    serve(3, false, log);
    assert_string_equal(log, "AC-");
}

/* A single waiting node after the cursor on the tail is found by wrapping to the head. */
static void test_cursor_on_the_tail_wraps_to_the_head(void **state)
{
    (void)state;
    build(2);
    items[1].is_waiting = true;
    list_set_cursor(&list, &items[1].node);
    assert_ptr_equal(list_round_robin(&list, is_waiting, NULL), &items[1].node);
}

/* The names in list order, and the tail agrees with the last node. */
static void names(char *out)
{
    size_t i = 0;
    const struct list_node *last = NULL;
    for (const struct list_node *n = list.head; n != NULL; n = n->next) {
        out[i++] = CONTAINER_OF(n, const struct item, node)->name;
        last = n;
    }
    out[i] = '\0';
    assert_ptr_equal(list.tail, last);
}

/* FIFO use: pop_front serves in arrival order and leaves an empty list with no tail. */
static void test_pop_front_serves_in_order_until_empty(void **state)
{
    (void)state;
    build(3);
    char log[4];
    for (size_t i = 0; i < 3; i++) {
        struct list_node *n = list_pop_front(&list);
        assert_non_null(n);
        assert_null(n->next);
        log[i] = CONTAINER_OF(n, struct item, node)->name;
    }
    log[3] = '\0';
    assert_string_equal(log, "ABC");
    assert_true(list_is_empty(&list));
    assert_null(list.tail);
    assert_null(list_pop_front(&list));
    list_append(&list, &items[1].node); /* an emptied list takes nodes again */
    names(log);
    assert_string_equal(log, "B");
}

/* Removing the head, a middle node and the tail keeps order and the tail right. */
static void test_remove_anywhere_keeps_order_and_tail(void **state)
{
    (void)state;
    char log[5];
    build(4);
    list_remove(&list, &items[1].node);
    names(log);
    assert_string_equal(log, "ACD");
    list_remove(&list, &items[3].node);
    names(log);
    assert_string_equal(log, "AC");
    list_remove(&list, &items[0].node);
    names(log);
    assert_string_equal(log, "C");
    list_remove(&list, &items[2].node);
    assert_true(list_is_empty(&list));
    assert_null(list.tail);
}

/* A walk that keeps the previous node removes in O(1): every other node, then the tail. */
static void test_remove_after_while_walking(void **state)
{
    (void)state;
    char log[6];
    build(5);
    struct list_node *previous = NULL;
    size_t i = 0;
    for (struct list_node *n = list.head; n != NULL; i++) {
        struct list_node *next = n->next;
        if (i % 2 == 0) {
            list_remove_after(&list, previous, n); /* A, C, E: head, middle, tail */
            assert_null(n->next);
        } else {
            previous = n;
        }
        n = next;
    }
    names(log);
    assert_string_equal(log, "BD");
    assert_ptr_equal(list.tail, &items[3].node);
    list_append(&list, &items[0].node);
    names(log);
    assert_string_equal(log, "BDA");
}

/* A removed node under the cursor leaves round robin resuming where it would have: after it. */
static void test_remove_under_the_cursor_resumes_after_it(void **state)
{
    (void)state;
    build(4);
    for (size_t i = 0; i < 4; i++) {
        items[i].is_waiting = true;
    }
    list_set_cursor(&list, &items[1].node);
    list_remove(&list, &items[1].node);
    assert_ptr_equal(list_round_robin(&list, is_waiting, NULL), &items[2].node);
    list_set_cursor(&list, &items[0].node);
    list_remove(&list, &items[0].node); /* the head: the cursor goes back to none */
    assert_null(list.cursor);
    assert_ptr_equal(list_round_robin(&list, is_waiting, NULL), &items[2].node);
    list_set_cursor(&list, &items[2].node);
    assert_ptr_equal(list_pop_front(&list), &items[2].node);
    assert_null(list.cursor);
    assert_ptr_equal(list_round_robin(&list, is_waiting, NULL), &items[3].node);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_append_keeps_wiring_order),
        cmocka_unit_test(test_prepend_runs_newest_first_and_keeps_the_tail),
        cmocka_unit_test(test_empty_list_finds_nothing),
        cmocka_unit_test(test_nothing_waiting_finds_nothing_and_asks_each_once),
        cmocka_unit_test(test_clients_that_requeue_are_served_in_turn),
        cmocka_unit_test(test_resumes_after_the_cursor_and_wraps),
        cmocka_unit_test(test_cursor_on_the_tail_wraps_to_the_head),
        cmocka_unit_test(test_pop_front_serves_in_order_until_empty),
        cmocka_unit_test(test_remove_anywhere_keeps_order_and_tail),
        cmocka_unit_test(test_remove_after_while_walking),
        cmocka_unit_test(test_remove_under_the_cursor_resumes_after_it),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
