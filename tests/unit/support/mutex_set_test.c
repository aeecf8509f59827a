/* SPDX-License-Identifier: Apache-2.0 OR MIT */
/*
 * Host tests for mutex sets (capsules/support/mutex_set.c): rank-ordered acquisition of several typed
 * resources, typed access, reverse-order release, refusals and cancellation (record 002).
 *
 * Usage: make build/host/mutex_set_test build/host-san/mutex_set_test
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
#include "support/mutex_set.h"

/* ---------------------------------------------------------------- fixture */

#define MAX_VIOLATIONS 8u
#define LOG_MAX 64u

static struct mutex_violation violations[MAX_VIOLATIONS];
static unsigned violation_count;
static char log_text[LOG_MAX + 1];
static size_t log_len;
static bool is_inside_call;

static void record_violation(const struct mutex_violation *v, void *ctx)
{
    (void)ctx;
    assert_true(violation_count < MAX_VIOLATIONS);
    violations[violation_count++] = *v;
}

static uint32_t fake_now(void *ctx)
{
    (void)ctx;
    return 0;
}

static const struct mutex_dispatcher_config checks = {
    .on_violation = record_violation, .now = fake_now, .is_debug = true};

static const struct mutex_type bus_type = {"bus"};
static const struct mutex_type ram_type = {"ram"};
static const struct mutex_type ecb_type = {"ecb"};

static const struct mutex_config bus_config = {.name = "bus", .type = &bus_type, .rank = 4};
static const struct mutex_config ram_config = {.name = "ram", .type = &ram_type, .rank = 8};
static const struct mutex_config ram2_config = {.name = "ram2", .type = &ram_type, .rank = 8};
static const struct mutex_config ecb_config = {.name = "ecb", .type = &ecb_type, .rank = 12};
static const struct mutex_config plain_config = {.name = "plain", .rank = MUTEX_UNRANKED};

static struct mutex_dispatcher dispatcher;
static struct mutex bus, ram, ram2, ecb, plain;
static int bus_resource, ram_resource, ecb_resource, plain_resource;

static void log_char(char c)
{
    if (log_len < LOG_MAX) {
        log_text[log_len++] = c;
        log_text[log_len] = '\0';
    }
}

/* A set client: records each acquired() and may release from inside it. */
struct set_client {
    struct mutex_owner owner;
    struct mutex_set set;
    unsigned acquired_calls;
    err_t status;
    bool is_releasing_when_acquired;
    char letter;
};

static void set_acquired(struct mutex_set *set, err_t status)
{
    struct set_client *c = CONTAINER_OF(set, struct set_client, set);
    assert_false(is_inside_call);
    c->acquired_calls++;
    c->status = status;
    log_char(c->letter);
    if (c->is_releasing_when_acquired && status == ERR_OK) {
        mutex_set_release(set);
    }
}

static const struct mutex_set_ops set_ops = {.acquired = set_acquired};

/* A single-mutex client, to block a mutex or to see who is granted next. */
struct single {
    struct mutex_owner owner;
    struct mutex_waiter waiter;
    struct mutex_guard guard;
    char letter;
    unsigned grants;
};

static void single_ready(struct mutex_waiter *waiter, struct mutex_guard guard)
{
    struct single *s = CONTAINER_OF(waiter, struct single, waiter);
    assert_false(is_inside_call);
    s->guard = guard;
    s->grants++;
    log_char(s->letter);
}

static const struct mutex_waiter_ops single_ops = {.ready = single_ready};

static struct set_client x, y;
static struct single blockers[3];

static void init_set_client(struct set_client *c, const char *name, char letter)
{
    *c = (struct set_client){.letter = letter, .status = ERR_FAIL};
    mutex_owner_init(&c->owner, name);
    mutex_set_init(&c->set, &c->owner, &set_ops);
}

static void init_single(struct single *s, const char *name, char letter)
{
    *s = (struct single){.letter = letter};
    mutex_owner_init(&s->owner, name);
    mutex_waiter_init(&s->waiter, &s->owner, &single_ops);
}

