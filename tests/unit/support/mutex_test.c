/* SPDX-License-Identifier: Apache-2.0 OR MIT */
/*
 * Host tests for the kernel mutex (capsules/support/mutex.c): FIFO grants from the shared dispatcher,
 * shared holds, guard misuse, hold budgets and rank order (record 002).
 *
 * Deferred calls run only when a test drains them, so every grant's round is known. Violations
 * are recorded, not fatal, so each check can be seen firing and the state seen unchanged.
 *
 * Usage: make build/host/mutex_test build/host-san/mutex_test
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include "container.h"
#include "kernel/deferred_call.h"
#include "support/mutex.h"

/* ---------------------------------------------------------------- fixture */

#define MAX_VIOLATIONS 8u
#define LOG_MAX 256u

static struct mutex_violation violations[MAX_VIOLATIONS];
static unsigned violation_count;
static uint32_t clock_now;
static unsigned clock_reads;
static char log_text[LOG_MAX + 1];
static size_t log_len;
static bool is_inside_mutex_call; /* a ready() now would be a synchronous callback */
static unsigned ready_depth;

static void record_violation(const struct mutex_violation *v, void *ctx)
{
    (void)ctx;
    assert_true(violation_count < MAX_VIOLATIONS);
    violations[violation_count++] = *v;
}

static uint32_t fake_now(void *ctx)
{
    (void)ctx;
    clock_reads++;
    return clock_now;
}

static const struct mutex_dispatcher_config debug_checks = {
    .on_violation = record_violation,
    .violation_ctx = NULL,
    .now = fake_now,
    .clock_ctx = NULL,
    .is_debug = true,
};

static const struct mutex_dispatcher_config release_checks = {
    .on_violation = record_violation,
    .violation_ctx = NULL,
    .now = fake_now,
    .clock_ctx = NULL,
    .is_debug = false,
};

static const struct mutex_type ecb_type = {"ecb"};
static const struct mutex_type ram_type = {"ram"};

static const struct mutex_config plain_config = {
    .name = "plain", .type = NULL, .rank = MUTEX_UNRANKED, .hold_budget = 0};
static const struct mutex_config bus_config = {
    .name = "bus", .type = NULL, .rank = 4, .hold_budget = 0};
static const struct mutex_config ram_config = {
    .name = "ram", .type = &ram_type, .rank = 8, .hold_budget = 0};
static const struct mutex_config ram2_config = {
    .name = "ram2", .type = &ram_type, .rank = 8, .hold_budget = 0};
static const struct mutex_config ecb_config = {
    .name = "ecb", .type = &ecb_type, .rank = 12, .hold_budget = 100};

static struct mutex_dispatcher dispatcher;
static struct mutex plain, bus, ram, ram2, ecb;
static int plain_resource, bus_resource, ram_resource, ecb_resource;

/* A client: logs its letter at every grant; may release and request again from ready(). */
struct client {
    struct mutex_owner owner;
    struct mutex_waiter waiter;
    struct mutex_guard guard;
    char letter;
    enum mutex_mode mode;
    bool is_releasing_in_ready;
    unsigned requeues_in_ready;
    unsigned grants;
};

#define CLIENTS 50u
static struct client clients[CLIENTS];

static void client_ready(struct mutex_waiter *waiter, struct mutex_guard guard)
{
    struct client *c = CONTAINER_OF(waiter, struct client, waiter);
    assert_false(is_inside_mutex_call);
    ready_depth++;
    assert_int_equal(ready_depth, 1); /* never nested: a release inside ready() does not recurse */
    assert_true(mutex_guard_is_held(&guard));
    c->guard = guard;
    c->grants++;
    if (log_len < LOG_MAX) {
        log_text[log_len++] = c->letter;
        log_text[log_len] = '\0';
    }
    if (c->is_releasing_in_ready || c->requeues_in_ready > 0) {
        mutex_release(&c->guard);
    }
    if (c->requeues_in_ready > 0) {
        c->requeues_in_ready--;
        assert_int_equal(mutex_request(waiter->mutex, waiter, c->mode), ERR_OK);
    }
    ready_depth--;
}

static const struct mutex_waiter_ops client_ops = {.ready = client_ready};

static void init_client(struct client *c, char letter)
{
    static char names[CLIENTS][2];
    size_t i = (size_t)(c - clients);
    names[i][0] = letter;
    names[i][1] = '\0';
    *c = (struct client){.letter = letter, .mode = MUTEX_EXCLUSIVE};
    mutex_owner_init(&c->owner, names[i]);
    mutex_waiter_init(&c->waiter, &c->owner, &client_ops);
}

static int setup_with(const struct mutex_dispatcher_config *checks)
{
    deferred_call_reset_for_test();
    memset(violations, 0, sizeof violations);
    violation_count = 0;
    clock_now = 1000;
    clock_reads = 0;
    log_text[0] = '\0';
    log_len = 0;
    is_inside_mutex_call = false;
    ready_depth = 0;
    assert_int_equal(mutex_dispatcher_init(&dispatcher, checks), ERR_OK);
    assert_int_equal(mutex_init(&plain, &dispatcher, &plain_config, &plain_resource), ERR_OK);
    assert_int_equal(mutex_init(&bus, &dispatcher, &bus_config, &bus_resource), ERR_OK);
    assert_int_equal(mutex_init(&ram, &dispatcher, &ram_config, &ram_resource), ERR_OK);
    assert_int_equal(mutex_init(&ram2, &dispatcher, &ram2_config, &ram_resource), ERR_OK);
    assert_int_equal(mutex_init(&ecb, &dispatcher, &ecb_config, &ecb_resource), ERR_OK);
    for (size_t i = 0; i < CLIENTS; i++) {
        init_client(&clients[i], (char)('A' + i % 26));
    }
    return 0;
}

static int setup_debug(void **state)
{
    (void)state;
    return setup_with(&debug_checks);
}

static int setup_release(void **state)
{
    (void)state;
    return setup_with(&release_checks);
}

