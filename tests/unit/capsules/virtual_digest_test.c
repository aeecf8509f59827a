/* SPDX-License-Identifier: Apache-2.0 OR MIT */
/*
 * Host tests for the digest virtualizer (virtualizers/virtual_digest.c).
 *
 * A fake digest engine logs what it is asked ("S<mode>:<key>", "A<data>", "F", "C"); recorders
 * stand for clients and log every callback. Every downcall the test makes sets `in_downcall`,
 * and recorders fail if called meanwhile.
 *
 * Usage: make build/host/virtual_digest_test (or `make unit` for every test).
 *
 * Invariants: each test starts from setup() with fresh deferred calls, engine, mux and devices.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include "capsules/virtual_digest.h"
#include "container.h"
#include "crypto/sha256.h"
#include "fake_digest.h"
#include "kernel/deferred_call.h"

struct recorder {
    struct hil_digest_client client;
    struct virtual_digest *device;
    char tag;
    unsigned adds, hashes;
    const uint8_t *data;
    size_t len;
    uint8_t *out;
    err_t status;
    unsigned requeue_finish; /* finish again from the hash_done callback this many times */
    uint8_t digest[HIL_DIGEST_SHA256_LEN];
};

static struct fake_digest hw;
static struct mux_digest mux;
static struct virtual_digest dev_a, dev_b, dev_c;
static struct recorder rec_a, rec_b, rec_c;
static char order[64];
static size_t order_len;
static bool in_downcall;

static void note(struct recorder *r, err_t status)
{
    assert_false(in_downcall);
    r->status = status;
    order[order_len++] = r->tag;
    order[order_len] = '\0';
}

static void recorder_add_data_done(struct hil_digest_client *client, const uint8_t *buf,
                                   size_t len, err_t status)
{
    struct recorder *r = CONTAINER_OF(client, struct recorder, client);
    r->adds++;
    r->data = buf;
    r->len = len;
    note(r, status);
}

static void recorder_hash_done(struct hil_digest_client *client, uint8_t *out, err_t status)
{
    struct recorder *r = CONTAINER_OF(client, struct recorder, client);
    r->hashes++;
    r->out = out;
    note(r, status);
    if (r->requeue_finish > 0) {
        r->requeue_finish--;
        assert_int_equal(hil_digest_finish(&r->device->digest, r->digest), ERR_OK);
    }
}

static const struct hil_digest_client_ops recorder_ops = {
    .add_data_done = recorder_add_data_done,
    .hash_done = recorder_hash_done,
};

static void recorder_init(struct recorder *r, struct virtual_digest *device, char tag)
{
    *r = (struct recorder){
        .client = { .ops = &recorder_ops }, .device = device, .tag = tag, .status = ERR_FAIL
    };
    hil_digest_set_client(&device->digest, &r->client);
}

static int setup(void **state)
{
    (void)state;
    deferred_call_reset_for_test();
    fake_digest_init(&hw);
    assert_int_equal(mux_digest_init(&mux, &hw.digest), ERR_OK);
    virtual_digest_init(&dev_a, &mux);
    virtual_digest_init(&dev_b, &mux);
    virtual_digest_init(&dev_c, &mux);
    recorder_init(&rec_a, &dev_a, 'A');
    recorder_init(&rec_b, &dev_b, 'B');
    recorder_init(&rec_c, &dev_c, 'C');
    order[0] = '\0';
    order_len = 0;
    in_downcall = false;
    return 0;
}

static err_t set_mode(struct recorder *r, enum hil_digest_mode mode, const char *key)
{
    in_downcall = true;
    err_t err = hil_digest_set_mode(&r->device->digest, mode, (const uint8_t *)key,
                                    key == NULL ? 0 : strlen(key));
    in_downcall = false;
    return err;
}

static err_t add(struct recorder *r, const char *data)
{
    in_downcall = true;
    err_t err = hil_digest_add_data(&r->device->digest, (const uint8_t *)data, strlen(data));
    in_downcall = false;
    return err;
}

static err_t finish(struct recorder *r)
{
    in_downcall = true;
    err_t err = hil_digest_finish(&r->device->digest, r->digest);
    in_downcall = false;
    return err;
}

