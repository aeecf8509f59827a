/* SPDX-License-Identifier: Apache-2.0 OR MIT */
/*
 * Host tests for the AES syscall driver (capsules/extra/aes.c) over a fake AES unit (block
 * modes) and the real crypto engine AES unit's AEAD interface (CCM, GCM), fake grants and
 * processes, and the real command queue.
 *
 * What is checked: libtock-c's protocol and results (NIST SP 800-38A F.1, F.2, F.5 vectors,
 * round trips of longer data against the software library); data moved in chunks of at most
 * AES_DRIVER_CHUNK_LEN bytes; a setup ... crypt ... finish session that keeps the chaining value
 * and the driver; several processes queued in arrival order, every command answered success,
 * ALREADY or OFF, never BUSY, and the unit never asked for a second crypt while one is
 * outstanding; an idle session cancelled after the timeout (the owner then gets CANCEL once);
 * a process dying mid-crypt (its crypt drained and discarded, the key wiped, and only then the
 * next request started) or between the commands of its session. CCM and GCM through the
 * syscalls: SP 800-38C example 3 and GCM test case 4 with a header before the associated data,
 * decryption verifying the tag (verified 1) and reporting a mismatch (SUCCESS, verified 0), a
 * destination too short for the tag, the parameter commands, crypt refused in a CCM session,
 * and a process dying mid-message.
 *
 * Usage: make build/host/aes_driver_test (or `make unit` for every test).
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

#include "../crypto/hex.h"
#include "capsules/aes.h"
#include "capsules/driver_num.h"
#include "fake_alarm.h"
#include "fake_crypto_hil.h"
#include "fake_grant.h"
#include "crypto_engine/aes.h"
#include "crypto_engine/engine.h"
#include "kernel/deferred_call.h"
#include "support/mutex.h"

#define SLOTS 4u
#define IDLE_TICKS 1000u

#define SP800_38A_KEY "2b7e151628aed2a6abf7158809cf4f3c"
#define SP800_38A_PLAIN                                                                            \
    "6bc1bee22e409f96e93d7e117393172aae2d8a571e03ac9c9eb76fac45af8e51"                             \
    "30c81c46a35ce411e5fbc1191a0a52eff69f2445df4f9b17ad2b417be66c3710"
#define SP800_38A_ECB_CIPHER                                                                       \
    "3ad77bb40d7a3660a89ecaf32466ef97f5d3d58503b9699de785895a96fdbaaf"                             \
    "43b1cd7f598ece23881b00e3ed0306887b0c785e27e8ad3f8223207104725dd4"
#define SP800_38A_CBC_IV "000102030405060708090a0b0c0d0e0f"
#define SP800_38A_CBC_CIPHER                                                                       \
    "7649abac8119b246cee98e9b12e9197d5086cb9b507219ee95db113a917678b2"                             \
    "73bed6b8e3c1743b7116e69e222295163ff1caa1681fac09120eca307586e1a7"
#define SP800_38A_CTR_COUNTER "f0f1f2f3f4f5f6f7f8f9fafbfcfdfeff"
#define SP800_38A_CTR_CIPHER                                                                       \
    "874d6191b620e3261bef6864990db6ce9806f66b7970fdff8617187bb9fffdff"                             \
    "5ae4df3edbd5d35e5b4f09020db03eab1e031dda2fbe03d1792170a0f3009cee"

static struct fake_aes unit;
static struct mutex_dispatcher mutexes;
static struct crypto_engine engine;
static struct crypto_engine_aes engine_aes; /* its AEAD interface serves CCM and GCM */
static struct aes_driver aes;
static struct cmd_queue_entry entries[SLOTS];
static struct fake_alarm session_alarm;
static uint32_t clock_now; /* the queue's clock; the fake alarm keeps the same time */
static size_t longest_chunk;

static uint32_t fake_now(void *ctx)
{
    (void)ctx;
    return clock_now;
}

static const struct cmd_queue_config queue_config = {
    .now = fake_now, .clock_ctx = NULL, .session_idle_ticks = IDLE_TICKS
};

static void fail_on_violation(const struct mutex_violation *violation, void *ctx)
{
    (void)ctx;
    fail_msg("mutex violation %s", mutex_violation_name(violation->kind));
}

static const struct mutex_dispatcher_config mutex_checks = {
    .on_violation = fail_on_violation, .now = fake_now, .is_debug = false
};

static int setup(void **state)
{
    (void)state;
    deferred_call_reset_for_test();
    fake_grant_reset();
    fake_aes_init(&unit);
    assert_int_equal(mutex_dispatcher_init(&mutexes, &mutex_checks), ERR_OK);
    assert_int_equal(crypto_engine_init(&engine, &mutexes), ERR_OK);
    crypto_engine_aes_init(&engine_aes, &engine);
    clock_now = 0;
    longest_chunk = 0;
    fake_alarm_init(&session_alarm, 1000, 0);
    assert_int_equal(aes_driver_init(&aes, &unit.aes, &engine_aes.aead, &session_alarm.alarm,
                                     NULL, &queue_config, entries, SLOTS),
                     ERR_OK);
    return 0;
}

/* ---------------------------------------------------------------- helpers */