static int setup(void **state)
{
    (void)state;
    deferred_call_reset_for_test();
    memset(violations, 0, sizeof violations);
    violation_count = 0;
    log_text[0] = '\0';
    log_len = 0;
    is_inside_call = false;
    assert_int_equal(mutex_dispatcher_init(&dispatcher, &checks), ERR_OK);
    assert_int_equal(mutex_init(&bus, &dispatcher, &bus_config, &bus_resource), ERR_OK);
    assert_int_equal(mutex_init(&ram, &dispatcher, &ram_config, &ram_resource), ERR_OK);
    assert_int_equal(mutex_init(&ram2, &dispatcher, &ram2_config, &ram_resource), ERR_OK);
    assert_int_equal(mutex_init(&ecb, &dispatcher, &ecb_config, &ecb_resource), ERR_OK);
    assert_int_equal(mutex_init(&plain, &dispatcher, &plain_config, &plain_resource), ERR_OK);
    init_set_client(&x, "X", 'X');
    init_set_client(&y, "Y", 'Y');
    init_single(&blockers[0], "b0", 'b');
    init_single(&blockers[1], "b1", 'r');
    init_single(&blockers[2], "b2", 'e');
    return 0;
}

static unsigned drain(void)
{
    unsigned rounds = 0;
    while (deferred_call_has_pending()) {
        deferred_call_service();
        rounds++;
        assert_true(rounds < 1000);
    }
    return rounds;
}

static err_t acquire(struct set_client *c, const struct mutex_set_request *requests, size_t count)
{
    is_inside_call = true;
    err_t err = mutex_set_acquire(&c->set, requests, count);
    is_inside_call = false;
    return err;
}

static void hold(struct single *s, struct mutex *m)
{
    assert_int_equal(mutex_request(m, &s->waiter, MUTEX_EXCLUSIVE), ERR_OK);
    drain();
    assert_true(mutex_guard_is_held(&s->guard));
}

static bool is_held(const struct set_client *c, size_t index)
{
    return mutex_guard_is_held(mutex_set_guard(&c->set, index));
}

static const struct mutex_set_request ecb_bus_ram[] = {
    {&ecb, MUTEX_EXCLUSIVE},
    {&bus, MUTEX_EXCLUSIVE},
    {&ram, MUTEX_EXCLUSIVE},
};

/* ---------------------------------------------------------------- acquisition */

static void test_set_acquires_in_ascending_rank_whatever_the_request_order(void **state)
{
    (void)state;
    assert_int_equal(acquire(&x, ecb_bus_ram, 3), ERR_OK);
    assert_int_equal(x.acquired_calls, 0); /* never inside acquire */
    assert_true(deferred_call_has_pending());
    deferred_call_service();
    assert_true(is_held(&x, 1)); /* bus (rank 4) first */
    assert_false(is_held(&x, 2));
    assert_false(is_held(&x, 0));
    deferred_call_service();
    assert_true(is_held(&x, 2)); /* then ram (8) */
    assert_false(is_held(&x, 0));
    assert_int_equal(x.acquired_calls, 0);
    deferred_call_service();
    assert_true(is_held(&x, 0)); /* then ecb (12), and the one callback */
    assert_int_equal(x.acquired_calls, 1);
    assert_int_equal(x.status, ERR_OK);
    assert_int_equal(x.set.state, MUTEX_SET_HELD);
    assert_int_equal(drain(), 0);
    assert_int_equal(x.acquired_calls, 1);
    assert_int_equal(x.owner.ranks, (1u << 4) | (1u << 8) | (1u << 12));
    assert_int_equal(violation_count, 0);
}