/* Run deferred calls until none is pending; returns the number of rounds. */
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

static err_t request_mode(struct client *c, struct mutex *m, enum mutex_mode mode)
{
    is_inside_mutex_call = true;
    c->mode = mode;
    err_t err = mutex_request(m, &c->waiter, mode);
    is_inside_mutex_call = false;
    return err;
}

static err_t request(struct client *c, struct mutex *m)
{
    return request_mode(c, m, MUTEX_EXCLUSIVE);
}

static void release(struct mutex_guard *guard)
{
    is_inside_mutex_call = true;
    mutex_release(guard);
    is_inside_mutex_call = false;
}

static void expect_violation(unsigned index, enum mutex_violation_kind kind, const char *mutex_name,
                             const char *owner_name)
{
    assert_true(index < violation_count);
    assert_int_equal(violations[index].kind, kind);
    if (mutex_name == NULL) {
        assert_null(violations[index].mutex_name);
    } else {
        assert_string_equal(violations[index].mutex_name, mutex_name);
    }
    if (owner_name == NULL) {
        assert_null(violations[index].owner_name);
    } else {
        assert_string_equal(violations[index].owner_name, owner_name);
    }
}

/* ---------------------------------------------------------------- FIFO and dispatch */

static void test_one_client_is_granted_from_the_dispatcher_never_inside_request(void **state)
{
    (void)state;
    struct client *a = &clients[0];
    assert_int_equal(request(a, &plain), ERR_OK);
    assert_int_equal(a->grants, 0);
    assert_int_equal(a->waiter.state, MUTEX_WAITER_QUEUED);
    assert_int_equal(drain(), 1);
    assert_int_equal(a->grants, 1);
    assert_true(mutex_guard_is_held(&a->guard));
    assert_ptr_equal(mutex_guard_resource(&a->guard, NULL), &plain_resource);
    assert_ptr_equal(mutex_guard_mutex(&a->guard), &plain);
    release(&a->guard);
    assert_false(deferred_call_has_pending()); /* nobody waits: nothing to dispatch */
    assert_int_equal(plain.holder_count, 0);
    assert_int_equal(violation_count, 0);
}

static void test_second_client_is_queued_not_busy_and_granted_after_release(void **state)
{
    (void)state;
    struct client *a = &clients[0];
    struct client *b = &clients[1];
    assert_int_equal(request(a, &plain), ERR_OK);
    drain();
    assert_int_equal(request(b, &plain), ERR_OK); /* held: queued, never ERR_BUSY */
    assert_int_equal(drain(), 0);
    assert_int_equal(b->grants, 0);
    release(&a->guard);
    assert_int_equal(b->grants, 0); /* not inside release either */
    assert_int_equal(drain(), 1);
    assert_int_equal(b->grants, 1);
    assert_string_equal(log_text, "AB");
}

static void test_n_clients_are_granted_in_request_order(void **state)
{
    (void)state;
    static const size_t order[] = {5, 2, 7, 0, 3, 6, 1, 4};
    for (size_t i = 0; i < ARRAY_LEN(order); i++) {
        clients[order[i]].is_releasing_in_ready = true;
        assert_int_equal(request(&clients[order[i]], &plain), ERR_OK);
    }
    assert_int_equal(drain(), ARRAY_LEN(order)); /* one hand-over per round */
    assert_string_equal(log_text, "FCHADGBE");
}

static void test_client_requeueing_from_ready_goes_behind_the_others(void **state)
{
    (void)state;
    struct client *a = &clients[0];
    a->requeues_in_ready = 1;
    clients[1].is_releasing_in_ready = true;
    clients[2].is_releasing_in_ready = true;
    assert_int_equal(request(a, &plain), ERR_OK);
    assert_int_equal(request(&clients[1], &plain), ERR_OK);
    assert_int_equal(request(&clients[2], &plain), ERR_OK);
    drain();
    assert_string_equal(log_text, "ABCA");
    release(&a->guard);
}

static void test_tight_requeue_loop_does_not_starve_a_single_request(void **state)
{
    (void)state;
    struct client *x = &clients[23]; /* 'X' */
    struct client *y = &clients[24]; /* 'Y' */
    x->requeues_in_ready = 5;
    y->is_releasing_in_ready = true;
    assert_int_equal(request(x, &plain), ERR_OK);
    assert_int_equal(request(y, &plain), ERR_OK);
    drain();
    assert_string_equal(log_text, "XYXXXXX"); /* Y waits for at most one of X's holds */
    release(&x->guard);
}

static void test_release_inside_ready_hands_over_in_a_later_round(void **state)
{
    (void)state;
    for (size_t i = 0; i < CLIENTS; i++) {
        clients[i].is_releasing_in_ready = true;
        assert_int_equal(request(&clients[i], &plain), ERR_OK);
    }
    /* client_ready asserts the depth is 1: fifty hand-overs, fifty rounds, no recursion */
    assert_int_equal(drain(), CLIENTS);
    for (size_t i = 0; i < CLIENTS; i++) {
        assert_int_equal(clients[i].grants, 1);
    }
}

static void test_request_while_queued_or_holding_returns_already(void **state)
{
    (void)state;
    struct client *a = &clients[0];
    assert_int_equal(request(a, &plain), ERR_OK);
    assert_int_equal(request(a, &plain), ERR_ALREADY);
    drain();
    assert_int_equal(request(a, &plain), ERR_ALREADY);
    assert_int_equal(plain.queued, 0);
    release(&a->guard);
    assert_int_equal(request(a, &plain), ERR_OK);
    drain();
    assert_int_equal(a->grants, 2);
}

static void test_request_with_an_invalid_mode_is_refused(void **state)
{
    (void)state;
    assert_int_equal(request_mode(&clients[0], &plain, (enum mutex_mode)7), ERR_INVAL);
    assert_int_equal(plain.queued, 0);
    assert_false(deferred_call_has_pending());
}

