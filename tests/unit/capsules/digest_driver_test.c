/* SPDX-License-Identifier: Apache-2.0 OR MIT */
/*
 * Host tests for the SHA (0x40005) and HMAC (0x40003) syscall drivers (capsules/extra/
 * digest_driver.c, sha.c, hmac.c) over fake digest units, fake grants and processes, and the
 * real command queue.
 *
 * What is checked: Tock's current SHA protocol (exists, set algorithm, hash; allows in slot 0, a
 * 32-byte destination, NOMEM for a second request) and libtock-c's HMAC protocol, and results
 * (FIPS 180-4 and RFC 4231 vectors, digests of longer messages against the software library);
 * data copied in chunks of at most
 * DIGEST_DRIVER_CHUNK_LEN bytes; several processes queued in arrival order with every command
 * answered success or ALREADY, never BUSY, and the unit never asked for a second operation
 * while one is outstanding; an update ... finish session keeping the driver; an idle session
 * cancelled after the timeout (the owner then gets CANCEL once); a process dying mid-request
 * (its outstanding operation drained and discarded, the unit cleared, and only then the next
 * request started) or between the commands of its session.
 *
 * Usage: make build/host/digest_driver_test (or `make unit` for every test).
 *
 * Invariants: each test starts from setup() with no processes, idle units and clock 0.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include "driver_command.h"

#include "../crypto/hex.h"
#include "capsules/driver_num.h"
#include "capsules/hmac.h"
#include "capsules/sha.h"
#include "fake_alarm.h"
#include "fake_crypto_hil.h"
#include "fake_grant.h"
#include "kernel/deferred_call.h"

#define SLOTS 4u
#define IDLE_TICKS 1000u

#define SHA256_ABC "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad"
#define SHA256_EMPTY "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855"
#define RFC4231_CASE2_KEY "Jefe"
#define RFC4231_CASE2_DATA "what do ya want for nothing?"
#define RFC4231_CASE2_MAC "5bdcc146bf60754e6a042426089575c75a003f089d2739839dec58b964ec3843"

static struct fake_digest sha_unit;
static struct fake_digest hmac_unit;
static struct digest_driver sha;
static struct digest_driver hmac;
static struct cmd_queue_entry sha_entries[SLOTS];
static struct cmd_queue_entry hmac_entries[SLOTS];
static struct fake_alarm sha_alarm;
static struct fake_alarm hmac_alarm;
static uint32_t clock_now; /* the queues' clock; the fake alarms keep the same time */
static size_t longest_chunk;

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
    fake_digest_init(&sha_unit);
    fake_digest_init(&hmac_unit);
    clock_now = 0;
    longest_chunk = 0;
    fake_alarm_init(&sha_alarm, 1000, 0);
    fake_alarm_init(&hmac_alarm, 1000, 0);
    assert_int_equal(sha_driver_init(&sha, &sha_unit.digest, &sha_alarm.alarm, NULL,
                                     &queue_config, sha_entries, SLOTS),
                     ERR_OK);
    assert_int_equal(hmac_driver_init(&hmac, &hmac_unit.digest, &hmac_alarm.alarm, NULL,
                                      &queue_config, hmac_entries, SLOTS),
                     ERR_OK);
    return 0;
}

/* ---------------------------------------------------------------- helpers */

static struct syscall_return command(struct digest_driver *d, struct process_id pid,
                                     uint32_t num, uint32_t arg0)
{
    return driver_command(&d->driver, num, arg0, 0, pid);
}

static void assert_success(struct syscall_return ret)
{
    assert_int_equal(ret.variant, SYSCALL_SUCCESS);
}

static void assert_failure(struct syscall_return ret, err_t err)
{
    assert_int_equal(ret.variant, SYSCALL_FAILURE);
    assert_int_equal(ret.values[0], err);
}

static void note_chunk(const struct fake_digest *unit)
{
    if (unit->is_busy && unit->operation == FAKE_DIGEST_ADD_DATA && unit->len > longest_chunk) {
        longest_chunk = unit->len;
    }
}