static void test_set_resources_are_typed_and_indexed_as_requested(void **state)
{
    (void)state;
    assert_int_equal(acquire(&x, ecb_bus_ram, 3), ERR_OK);
    drain();
    assert_ptr_equal(mutex_set_resource(&x.set, 0, &ecb_type), &ecb_resource);
    assert_ptr_equal(mutex_set_resource(&x.set, 1, &bus_type), &bus_resource);
    assert_ptr_equal(mutex_set_resource(&x.set, 2, &ram_type), &ram_resource);
    assert_null(mutex_set_resource(&x.set, 0, &ram_type)); /* downcast mismatch */
    assert_int_equal(violation_count, 1);
    assert_int_equal(violations[0].kind, MUTEX_VIOLATION_WRONG_TYPE);
    assert_string_equal(violations[0].mutex_name, "ecb");
    assert_string_equal(violations[0].owner_name, "X");
    assert_null(mutex_set_resource(&x.set, 3, &ecb_type)); /* out of range: no report */
    assert_null(mutex_set_guard(&x.set, 3));
    assert_int_equal(violation_count, 1);
    mutex_set_release(&x.set);
    assert_null(mutex_set_resource(&x.set, 0, &ecb_type)); /* after release */
    assert_int_equal(violations[1].kind, MUTEX_VIOLATION_USE_AFTER_RELEASE);
}

static void test_set_release_gives_back_the_highest_rank_first(void **state)
{
    (void)state;
    assert_int_equal(acquire(&x, ecb_bus_ram, 3), ERR_OK);
    drain();
    log_len = 0;
    log_text[0] = '\0';
    assert_int_equal(mutex_request(&bus, &blockers[0].waiter, MUTEX_EXCLUSIVE), ERR_OK);
    assert_int_equal(mutex_request(&ram, &blockers[1].waiter, MUTEX_EXCLUSIVE), ERR_OK);
    assert_int_equal(mutex_request(&ecb, &blockers[2].waiter, MUTEX_EXCLUSIVE), ERR_OK);
    mutex_set_release(&x.set);
    assert_int_equal(x.set.state, MUTEX_SET_IDLE);
    assert_int_equal(x.owner.ranks, 0);
    assert_int_equal(drain(), 1);
    assert_string_equal(log_text, "erb"); /* grants follow the release order: ecb, ram, bus */
    mutex_set_release(&x.set); /* not held: nothing happens */
    assert_int_equal(violation_count, 0);
}

static void test_set_waits_behind_holders_and_completes(void **state)
{
    (void)state;
    hold(&blockers[1], &ram); /* someone holds ram */
    assert_int_equal(acquire(&x, ecb_bus_ram, 3), ERR_OK);
    drain();
    assert_true(is_held(&x, 1)); /* bus held, waiting for ram */
    assert_int_equal(x.acquired_calls, 0);
    struct single *late = &blockers[0];
    assert_int_equal(mutex_request(&bus, &late->waiter, MUTEX_EXCLUSIVE), ERR_OK);
    drain();
    assert_int_equal(late->grants, 0); /* the partial holding delays others... */
    mutex_release(&blockers[1].guard);
    drain();
    assert_int_equal(x.acquired_calls, 1); /* ...but completes */
    mutex_set_release(&x.set);
    drain();
    assert_int_equal(late->grants, 1);
}

static void test_two_sets_in_opposite_orders_both_complete(void **state)
{
    (void)state;
    static const struct mutex_set_request bus_then_ram[] = {{&bus, MUTEX_EXCLUSIVE},
                                                            {&ram, MUTEX_EXCLUSIVE}};
    static const struct mutex_set_request ram_then_bus[] = {{&ram, MUTEX_EXCLUSIVE},
                                                            {&bus, MUTEX_EXCLUSIVE}};
    hold(&blockers[1], &ram);
    x.is_releasing_when_acquired = true;
    y.is_releasing_when_acquired = true;
    assert_int_equal(acquire(&x, bus_then_ram, 2), ERR_OK);
    assert_int_equal(acquire(&y, ram_then_bus, 2), ERR_OK);
    drain();
    mutex_release(&blockers[1].guard);
    drain();
    assert_string_equal(log_text, "rXY");
    assert_int_equal(x.status, ERR_OK);
    assert_int_equal(y.status, ERR_OK);
    assert_int_equal(bus.holder_count + ram.holder_count, 0);
}

static void test_set_members_may_be_shared_with_other_readers(void **state)
{
    (void)state;
    static const struct mutex_set_request read_ram_write_ecb[] = {{&ram, MUTEX_SHARED},
                                                                  {&ecb, MUTEX_EXCLUSIVE}};
    struct single *reader = &blockers[1];
    assert_int_equal(mutex_request(&ram, &reader->waiter, MUTEX_SHARED), ERR_OK);
    drain();
    assert_int_equal(acquire(&x, read_ram_write_ecb, 2), ERR_OK);
    drain();
    assert_int_equal(x.acquired_calls, 1);
    assert_int_equal(ram.holder_count, 2);
    assert_true(mutex_guard_is_held(&reader->guard));
}