static void test_cancel_withdraws_a_queued_request_without_callback(void **state)
{
    (void)state;
    struct client *a = &clients[0], *b = &clients[1], *c = &clients[2], *d = &clients[3];
    assert_int_equal(mutex_cancel(&a->waiter), ERR_ALREADY); /* idle */
    assert_int_equal(request(a, &plain), ERR_OK);
    drain();
    assert_int_equal(mutex_cancel(&a->waiter), ERR_ALREADY); /* holding: release instead */
    b->is_releasing_in_ready = true;
    c->is_releasing_in_ready = true;
    d->is_releasing_in_ready = true;
    assert_int_equal(request(b, &plain), ERR_OK);
    assert_int_equal(request(c, &plain), ERR_OK);
    assert_int_equal(mutex_cancel(&c->waiter), ERR_OK); /* the tail, behind b */
    assert_int_equal(request(d, &plain), ERR_OK);       /* queues after the fixed-up tail */
    assert_int_equal(mutex_cancel(&b->waiter), ERR_OK); /* the head */
    assert_int_equal(request(c, &plain), ERR_OK);
    assert_int_equal(plain.queued, 2);
    release(&a->guard);
    drain();
    assert_string_equal(log_text, "ADC");
    assert_int_equal(b->grants, 0);
    assert_int_equal(b->waiter.state, MUTEX_WAITER_IDLE);
}

static void test_cancel_of_a_queued_writer_lets_readers_behind_it_join(void **state)
{
    (void)state;
    struct client *r1 = &clients[0], *w = &clients[1], *r2 = &clients[2];
    assert_int_equal(request_mode(r1, &ram, MUTEX_SHARED), ERR_OK);
    drain();
    assert_int_equal(request(w, &ram), ERR_OK);
    assert_int_equal(request_mode(r2, &ram, MUTEX_SHARED), ERR_OK);
    drain();
    assert_int_equal(r2->grants, 0); /* behind the writer */
    assert_int_equal(mutex_cancel(&w->waiter), ERR_OK);
    drain();
    assert_int_equal(r2->grants, 1);
    assert_int_equal(ram.holder_count, 2);
}

static void test_one_deferred_call_serves_forty_mutexes(void **state)
{
    (void)state;
    deferred_call_reset_for_test();
    assert_int_equal(mutex_dispatcher_init(&dispatcher, &debug_checks), ERR_OK);
    static struct mutex many[40];
    static struct client owners[40];
    static const struct mutex_config many_config = {
        .name = "many", .type = NULL, .rank = MUTEX_UNRANKED, .hold_budget = 0};
    for (size_t i = 0; i < ARRAY_LEN(many); i++) {
        assert_int_equal(mutex_init(&many[i], &dispatcher, &many_config, NULL), ERR_OK);
    }
    static struct deferred_call others[DEFERRED_CALL_SLOTS];
    for (size_t i = 0; i + 1 < DEFERRED_CALL_SLOTS; i++) { /* 31 slots are still free */
        assert_int_equal(deferred_call_register(&others[i], NULL, NULL), ERR_OK);
    }
    assert_int_equal(deferred_call_register(&others[DEFERRED_CALL_SLOTS - 1], NULL, NULL),
                     ERR_NOMEM);
    for (size_t i = 0; i < ARRAY_LEN(many); i++) {
        owners[i] = (struct client){.letter = 'm'};
        mutex_owner_init(&owners[i].owner, "m");
        mutex_waiter_init(&owners[i].waiter, &owners[i].owner, &client_ops);
        assert_int_equal(mutex_request(&many[i], &owners[i].waiter, MUTEX_EXCLUSIVE), ERR_OK);
    }
    assert_int_equal(drain(), 1); /* every mutex granted in the same round */
    for (size_t i = 0; i < ARRAY_LEN(many); i++) {
        assert_int_equal(owners[i].grants, 1);
    }
}

static void test_dispatcher_init_fails_when_deferred_calls_run_out(void **state)
{
    (void)state;
    deferred_call_reset_for_test();
    static struct deferred_call others[DEFERRED_CALL_SLOTS];
    for (size_t i = 0; i < DEFERRED_CALL_SLOTS; i++) {
        assert_int_equal(deferred_call_register(&others[i], NULL, NULL), ERR_OK);
    }
    struct mutex_dispatcher extra;
    assert_int_equal(mutex_dispatcher_init(&extra, &debug_checks), ERR_NOMEM);
}

static void test_mutex_init_accepts_ranks_0_to_31_and_unranked_only(void **state)
{
    (void)state;
    static struct mutex m;
    static const struct mutex_config rank31 = {.name = "r31", .rank = 31};
    static const struct mutex_config rank32 = {.name = "r32", .rank = 32};
    static const struct mutex_config rank0 = {.name = "r0", .rank = 0};
    assert_int_equal(mutex_init(&m, &dispatcher, &rank31, NULL), ERR_OK);
    assert_int_equal(mutex_init(&m, &dispatcher, &rank0, NULL), ERR_OK);
    assert_int_equal(mutex_init(&m, &dispatcher, &plain_config, NULL), ERR_OK);
    static struct mutex untouched = {.queued = 77};
    assert_int_equal(mutex_init(&untouched, &dispatcher, &rank32, NULL), ERR_INVAL);
    assert_int_equal(untouched.queued, 77);
}

/* ---------------------------------------------------------------- guard misuse */

static void test_double_release_is_reported_and_keeps_the_next_holder(void **state)
{
    (void)state;
    struct client *a = &clients[0], *b = &clients[1], *c = &clients[2];
    assert_int_equal(request(a, &ram), ERR_OK);
    assert_int_equal(request(b, &ram), ERR_OK);
    assert_int_equal(request(c, &ram), ERR_OK);
    drain();
    struct mutex_guard copy = a->guard;
    release(&a->guard);
    drain();
    assert_int_equal(b->grants, 1);
    release(&a->guard); /* the same variable again */
    expect_violation(0, MUTEX_VIOLATION_DOUBLE_RELEASE, "ram", "A");
    release(&copy); /* a copy of the released guard */
    expect_violation(1, MUTEX_VIOLATION_DOUBLE_RELEASE, "ram", "A");
    assert_int_equal(violation_count, 2);
    assert_int_equal(dispatcher.violations, 2);
    drain();
    assert_true(mutex_guard_is_held(&b->guard)); /* B was not released by A's mistakes */
    assert_int_equal(c->grants, 0);
    assert_int_equal(ram.holder_count, 1);
}

