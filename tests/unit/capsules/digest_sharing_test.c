/* SPDX-License-Identifier: Apache-2.0 OR MIT */
/*
 * Host tests for the SHA (0x40005) and HMAC (0x40003) drivers sharing one digest unit through
 * the digest virtualizer (capsules/core/virtualizers/virtual_digest.c), as the boards wire them
 * (boards/components/crypto.c): one fake unit, one mux, a virtual device per driver.
 *
 * What is checked: requests of both drivers submitted together all get the right digests and
 * MACs (computed independently with the software library); the unit never sees a second
 * operation while one is outstanding (busy_calls); the drivers alternate message by message
 * (round-robin); an HMAC session (update ... finish) keeps the unit until it finishes, with SHA
 * waiting -- success, never BUSY -- and then completing correctly; an idle HMAC session that
 * expires, or whose process dies, lets the waiting SHA request run.
 *
 * Usage: make build/host/digest_sharing_test (or `make unit` for every test).
 *
 * Invariants: each test starts from setup() with no processes, an idle unit and clock 0.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include "driver_command.h"

#include "capsules/driver_num.h"
#include "capsules/hmac.h"
#include "capsules/sha.h"
#include "capsules/virtual_digest.h"
#include "fake_alarm.h"
#include "fake_crypto_hil.h"
#include "fake_grant.h"
#include "kernel/deferred_call.h"

#define SLOTS 4u
#define IDLE_TICKS 1000u

static struct fake_digest unit;
static struct mux_digest mux;
static struct virtual_digest sha_device;
static struct virtual_digest hmac_device;
static struct digest_driver sha;
static struct digest_driver hmac;
static struct cmd_queue_entry sha_entries[SLOTS];
static struct cmd_queue_entry hmac_entries[SLOTS];
static struct fake_alarm sha_alarm;
static struct fake_alarm hmac_alarm;
static uint32_t clock_now;
static char order[64]; /* 'S' / 'H' per message the unit finished, in order */
static size_t order_len;

static uint32_t fake_now(void *ctx)
{
    (void)ctx;
    return clock_now;
}

static const struct cmd_queue_config queue_config = {
    .now = fake_now, .clock_ctx = NULL, .session_idle_ticks = IDLE_TICKS
};

static int setup(void **state)
{
    (void)state;
    deferred_call_reset_for_test();
    fake_grant_reset();
    fake_digest_init(&unit);
    clock_now = 0;
    order_len = 0;
    order[0] = '\0';
    fake_alarm_init(&sha_alarm, 1000, 0);
    fake_alarm_init(&hmac_alarm, 1000, 0);
    assert_int_equal(mux_digest_init(&mux, &unit.digest), ERR_OK);
    virtual_digest_init(&sha_device, &mux);
    virtual_digest_init(&hmac_device, &mux);
    assert_int_equal(sha_driver_init(&sha, &sha_device.digest, &sha_alarm.alarm, NULL,
                                     &queue_config, sha_entries, SLOTS),
                     ERR_OK);
    assert_int_equal(hmac_driver_init(&hmac, &hmac_device.digest, &hmac_alarm.alarm, NULL,
                                      &queue_config, hmac_entries, SLOTS),
                     ERR_OK);
    return 0;
}

/* ---------------------------------------------------------------- helpers */

static struct syscall_return command(struct digest_driver *d, struct process_id pid,
                                     uint32_t num)
{
    return driver_command(&d->driver, num, 0, 0, pid);
}

static void assert_success(struct syscall_return ret)
{
    assert_int_equal(ret.variant, SYSCALL_SUCCESS);
}

/* Complete the unit's outstanding operation, noting whose message a finish ended. */
static void complete_unit(void)
{
    if (unit.operation == FAKE_DIGEST_FINISH && order_len + 1 < sizeof order) {
        order[order_len++] = unit.mode == HIL_DIGEST_HMAC_SHA256 ? 'H' : 'S';
        order[order_len] = '\0';
    }
    fake_digest_complete(&unit, ERR_OK);
}

/* Run everything to quiescence, completing every unit operation with ERR_OK. */
static void run_all(void)
{
    for (unsigned rounds = 0;; rounds++) {
        assert_true(rounds < 100000);
        if (deferred_call_has_pending()) {
            deferred_call_service();
        } else if (unit.is_busy) {
            complete_unit();
        } else {
            return;
        }
    }
}