static struct syscall_return command(struct process_id pid, uint32_t num, uint32_t arg0,
                                     uint32_t arg1)
{
    return driver_command(&aes.driver, num, arg0, arg1, pid);
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

/* Time passes: the alarm fires what is due (as the alarm mux would). */
static void advance(uint32_t ticks)
{
    clock_now += ticks;
    (void)fake_alarm_advance(&session_alarm, ticks);
}

static void pump(void)
{
    for (unsigned rounds = 0; deferred_call_has_pending(); rounds++) {
        assert_true(rounds < 1000);
        deferred_call_service();
    }
}

static void run_all(void)
{
    for (unsigned rounds = 0;; rounds++) {
        assert_true(rounds < 100000);
        if (unit.is_busy && unit.len > longest_chunk) {
            longest_chunk = unit.len;
        }
        if (deferred_call_has_pending()) {
            deferred_call_service();
        } else if (unit.is_busy) {
            fake_aes_complete(&unit, ERR_OK);
        } else {
            return;
        }
    }
}

static void assert_done(size_t i, struct process_id pid, err_t status, uint32_t bytes)
{
    const struct fake_upcall *u = fake_grant_upcall(i);
    assert_int_equal(u->driver_num, AES_DRIVER_NUM);
    assert_true(process_id_equal(u->pid, pid));
    assert_int_equal(u->subscribe_num, AES_DRIVER_SUBSCRIBE_DONE);
    assert_int_equal(u->args[0], status);
    assert_int_equal(u->args[1], bytes);
    assert_int_equal(u->args[2], 0);
}

/* A process with its own key, IV, source and destination. */
struct client {
    struct process_id pid;
    uint8_t key[16];
    uint8_t iv[16];
    uint8_t source[256];
    uint8_t dest[256];
};

static void client_allow(struct client *c, size_t source_len, size_t dest_len)
{
    fake_process_allow_ro(c->pid, AES_DRIVER_NUM, AES_DRIVER_ALLOW_RO_KEY, c->key,
                          sizeof c->key);
    fake_process_allow_ro(c->pid, AES_DRIVER_NUM, AES_DRIVER_ALLOW_RO_IV, c->iv, sizeof c->iv);
    fake_process_allow_ro(c->pid, AES_DRIVER_NUM, AES_DRIVER_ALLOW_RO_SOURCE, c->source,
                          source_len);
    fake_process_allow_rw(c->pid, AES_DRIVER_NUM, AES_DRIVER_ALLOW_RW_DEST, c->dest, dest_len);
}

/* A client set up for the SP 800-38A vectors. */
static void vector_client(struct client *c, const char *iv_hex)
{
    c->pid = fake_process_create();
    hex_decode(SP800_38A_KEY, c->key, sizeof c->key);
    if (iv_hex != NULL) {
        hex_decode(iv_hex, c->iv, sizeof c->iv);
    }
    hex_decode(SP800_38A_PLAIN, c->source, 64);
    memset(c->dest, 0xee, sizeof c->dest);
    client_allow(c, 64, 64);
}

static void random_client(struct client *c, uint8_t seed)
{
    c->pid = fake_process_create();
    for (size_t i = 0; i < sizeof c->source; i++) {
        c->source[i] = (uint8_t)(seed * 31u + i * 13u + (i >> 4));
    }
    for (size_t i = 0; i < 16; i++) {
        c->key[i] = (uint8_t)(seed + i);
        c->iv[i] = (uint8_t)(seed ^ (i * 5u));
    }
    memset(c->dest, 0, sizeof c->dest);
    client_allow(c, sizeof c->source, sizeof c->dest);
}

static void expect_hex(const uint8_t *bytes, const char *expect_hex, size_t len)
{
    uint8_t expect[64];
    assert_true(len <= sizeof expect && strlen(expect_hex) == 128);
    hex_decode(expect_hex, expect, 64);
    assert_memory_equal(bytes, expect, len);
}

/* What the driver should produce for c's source under `mode`, from the software library. */
static void reference(const struct client *c, enum hil_aes_mode mode, bool encrypting,
                      const uint8_t *src, size_t len, uint8_t *out)
{
    struct aes128_key schedule;
    uint8_t iv[16];
    memcpy(iv, c->iv, sizeof iv);
    aes128_expand_key(&schedule, c->key);
    err_t err = ERR_OK;
    if (mode == HIL_AES_CBC) {
        err = encrypting ? aes128_cbc_encrypt(&schedule, iv, src, out, len)
                         : aes128_cbc_decrypt(&schedule, iv, src, out, len);
    } else if (mode == HIL_AES_CTR) {
        aes128_ctr_crypt(&schedule, iv, src, out, len);
    } else {
        err = encrypting ? aes128_ecb_encrypt(&schedule, src, out, len)
                         : aes128_ecb_decrypt(&schedule, src, out, len);
    }
    assert_int_equal(err, ERR_OK);
}

/* ---------------------------------------------------------------- protocol */

static void test_exists_algorithms_and_unsupported_commands(void **state)
{
    (void)state;
    struct process_id a = fake_process_create();
    assert_success(command(a, AES_DRIVER_CMD_EXISTS, 0, 0));
    assert_false(grant_is_allocated(&aes.grant, a));
    assert_success(command(a, AES_DRIVER_CMD_SET_ALGORITHM, AES_DRIVER_ALGORITHM_CTR, 1));
    assert_success(command(a, AES_DRIVER_CMD_SET_ALGORITHM, AES_DRIVER_ALGORITHM_CBC, 0));
    assert_success(command(a, AES_DRIVER_CMD_SET_ALGORITHM, AES_DRIVER_ALGORITHM_ECB, 1));
    assert_success(command(a, AES_DRIVER_CMD_SET_ALGORITHM, AES_DRIVER_ALGORITHM_CCM, 1));
    assert_success(command(a, AES_DRIVER_CMD_SET_ALGORITHM, AES_DRIVER_ALGORITHM_GCM, 0));
    assert_failure(command(a, AES_DRIVER_CMD_SET_ALGORITHM, 5, 1), ERR_NOSUPPORT);
    for (uint32_t parameter = 5; parameter <= 8; parameter++) {
        assert_success(command(a, parameter, 16, 0));
    }
    assert_failure(command(a, AES_DRIVER_CMD_TAG_LEN, 17, 0), ERR_INVAL);
    assert_failure(command(a, 9, 0, 0), ERR_NOSUPPORT);
    assert_failure(command(a, AES_DRIVER_CMD_CRYPT, 0, 0), ERR_OFF); /* setup first */
    assert_failure(command(a, AES_DRIVER_CMD_FINISH, 0, 0), ERR_OFF);
    assert_int_equal(fake_grant_upcall_count(), 0);
}

static void test_setup_matches_sp800_38a_in_every_mode(void **state)
{
    (void)state;
    static const struct {
        uint32_t algorithm;
        const char *iv;
        const char *cipher;
    } modes[] = {
        { AES_DRIVER_ALGORITHM_ECB, NULL, SP800_38A_ECB_CIPHER },
        { AES_DRIVER_ALGORITHM_CBC, SP800_38A_CBC_IV, SP800_38A_CBC_CIPHER },
        { AES_DRIVER_ALGORITHM_CTR, SP800_38A_CTR_COUNTER, SP800_38A_CTR_CIPHER },
    };
    struct client c;
    size_t n = 0;
    for (size_t i = 0; i < sizeof modes / sizeof modes[0]; i++) {
        vector_client(&c, modes[i].iv);
        assert_success(command(c.pid, AES_DRIVER_CMD_SET_ALGORITHM, modes[i].algorithm, 1));
        assert_success(command(c.pid, AES_DRIVER_CMD_SETUP, 0, 0));
        run_all();
        assert_done(n++, c.pid, ERR_OK, 64);
        expect_hex(c.dest, modes[i].cipher, 64);
        assert_success(command(c.pid, AES_DRIVER_CMD_FINISH, 0, 0));
        hex_decode(modes[i].cipher, c.source, 64); /* and back */
        assert_success(command(c.pid, AES_DRIVER_CMD_SET_ALGORITHM, modes[i].algorithm, 0));
        assert_success(command(c.pid, AES_DRIVER_CMD_SETUP, 0, 0));
        run_all();
        assert_done(n++, c.pid, ERR_OK, 64);
        expect_hex(c.dest, SP800_38A_PLAIN, 64);
        assert_success(command(c.pid, AES_DRIVER_CMD_FINISH, 0, 0));
        fake_process_kill(c.pid);
        aes.queue.exit_hook.on_exit(&aes.queue.exit_hook, c.pid);
    }
    assert_int_equal(unit.busy_calls, 0);
}

static void test_crypt_continues_the_chain_until_finish(void **state)
{
    (void)state;
    struct client c;
    vector_client(&c, SP800_38A_CBC_IV);
    uint8_t plain[64];
    memcpy(plain, c.source, sizeof plain);
    assert_success(command(c.pid, AES_DRIVER_CMD_SET_ALGORITHM, AES_DRIVER_ALGORITHM_CBC, 1));
    fake_process_allow_ro(c.pid, AES_DRIVER_NUM, AES_DRIVER_ALLOW_RO_SOURCE, plain, 16);
    assert_success(command(c.pid, AES_DRIVER_CMD_SETUP, 0, 0));
    run_all();
    assert_done(0, c.pid, ERR_OK, 16);
    uint8_t first[16];
    memcpy(first, c.dest, sizeof first);
    fake_process_allow_ro(c.pid, AES_DRIVER_NUM, AES_DRIVER_ALLOW_RO_SOURCE, &plain[16], 48);
    assert_success(command(c.pid, AES_DRIVER_CMD_CRYPT, 0, 0));
    assert_failure(command(c.pid, AES_DRIVER_CMD_CRYPT, 0, 0), ERR_ALREADY);
    run_all();
    assert_done(1, c.pid, ERR_OK, 48);
    uint8_t all[64];
    memcpy(all, first, 16);
    memcpy(&all[16], c.dest, 48);
    expect_hex(all, SP800_38A_CBC_CIPHER, 64);
    unsigned clears = unit.clear_calls;
    assert_success(command(c.pid, AES_DRIVER_CMD_FINISH, 0, 0));
    assert_int_equal(unit.clear_calls, clears + 1); /* key wiped at finish */
    assert_false(unit.has_key);
    assert_failure(command(c.pid, AES_DRIVER_CMD_CRYPT, 0, 0), ERR_OFF);
    assert_int_equal(aes.queue.owner, CMD_QUEUE_NO_OWNER);
}

static void test_long_data_moves_in_bounded_chunks(void **state)
{
    (void)state;
    static const struct {
        uint32_t algorithm;
        enum hil_aes_mode mode;
        size_t len;
    } cases[] = {
        { AES_DRIVER_ALGORITHM_CBC, HIL_AES_CBC, 256 },
        { AES_DRIVER_ALGORITHM_ECB, HIL_AES_ECB, 144 },
        { AES_DRIVER_ALGORITHM_CTR, HIL_AES_CTR, 201 }, /* a partial final block */
    };
    struct client c;
    uint8_t expect[256];
    random_client(&c, 7);
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        fake_process_allow_ro(c.pid, AES_DRIVER_NUM, AES_DRIVER_ALLOW_RO_SOURCE, c.source,
                              cases[i].len);
        assert_success(command(c.pid, AES_DRIVER_CMD_SET_ALGORITHM, cases[i].algorithm, 1));
        assert_success(command(c.pid, AES_DRIVER_CMD_SETUP, 0, 0));
        run_all();
        assert_done(i, c.pid, ERR_OK, (uint32_t)cases[i].len);
        reference(&c, cases[i].mode, true, c.source, cases[i].len, expect);
        assert_memory_equal(c.dest, expect, cases[i].len);
        assert_success(command(c.pid, AES_DRIVER_CMD_FINISH, 0, 0));
    }
    assert_int_equal(longest_chunk, AES_DRIVER_CHUNK_LEN);
    assert_int_equal(unit.crypts, 4 + 3 + 4);
}