static void test_single_unranked_member_is_allowed(void **state)
{
    (void)state;
    static const struct mutex_set_request only_plain[] = {{&plain, MUTEX_EXCLUSIVE}};
    assert_int_equal(acquire(&x, only_plain, 1), ERR_OK);
    drain();
    assert_int_equal(x.status, ERR_OK);
    assert_ptr_equal(mutex_set_resource(&x.set, 0, NULL), &plain_resource);
}

/* ---------------------------------------------------------------- refusals */

static void expect_refused_without_effect(err_t expected, const struct mutex_set_request *requests,
                                          size_t count)
{
    assert_int_equal(acquire(&x, requests, count), expected);
    assert_int_equal(x.set.state, MUTEX_SET_IDLE);
    assert_int_equal(x.owner.ranks, 0);
    assert_false(x.owner.has_unranked);
    assert_int_equal(bus.queued + ram.queued + ram2.queued + ecb.queued + plain.queued, 0);
    assert_false(deferred_call_has_pending());
}

static void test_set_refuses_impossible_orders_before_requesting_anything(void **state)
{
    (void)state;
    static const struct mutex_set_request twice[] = {{&ram, MUTEX_EXCLUSIVE},
                                                     {&ram, MUTEX_SHARED}};
    static const struct mutex_set_request equal[] = {{&ram, MUTEX_EXCLUSIVE},
                                                     {&ram2, MUTEX_EXCLUSIVE}};
    static const struct mutex_set_request unranked[] = {{&plain, MUTEX_EXCLUSIVE},
                                                        {&ecb, MUTEX_EXCLUSIVE}};
    expect_refused_without_effect(ERR_INVAL, twice, 2);
    expect_refused_without_effect(ERR_INVAL, equal, 2);
    expect_refused_without_effect(ERR_INVAL, unranked, 2);
    assert_int_equal(violation_count, 3);
    for (unsigned i = 0; i < 3; i++) {
        assert_int_equal(violations[i].kind, MUTEX_VIOLATION_RANK_ORDER);
        assert_string_equal(violations[i].owner_name, "X");
    }
}

static void test_set_refuses_bad_sizes_and_modes_without_report(void **state)
{
    (void)state;
    static const struct mutex_set_request five[] = {
        {&bus, MUTEX_EXCLUSIVE}, {&ram, MUTEX_EXCLUSIVE}, {&ecb, MUTEX_EXCLUSIVE},
        {&ram2, MUTEX_EXCLUSIVE}, {&plain, MUTEX_EXCLUSIVE}};
    static const struct mutex_set_request bad_mode[] = {{&bus, MUTEX_EXCLUSIVE},
                                                        {&ram, (enum mutex_mode)9}};
    expect_refused_without_effect(ERR_SIZE, five, 0);
    expect_refused_without_effect(ERR_SIZE, five, 5);
    expect_refused_without_effect(ERR_INVAL, bad_mode, 2);
    assert_int_equal(violation_count, 0);
}

static void test_set_refused_when_the_owner_already_uses_a_higher_rank(void **state)
{
    (void)state;
    static const struct mutex_set_request bus_ram[] = {{&bus, MUTEX_EXCLUSIVE},
                                                       {&ram, MUTEX_EXCLUSIVE}};
    static struct single own; /* a waiter of X's own, outside the set */
    init_single(&own, "X", 'o');
    mutex_waiter_init(&own.waiter, &x.owner, &single_ops);
    assert_int_equal(mutex_request(&ecb, &own.waiter, MUTEX_EXCLUSIVE), ERR_OK); /* 12 in use */
    assert_int_equal(acquire(&x, bus_ram, 2), ERR_INVAL);
    assert_int_equal(violation_count, 1);
    assert_int_equal(violations[0].kind, MUTEX_VIOLATION_RANK_ORDER);
    assert_string_equal(violations[0].mutex_name, "bus");
    assert_int_equal(bus.queued, 0);
    assert_int_equal(mutex_cancel(&own.waiter), ERR_OK);
}