static void advance(uint32_t ticks)
{
    clock_now += ticks;
    (void)fake_alarm_advance(&sha_alarm, ticks);
    (void)fake_alarm_advance(&hmac_alarm, ticks);
}

static void fill(uint8_t *buf, size_t len, uint8_t seed)
{
    for (size_t i = 0; i < len; i++) {
        buf[i] = (uint8_t)(seed * 31u + i * 7u + (i >> 3));
    }
}

static const uint8_t hmac_key[] = "a key of the hmac client";

/* A process with a message for one driver and the result it should get. */
struct client {
    struct process_id pid;
    struct digest_driver *driver;
    uint8_t data[200];
    size_t len;
    uint8_t dest[32];
    uint8_t expect[32];
};

static void client_setup(struct client *c, struct digest_driver *d, size_t len, uint8_t seed)
{
    c->pid = fake_process_create();
    c->driver = d;
    c->len = len;
    fill(c->data, len, seed);
    memset(c->dest, 0xee, sizeof c->dest);
    fake_process_allow_ro(c->pid, d->config->driver_num, d->config->allow_ro_data, c->data, len);
    fake_process_allow_rw(c->pid, d->config->driver_num, d->config->allow_rw_dest, c->dest,
                          sizeof c->dest);
    if (d == &hmac) {
        fake_process_allow_ro(c->pid, HMAC_DRIVER_NUM, DIGEST_DRIVER_ALLOW_RO_KEY, hmac_key,
                              sizeof hmac_key - 1);
        hmac_sha256(hmac_key, sizeof hmac_key - 1, c->data, len, c->expect);
    } else {
        sha256_digest(c->data, len, c->expect);
    }
}

static uint32_t run_command(const struct client *c)
{
    return c->driver == &sha ? SHA_CMD_HASH : DIGEST_DRIVER_CMD_RUN;
}

static void expect_result(const struct client *c)
{
    assert_int_equal(fake_grant_upcall_count_for(c->driver->config->driver_num, c->pid, 0), 1);
    assert_memory_equal(c->dest, c->expect, sizeof c->expect);
}

/* ---------------------------------------------------------------- tests */

static void test_sha_and_hmac_requests_together_all_get_right_answers(void **state)
{
    (void)state;
    struct client clients[4];
    client_setup(&clients[0], &sha, 150, 1);
    client_setup(&clients[1], &hmac, 70, 2);
    client_setup(&clients[2], &sha, 3, 3);
    client_setup(&clients[3], &hmac, 200, 4);
    for (size_t i = 0; i < 4; i++) {
        assert_success(command(clients[i].driver, clients[i].pid, run_command(&clients[i])));
    }
    run_all();
    for (size_t i = 0; i < 4; i++) {
        expect_result(&clients[i]);
    }
    assert_int_equal(unit.busy_calls, 0); /* never a second operation on the unit */
}

static void test_drivers_alternate_message_by_message(void **state)
{
    (void)state;
    enum { ROUNDS = 6 };
    struct client s, h;
    client_setup(&s, &sha, 100, 5);
    client_setup(&h, &hmac, 100, 6);
    /* Both keep one request outstanding, re-submitting as soon as theirs completes. */
    size_t sha_done = 0;
    size_t hmac_done = 0;
    assert_success(command(&sha, s.pid, SHA_CMD_HASH));
    assert_success(command(&hmac, h.pid, DIGEST_DRIVER_CMD_RUN));
    for (unsigned rounds = 0; sha_done < ROUNDS || hmac_done < ROUNDS; rounds++) {
        assert_true(rounds < 100000);
        if (deferred_call_has_pending()) {
            deferred_call_service();
        } else if (unit.is_busy) {
            complete_unit();
        }
        if (fake_grant_upcall_count_for(SHA_DRIVER_NUM, s.pid, 0) > sha_done) {
            sha_done++;
            assert_memory_equal(s.dest, s.expect, sizeof s.expect);
            if (sha_done < ROUNDS) {
                assert_success(command(&sha, s.pid, SHA_CMD_HASH));
            }
        }
        if (fake_grant_upcall_count_for(HMAC_DRIVER_NUM, h.pid, 0) > hmac_done) {
            hmac_done++;
            assert_memory_equal(h.dest, h.expect, sizeof h.expect);
            if (hmac_done < ROUNDS) {
                assert_success(command(&hmac, h.pid, DIGEST_DRIVER_CMD_RUN));
            }
        }
    }
    assert_string_equal(order, "SHSHSHSHSHSH");
    assert_int_equal(unit.busy_calls, 0);
}