static void test_errors_are_reported_in_the_upcall(void **state)
{
    (void)state;
    struct client c;
    random_client(&c, 1);
    assert_success(command(c.pid, AES_DRIVER_CMD_SETUP, 0, 0)); /* no algorithm yet */
    run_all();
    assert_done(0, c.pid, ERR_INVAL, 0);
    assert_int_equal(aes.queue.owner, CMD_QUEUE_NO_OWNER); /* a failed setup keeps nothing */

    assert_success(command(c.pid, AES_DRIVER_CMD_SET_ALGORITHM, AES_DRIVER_ALGORITHM_CBC, 1));
    fake_process_allow_ro(c.pid, AES_DRIVER_NUM, AES_DRIVER_ALLOW_RO_KEY, c.key, 15);
    assert_success(command(c.pid, AES_DRIVER_CMD_SETUP, 0, 0));
    run_all();
    assert_done(1, c.pid, ERR_SIZE, 0); /* key not 16 bytes */

    client_allow(&c, 40, 64);
    assert_success(command(c.pid, AES_DRIVER_CMD_SETUP, 0, 0));
    run_all();
    assert_done(2, c.pid, ERR_SIZE, 0); /* CBC needs whole blocks */

    client_allow(&c, 64, 48);
    assert_success(command(c.pid, AES_DRIVER_CMD_SETUP, 0, 0));
    run_all();
    assert_done(3, c.pid, ERR_SIZE, 0); /* destination shorter than the source */

    client_allow(&c, 64, 64);
    fake_process_allow_ro(c.pid, AES_DRIVER_NUM, AES_DRIVER_ALLOW_RO_IV, c.iv, 8);
    assert_success(command(c.pid, AES_DRIVER_CMD_SETUP, 0, 0));
    run_all();
    assert_done(4, c.pid, ERR_SIZE, 0); /* IV not 16 bytes */

    client_allow(&c, 0, 64);
    assert_success(command(c.pid, AES_DRIVER_CMD_SETUP, 0, 0));
    run_all();
    assert_done(5, c.pid, ERR_OK, 0); /* an empty source is done at once */

    client_allow(&c, 128, 128);
    assert_success(command(c.pid, AES_DRIVER_CMD_CRYPT, 0, 0));
    pump();
    fake_aes_complete(&unit, ERR_FAIL); /* the unit fails mid-crypt */
    run_all();
    assert_done(6, c.pid, ERR_FAIL, 0);
    assert_true(aes.has_session); /* a failed crypt keeps the session; the process may retry */
    assert_success(command(c.pid, AES_DRIVER_CMD_FINISH, 0, 0));
    assert_int_equal(unit.busy_calls, 0);
}