static void test_release_through_a_guard_of_an_earlier_hold_reports_not_held(void **state)
{
    (void)state;
    struct client *a = &clients[0], *b = &clients[1];
    assert_int_equal(request(a, &ram), ERR_OK);
    drain();
    struct mutex_guard first_hold = a->guard;
    release(&a->guard);
    assert_int_equal(request(a, &ram), ERR_OK);
    drain();
    assert_int_equal(a->grants, 2);
    assert_int_equal(request(b, &ram), ERR_OK);
    release(&first_hold);
    expect_violation(0, MUTEX_VIOLATION_NOT_HELD, "ram", "A");
    drain();
    assert_true(mutex_guard_is_held(&a->guard)); /* the current hold is intact */
    assert_int_equal(b->grants, 0);
}

static void test_a_guard_reused_across_mutexes_never_validates_a_later_hold(void **state)
{
    (void)state;
    struct client *a = &clients[0];
    assert_int_equal(request(a, &plain), ERR_OK);
    drain();
    struct mutex_guard old = a->guard;
    release(&a->guard);
    assert_int_equal(request(a, &bus), ERR_OK); /* same waiter, another mutex */
    drain();
    assert_int_not_equal(old.generation, a->guard.generation); /* image-wide generations */
    assert_false(mutex_guard_is_held(&old));
    release(&old);
    expect_violation(0, MUTEX_VIOLATION_NOT_HELD, "bus", "A");
    assert_true(mutex_guard_is_held(&a->guard));
}

static void test_never_granted_guard_is_reported_without_a_mutex(void **state)
{
    (void)state;
    struct mutex_guard never = {.waiter = NULL, .generation = 0};
    release(&never);
    expect_violation(0, MUTEX_VIOLATION_DOUBLE_RELEASE, NULL, NULL);
    assert_null(mutex_guard_resource(&never, NULL));
    expect_violation(1, MUTEX_VIOLATION_USE_AFTER_RELEASE, NULL, NULL);
    assert_null(mutex_guard_mutex(&never));
}

static void test_use_after_release_returns_null_and_is_reported(void **state)
{
    (void)state;
    struct client *a = &clients[0];
    assert_int_equal(request(a, &ecb), ERR_OK);
    drain();
    struct mutex_guard copy = a->guard;
    assert_ptr_equal(mutex_guard_resource(&copy, &ecb_type), &ecb_resource);
    release(&a->guard);
    assert_null(mutex_guard_resource(&copy, &ecb_type));
    expect_violation(0, MUTEX_VIOLATION_USE_AFTER_RELEASE, "ecb", "A");
    struct mutex_guard share = {.waiter = NULL, .generation = 0};
    assert_int_equal(mutex_guard_share(&copy, &share), ERR_INVAL);
    expect_violation(1, MUTEX_VIOLATION_USE_AFTER_RELEASE, "ecb", "A");
    assert_null(share.waiter); /* not written on error */
}

static void test_downcast_returns_the_resource_only_for_its_own_type(void **state)
{
    (void)state;
    struct client *a = &clients[0], *b = &clients[1];
    assert_int_equal(request(a, &ecb), ERR_OK);
    assert_int_equal(request(b, &plain), ERR_OK);
    drain();
    assert_ptr_equal(mutex_guard_resource(&a->guard, &ecb_type), &ecb_resource);
    assert_null(mutex_guard_resource(&a->guard, &ram_type));
    expect_violation(0, MUTEX_VIOLATION_WRONG_TYPE, "ecb", "A");
    assert_null(mutex_guard_resource(&a->guard, NULL));
    expect_violation(1, MUTEX_VIOLATION_WRONG_TYPE, "ecb", "A");
    assert_ptr_equal(mutex_guard_resource(&b->guard, NULL), &plain_resource); /* untyped */
    assert_null(mutex_guard_resource(&b->guard, &ecb_type));
    expect_violation(2, MUTEX_VIOLATION_WRONG_TYPE, "plain", "B");
    assert_true(mutex_guard_is_held(&a->guard)); /* a failed downcast does not release */
}

static void test_guard_mutex_tells_a_multi_resource_client_which_mutex_fired(void **state)
{
    (void)state;
    struct client *a = &clients[0];
    struct client second = {.letter = 'a'};
    mutex_waiter_init(&second.waiter, &a->owner, &client_ops); /* same owner, second waiter */
    assert_int_equal(request(a, &ram), ERR_OK);
    assert_int_equal(mutex_request(&ecb, &second.waiter, MUTEX_EXCLUSIVE), ERR_OK);
    drain();
    assert_ptr_equal(mutex_guard_mutex(&a->guard), &ram);
    assert_ptr_equal(mutex_guard_mutex(&second.guard), &ecb);
    assert_ptr_equal(mutex_guard_resource(&second.guard, &ecb_type), &ecb_resource);
    assert_ptr_equal(mutex_guard_resource(&a->guard, &ram_type), &ram_resource);
}

/* ---------------------------------------------------------------- hold budgets */