/* Run deferred calls only: the units' operations stay outstanding. */
static void pump(void)
{
    for (unsigned rounds = 0; deferred_call_has_pending(); rounds++) {
        assert_true(rounds < 1000);
        deferred_call_service();
    }
}

/* Run everything to quiescence, completing every unit operation with ERR_OK. */
static void run_all(void)
{
    for (unsigned rounds = 0;; rounds++) {
        assert_true(rounds < 100000);
        note_chunk(&sha_unit);
        note_chunk(&hmac_unit);
        if (deferred_call_has_pending()) {
            deferred_call_service();
        } else if (sha_unit.is_busy) {
            fake_digest_complete(&sha_unit, ERR_OK);
        } else if (hmac_unit.is_busy) {
            fake_digest_complete(&hmac_unit, ERR_OK);
        } else {
            return;
        }
    }
}

/* Time passes: the alarms fire what is due (as the alarm mux would). */
static void advance(uint32_t ticks)
{
    clock_now += ticks;
    (void)fake_alarm_advance(&sha_alarm, ticks);
    (void)fake_alarm_advance(&hmac_alarm, ticks);
}

static void allow_data(struct digest_driver *d, struct process_id pid, const void *buf,
                       size_t len)
{
    fake_process_allow_ro(pid, d->config->driver_num, d->config->allow_ro_data, buf, len);
}

static void allow_dest(struct digest_driver *d, struct process_id pid, void *buf, size_t len)
{
    fake_process_allow_rw(pid, d->config->driver_num, d->config->allow_rw_dest, buf, len);
}

static void allow_key(struct process_id pid, const void *key, size_t len)
{
    fake_process_allow_ro(pid, HMAC_DRIVER_NUM, DIGEST_DRIVER_ALLOW_RO_KEY, key, len);
}

static void assert_upcall(size_t i, uint32_t driver_num, struct process_id pid,
                          uint32_t subscribe, err_t status, uint32_t arg1)
{
    const struct fake_upcall *u = fake_grant_upcall(i);
    assert_int_equal(u->driver_num, driver_num);
    assert_true(process_id_equal(u->pid, pid));
    assert_int_equal(u->subscribe_num, subscribe);
    assert_int_equal(u->args[0], status);
    assert_int_equal(u->args[1], arg1);
    assert_int_equal(u->args[2], 0);
}

static void assert_digest_done(size_t i, struct digest_driver *d, struct process_id pid,
                               err_t status)
{
    assert_upcall(i, d->config->driver_num, pid, DIGEST_DRIVER_SUBSCRIBE_DIGEST, status, 0);
}

static void expect_hex(const uint8_t *bytes, const char *expect_hex)
{
    uint8_t expect[64];
    size_t len = strlen(expect_hex) / 2;
    assert_true(len <= sizeof expect);
    hex_decode(expect_hex, expect, len);
    assert_memory_equal(bytes, expect, len);
}

static void fill(uint8_t *buf, size_t len, uint8_t seed)
{
    for (size_t i = 0; i < len; i++) {
        buf[i] = (uint8_t)(seed + i * 7u + (i >> 3));
    }
}

/* A process with data, destination and the other slots it needs, for one message. */
struct client {
    struct process_id pid;
    uint8_t data[300];
    size_t len;
    uint8_t dest[32];
    uint8_t expect[32];
};

static void client_setup(struct client *c, struct digest_driver *d, size_t len, uint8_t seed)
{
    c->pid = fake_process_create();
    c->len = len;
    fill(c->data, len, seed);
    memset(c->dest, 0xee, sizeof c->dest);
    allow_data(d, c->pid, c->data, len);
    allow_dest(d, c->pid, c->dest, sizeof c->dest);
    if (d == &hmac) {
        static const uint8_t key[] = "a process key";
        allow_key(c->pid, key, sizeof key - 1);
        hmac_sha256(key, sizeof key - 1, c->data, len, c->expect);
    } else {
        sha256_digest(c->data, len, c->expect);
    }
}

/* ---------------------------------------------------------------- protocol */