/* ---------------------------------------------------------------- sharing */

static void test_setups_queue_in_arrival_order_behind_a_session(void **state)
{
    (void)state;
    struct client c[3];
    uint8_t expect[256];
    for (unsigned i = 0; i < 3; i++) {
        random_client(&c[i], (uint8_t)(i + 1));
        assert_success(command(c[i].pid, AES_DRIVER_CMD_SET_ALGORITHM,
                               AES_DRIVER_ALGORITHM_CTR, 1));
    }
    static const unsigned arrival[] = { 1, 2, 0 };
    for (unsigned i = 0; i < 3; i++) {
        assert_success(command(c[arrival[i]].pid, AES_DRIVER_CMD_SETUP, 0, 0));
    }
    for (unsigned i = 0; i < 3; i++) {
        assert_failure(command(c[i].pid, AES_DRIVER_CMD_SETUP, 0, 0), ERR_ALREADY);
    }
    run_all();
    assert_int_equal(fake_grant_upcall_count(), 1); /* the first holds its session */
    assert_done(0, c[1].pid, ERR_OK, 256);
    assert_failure(command(c[2].pid, AES_DRIVER_CMD_CRYPT, 0, 0), ERR_OFF); /* not its turn */
    assert_success(command(c[1].pid, AES_DRIVER_CMD_FINISH, 0, 0));
    run_all();
    assert_done(1, c[2].pid, ERR_OK, 256);
    assert_success(command(c[2].pid, AES_DRIVER_CMD_FINISH, 0, 0));
    run_all();
    assert_done(2, c[0].pid, ERR_OK, 256);
    assert_success(command(c[0].pid, AES_DRIVER_CMD_FINISH, 0, 0));
    for (unsigned i = 0; i < 3; i++) {
        reference(&c[i], HIL_AES_CTR, true, c[i].source, 256, expect);
        assert_memory_equal(c[i].dest, expect, 256);
    }
    assert_int_equal(unit.busy_calls, 0);
}

static void test_hammering_processes_take_strict_turns(void **state)
{
    (void)state;
    struct client c[3];
    unsigned done[3] = { 0 };
    uint8_t expect[256];
    for (unsigned i = 0; i < 3; i++) {
        random_client(&c[i], (uint8_t)(40 + i));
        assert_success(command(c[i].pid, AES_DRIVER_CMD_SET_ALGORITHM,
                               AES_DRIVER_ALGORITHM_CBC, 1));
        assert_success(command(c[i].pid, AES_DRIVER_CMD_SETUP, 0, 0));
    }
    char order[64] = { 0 };
    size_t order_len = 0;
    for (unsigned rounds = 0; done[0] + done[1] + done[2] < 45; rounds++) {
        assert_true(rounds < 100000);
        if (deferred_call_has_pending()) {
            deferred_call_service();
        } else if (unit.is_busy) {
            fake_aes_complete(&unit, ERR_OK);
        }
        for (size_t k = 0; k < fake_grant_upcall_count(); k++) {
            const struct fake_upcall *u = fake_grant_upcall(k);
            unsigned i = u->pid.index;
            assert_int_equal(u->args[0], ERR_OK);
            reference(&c[i], HIL_AES_CBC, true, c[i].source, 256, expect);
            assert_memory_equal(c[i].dest, expect, 256);
            memset(c[i].dest, 0, sizeof c[i].dest);
            done[i]++;
            if (order_len + 1 < sizeof order) {
                order[order_len++] = (char)('A' + i);
            }
            /* finish, then set up again at once: it goes behind the others */
            assert_success(command(c[i].pid, AES_DRIVER_CMD_FINISH, 0, 0));
            assert_success(command(c[i].pid, AES_DRIVER_CMD_SETUP, 0, 0));
        }
        fake_grant_clear_upcalls();
    }
    assert_string_equal(order, "ABCABCABCABCABCABCABCABCABCABCABCABCABCABCABC");
    assert_int_equal(unit.busy_calls, 0);
}