static err_t clear(struct recorder *r)
{
    in_downcall = true;
    err_t err = hil_digest_clear(&r->device->digest);
    in_downcall = false;
    return err;
}

static void drain(void)
{
    for (unsigned guard = 0; guard < 100; guard++) {
        deferred_call_service();
        if (!fake_digest_busy(&hw)) {
            if (!deferred_call_has_pending()) {
                return;
            }
            continue;
        }
        fake_digest_complete(&hw, ERR_OK);
    }
    fail_msg("drain: still busy after 100 steps");
}

static void test_one_message_gives_one_callback_per_operation(void **state)
{
    (void)state;
    assert_int_equal(set_mode(&rec_a, HIL_DIGEST_HMAC_SHA256, "key"), ERR_OK);
    assert_int_equal(add(&rec_a, "abc"), ERR_OK);
    assert_int_equal(rec_a.adds, 0);
    deferred_call_service();
    assert_int_equal(rec_a.adds, 0);
    fake_digest_complete(&hw, ERR_OK);
    assert_int_equal(rec_a.adds, 1);
    assert_int_equal(rec_a.len, 3);
    assert_memory_equal(rec_a.data, "abc", 3);
    assert_int_equal(finish(&rec_a), ERR_OK);
    fake_digest_complete(&hw, ERR_OK);
    assert_int_equal(rec_a.hashes, 1);
    assert_ptr_equal(rec_a.out, rec_a.digest);
    assert_int_equal(rec_a.digest[31], hw.digest_byte);
    assert_int_equal(rec_a.status, ERR_OK);
    drain();
    assert_string_equal(hw.log, "S1:key Aabc F ");
    assert_int_equal(rec_a.adds + rec_a.hashes, 2);
}

static void test_argument_and_state_errors_fail_without_callback(void **state)
{
    (void)state;
    assert_int_equal(add(&rec_a, "x"), ERR_INVAL);   /* no mode yet */
    assert_int_equal(finish(&rec_a), ERR_INVAL);
    assert_int_equal(set_mode(&rec_a, HIL_DIGEST_SHA256, "k"), ERR_INVAL); /* SHA takes no key */
    assert_int_equal(set_mode(&rec_a, (enum hil_digest_mode)9, NULL), ERR_INVAL);
    in_downcall = true;
    assert_int_equal(hil_digest_set_mode(&dev_a.digest, HIL_DIGEST_HMAC_SHA256, NULL, 4),
                     ERR_INVAL);
    in_downcall = false;
    assert_int_equal(set_mode(&rec_a, HIL_DIGEST_SHA256, NULL), ERR_OK);
    assert_int_equal(add(&rec_a, ""), ERR_SIZE);
    in_downcall = true;
    assert_int_equal(hil_digest_add_data(&dev_a.digest, NULL, 3), ERR_INVAL);
    assert_int_equal(hil_digest_finish(&dev_a.digest, NULL), ERR_INVAL);
    in_downcall = false;
    assert_int_equal(add(&rec_a, "x"), ERR_OK);
    assert_int_equal(add(&rec_a, "y"), ERR_BUSY);  /* one outstanding operation */
    assert_int_equal(finish(&rec_a), ERR_BUSY);
    assert_int_equal(set_mode(&rec_a, HIL_DIGEST_SHA256, NULL), ERR_BUSY);
    assert_int_equal(clear(&rec_a), ERR_BUSY);
    drain();
    assert_int_equal(rec_a.adds, 1);
    assert_int_equal(rec_a.hashes, 0);
    assert_string_equal(hw.log, "S0: Ax ");
}