static void test_hold_past_budget_is_reported_once_by_the_budget_scan(void **state)
{
    (void)state;
    struct client *a = &clients[0];
    assert_int_equal(request(a, &ecb), ERR_OK); /* budget 100 ticks */
    drain();
    clock_now += 100;
    mutex_dispatcher_check_budgets(&dispatcher);
    assert_int_equal(violation_count, 0);
    clock_now += 1;
    mutex_dispatcher_check_budgets(&dispatcher);
    expect_violation(0, MUTEX_VIOLATION_OVER_BUDGET, "ecb", "A");
    assert_int_equal(violations[0].detail, 101);
    clock_now += 1000;
    mutex_dispatcher_check_budgets(&dispatcher);
    release(&a->guard);
    assert_int_equal(violation_count, 1); /* once per hold */
    assert_int_equal(request(a, &ecb), ERR_OK);
    drain();
    clock_now += 200;
    mutex_dispatcher_check_budgets(&dispatcher);
    assert_int_equal(violation_count, 2); /* a new hold is timed afresh */
}

static void test_hold_past_budget_is_reported_when_it_ends(void **state)
{
    (void)state;
    struct client *a = &clients[0];
    assert_int_equal(request(a, &ecb), ERR_OK);
    drain();
    clock_now += 500;
    release(&a->guard);
    expect_violation(0, MUTEX_VIOLATION_OVER_BUDGET, "ecb", "A");
    assert_int_equal(violations[0].detail, 500);
    assert_int_equal(ecb.holder_count, 0); /* reported, and released all the same */
}

static void test_hold_past_budget_is_reported_when_another_client_requests(void **state)
{
    (void)state;
    struct client *a = &clients[0], *b = &clients[1];
    assert_int_equal(request(a, &ecb), ERR_OK);
    drain();
    clock_now += 150;
    assert_int_equal(request(b, &ecb), ERR_OK);
    expect_violation(0, MUTEX_VIOLATION_OVER_BUDGET, "ecb", "A");
    assert_int_equal(violations[0].detail, 150);
}

static void test_hold_budget_is_wrap_safe(void **state)
{
    (void)state;
    struct client *a = &clients[0];
    clock_now = 0xFFFFFFF0u;
    assert_int_equal(request(a, &ecb), ERR_OK);
    drain();
    clock_now = 0x50u; /* 0x60 = 96 ticks later */
    mutex_dispatcher_check_budgets(&dispatcher);
    assert_int_equal(violation_count, 0);
    clock_now = 0x60u; /* 112 ticks */
    mutex_dispatcher_check_budgets(&dispatcher);
    assert_int_equal(violation_count, 1);
    assert_int_equal(violations[0].detail, 112);
}

static void test_release_checks_skip_the_clock_but_still_catch_guard_misuse(void **state)
{
    (void)state;
    struct client *a = &clients[0], *b = &clients[1];
    assert_int_equal(request(a, &ecb), ERR_OK);
    drain();
    clock_now += 5000;
    mutex_dispatcher_check_budgets(&dispatcher);
    assert_int_equal(request(b, &ecb), ERR_OK);
    release(&a->guard);
    assert_int_equal(clock_reads, 0); /* no timing in a release configuration */
    assert_int_equal(violation_count, 0);
    release(&a->guard);
    expect_violation(0, MUTEX_VIOLATION_DOUBLE_RELEASE, "ecb", "A");
    drain();
    assert_int_equal(b->grants, 1);
}

/* ---------------------------------------------------------------- shared holds */

static void test_readers_hold_together_and_a_writer_waits_for_all_of_them(void **state)
{
    (void)state;
    struct client *r1 = &clients[0], *r2 = &clients[1], *r3 = &clients[2], *w = &clients[22];
    assert_int_equal(request_mode(r1, &ram, MUTEX_SHARED), ERR_OK);
    assert_int_equal(request_mode(r2, &ram, MUTEX_SHARED), ERR_OK);
    assert_int_equal(request_mode(r3, &ram, MUTEX_SHARED), ERR_OK);
    assert_int_equal(request(w, &ram), ERR_OK);
    assert_int_equal(drain(), 1);
    assert_string_equal(log_text, "ABC");
    assert_int_equal(ram.holder_count, 3);
    assert_false(ram.is_exclusive);
    release(&r2->guard);
    release(&r1->guard);
    drain();
    assert_int_equal(w->grants, 0);
    release(&r3->guard);
    drain();
    assert_string_equal(log_text, "ABCW");
    assert_int_equal(ram.holder_count, 1);
    assert_true(ram.is_exclusive);
}

static void test_a_reader_behind_a_queued_writer_waits_for_the_writer(void **state)
{
    (void)state;
    struct client *r1 = &clients[0], *w = &clients[22], *r2 = &clients[1];
    assert_int_equal(request_mode(r1, &ram, MUTEX_SHARED), ERR_OK);
    drain();
    assert_int_equal(request(w, &ram), ERR_OK);
    assert_int_equal(request_mode(r2, &ram, MUTEX_SHARED), ERR_OK);
    drain();
    assert_string_equal(log_text, "A"); /* readers hold, yet B queues behind W */
    release(&r1->guard);
    drain();
    assert_string_equal(log_text, "AW");
    release(&w->guard);
    drain();
    assert_string_equal(log_text, "AWB");
}

static void test_readers_and_writers_alternate_in_arrival_order(void **state)
{
    (void)state;
    struct client *r1 = &clients[0], *r2 = &clients[1], *w = &clients[22], *r3 = &clients[2],
                  *r4 = &clients[3];
    r1->is_releasing_in_ready = true;
    r2->is_releasing_in_ready = true;
    w->is_releasing_in_ready = true;
    r3->is_releasing_in_ready = true;
    r4->is_releasing_in_ready = true;
    assert_int_equal(request_mode(r1, &ram, MUTEX_SHARED), ERR_OK);
    assert_int_equal(request_mode(r2, &ram, MUTEX_SHARED), ERR_OK);
    assert_int_equal(request(w, &ram), ERR_OK);
    assert_int_equal(request_mode(r3, &ram, MUTEX_SHARED), ERR_OK);
    assert_int_equal(request_mode(r4, &ram, MUTEX_SHARED), ERR_OK);
    deferred_call_service(); /* a round grants a run of readers or one writer */
    assert_string_equal(log_text, "AB");
    deferred_call_service();
    assert_string_equal(log_text, "ABW");
    deferred_call_service();
    assert_string_equal(log_text, "ABWCD");
    drain();
    assert_string_equal(log_text, "ABWCD");
    assert_int_equal(ram.holder_count, 0);
}