static void test_idle_session_expires_and_owner_gets_cancel_once(void **state)
{
    (void)state;
    struct client a;
    struct client b;
    uint8_t expect[256];
    random_client(&a, 1);
    random_client(&b, 2);
    assert_success(command(a.pid, AES_DRIVER_CMD_SET_ALGORITHM, AES_DRIVER_ALGORITHM_CBC, 1));
    assert_success(command(b.pid, AES_DRIVER_CMD_SET_ALGORITHM, AES_DRIVER_ALGORITHM_ECB, 0));
    assert_success(command(a.pid, AES_DRIVER_CMD_SETUP, 0, 0));
    run_all();
    assert_true(session_alarm.is_armed);
    assert_success(command(b.pid, AES_DRIVER_CMD_SETUP, 0, 0));
    advance(IDLE_TICKS / 2);
    run_all();
    assert_int_equal(fake_grant_upcall_count(), 1);
    unsigned clears = unit.clear_calls;
    advance(IDLE_TICKS / 2); /* the driver's alarm fires */
    assert_int_equal(unit.clear_calls, clears + 1); /* A's key wiped */
    assert_false(aes.has_session);
    run_all();
    assert_done(1, b.pid, ERR_OK, 256);
    reference(&b, HIL_AES_ECB, false, b.source, 256, expect);
    assert_memory_equal(b.dest, expect, 256);
    assert_failure(command(a.pid, AES_DRIVER_CMD_CRYPT, 0, 0), ERR_CANCEL);
    assert_failure(command(a.pid, AES_DRIVER_CMD_CRYPT, 0, 0), ERR_OFF);
    assert_success(command(b.pid, AES_DRIVER_CMD_FINISH, 0, 0));
    assert_success(command(a.pid, AES_DRIVER_CMD_SETUP, 0, 0)); /* starts over */
    run_all();
    assert_done(2, a.pid, ERR_OK, 256);
    reference(&a, HIL_AES_CBC, true, a.source, 256, expect);
    assert_memory_equal(a.dest, expect, 256);
}

static void test_finish_during_a_crypt_ends_the_session_after_it(void **state)
{
    (void)state;
    struct client a;
    struct client b;
    random_client(&a, 3);
    random_client(&b, 4);
    assert_success(command(a.pid, AES_DRIVER_CMD_SET_ALGORITHM, AES_DRIVER_ALGORITHM_CTR, 1));
    assert_success(command(b.pid, AES_DRIVER_CMD_SET_ALGORITHM, AES_DRIVER_ALGORITHM_CTR, 1));
    assert_success(command(a.pid, AES_DRIVER_CMD_SETUP, 0, 0));
    assert_success(command(b.pid, AES_DRIVER_CMD_SETUP, 0, 0));
    pump();
    assert_true(unit.is_busy);
    assert_success(command(a.pid, AES_DRIVER_CMD_FINISH, 0, 0));
    assert_true(unit.has_key); /* the crypt still needs it */
    run_all();
    assert_done(0, a.pid, ERR_OK, 256); /* A's result still arrives */
    assert_done(1, b.pid, ERR_OK, 256);
    assert_int_equal(unit.busy_calls, 0);
}

/* ---------------------------------------------------------------- process death */

static void kill(struct process_id pid)
{
    fake_process_kill(pid);
    aes.queue.exit_hook.on_exit(&aes.queue.exit_hook, pid); /* as kernel/process.c does */
}

static void test_death_mid_crypt_is_cleaned_up_before_the_next_starts(void **state)
{
    (void)state;
    struct client a;
    struct client b;
    uint8_t expect[256];
    random_client(&a, 5);
    random_client(&b, 6);
    assert_success(command(a.pid, AES_DRIVER_CMD_SET_ALGORITHM, AES_DRIVER_ALGORITHM_CBC, 1));
    assert_success(command(b.pid, AES_DRIVER_CMD_SET_ALGORITHM, AES_DRIVER_ALGORITHM_CBC, 0));
    assert_success(command(a.pid, AES_DRIVER_CMD_SETUP, 0, 0));
    assert_success(command(b.pid, AES_DRIVER_CMD_SETUP, 0, 0));
    pump();
    fake_aes_complete(&unit, ERR_OK); /* A's first chunk */
    pump();
    assert_true(unit.is_busy);
    unsigned crypts = unit.crypts;
    kill(a.pid);
    pump();
    assert_int_equal(unit.crypts, crypts); /* B waits for the unit */
    unsigned clears = unit.clear_calls;
    fake_aes_complete(&unit, ERR_OK); /* A's chunk drains */
    assert_int_equal(unit.clear_calls, clears + 1); /* A's key wiped */
    assert_false(unit.has_key);
    run_all();
    assert_int_equal(fake_grant_upcall_count(), 1); /* nothing for dead A */
    assert_done(0, b.pid, ERR_OK, 256);
    reference(&b, HIL_AES_CBC, false, b.source, 256, expect);
    assert_memory_equal(b.dest, expect, 256);
    for (size_t i = 0; i < sizeof aes.chunk_buf; i++) {
        assert_int_equal(aes.chunk_buf[i], 0);
    }
}