static void test_engine_is_held_for_a_message_then_passed_on(void **state)
{
    (void)state;
    assert_int_equal(set_mode(&rec_a, HIL_DIGEST_SHA256, NULL), ERR_OK);
    assert_int_equal(set_mode(&rec_b, HIL_DIGEST_HMAC_SHA256, "kb"), ERR_OK);
    assert_int_equal(add(&rec_a, "a1"), ERR_OK);
    assert_int_equal(add(&rec_b, "b1"), ERR_OK); /* waits */
    fake_digest_complete(&hw, ERR_OK);         /* A is now in a message */
    deferred_call_service();
    assert_false(fake_digest_busy(&hw)); /* B may not break into A's message */
    assert_int_equal(rec_b.adds, 0);
    assert_int_equal(add(&rec_a, "a2"), ERR_OK);
    fake_digest_complete(&hw, ERR_OK);
    assert_int_equal(finish(&rec_a), ERR_OK);
    fake_digest_complete(&hw, ERR_OK); /* A's message is over: B goes */
    assert_true(fake_digest_busy(&hw));
    drain();
    assert_int_equal(rec_b.adds, 1);
    assert_string_equal(hw.log, "S0: Aa1 Aa2 F S1:kb Ab1 ");
    assert_string_equal(order, "AAAB");
}

static void test_same_device_needs_no_new_set_mode_for_its_next_message(void **state)
{
    (void)state;
    assert_int_equal(set_mode(&rec_a, HIL_DIGEST_HMAC_SHA256, "k"), ERR_OK);
    rec_a.requeue_finish = 2;
    assert_int_equal(finish(&rec_a), ERR_OK);
    drain();
    assert_string_equal(hw.log, "S1:k F F F ");
    assert_int_equal(rec_a.hashes, 3);
}

static void test_round_robin_between_messages_when_client_requeues(void **state)
{
    (void)state;
    assert_int_equal(set_mode(&rec_a, HIL_DIGEST_SHA256, NULL), ERR_OK);
    assert_int_equal(set_mode(&rec_b, HIL_DIGEST_HMAC_SHA256, "b"), ERR_OK);
    rec_a.requeue_finish = 1;
    assert_int_equal(finish(&rec_a), ERR_OK);
    assert_int_equal(finish(&rec_b), ERR_OK);
    drain();
    assert_string_equal(order, "ABA"); /* B was not starved by A's re-queue */
    assert_string_equal(hw.log, "S0: F S1:b F S0: F ");
}

static void test_round_robin_three_devices_with_greedy_clients(void **state)
{
    (void)state;
    assert_int_equal(set_mode(&rec_a, HIL_DIGEST_SHA256, NULL), ERR_OK);
    assert_int_equal(set_mode(&rec_b, HIL_DIGEST_SHA256, NULL), ERR_OK);
    assert_int_equal(set_mode(&rec_c, HIL_DIGEST_SHA256, NULL), ERR_OK);
    rec_a.requeue_finish = 2;
    rec_b.requeue_finish = 2;
    assert_int_equal(finish(&rec_a), ERR_OK);
    assert_int_equal(finish(&rec_b), ERR_OK);
    assert_int_equal(finish(&rec_c), ERR_OK);
    drain();
    assert_string_equal(order, "ABCABAB");
}

static void test_long_hmac_key_is_reduced_to_its_sha256(void **state)
{
    (void)state;
    uint8_t key[100];
    for (size_t i = 0; i < sizeof key; i++) {
        key[i] = (uint8_t)('a' + i % 26);
    }
    uint8_t reduced[SHA256_DIGEST_LEN];
    sha256_digest(key, sizeof key, reduced);
    assert_int_equal(hil_digest_set_mode(&dev_a.digest, HIL_DIGEST_HMAC_SHA256, key, sizeof key),
                     ERR_OK);
    assert_int_equal(finish(&rec_a), ERR_OK);
    assert_int_equal(hw.key_len, SHA256_DIGEST_LEN);
    assert_memory_equal(hw.key, reduced, SHA256_DIGEST_LEN);
    drain();
}