static void test_set_algorithm_is_the_existence_check(void **state)
{
    (void)state;
    struct process_id a = fake_process_create();
    assert_success(command(&sha, a, SHA_CMD_EXISTS, 0));
    assert_success(command(&sha, a, SHA_CMD_SET_ALGORITHM, SHA_ALGORITHM_SHA256));
    assert_success(command(&hmac, a, HMAC_CMD_SET_ALGORITHM, 0));
    for (uint32_t algorithm = 1; algorithm <= 5; algorithm++) { /* SHA-384 ... MD5 */
        assert_failure(command(&sha, a, SHA_CMD_SET_ALGORITHM, algorithm), ERR_NOSUPPORT);
        assert_failure(command(&hmac, a, HMAC_CMD_SET_ALGORITHM, algorithm), ERR_NOSUPPORT);
    }
    for (uint32_t old = 3; old <= 6; old++) { /* the pre-2026 update/finish/verify layout */
        assert_failure(command(&sha, a, old, 0), ERR_NOSUPPORT);
    }
    assert_failure(command(&hmac, a, 99, 0), ERR_NOSUPPORT);
    assert_false(grant_is_allocated(&sha.grant, a)); /* no side effects */
    assert_int_equal(deferred_call_has_pending(), false);
}

static void test_sha_allows_are_slot_zero_and_the_digest_must_be_32_bytes(void **state)
{
    (void)state;
    struct process_id a = fake_process_create();
    uint8_t dest[33];
    fake_process_allow_ro(a, SHA_DRIVER_NUM, 0, "abc", 3);
    fake_process_allow_rw(a, SHA_DRIVER_NUM, 0, dest, 32);
    assert_success(command(&sha, a, SHA_CMD_HASH, 0));
    assert_failure(command(&sha, a, SHA_CMD_HASH, 0), ERR_NOMEM); /* one outstanding */
    run_all();
    assert_upcall(0, SHA_DRIVER_NUM, a, SHA_SUBSCRIBE_HASH, ERR_OK, 0);
    expect_hex(dest, SHA256_ABC);
    memset(dest, 0xee, sizeof dest);
    fake_process_allow_rw(a, SHA_DRIVER_NUM, 0, dest, 16);
    assert_success(command(&sha, a, SHA_CMD_HASH, 0));
    run_all();
    assert_upcall(1, SHA_DRIVER_NUM, a, SHA_SUBSCRIBE_HASH, ERR_NOMEM, 0);
    fake_process_allow_rw(a, SHA_DRIVER_NUM, 0, dest, 33);
    assert_success(command(&sha, a, SHA_CMD_HASH, 0));
    run_all();
    assert_upcall(2, SHA_DRIVER_NUM, a, SHA_SUBSCRIBE_HASH, ERR_NOMEM, 0);
    assert_int_equal(dest[0], 0xee); /* nothing written to a wrong-sized destination */
}

static void test_run_hashes_fips_vectors(void **state)
{
    (void)state;
    struct process_id a = fake_process_create();
    uint8_t dest[32];
    allow_dest(&sha, a, dest, sizeof dest);
    allow_data(&sha, a, "abc", 3);
    assert_success(command(&sha, a, SHA_CMD_HASH, 0));
    assert_int_equal(fake_grant_upcall_count(), 0); /* later, from the queue */
    run_all();
    assert_digest_done(0, &sha, a, ERR_OK);
    expect_hex(dest, SHA256_ABC);
    allow_data(&sha, a, NULL, 0); /* the empty message */
    assert_success(command(&sha, a, SHA_CMD_HASH, 0));
    run_all();
    assert_digest_done(1, &sha, a, ERR_OK);
    expect_hex(dest, SHA256_EMPTY);
    assert_int_equal(sha_unit.clear_calls, 2); /* the unit is cleared after every message */
}

static void test_run_copies_long_data_in_bounded_chunks(void **state)
{
    (void)state;
    struct client c;
    client_setup(&c, &sha, 300, 1);
    assert_success(command(&sha, c.pid, SHA_CMD_HASH, 0));
    run_all();
    assert_digest_done(0, &sha, c.pid, ERR_OK);
    assert_memory_equal(c.dest, c.expect, sizeof c.expect);
    assert_int_equal(longest_chunk, DIGEST_DRIVER_CHUNK_LEN);
    assert_int_equal(sha_unit.operations, 5 + 1); /* 64 * 4 + 44, then finish */
    assert_int_equal(sha_unit.busy_calls, 0);
}