static void test_death_between_session_commands_frees_the_driver(void **state)
{
    (void)state;
    struct client a;
    struct client b;
    random_client(&a, 8);
    random_client(&b, 9);
    assert_success(command(a.pid, AES_DRIVER_CMD_SET_ALGORITHM, AES_DRIVER_ALGORITHM_ECB, 1));
    assert_success(command(b.pid, AES_DRIVER_CMD_SET_ALGORITHM, AES_DRIVER_ALGORITHM_ECB, 1));
    assert_success(command(a.pid, AES_DRIVER_CMD_SETUP, 0, 0));
    run_all();
    assert_success(command(b.pid, AES_DRIVER_CMD_SETUP, 0, 0));
    run_all();
    assert_int_equal(fake_grant_upcall_count(), 1);
    kill(a.pid);
    assert_false(unit.has_key);
    assert_false(aes.has_session);
    run_all();
    assert_done(1, b.pid, ERR_OK, 256);
    struct process_id a2 = fake_process_create(); /* a new process in A's slot */
    assert_failure(command(a2, AES_DRIVER_CMD_CRYPT, 0, 0), ERR_OFF);
    assert_success(command(b.pid, AES_DRIVER_CMD_FINISH, 0, 0));
}

/* ---------------------------------------------------------------- CCM and GCM */

struct aead_case {
    const char *key;
    const char *nonce; /* the IV allow: 16 bytes, of which the mode takes 13 or 12 */
    const char *aad;
    const char *plain;
    const char *cipher_tag;
    uint32_t algorithm;
    uint32_t tag_len;
};

/* SP 800-38C example 3 (its 12-byte nonce, so a 12-byte IV allow) and GCM test case 4. */
static const struct aead_case ccm_case = {
    "404142434445464748494a4b4c4d4e4f", "101112131415161718191a1b",
    "000102030405060708090a0b0c0d0e0f10111213",
    "202122232425262728292a2b2c2d2e2f3031323334353637",
    "e3b201a9f5b71a7a9b1ceaeccd97e70b6176aad9a4428aa5484392fbc1b09951", 3, 8
};
static const struct aead_case gcm_case = {
    "feffe9928665731c6d6a8f9467308308", "cafebabefacedbaddecaf888ffffffff",
    "feedfacedeadbeeffeedfacedeadbeefabaddad2",
    "d9313225f88406e5a55909c5aff5269a86a7a9531534f7da2e4c303d8a318a72"
    "1c3c0c95956809532fcf0e2449a6b525b16aedf5aa0de657ba637b39",
    "42831ec2217774244b7221b784d0d49ce3aa212f2c02a4e035c17e2329aca12e"
    "21d514b25466931c7d8f6a5aac84aa051ba30b396a0aac973d58e091"
    "5bc94fbc3221a5db94fae95ae7121a47",
    4, 16
};

#define HEADER_LEN 3u

struct aead_client {
    struct process_id pid;
    uint8_t key[16];
    uint8_t iv[16];
    size_t iv_len;
    uint8_t source[160];
    uint8_t dest[160];
    size_t aad_len;
    size_t plain_len;
    uint8_t expect[160]; /* header | aad | cipher | tag */
};

static void aead_client_setup(struct aead_client *c, const struct aead_case *v)
{
    c->pid = fake_process_create();
    hex_decode(v->key, c->key, 16);
    c->iv_len = strlen(v->nonce) / 2;
    hex_decode(v->nonce, c->iv, c->iv_len);
    c->aad_len = strlen(v->aad) / 2;
    c->plain_len = strlen(v->plain) / 2;
    memset(c->source, 0, sizeof c->source);
    memcpy(c->source, "hdr", HEADER_LEN);
    hex_decode(v->aad, &c->source[HEADER_LEN], c->aad_len);
    hex_decode(v->plain, &c->source[HEADER_LEN + c->aad_len], c->plain_len);
    memcpy(c->expect, c->source, HEADER_LEN + c->aad_len);
    hex_decode(v->cipher_tag, &c->expect[HEADER_LEN + c->aad_len], c->plain_len + v->tag_len);
    memset(c->dest, 0xee, sizeof c->dest);
    fake_process_allow_ro(c->pid, AES_DRIVER_NUM, AES_DRIVER_ALLOW_RO_KEY, c->key, 16);
    fake_process_allow_ro(c->pid, AES_DRIVER_NUM, AES_DRIVER_ALLOW_RO_IV, c->iv, c->iv_len);
    assert_success(command(c->pid, AES_DRIVER_CMD_AAD_OFFSET, HEADER_LEN, 0));
    assert_success(command(c->pid, AES_DRIVER_CMD_MESSAGE_OFFSET,
                           (uint32_t)(HEADER_LEN + c->aad_len), 0));
    assert_success(command(c->pid, AES_DRIVER_CMD_TAG_LEN, v->tag_len, 0));
    assert_success(command(c->pid, AES_DRIVER_CMD_CONFIDENTIAL, 1, 0));
}

static void assert_aead_done(size_t i, struct process_id pid, err_t status, uint32_t bytes,
                             uint32_t verified)
{
    const struct fake_upcall *u = fake_grant_upcall(i);
    assert_true(process_id_equal(u->pid, pid));
    assert_int_equal(u->args[0], status);
    assert_int_equal(u->args[1], bytes);
    assert_int_equal(u->args[2], verified);
}

/* Setup, run to the upcall, finish (OFF when the setup failed: the session is gone). */
static void aead_run(struct aead_client *c, uint32_t algorithm, bool is_encrypting,
                     const uint8_t *source, size_t source_len, size_t dest_len)
{
    fake_process_allow_ro(c->pid, AES_DRIVER_NUM, AES_DRIVER_ALLOW_RO_SOURCE, source,
                          source_len);
    fake_process_allow_rw(c->pid, AES_DRIVER_NUM, AES_DRIVER_ALLOW_RW_DEST, c->dest, dest_len);
    assert_success(command(c->pid, AES_DRIVER_CMD_SET_ALGORITHM, algorithm, is_encrypting));
    assert_success(command(c->pid, AES_DRIVER_CMD_SETUP, 0, 0));
    run_all();
    bool is_ok = fake_grant_upcall(fake_grant_upcall_count() - 1)->args[0] == ERR_OK;
    struct syscall_return finished = command(c->pid, AES_DRIVER_CMD_FINISH, 0, 0);
    if (is_ok) {
        assert_success(finished);
    } else {
        assert_failure(finished, ERR_OFF);
    }
}