static void test_set_acquire_while_acquiring_or_held_returns_already(void **state)
{
    (void)state;
    assert_int_equal(acquire(&x, ecb_bus_ram, 3), ERR_OK);
    assert_int_equal(acquire(&x, ecb_bus_ram, 3), ERR_ALREADY);
    drain();
    assert_int_equal(acquire(&x, ecb_bus_ram, 1), ERR_ALREADY);
    mutex_set_release(&x.set);
    assert_int_equal(acquire(&x, ecb_bus_ram, 1), ERR_OK);
    drain();
    assert_int_equal(x.acquired_calls, 2);
}

/* ---------------------------------------------------------------- abandoning */

static void test_cancel_while_acquiring_releases_and_withdraws_without_callback(void **state)
{
    (void)state;
    hold(&blockers[1], &ram);
    assert_int_equal(acquire(&x, ecb_bus_ram, 3), ERR_OK);
    drain();
    assert_true(is_held(&x, 1));
    assert_int_equal(mutex_set_cancel(&x.set), ERR_OK);
    assert_int_equal(x.set.state, MUTEX_SET_IDLE);
    assert_int_equal(x.owner.ranks, 0);
    assert_int_equal(ram.queued, 0);
    assert_int_equal(bus.holder_count, 0);
    mutex_release(&blockers[1].guard);
    drain();
    assert_int_equal(x.acquired_calls, 0);
    assert_int_equal(mutex_set_cancel(&x.set), ERR_ALREADY);
    assert_int_equal(acquire(&x, ecb_bus_ram, 3), ERR_OK); /* usable again */
    drain();
    assert_int_equal(x.acquired_calls, 1);
    assert_int_equal(mutex_set_cancel(&x.set), ERR_ALREADY); /* held: release instead */
}

/* ---------------------------------------------------------------- strict uphill (reservations) */

static struct single own; /* a waiter of X's own, outside the set */

static void init_own(void)
{
    init_single(&own, "X", 'o');
    mutex_waiter_init(&own.waiter, &x.owner, &single_ops);
}

static void test_acquiring_set_reserves_its_later_ranks(void **state)
{
    (void)state;
    hold(&blockers[0], &bus);
    assert_int_equal(acquire(&x, ecb_bus_ram, 3), ERR_OK); /* queued on bus (4) */
    assert_int_equal(x.owner.ranks, 1u << 4);
    assert_int_equal(x.owner.reserved, (1u << 8) | (1u << 12));
    mutex_release(&blockers[0].guard);
    drain();
    assert_int_equal(x.status, ERR_OK);
    assert_int_equal(x.owner.reserved, 0); /* every member requested: nothing left reserved */
    mutex_set_release(&x.set);
    assert_int_equal(x.owner.ranks, 0);
}

static void test_owner_request_that_would_make_the_set_climb_down_is_refused(void **state)
{
    (void)state;
    static const struct mutex_set_request bus_ram[] = {{&bus, MUTEX_EXCLUSIVE},
                                                       {&ram, MUTEX_EXCLUSIVE}};
    hold(&blockers[0], &bus);
    assert_int_equal(acquire(&x, bus_ram, 2), ERR_OK); /* queued on bus, ram (8) reserved */
    init_own();
    /* ecb (12) is above the reserved 8: the set would then request 8 while 12 is held. */
    assert_int_equal(mutex_request(&ecb, &own.waiter, MUTEX_EXCLUSIVE), ERR_INVAL);
    assert_int_equal(violation_count, 1);
    assert_int_equal(violations[0].kind, MUTEX_VIOLATION_RANK_ORDER);
    assert_string_equal(violations[0].mutex_name, "ecb");
    assert_int_equal(violations[0].detail, 8); /* the reserved rank in the way */
    /* ...and ram2, of the reserved rank itself, too: equal ranks are never held together. */
    assert_int_equal(mutex_request(&ram2, &own.waiter, MUTEX_EXCLUSIVE), ERR_INVAL);
    assert_int_equal(violation_count, 2);
    /* Nothing changed: the refused requests left no trace. */
    assert_int_equal(ecb.queued + ram2.queued, 0);
    assert_int_equal(own.waiter.state, MUTEX_WAITER_IDLE);
    assert_int_equal(x.owner.ranks, 1u << 4);
    assert_int_equal(x.owner.reserved, 1u << 8);
    mutex_release(&blockers[0].guard);
    drain(); /* the set completes: its request for ram cannot fail */
    assert_int_equal(x.acquired_calls, 1);
    assert_int_equal(x.status, ERR_OK);
    assert_true(is_held(&x, 0));
    assert_true(is_held(&x, 1));
    /* Once the set holds everything, climbing on above it is fine. */
    assert_int_equal(mutex_request(&ecb, &own.waiter, MUTEX_EXCLUSIVE), ERR_OK);
    drain();
    assert_int_equal(own.grants, 1);
}