static void test_hmac_run_matches_rfc4231_and_truncates_to_the_allow(void **state)
{
    (void)state;
    struct process_id a = fake_process_create();
    uint8_t mac[32];
    uint8_t short_mac[16];
    allow_key(a, RFC4231_CASE2_KEY, 4);
    allow_data(&hmac, a, RFC4231_CASE2_DATA, strlen(RFC4231_CASE2_DATA));
    allow_dest(&hmac, a, mac, sizeof mac);
    assert_success(command(&hmac, a, DIGEST_DRIVER_CMD_RUN, 0));
    run_all();
    assert_digest_done(0, &hmac, a, ERR_OK);
    expect_hex(mac, RFC4231_CASE2_MAC);
    assert_int_equal(hmac_unit.clear_calls, 1); /* the key is wiped after the message */
    memset(short_mac, 0, sizeof short_mac);
    allow_dest(&hmac, a, short_mac, sizeof short_mac);
    assert_success(command(&hmac, a, DIGEST_DRIVER_CMD_RUN, 0));
    run_all();
    assert_digest_done(1, &hmac, a, ERR_OK);
    assert_memory_equal(short_mac, mac, sizeof short_mac);
}

static void test_verify_reports_equal_and_different(void **state)
{
    (void)state;
    struct process_id a = fake_process_create();
    uint8_t compare[32];
    allow_key(a, RFC4231_CASE2_KEY, 4);
    allow_data(&hmac, a, RFC4231_CASE2_DATA, strlen(RFC4231_CASE2_DATA));
    hex_decode(RFC4231_CASE2_MAC, compare, sizeof compare);
    fake_process_allow_ro(a, HMAC_DRIVER_NUM, DIGEST_DRIVER_ALLOW_RO_COMPARE, compare,
                          sizeof compare);
    assert_success(command(&hmac, a, DIGEST_DRIVER_CMD_VERIFY, 0));
    run_all();
    assert_upcall(0, HMAC_DRIVER_NUM, a, DIGEST_DRIVER_SUBSCRIBE_VERIFY, ERR_OK, 1);
    compare[31] ^= 1;
    assert_success(command(&hmac, a, DIGEST_DRIVER_CMD_VERIFY, 0));
    run_all();
    assert_upcall(1, HMAC_DRIVER_NUM, a, DIGEST_DRIVER_SUBSCRIBE_VERIFY, ERR_OK, 0);
    fake_process_allow_ro(a, HMAC_DRIVER_NUM, DIGEST_DRIVER_ALLOW_RO_COMPARE, compare, 16);
    assert_success(command(&hmac, a, DIGEST_DRIVER_CMD_VERIFY, 0));
    run_all();
    assert_upcall(2, HMAC_DRIVER_NUM, a, DIGEST_DRIVER_SUBSCRIBE_VERIFY, ERR_SIZE, 0);
}

static void test_failures_are_reported_and_free_the_driver(void **state)
{
    (void)state;
    struct process_id a = fake_process_create();
    uint8_t long_key[DIGEST_DRIVER_KEY_MAX + 1] = { 0 };
    uint8_t mac[32];
    allow_key(a, long_key, sizeof long_key);
    allow_data(&hmac, a, "x", 1);
    allow_dest(&hmac, a, mac, sizeof mac);
    assert_success(command(&hmac, a, DIGEST_DRIVER_CMD_UPDATE, 0));
    run_all();
    assert_digest_done(0, &hmac, a, ERR_SIZE); /* key longer than a block */
    assert_int_equal(hmac.queue.owner, CMD_QUEUE_NO_OWNER); /* no session was kept */

    allow_key(a, RFC4231_CASE2_KEY, 4);
    allow_dest(&hmac, a, NULL, 0);
    assert_success(command(&hmac, a, DIGEST_DRIVER_CMD_RUN, 0));
    run_all();
    assert_digest_done(1, &hmac, a, ERR_NOMEM); /* nowhere to put the MAC */

    allow_dest(&hmac, a, mac, sizeof mac);
    hmac_unit.next_result = ERR_FAIL; /* the unit refuses the data */
    assert_success(command(&hmac, a, DIGEST_DRIVER_CMD_UPDATE, 0));
    run_all();
    assert_digest_done(2, &hmac, a, ERR_FAIL);
    assert_int_equal(hmac.queue.owner, CMD_QUEUE_NO_OWNER);
    assert_false(hmac.is_message_open);

    assert_success(command(&hmac, a, DIGEST_DRIVER_CMD_UPDATE, 0));
    pump();
    fake_digest_complete(&hmac_unit, ERR_FAIL); /* the unit fails mid-operation */
    run_all();
    assert_digest_done(3, &hmac, a, ERR_FAIL);
    assert_false(hmac.is_message_open);
    assert_int_equal(hmac_unit.busy_calls, 0);
}