static void check_aead_round_trip(const struct aead_case *v)
{
    struct aead_client c;
    aead_client_setup(&c, v);
    size_t message_end = HEADER_LEN + c.aad_len + c.plain_len;
    size_t total = message_end + v->tag_len;
    aead_run(&c, v->algorithm, true, c.source, message_end, sizeof c.dest);
    assert_aead_done(0, c.pid, ERR_OK, (uint32_t)total, 1);
    assert_memory_equal(c.dest, c.expect, total);
    assert_int_equal(c.dest[total], 0xee); /* nothing beyond the tag */

    uint8_t sealed[160];
    memcpy(sealed, c.dest, total);
    memset(c.dest, 0xee, sizeof c.dest);
    aead_run(&c, v->algorithm, false, sealed, total, message_end);
    assert_aead_done(1, c.pid, ERR_OK, (uint32_t)message_end, 1);
    assert_memory_equal(c.dest, c.source, message_end);

    sealed[HEADER_LEN] ^= 0x01; /* the associated data changed in transit */
    aead_run(&c, v->algorithm, false, sealed, total, message_end);
    assert_aead_done(2, c.pid, ERR_OK, (uint32_t)message_end, 0);
    sealed[HEADER_LEN] ^= 0x01;
    sealed[total - 1] ^= 0x80; /* the tag changed */
    aead_run(&c, v->algorithm, false, sealed, total, message_end);
    assert_aead_done(3, c.pid, ERR_OK, (uint32_t)message_end, 0);
    sealed[0] ^= 0x01; /* the header is not authenticated */
    sealed[total - 1] ^= 0x80;
    aead_run(&c, v->algorithm, false, sealed, total, message_end);
    assert_aead_done(4, c.pid, ERR_OK, (uint32_t)message_end, 1);
    assert_int_equal(aes.queue.owner, CMD_QUEUE_NO_OWNER);
}

static void test_ccm_through_the_syscalls_matches_sp800_38c(void **state)
{
    (void)state;
    check_aead_round_trip(&ccm_case);
}

static void test_gcm_through_the_syscalls_matches_the_gcm_test_case(void **state)
{
    (void)state;
    check_aead_round_trip(&gcm_case);
}

static void test_aead_layout_errors_and_a_destination_without_room_for_the_tag(void **state)
{
    (void)state;
    struct aead_client c;
    aead_client_setup(&c, &ccm_case);
    size_t message_end = HEADER_LEN + c.aad_len + c.plain_len;
    /* The destination as long as the source: the ciphertext, no tag (libtock-c's test). */
    aead_run(&c, AES_DRIVER_ALGORITHM_CCM, true, c.source, message_end, message_end);
    assert_aead_done(0, c.pid, ERR_OK, (uint32_t)message_end, 1);
    assert_memory_equal(c.dest, c.expect, message_end);
    /* Shorter than the source: SIZE, and the session is not kept. */
    aead_run(&c, AES_DRIVER_ALGORITHM_CCM, true, c.source, message_end, message_end - 1);
    assert_aead_done(1, c.pid, ERR_SIZE, 0, 0);
    /* A 6-byte IV allow is too short for a CCM nonce; GCM needs 12. */
    fake_process_allow_ro(c.pid, AES_DRIVER_NUM, AES_DRIVER_ALLOW_RO_IV, c.iv, 6);
    aead_run(&c, AES_DRIVER_ALGORITHM_CCM, true, c.source, message_end, sizeof c.dest);
    assert_aead_done(2, c.pid, ERR_SIZE, 0, 0);
    fake_process_allow_ro(c.pid, AES_DRIVER_NUM, AES_DRIVER_ALLOW_RO_IV, c.iv, 11);
    aead_run(&c, AES_DRIVER_ALGORITHM_GCM, true, c.source, message_end, sizeof c.dest);
    assert_aead_done(3, c.pid, ERR_SIZE, 0, 0);
    fake_process_allow_ro(c.pid, AES_DRIVER_NUM, AES_DRIVER_ALLOW_RO_IV, c.iv, c.iv_len);
    /* The associated data would end past the source; a_off after m_off. */
    assert_success(command(c.pid, AES_DRIVER_CMD_MESSAGE_OFFSET, 200, 0));
    aead_run(&c, AES_DRIVER_ALGORITHM_CCM, true, c.source, message_end, sizeof c.dest);
    assert_aead_done(4, c.pid, ERR_INVAL, 0, 0);
    assert_success(command(c.pid, AES_DRIVER_CMD_MESSAGE_OFFSET, 1, 0));
    aead_run(&c, AES_DRIVER_ALGORITHM_CCM, true, c.source, message_end, sizeof c.dest);
    assert_aead_done(5, c.pid, ERR_INVAL, 0, 0);
    /* A tag length CCM refuses (odd), and GCM refuses (6). */
    assert_success(command(c.pid, AES_DRIVER_CMD_MESSAGE_OFFSET, HEADER_LEN + 20, 0));
    assert_success(command(c.pid, AES_DRIVER_CMD_TAG_LEN, 5, 0));
    aead_run(&c, AES_DRIVER_ALGORITHM_CCM, true, c.source, message_end, sizeof c.dest);
    assert_aead_done(6, c.pid, ERR_INVAL, 0, 0);
    assert_success(command(c.pid, AES_DRIVER_CMD_TAG_LEN, 6, 0));
    aead_run(&c, AES_DRIVER_ALGORITHM_GCM, true, c.source, message_end, sizeof c.dest);
    assert_aead_done(7, c.pid, ERR_INVAL, 0, 0);
    /* Decrypting a source shorter than its tag. */
    assert_success(command(c.pid, AES_DRIVER_CMD_TAG_LEN, 16, 0));
    aead_run(&c, AES_DRIVER_ALGORITHM_GCM, false, c.source, HEADER_LEN + 20 + 15, sizeof c.dest);
    assert_aead_done(8, c.pid, ERR_SIZE, 0, 0);
    assert_int_equal(aes.queue.owner, CMD_QUEUE_NO_OWNER);
}