static void test_owner_request_between_held_and_reserved_ranks_is_allowed(void **state)
{
    (void)state;
    static const struct mutex_set_request bus_ecb[] = {{&bus, MUTEX_EXCLUSIVE},
                                                       {&ecb, MUTEX_EXCLUSIVE}};
    hold(&blockers[0], &bus);
    assert_int_equal(acquire(&x, bus_ecb, 2), ERR_OK); /* bus (4) queued, ecb (12) reserved */
    init_own();
    assert_int_equal(mutex_request(&ram, &own.waiter, MUTEX_EXCLUSIVE), ERR_OK); /* 4 < 8 < 12 */
    drain();
    assert_int_equal(own.grants, 1);
    mutex_release(&blockers[0].guard);
    drain(); /* bus granted, then ecb: 4 and 8 in use are both below 12 */
    assert_int_equal(x.status, ERR_OK);
    assert_int_equal(violation_count, 0);
    mutex_release(&own.guard);
    mutex_set_release(&x.set);
    assert_int_equal(x.owner.ranks, 0);
}

static void test_unranked_request_refused_while_a_set_reserves(void **state)
{
    (void)state;
    static const struct mutex_set_request bus_ram[] = {{&bus, MUTEX_EXCLUSIVE},
                                                       {&ram, MUTEX_EXCLUSIVE}};
    hold(&blockers[0], &bus);
    assert_int_equal(acquire(&x, bus_ram, 2), ERR_OK);
    init_own();
    assert_int_equal(mutex_request(&plain, &own.waiter, MUTEX_EXCLUSIVE), ERR_INVAL);
    assert_int_equal(violations[0].detail, 4); /* the rank in use */
    assert_int_equal(plain.queued, 0);
    assert_int_equal(mutex_set_cancel(&x.set), ERR_OK);
    assert_int_equal(x.owner.ranks, 0);
    assert_int_equal(x.owner.reserved, 0); /* cancel gives the reservation back */
    assert_int_equal(mutex_request(&plain, &own.waiter, MUTEX_EXCLUSIVE), ERR_OK); /* alone now */
    assert_int_equal(mutex_cancel(&own.waiter), ERR_OK);
    mutex_release(&blockers[0].guard);
    drain();
}

/* A second set of the same owner. */
static unsigned second_acquired;

static void second_set_acquired(struct mutex_set *set, err_t status)
{
    (void)set;
    assert_int_equal(status, ERR_OK);
    second_acquired++;
}

static const struct mutex_set_ops second_ops = {.acquired = second_set_acquired};