static void test_allow_shrinking_mid_command_fails_with_size(void **state)
{
    (void)state;
    struct client c;
    client_setup(&c, &sha, 200, 3);
    assert_success(command(&sha, c.pid, SHA_CMD_HASH, 0));
    pump();
    assert_true(sha_unit.is_busy); /* first chunk */
    allow_data(&sha, c.pid, c.data, 10);
    fake_digest_complete(&sha_unit, ERR_OK);
    run_all();
    assert_digest_done(0, &sha, c.pid, ERR_SIZE);
    assert_int_equal(sha.queue.owner, CMD_QUEUE_NO_OWNER);
}

/* ---------------------------------------------------------------- sharing */

static void test_processes_are_served_in_arrival_order_never_busy(void **state)
{
    (void)state;
    struct client c[3];
    for (unsigned i = 0; i < 3; i++) {
        client_setup(&c[i], &sha, 100 + 50 * i, (uint8_t)(10 * i));
    }
    static const unsigned arrival[] = { 2, 0, 1 };
    for (unsigned i = 0; i < 3; i++) {
        assert_success(command(&sha, c[arrival[i]].pid, SHA_CMD_HASH, 0));
    }
    for (unsigned i = 0; i < 3; i++) { /* one outstanding request per process */
        assert_failure(command(&sha, c[i].pid, SHA_CMD_HASH, 0), ERR_NOMEM);
    }
    run_all();
    assert_int_equal(fake_grant_upcall_count(), 3);
    for (unsigned i = 0; i < 3; i++) {
        assert_digest_done(i, &sha, c[arrival[i]].pid, ERR_OK);
        assert_memory_equal(c[i].dest, c[i].expect, sizeof c[i].expect);
    }
    assert_int_equal(sha_unit.busy_calls, 0);
}

static void test_hammering_processes_each_get_their_share(void **state)
{
    (void)state;
    struct client c[3];
    unsigned done[3] = { 0 };
    for (unsigned i = 0; i < 3; i++) {
        client_setup(&c[i], &hmac, 70 + 60 * i, (uint8_t)(3 * i));
        assert_success(command(&hmac, c[i].pid, DIGEST_DRIVER_CMD_RUN, 0));
    }
    size_t seen = 0;
    for (unsigned rounds = 0; done[0] + done[1] + done[2] < 90; rounds++) {
        assert_true(rounds < 200000);
        if (deferred_call_has_pending()) {
            deferred_call_service();
        } else if (hmac_unit.is_busy) {
            fake_digest_complete(&hmac_unit, ERR_OK);
        }
        for (; seen < fake_grant_upcall_count(); seen++) { /* each asks again at once */
            const struct fake_upcall *u = fake_grant_upcall(seen);
            assert_int_equal(u->args[0], ERR_OK);
            unsigned i = u->pid.index;
            assert_memory_equal(c[i].dest, c[i].expect, sizeof c[i].expect);
            memset(c[i].dest, 0, sizeof c[i].dest);
            done[i]++;
            assert_success(command(&hmac, c[i].pid, DIGEST_DRIVER_CMD_RUN, 0));
        }
        fake_grant_clear_upcalls();
        seen = 0;
    }
    for (unsigned i = 0; i < 3; i++) {
        assert_int_equal(done[i], 30); /* strict turns: nobody gets ahead */
    }
    assert_int_equal(hmac_unit.busy_calls, 0);
}