static void test_crypt_is_refused_in_an_aead_session(void **state)
{
    (void)state;
    struct aead_client c;
    aead_client_setup(&c, &gcm_case);
    size_t message_end = HEADER_LEN + c.aad_len + c.plain_len;
    fake_process_allow_ro(c.pid, AES_DRIVER_NUM, AES_DRIVER_ALLOW_RO_SOURCE, c.source,
                          message_end);
    fake_process_allow_rw(c.pid, AES_DRIVER_NUM, AES_DRIVER_ALLOW_RW_DEST, c.dest,
                          sizeof c.dest);
    assert_success(command(c.pid, AES_DRIVER_CMD_SET_ALGORITHM, AES_DRIVER_ALGORITHM_GCM, 1));
    assert_success(command(c.pid, AES_DRIVER_CMD_SETUP, 0, 0));
    run_all();
    assert_aead_done(0, c.pid, ERR_OK, (uint32_t)message_end + 16, 1);
    assert_failure(command(c.pid, AES_DRIVER_CMD_CRYPT, 0, 0), ERR_INVAL); /* nonce reuse */
    assert_success(command(c.pid, AES_DRIVER_CMD_FINISH, 0, 0));
    assert_failure(command(c.pid, AES_DRIVER_CMD_FINISH, 0, 0), ERR_OFF);
}

static void test_death_mid_aead_message_is_cleaned_up(void **state)
{
    (void)state;
    struct aead_client a;
    struct aead_client b;
    aead_client_setup(&a, &ccm_case);
    aead_client_setup(&b, &gcm_case);
    size_t a_end = HEADER_LEN + a.aad_len + a.plain_len;
    size_t b_end = HEADER_LEN + b.aad_len + b.plain_len;
    fake_process_allow_ro(a.pid, AES_DRIVER_NUM, AES_DRIVER_ALLOW_RO_SOURCE, a.source, a_end);
    fake_process_allow_rw(a.pid, AES_DRIVER_NUM, AES_DRIVER_ALLOW_RW_DEST, a.dest,
                          sizeof a.dest);
    fake_process_allow_ro(b.pid, AES_DRIVER_NUM, AES_DRIVER_ALLOW_RO_SOURCE, b.source, b_end);
    fake_process_allow_rw(b.pid, AES_DRIVER_NUM, AES_DRIVER_ALLOW_RW_DEST, b.dest,
                          sizeof b.dest);
    assert_success(command(a.pid, AES_DRIVER_CMD_SET_ALGORITHM, AES_DRIVER_ALGORITHM_CCM, 1));
    assert_success(command(b.pid, AES_DRIVER_CMD_SET_ALGORITHM, AES_DRIVER_ALGORITHM_GCM, 1));
    assert_success(command(a.pid, AES_DRIVER_CMD_SETUP, 0, 0));
    assert_success(command(b.pid, AES_DRIVER_CMD_SETUP, 0, 0));
    deferred_call_service(); /* A starts: its associated data is in the unit */
    assert_int_equal(aes.phase, AES_DRIVER_CRYPTING);
    fake_process_kill(a.pid);
    aes.queue.exit_hook.on_exit(&aes.queue.exit_hook, a.pid);
    run_all();
    assert_int_equal(fake_grant_upcall_count(), 1); /* nothing for dead A */
    assert_aead_done(0, b.pid, ERR_OK, (uint32_t)b_end + 16, 1);
    assert_memory_equal(b.dest, b.expect, b_end + 16);
    assert_true(engine_aes.has_key); /* B's, kept by its session */
    assert_success(command(b.pid, AES_DRIVER_CMD_FINISH, 0, 0));
    assert_false(engine_aes.has_key);
    assert_false(engine_aes.has_message);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup(test_exists_algorithms_and_unsupported_commands, setup),
        cmocka_unit_test_setup(test_setup_matches_sp800_38a_in_every_mode, setup),
        cmocka_unit_test_setup(test_crypt_continues_the_chain_until_finish, setup),
        cmocka_unit_test_setup(test_long_data_moves_in_bounded_chunks, setup),
        cmocka_unit_test_setup(test_errors_are_reported_in_the_upcall, setup),
        cmocka_unit_test_setup(test_setups_queue_in_arrival_order_behind_a_session, setup),
        cmocka_unit_test_setup(test_hammering_processes_take_strict_turns, setup),
        cmocka_unit_test_setup(test_idle_session_expires_and_owner_gets_cancel_once, setup),
        cmocka_unit_test_setup(test_finish_during_a_crypt_ends_the_session_after_it, setup),
        cmocka_unit_test_setup(test_death_mid_crypt_is_cleaned_up_before_the_next_starts,
                               setup),
        cmocka_unit_test_setup(test_death_between_session_commands_frees_the_driver, setup),
        cmocka_unit_test_setup(test_ccm_through_the_syscalls_matches_sp800_38c, setup),
        cmocka_unit_test_setup(test_gcm_through_the_syscalls_matches_the_gcm_test_case, setup),
        cmocka_unit_test_setup(
            test_aead_layout_errors_and_a_destination_without_room_for_the_tag, setup),
        cmocka_unit_test_setup(test_crypt_is_refused_in_an_aead_session, setup),
        cmocka_unit_test_setup(test_death_mid_aead_message_is_cleaned_up, setup),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