static void test_readers_requeueing_from_ready_cannot_livelock_the_dispatcher(void **state)
{
    (void)state;
    struct client *r1 = &clients[0], *r2 = &clients[1];
    r1->requeues_in_ready = 3;
    r2->requeues_in_ready = 3;
    assert_int_equal(request_mode(r1, &ram, MUTEX_SHARED), ERR_OK);
    assert_int_equal(request_mode(r2, &ram, MUTEX_SHARED), ERR_OK);
    assert_int_equal(drain(), 4); /* each round grants only the readers queued at its start */
    assert_string_equal(log_text, "ABABABAB");
    release(&r1->guard);
    release(&r2->guard);
    assert_int_equal(ram.holder_count, 0);
}

static void test_shared_guard_frees_the_mutex_only_after_its_last_release(void **state)
{
    (void)state;
    struct client *a = &clients[0], *b = &clients[1];
    assert_int_equal(request(a, &ecb), ERR_OK);
    assert_int_equal(request(b, &ecb), ERR_OK);
    drain();
    struct mutex_guard s1, s2;
    assert_int_equal(mutex_guard_share(&a->guard, &s1), ERR_OK);
    assert_int_equal(mutex_guard_share(&a->guard, &s2), ERR_OK);
    assert_ptr_equal(mutex_guard_resource(&s1, &ecb_type), &ecb_resource);
    release(&a->guard);
    drain();
    assert_int_equal(b->grants, 0);
    assert_true(mutex_guard_is_held(&s2));
    release(&s1);
    drain();
    assert_int_equal(b->grants, 0);
    release(&s2);
    drain();
    assert_int_equal(b->grants, 1);
    assert_int_equal(violation_count, 0);
    release(&s2); /* a fourth release */
    expect_violation(0, MUTEX_VIOLATION_DOUBLE_RELEASE, "ecb", "A");
    assert_true(mutex_guard_is_held(&b->guard));
}

static void test_releasing_one_variable_twice_does_not_take_another_share(void **state)
{
    (void)state;
    struct client *a = &clients[0], *b = &clients[1];
    assert_int_equal(request(a, &ecb), ERR_OK);
    assert_int_equal(request(b, &ecb), ERR_OK);
    drain();
    struct mutex_guard helper;
    assert_int_equal(mutex_guard_share(&a->guard, &helper), ERR_OK);
    release(&a->guard);
    release(&a->guard); /* the helper's share must survive this */
    expect_violation(0, MUTEX_VIOLATION_DOUBLE_RELEASE, "ecb", "A");
    drain();
    assert_true(mutex_guard_is_held(&helper));
    assert_int_equal(b->grants, 0);
    release(&helper);
    drain();
    assert_int_equal(b->grants, 1);
}

static void test_share_count_is_bounded(void **state)
{
    (void)state;
    struct client *a = &clients[0];
    assert_int_equal(request(a, &plain), ERR_OK);
    drain();
    struct mutex_guard share;
    for (unsigned i = 1; i < MUTEX_SHARES_MAX; i++) {
        assert_int_equal(mutex_guard_share(&a->guard, &share), ERR_OK);
    }
    assert_int_equal(mutex_guard_share(&a->guard, &share), ERR_SIZE);
    assert_int_equal(violation_count, 0);
}

/* ---------------------------------------------------------------- rank order */

static void test_requesting_a_lower_rank_while_holding_a_higher_is_refused(void **state)
{
    (void)state;
    struct client *x = &clients[23];
    struct client low = {.letter = 'x'}, high = {.letter = 'x'};
    mutex_waiter_init(&low.waiter, &x->owner, &client_ops);
    mutex_waiter_init(&high.waiter, &x->owner, &client_ops);
    assert_int_equal(request(x, &ram), ERR_OK); /* rank 8 */
    drain();
    assert_int_equal(mutex_request(&bus, &low.waiter, MUTEX_EXCLUSIVE), ERR_INVAL); /* rank 4 */
    expect_violation(0, MUTEX_VIOLATION_RANK_ORDER, "bus", "X");
    assert_int_equal(violations[0].detail, 8);
    assert_int_equal(bus.queued, 0);
    assert_int_equal(low.waiter.state, MUTEX_WAITER_IDLE);
    assert_int_equal(mutex_request(&ecb, &high.waiter, MUTEX_EXCLUSIVE), ERR_OK); /* rank 12 */
    drain();
    assert_int_equal(high.grants, 1);
    assert_int_equal(x->owner.ranks, (1u << 8) | (1u << 12));
    release(&high.guard);
    release(&x->guard);
    assert_int_equal(x->owner.ranks, 0);
    assert_int_equal(mutex_request(&bus, &low.waiter, MUTEX_EXCLUSIVE), ERR_OK); /* now fine */
}

static void test_two_mutexes_of_equal_rank_are_never_held_together(void **state)
{
    (void)state;
    struct client *x = &clients[23];
    struct client other = {.letter = 'x'};
    mutex_waiter_init(&other.waiter, &x->owner, &client_ops);
    assert_int_equal(request(x, &ram), ERR_OK);
    assert_int_equal(mutex_request(&ram2, &other.waiter, MUTEX_SHARED), ERR_INVAL);
    expect_violation(0, MUTEX_VIOLATION_RANK_ORDER, "ram2", "X");
    /* the same mutex through a second waiter would deadlock on itself: refused too */
    assert_int_equal(mutex_request(&ram, &other.waiter, MUTEX_EXCLUSIVE), ERR_INVAL);
    assert_int_equal(violation_count, 2);
}