static void test_update_session_keeps_the_driver_until_finish(void **state)
{
    (void)state;
    struct client a;
    struct client b;
    client_setup(&a, &hmac, 250, 5);
    client_setup(&b, &hmac, 40, 9);
    allow_data(&hmac, a.pid, a.data, 100);
    assert_success(command(&hmac, a.pid, DIGEST_DRIVER_CMD_UPDATE, 0));
    run_all();
    assert_digest_done(0, &hmac, a.pid, ERR_OK);
    assert_success(command(&hmac, b.pid, DIGEST_DRIVER_CMD_RUN, 0)); /* queued behind A */
    run_all();
    assert_int_equal(fake_grant_upcall_count(), 1); /* B waits while A's session is idle */
    allow_data(&hmac, a.pid, &a.data[100], 150);
    assert_success(command(&hmac, a.pid, DIGEST_DRIVER_CMD_UPDATE, 0)); /* ahead of B */
    run_all();
    assert_digest_done(1, &hmac, a.pid, ERR_OK);
    assert_success(command(&hmac, a.pid, DIGEST_DRIVER_CMD_FINISH, 0));
    run_all();
    assert_digest_done(2, &hmac, a.pid, ERR_OK);
    assert_memory_equal(a.dest, a.expect, sizeof a.expect);
    assert_digest_done(3, &hmac, b.pid, ERR_OK); /* B right after A's finish */
    assert_memory_equal(b.dest, b.expect, sizeof b.expect);
    assert_int_equal(hmac_unit.set_mode_calls, 2); /* one key load per message */
}

static void test_run_after_update_completes_the_session_message(void **state)
{
    (void)state;
    struct client a;
    client_setup(&a, &hmac, 130, 8);
    allow_data(&hmac, a.pid, a.data, 64);
    assert_success(command(&hmac, a.pid, DIGEST_DRIVER_CMD_UPDATE, 0));
    run_all();
    allow_data(&hmac, a.pid, &a.data[64], 66);
    assert_success(command(&hmac, a.pid, DIGEST_DRIVER_CMD_RUN, 0));
    run_all();
    assert_digest_done(1, &hmac, a.pid, ERR_OK);
    assert_memory_equal(a.dest, a.expect, sizeof a.expect);
    assert_int_equal(hmac.queue.owner, CMD_QUEUE_NO_OWNER);
}

static void test_idle_session_expires_and_owner_gets_cancel_once(void **state)
{
    (void)state;
    struct client a;
    struct client b;
    client_setup(&a, &hmac, 64, 1);
    client_setup(&b, &hmac, 64, 2);
    assert_success(command(&hmac, a.pid, DIGEST_DRIVER_CMD_UPDATE, 0));
    run_all();
    assert_true(hmac_alarm.is_armed); /* the session is idle: its deadline is set */
    assert_success(command(&hmac, b.pid, DIGEST_DRIVER_CMD_RUN, 0));
    run_all();
    assert_int_equal(fake_grant_upcall_count(), 1);
    advance(IDLE_TICKS - 1);
    run_all();
    assert_int_equal(fake_grant_upcall_count(), 1); /* not yet */
    unsigned clears = hmac_unit.clear_calls;
    advance(1); /* the driver's alarm fires */
    assert_int_equal(hmac.queue.sessions_expired, 1);
    assert_int_equal(hmac_unit.clear_calls, clears + 1); /* A's message dropped */
    run_all();
    assert_digest_done(1, &hmac, b.pid, ERR_OK); /* B served */
    assert_memory_equal(b.dest, b.expect, sizeof b.expect);
    assert_failure(command(&hmac, a.pid, DIGEST_DRIVER_CMD_FINISH, 0), ERR_CANCEL);
    assert_success(command(&hmac, a.pid, DIGEST_DRIVER_CMD_RUN, 0)); /* a fresh message */
    run_all();
    assert_digest_done(2, &hmac, a.pid, ERR_OK);
    assert_memory_equal(a.dest, a.expect, sizeof a.expect);
}