static void test_engine_refusal_is_reported_later_and_message_restarts(void **state)
{
    (void)state;
    assert_int_equal(set_mode(&rec_a, HIL_DIGEST_HMAC_SHA256, "k"), ERR_OK);
    hw.next_set_mode_result = ERR_BUSY; /* hardware shared with another unit */
    assert_int_equal(add(&rec_a, "x"), ERR_OK);
    assert_int_equal(rec_a.adds, 0);
    deferred_call_service();
    assert_int_equal(rec_a.adds, 1);
    assert_int_equal(rec_a.status, ERR_BUSY);
    hw.next_add_data_result = ERR_BUSY; /* set_mode passes, add_data is refused */
    assert_int_equal(add(&rec_a, "y"), ERR_OK);
    deferred_call_service();
    assert_int_equal(rec_a.adds, 2);
    assert_int_equal(rec_a.status, ERR_BUSY);
    assert_int_equal(add(&rec_a, "z"), ERR_OK);
    fake_digest_complete(&hw, ERR_FAIL); /* the engine failed mid-message */
    assert_int_equal(rec_a.status, ERR_FAIL);
    assert_int_equal(add(&rec_a, "w"), ERR_OK); /* starts again with set_mode */
    drain();
    assert_int_equal(rec_a.status, ERR_OK);
    assert_string_equal(hw.log, "S1:k S1:k Ay Az S1:k Aw ");
}

static void test_set_mode_ends_own_message_and_lets_others_in(void **state)
{
    (void)state;
    assert_int_equal(set_mode(&rec_a, HIL_DIGEST_SHA256, NULL), ERR_OK);
    assert_int_equal(set_mode(&rec_b, HIL_DIGEST_SHA256, NULL), ERR_OK);
    assert_int_equal(add(&rec_a, "a"), ERR_OK);
    assert_int_equal(add(&rec_b, "b"), ERR_OK);
    fake_digest_complete(&hw, ERR_OK);
    deferred_call_service();
    assert_false(fake_digest_busy(&hw));
    assert_int_equal(set_mode(&rec_a, HIL_DIGEST_HMAC_SHA256, "new"), ERR_OK);
    assert_false(fake_digest_busy(&hw)); /* B starts later, not inside A's call */
    deferred_call_service();
    assert_true(fake_digest_busy(&hw));
    drain();
    assert_int_equal(finish(&rec_a), ERR_OK); /* waits: now B is in a message */
    drain();
    assert_int_equal(rec_a.hashes, 0);
    assert_int_equal(finish(&rec_b), ERR_OK);
    drain();
    assert_int_equal(rec_a.hashes, 1);
    assert_string_equal(hw.log, "S0: Aa S0: Ab F S1:new F ");
}

static void test_clear_wipes_the_key_and_the_engine_it_holds(void **state)
{
    (void)state;
    assert_int_equal(set_mode(&rec_a, HIL_DIGEST_HMAC_SHA256, "secret"), ERR_OK);
    assert_int_equal(set_mode(&rec_b, HIL_DIGEST_SHA256, NULL), ERR_OK);
    assert_int_equal(add(&rec_a, "a"), ERR_OK);
    drain();
    assert_int_equal(clear(&rec_b), ERR_OK); /* B does not hold the engine: untouched */
    assert_int_equal(hw.clear_calls, 0);
    assert_int_equal(clear(&rec_a), ERR_OK);
    assert_int_equal(hw.clear_calls, 1);
    assert_int_equal(hw.key_len, 0);
    for (size_t i = 0; i < VIRTUAL_DIGEST_KEY_MAX; i++) {
        assert_int_equal(dev_a.key[i], 0);
    }
    assert_int_equal(add(&rec_a, "a"), ERR_INVAL); /* mode forgotten */
    assert_int_equal(rec_a.adds, 1);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup(test_one_message_gives_one_callback_per_operation, setup),
        cmocka_unit_test_setup(test_argument_and_state_errors_fail_without_callback, setup),
        cmocka_unit_test_setup(test_engine_is_held_for_a_message_then_passed_on, setup),
        cmocka_unit_test_setup(test_same_device_needs_no_new_set_mode_for_its_next_message,
                               setup),
        cmocka_unit_test_setup(test_round_robin_between_messages_when_client_requeues, setup),
        cmocka_unit_test_setup(test_round_robin_three_devices_with_greedy_clients, setup),
        cmocka_unit_test_setup(test_long_hmac_key_is_reduced_to_its_sha256, setup),
        cmocka_unit_test_setup(test_engine_refusal_is_reported_later_and_message_restarts,
                               setup),
        cmocka_unit_test_setup(test_set_mode_ends_own_message_and_lets_others_in, setup),
        cmocka_unit_test_setup(test_clear_wipes_the_key_and_the_engine_it_holds, setup),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