static void test_an_unranked_mutex_is_only_used_alone(void **state)
{
    (void)state;
    struct client *x = &clients[23];
    struct client other = {.letter = 'x'};
    mutex_waiter_init(&other.waiter, &x->owner, &client_ops);
    assert_int_equal(request(x, &plain), ERR_OK);
    assert_int_equal(mutex_request(&ecb, &other.waiter, MUTEX_EXCLUSIVE), ERR_INVAL);
    expect_violation(0, MUTEX_VIOLATION_RANK_ORDER, "ecb", "X");
    assert_int_equal(violations[0].detail, MUTEX_UNRANKED);
    assert_int_equal(mutex_request(&plain, &other.waiter, MUTEX_EXCLUSIVE), ERR_INVAL);
    assert_int_equal(mutex_cancel(&x->waiter), ERR_OK);
    assert_int_equal(mutex_request(&ecb, &other.waiter, MUTEX_EXCLUSIVE), ERR_OK);
    assert_int_equal(request(x, &plain), ERR_INVAL); /* and not while a ranked one is in use */
    assert_int_equal(violation_count, 3);
}

static void test_a_rank_is_in_use_while_its_request_is_only_queued(void **state)
{
    (void)state;
    struct client *holder = &clients[7], *x = &clients[23];
    struct client low = {.letter = 'x'};
    mutex_waiter_init(&low.waiter, &x->owner, &client_ops);
    assert_int_equal(request(holder, &ram), ERR_OK);
    drain();
    assert_int_equal(request(x, &ram), ERR_OK); /* queued, not held */
    assert_int_equal(mutex_request(&bus, &low.waiter, MUTEX_EXCLUSIVE), ERR_INVAL);
    assert_int_equal(mutex_cancel(&x->waiter), ERR_OK);
    assert_int_equal(mutex_request(&bus, &low.waiter, MUTEX_EXCLUSIVE), ERR_OK);
}

static void test_opposite_lock_orders_are_refused_on_the_first_run(void **state)
{
    (void)state;
    /* X takes bus then ram; Y takes ram then bus. No unlucky interleaving is needed: Y's
     * inverted request is refused even though X holds nothing at that moment. */
    struct client *x = &clients[23], *y = &clients[24];
    struct client x_second = {.letter = 'x'}, y_second = {.letter = 'y'};
    mutex_waiter_init(&x_second.waiter, &x->owner, &client_ops);
    mutex_waiter_init(&y_second.waiter, &y->owner, &client_ops);
    assert_int_equal(request(x, &bus), ERR_OK);
    drain();
    assert_int_equal(mutex_request(&ram, &x_second.waiter, MUTEX_EXCLUSIVE), ERR_OK);
    drain();
    release(&x_second.guard);
    release(&x->guard);
    assert_int_equal(request(y, &ram), ERR_OK);
    drain();
    assert_int_equal(mutex_request(&bus, &y_second.waiter, MUTEX_EXCLUSIVE), ERR_INVAL);
    expect_violation(0, MUTEX_VIOLATION_RANK_ORDER, "bus", "Y");
    assert_int_equal(violation_count, 1);
}

static void test_check_climb_states_each_uphill_rule(void **state)
{
    (void)state;
    struct mutex_owner o;
    mutex_owner_init(&o, "O");
    assert_int_equal(mutex_owner_check_climb(&o, 0, 0), MUTEX_RANK_OK); /* nothing in use */
    assert_int_equal(mutex_owner_check_climb(&o, 31, 31), MUTEX_RANK_OK);
    assert_int_equal(mutex_owner_check_climb(&o, MUTEX_UNRANKED, MUTEX_UNRANKED), MUTEX_RANK_OK);
    o.ranks = 1u << 8;
    assert_int_equal(mutex_owner_check_climb(&o, 9, 31), MUTEX_RANK_OK);  /* strictly above */
    assert_int_equal(mutex_owner_check_climb(&o, 8, 8), 8);               /* equal: down */
    assert_int_equal(mutex_owner_check_climb(&o, 0, 0), 8);               /* below: down */
    assert_int_equal(mutex_owner_check_climb(&o, MUTEX_UNRANKED, MUTEX_UNRANKED), 8);
    o.ranks = 1u << 0;
    o.reserved = 1u << 31;
    assert_int_equal(mutex_owner_check_climb(&o, 1, 30), MUTEX_RANK_OK);  /* in the gap */
    assert_int_equal(mutex_owner_check_climb(&o, 1, 31), 31); /* reaches the reserved rank */
    assert_int_equal(mutex_owner_check_climb(&o, 31, 31), 31);
    o.ranks = 0;
    assert_int_equal(mutex_owner_check_climb(&o, MUTEX_UNRANKED, MUTEX_UNRANKED), 31);
    o.reserved = 0;
    o.has_unranked = true;
    assert_int_equal(mutex_owner_check_climb(&o, 5, 5), MUTEX_UNRANKED);
    mutex_owner_reserve(&o, (1u << 3) | (1u << 7));
    mutex_owner_unreserve(&o, 1u << 3);
    assert_int_equal(o.reserved, 1u << 7);
}

static void test_a_reserved_rank_refuses_requests_at_or_above_it_without_effect(void **state)
{
    (void)state;
    struct client *x = &clients[23];
    mutex_owner_reserve(&x->owner, 1u << 8); /* as a mutex set that will request rank 8 */
    assert_int_equal(request(x, &ecb), ERR_INVAL); /* 12 above the reserved 8 */
    expect_violation(0, MUTEX_VIOLATION_RANK_ORDER, "ecb", "X");
    assert_int_equal(violations[0].detail, 8);
    assert_int_equal(request(x, &ram2), ERR_INVAL); /* equal to it */
    assert_int_equal(request(x, &plain), ERR_INVAL); /* unranked beside a reservation */
    assert_int_equal(violation_count, 3);
    assert_int_equal(ecb.queued + ram2.queued + plain.queued, 0);
    assert_int_equal(x->waiter.state, MUTEX_WAITER_IDLE);
    assert_int_equal(x->owner.ranks, 0);
    assert_false(deferred_call_has_pending());
    assert_int_equal(request(x, &bus), ERR_OK); /* 4 below it: allowed */
    assert_int_equal(mutex_cancel(&x->waiter), ERR_OK);
    mutex_owner_unreserve(&x->owner, 1u << 8);
    assert_int_equal(request(x, &ecb), ERR_OK);
}