static void test_session_alarm_follows_the_idle_gaps_only(void **state)
{
    (void)state;
    struct client a;
    client_setup(&a, &hmac, 64, 1);
    assert_success(command(&hmac, a.pid, DIGEST_DRIVER_CMD_RUN, 0));
    run_all();
    assert_false(hmac_alarm.is_armed); /* no session, no timer */
    assert_success(command(&hmac, a.pid, DIGEST_DRIVER_CMD_UPDATE, 0));
    run_all();
    assert_true(hmac_alarm.is_armed);
    advance(IDLE_TICKS - 100);
    assert_success(command(&hmac, a.pid, DIGEST_DRIVER_CMD_UPDATE, 0)); /* resumes it */
    run_all();
    advance(100); /* the first deadline passes: it was moved, the session lives on */
    assert_int_equal(hmac.queue.sessions_expired, 0);
    assert_int_equal(hmac_alarm.fire_count, 0);
    assert_true(hmac_alarm.is_armed); /* for the end of the second idle gap */
    advance(IDLE_TICKS - 101);
    assert_int_equal(hmac.queue.sessions_expired, 0);
    advance(1);
    assert_int_equal(hmac.queue.sessions_expired, 1);
    assert_false(hmac_alarm.is_armed);
    assert_failure(command(&hmac, a.pid, DIGEST_DRIVER_CMD_FINISH, 0), ERR_CANCEL);
}

/* ---------------------------------------------------------------- process death */

static void kill(struct digest_driver *d, struct process_id pid)
{
    fake_process_kill(pid);
    d->queue.exit_hook.on_exit(&d->queue.exit_hook, pid); /* as kernel/process.c does */
}

static void test_death_mid_request_is_cleaned_up_before_the_next_starts(void **state)
{
    (void)state;
    struct client a;
    struct client b;
    client_setup(&a, &hmac, 300, 4);
    client_setup(&b, &hmac, 90, 6);
    assert_success(command(&hmac, a.pid, DIGEST_DRIVER_CMD_RUN, 0));
    assert_success(command(&hmac, b.pid, DIGEST_DRIVER_CMD_RUN, 0));
    pump();
    fake_digest_complete(&hmac_unit, ERR_OK); /* A's first chunk */
    pump();
    assert_true(hmac_unit.is_busy); /* A's second chunk is in the unit */
    unsigned operations = hmac_unit.operations;
    kill(&hmac, a.pid);
    pump();
    assert_int_equal(hmac_unit.operations, operations); /* B must wait for the unit */
    assert_int_equal(hmac_unit.busy_calls, 0);
    unsigned clears = hmac_unit.clear_calls;
    fake_digest_complete(&hmac_unit, ERR_OK); /* A's chunk drains */
    assert_int_equal(hmac_unit.clear_calls, clears + 1); /* A's key and message dropped */
    assert_false(hmac_unit.is_busy);
    run_all();
    assert_int_equal(fake_grant_upcall_count(), 1); /* nothing for dead A */
    assert_digest_done(0, &hmac, b.pid, ERR_OK);
    assert_memory_equal(b.dest, b.expect, sizeof b.expect);
}

static void test_death_while_finishing_discards_the_digest(void **state)
{
    (void)state;
    struct client a;
    struct client b;
    client_setup(&a, &sha, 10, 4);
    client_setup(&b, &sha, 20, 6);
    assert_success(command(&sha, a.pid, SHA_CMD_HASH, 0));
    assert_success(command(&sha, b.pid, SHA_CMD_HASH, 0));
    pump();
    fake_digest_complete(&sha_unit, ERR_OK); /* the data */
    assert_int_equal(sha_unit.operation, FAKE_DIGEST_FINISH);
    kill(&sha, a.pid);
    pump();
    fake_digest_complete(&sha_unit, ERR_OK);
    run_all();
    assert_int_equal(fake_grant_upcall_count(), 1);
    assert_digest_done(0, &sha, b.pid, ERR_OK);
    assert_memory_equal(b.dest, b.expect, sizeof b.expect);
    for (size_t i = 0; i < sizeof sha.out; i++) {
        assert_int_equal(sha.out[i], 0); /* staging wiped */
    }
}