/* An open HMAC session (one update done), and a SHA request that has to wait for it. */
static void open_session_with_sha_waiting(struct client *h, struct client *s)
{
    client_setup(h, &hmac, 120, 7);
    client_setup(s, &sha, 90, 8);
    assert_success(command(&hmac, h->pid, DIGEST_DRIVER_CMD_UPDATE));
    run_all();
    assert_int_equal(fake_grant_upcall_count_for(HMAC_DRIVER_NUM, h->pid, 0), 1);
    assert_success(command(&sha, s->pid, SHA_CMD_HASH)); /* queued: success, not BUSY */
    run_all();
    assert_int_equal(fake_grant_upcall_count_for(SHA_DRIVER_NUM, s->pid, 0), 0);
    assert_false(unit.is_busy); /* the SHA device waits in the mux for the message to end */
}

static void test_hmac_session_keeps_the_unit_and_sha_completes_after_finish(void **state)
{
    (void)state;
    struct client h, s;
    open_session_with_sha_waiting(&h, &s);
    assert_success(command(&hmac, h.pid, DIGEST_DRIVER_CMD_UPDATE)); /* the data again */
    run_all();
    assert_int_equal(fake_grant_upcall_count_for(SHA_DRIVER_NUM, s.pid, 0), 0);
    assert_success(command(&hmac, h.pid, DIGEST_DRIVER_CMD_FINISH));
    run_all();
    uint8_t twice[240];
    memcpy(twice, h.data, 120);
    memcpy(twice + 120, h.data, 120);
    hmac_sha256(hmac_key, sizeof hmac_key - 1, twice, sizeof twice, h.expect);
    assert_int_equal(fake_grant_upcall_count_for(HMAC_DRIVER_NUM, h.pid, 0), 3);
    assert_memory_equal(h.dest, h.expect, sizeof h.expect);
    expect_result(&s);
    assert_int_equal(unit.busy_calls, 0);
}

static void test_expired_hmac_session_lets_the_waiting_sha_run(void **state)
{
    (void)state;
    struct client h, s;
    open_session_with_sha_waiting(&h, &s);
    advance(IDLE_TICKS + 1);
    run_all();
    expect_result(&s);
    struct syscall_return ret = command(&hmac, h.pid, DIGEST_DRIVER_CMD_FINISH);
    assert_int_equal(ret.variant, SYSCALL_FAILURE);
    assert_int_equal(ret.values[0], ERR_CANCEL); /* its session was cancelled, once */
}

static void test_dying_hmac_session_owner_lets_the_waiting_sha_run(void **state)
{
    (void)state;
    struct client h, s;
    open_session_with_sha_waiting(&h, &s);
    fake_process_kill(h.pid);
    hmac.queue.exit_hook.on_exit(&hmac.queue.exit_hook, h.pid); /* as kernel/process.c does */
    run_all();
    expect_result(&s);
    /* A new HMAC client starts a fresh message with its own key. */
    struct client h2;
    client_setup(&h2, &hmac, 33, 9);
    assert_success(command(&hmac, h2.pid, DIGEST_DRIVER_CMD_RUN));
    run_all();
    expect_result(&h2);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup(test_sha_and_hmac_requests_together_all_get_right_answers, setup),
        cmocka_unit_test_setup(test_drivers_alternate_message_by_message, setup),
        cmocka_unit_test_setup(test_hmac_session_keeps_the_unit_and_sha_completes_after_finish,
                               setup),
        cmocka_unit_test_setup(test_expired_hmac_session_lets_the_waiting_sha_run, setup),
        cmocka_unit_test_setup(test_dying_hmac_session_owner_lets_the_waiting_sha_run, setup),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