static void test_violation_names(void **state)
{
    (void)state;
    assert_string_equal(mutex_violation_name(MUTEX_VIOLATION_DOUBLE_RELEASE), "DOUBLE_RELEASE");
    assert_string_equal(mutex_violation_name(MUTEX_VIOLATION_NOT_HELD), "NOT_HELD");
    assert_string_equal(mutex_violation_name(MUTEX_VIOLATION_USE_AFTER_RELEASE),
                        "USE_AFTER_RELEASE");
    assert_string_equal(mutex_violation_name(MUTEX_VIOLATION_WRONG_TYPE), "WRONG_TYPE");
    assert_string_equal(mutex_violation_name(MUTEX_VIOLATION_OVER_BUDGET), "OVER_BUDGET");
    assert_string_equal(mutex_violation_name(MUTEX_VIOLATION_RANK_ORDER), "RANK_ORDER");
    assert_string_equal(mutex_violation_name((enum mutex_violation_kind)99), "?");
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup(test_one_client_is_granted_from_the_dispatcher_never_inside_request,
                               setup_debug),
        cmocka_unit_test_setup(test_second_client_is_queued_not_busy_and_granted_after_release,
                               setup_debug),
        cmocka_unit_test_setup(test_n_clients_are_granted_in_request_order, setup_debug),
        cmocka_unit_test_setup(test_client_requeueing_from_ready_goes_behind_the_others,
                               setup_debug),
        cmocka_unit_test_setup(test_tight_requeue_loop_does_not_starve_a_single_request,
                               setup_debug),
        cmocka_unit_test_setup(test_release_inside_ready_hands_over_in_a_later_round,
                               setup_debug),
        cmocka_unit_test_setup(test_request_while_queued_or_holding_returns_already, setup_debug),
        cmocka_unit_test_setup(test_request_with_an_invalid_mode_is_refused, setup_debug),
        cmocka_unit_test_setup(test_cancel_withdraws_a_queued_request_without_callback,
                               setup_debug),
        cmocka_unit_test_setup(test_cancel_of_a_queued_writer_lets_readers_behind_it_join,
                               setup_debug),
        cmocka_unit_test_setup(test_one_deferred_call_serves_forty_mutexes, setup_debug),
        cmocka_unit_test_setup(test_dispatcher_init_fails_when_deferred_calls_run_out,
                               setup_debug),
        cmocka_unit_test_setup(test_mutex_init_accepts_ranks_0_to_31_and_unranked_only,
                               setup_debug),
        cmocka_unit_test_setup(test_double_release_is_reported_and_keeps_the_next_holder,
                               setup_debug),
        cmocka_unit_test_setup(test_release_through_a_guard_of_an_earlier_hold_reports_not_held,
                               setup_debug),
        cmocka_unit_test_setup(test_a_guard_reused_across_mutexes_never_validates_a_later_hold,
                               setup_debug),
        cmocka_unit_test_setup(test_never_granted_guard_is_reported_without_a_mutex, setup_debug),
        cmocka_unit_test_setup(test_use_after_release_returns_null_and_is_reported, setup_debug),
        cmocka_unit_test_setup(test_downcast_returns_the_resource_only_for_its_own_type,
                               setup_debug),
        cmocka_unit_test_setup(
            test_guard_mutex_tells_a_multi_resource_client_which_mutex_fired, setup_debug),
        cmocka_unit_test_setup(test_hold_past_budget_is_reported_once_by_the_budget_scan,
                               setup_debug),
        cmocka_unit_test_setup(test_hold_past_budget_is_reported_when_it_ends, setup_debug),
        cmocka_unit_test_setup(test_hold_past_budget_is_reported_when_another_client_requests,
                               setup_debug),
        cmocka_unit_test_setup(test_hold_budget_is_wrap_safe, setup_debug),
        cmocka_unit_test_setup(test_release_checks_skip_the_clock_but_still_catch_guard_misuse,
                               setup_release),
        cmocka_unit_test_setup(test_readers_hold_together_and_a_writer_waits_for_all_of_them,
                               setup_debug),
        cmocka_unit_test_setup(test_a_reader_behind_a_queued_writer_waits_for_the_writer,
                               setup_debug),
        cmocka_unit_test_setup(test_readers_and_writers_alternate_in_arrival_order, setup_debug),
        cmocka_unit_test_setup(
            test_readers_requeueing_from_ready_cannot_livelock_the_dispatcher, setup_debug),
        cmocka_unit_test_setup(test_shared_guard_frees_the_mutex_only_after_its_last_release,
                               setup_debug),
        cmocka_unit_test_setup(test_releasing_one_variable_twice_does_not_take_another_share,
                               setup_debug),
        cmocka_unit_test_setup(test_share_count_is_bounded, setup_debug),
        cmocka_unit_test_setup(test_requesting_a_lower_rank_while_holding_a_higher_is_refused,
                               setup_debug),
        cmocka_unit_test_setup(test_two_mutexes_of_equal_rank_are_never_held_together,
                               setup_debug),
        cmocka_unit_test_setup(test_an_unranked_mutex_is_only_used_alone, setup_debug),
        cmocka_unit_test_setup(test_check_climb_states_each_uphill_rule, setup_debug),
        cmocka_unit_test_setup(
            test_a_reserved_rank_refuses_requests_at_or_above_it_without_effect, setup_debug),
        cmocka_unit_test_setup(test_a_rank_is_in_use_while_its_request_is_only_queued,
                               setup_debug),
        cmocka_unit_test_setup(test_opposite_lock_orders_are_refused_on_the_first_run,
                               setup_debug),
        cmocka_unit_test_setup(test_violation_names, setup_debug),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