static void test_death_between_session_commands_frees_the_driver(void **state)
{
    (void)state;
    struct client a;
    struct client b;
    client_setup(&a, &hmac, 64, 4);
    client_setup(&b, &hmac, 64, 6);
    assert_success(command(&hmac, a.pid, DIGEST_DRIVER_CMD_UPDATE, 0));
    run_all();
    assert_success(command(&hmac, b.pid, DIGEST_DRIVER_CMD_RUN, 0));
    run_all();
    unsigned clears = hmac_unit.clear_calls;
    kill(&hmac, a.pid);
    assert_int_equal(hmac_unit.clear_calls, clears + 1);
    run_all();
    assert_digest_done(1, &hmac, b.pid, ERR_OK);
    assert_memory_equal(b.dest, b.expect, sizeof b.expect);
    struct process_id a2 = fake_process_create(); /* the slot's next process starts clean */
    uint8_t mac[32];
    allow_key(a2, RFC4231_CASE2_KEY, 4);
    allow_data(&hmac, a2, RFC4231_CASE2_DATA, strlen(RFC4231_CASE2_DATA));
    allow_dest(&hmac, a2, mac, sizeof mac);
    assert_success(command(&hmac, a2, DIGEST_DRIVER_CMD_FINISH, 0)); /* empty message */
    run_all();
    assert_success(command(&hmac, a2, DIGEST_DRIVER_CMD_RUN, 0));
    run_all();
    expect_hex(mac, RFC4231_CASE2_MAC);
}

static void test_queued_process_that_dies_is_skipped(void **state)
{
    (void)state;
    struct client c[3];
    for (unsigned i = 0; i < 3; i++) {
        client_setup(&c[i], &sha, 64, (uint8_t)i);
        assert_success(command(&sha, c[i].pid, SHA_CMD_HASH, 0));
    }
    kill(&sha, c[1].pid);
    run_all();
    assert_int_equal(fake_grant_upcall_count(), 2);
    assert_digest_done(0, &sha, c[0].pid, ERR_OK);
    assert_digest_done(1, &sha, c[2].pid, ERR_OK);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup(test_set_algorithm_is_the_existence_check, setup),
        cmocka_unit_test_setup(test_sha_allows_are_slot_zero_and_the_digest_must_be_32_bytes,
                               setup),
        cmocka_unit_test_setup(test_run_hashes_fips_vectors, setup),
        cmocka_unit_test_setup(test_run_copies_long_data_in_bounded_chunks, setup),
        cmocka_unit_test_setup(test_hmac_run_matches_rfc4231_and_truncates_to_the_allow, setup),
        cmocka_unit_test_setup(test_verify_reports_equal_and_different, setup),
        cmocka_unit_test_setup(test_failures_are_reported_and_free_the_driver, setup),
        cmocka_unit_test_setup(test_allow_shrinking_mid_command_fails_with_size, setup),
        cmocka_unit_test_setup(test_processes_are_served_in_arrival_order_never_busy, setup),
        cmocka_unit_test_setup(test_hammering_processes_each_get_their_share, setup),
        cmocka_unit_test_setup(test_update_session_keeps_the_driver_until_finish, setup),
        cmocka_unit_test_setup(test_run_after_update_completes_the_session_message, setup),
        cmocka_unit_test_setup(test_idle_session_expires_and_owner_gets_cancel_once, setup),
        cmocka_unit_test_setup(test_session_alarm_follows_the_idle_gaps_only, setup),
        cmocka_unit_test_setup(test_death_mid_request_is_cleaned_up_before_the_next_starts,
                               setup),
        cmocka_unit_test_setup(test_death_while_finishing_discards_the_digest, setup),
        cmocka_unit_test_setup(test_death_between_session_commands_frees_the_driver, setup),
        cmocka_unit_test_setup(test_queued_process_that_dies_is_skipped, setup),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