static void test_second_set_must_fit_below_the_first_sets_reservation(void **state)
{
    (void)state;
    static struct mutex_set second;
    static const struct mutex_set_request bus_ecb[] = {{&bus, MUTEX_EXCLUSIVE},
                                                       {&ecb, MUTEX_EXCLUSIVE}};
    static const struct mutex_set_request ram_only[] = {{&ram, MUTEX_EXCLUSIVE}};
    static const struct mutex_set_request ram_ecb[] = {{&ram2, MUTEX_EXCLUSIVE},
                                                       {&ecb, MUTEX_EXCLUSIVE}};
    second_acquired = 0;
    mutex_set_init(&second, &x.owner, &second_ops);
    hold(&blockers[0], &bus);
    assert_int_equal(acquire(&x, bus_ecb, 2), ERR_OK); /* bus queued, ecb (12) reserved */
    /* 8..12 reaches the reserved 12: refused whole, nothing requested or reserved. */
    assert_int_equal(mutex_set_acquire(&second, ram_ecb, 2), ERR_INVAL);
    assert_int_equal(violations[0].detail, 12);
    assert_int_equal(ram2.queued + ecb.queued, 0);
    assert_int_equal(x.owner.reserved, 1u << 12);
    /* 8 alone fits between 4 (in use) and 12 (reserved). */
    assert_int_equal(mutex_set_acquire(&second, ram_only, 1), ERR_OK);
    mutex_release(&blockers[0].guard);
    drain();
    assert_int_equal(second_acquired, 1);
    assert_int_equal(x.status, ERR_OK);
    assert_int_equal(violation_count, 1);
    mutex_set_release(&second);
    mutex_set_release(&x.set);
    assert_int_equal(x.owner.ranks, 0);
    assert_int_equal(x.owner.reserved, 0);
}

static void test_set_refused_when_a_lower_rank_of_the_owner_is_in_use_alongside(void **state)
{
    (void)state;
    static const struct mutex_set_request bus_ram[] = {{&bus, MUTEX_EXCLUSIVE},
                                                       {&ram, MUTEX_EXCLUSIVE}};
    static const struct mutex_set_request plain_only[] = {{&plain, MUTEX_EXCLUSIVE}};
    init_own();
    assert_int_equal(mutex_request(&ram2, &own.waiter, MUTEX_EXCLUSIVE), ERR_OK); /* 8 in use */
    /* bus (4) is below 8: the set would climb down to it. */
    assert_int_equal(acquire(&x, bus_ram, 2), ERR_INVAL);
    assert_int_equal(violations[0].detail, 8);
    /* One unranked member needs an owner that uses nothing. */
    assert_int_equal(acquire(&x, plain_only, 1), ERR_INVAL);
    assert_int_equal(violations[1].detail, 8);
    assert_int_equal(bus.queued + plain.queued, 0);
    assert_int_equal(x.owner.reserved, 0);
    assert_int_equal(mutex_cancel(&own.waiter), ERR_OK);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup(test_set_acquires_in_ascending_rank_whatever_the_request_order,
                               setup),
        cmocka_unit_test_setup(test_set_resources_are_typed_and_indexed_as_requested, setup),
        cmocka_unit_test_setup(test_set_release_gives_back_the_highest_rank_first, setup),
        cmocka_unit_test_setup(test_set_waits_behind_holders_and_completes, setup),
        cmocka_unit_test_setup(test_two_sets_in_opposite_orders_both_complete, setup),
        cmocka_unit_test_setup(test_set_members_may_be_shared_with_other_readers, setup),
        cmocka_unit_test_setup(test_single_unranked_member_is_allowed, setup),
        cmocka_unit_test_setup(test_set_refuses_impossible_orders_before_requesting_anything,
                               setup),
        cmocka_unit_test_setup(test_set_refuses_bad_sizes_and_modes_without_report, setup),
        cmocka_unit_test_setup(test_set_refused_when_the_owner_already_uses_a_higher_rank,
                               setup),
        cmocka_unit_test_setup(test_set_acquire_while_acquiring_or_held_returns_already, setup),
        cmocka_unit_test_setup(
            test_cancel_while_acquiring_releases_and_withdraws_without_callback, setup),
        cmocka_unit_test_setup(test_acquiring_set_reserves_its_later_ranks, setup),
        cmocka_unit_test_setup(
            test_owner_request_that_would_make_the_set_climb_down_is_refused, setup),
        cmocka_unit_test_setup(test_owner_request_between_held_and_reserved_ranks_is_allowed,
                               setup),
        cmocka_unit_test_setup(test_unranked_request_refused_while_a_set_reserves, setup),
        cmocka_unit_test_setup(test_second_set_must_fit_below_the_first_sets_reservation,
                               setup),
        cmocka_unit_test_setup(
            test_set_refused_when_a_lower_rank_of_the_owner_is_in_use_alongside, setup),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
