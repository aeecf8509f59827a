/* SPDX-License-Identifier: Apache-2.0 OR MIT */
/*
 * Host tests for the RNG syscall driver (capsules/extra/rng.c) over a fake entropy source and
 * fake grants, and for the clock stand-in source (capsules/extra/clock_entropy.c).
 *
 * The fake source records each get() and completes it only when the test says, with bytes the
 * test chooses; a reference HMAC_DRBG seeded with the same bytes says what every process must
 * receive, so the tests check the exact bytes, not just that some arrived.
 *
 * Usage: make build/host/rng_test (or `make unit` for every test).
 *
 * Invariants: each test starts from setup(): no processes, a fresh driver, an idle source.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include "driver_command.h"

#include "capsules/clock_entropy.h"
#include "capsules/driver_num.h"
#include "capsules/rng.h"
#include "container.h"
#include "fake_alarm.h"
#include "fake_grant.h"
#include "kernel/deferred_call.h"

struct fake_entropy {
    struct hil_entropy entropy;
    uint8_t *buf;
    size_t len;
    unsigned gets;
    err_t refuse; /* ERR_OK: accept requests */
};

static err_t fake_get(struct hil_entropy *entropy, uint8_t *buf, size_t len)
{
    struct fake_entropy *fe = CONTAINER_OF(entropy, struct fake_entropy, entropy);
    assert_null(fe->buf); /* the driver never asks twice at once */
    if (fe->refuse != ERR_OK) {
        return fe->refuse;
    }
    fe->buf = buf;
    fe->len = len;
    fe->gets++;
    return ERR_OK;
}

static const struct hil_entropy_ops fake_entropy_ops = { .get = fake_get };

static const uint8_t personalization[] = "rng_test board";
static struct rng_config config = {
    .personalization = personalization,
    .personalization_len = sizeof personalization - 1,
    .reseed_after = 1000,
    .reseed_limit = 2000,
};
static struct fake_entropy source;
static struct rng_driver rng;
static struct hmac_drbg reference;

static int setup(void **state)
{
    (void)state;
    deferred_call_reset_for_test();
    fake_grant_reset();
    source = (struct fake_entropy){ .entropy = { .ops = &fake_entropy_ops } };
    config.reseed_after = 1000;
    config.reseed_limit = 2000;
    assert_int_equal(rng_driver_init(&rng, NULL, &source.entropy, &config), ERR_OK);
    memset(&reference, 0, sizeof reference);
    return 0;
}

static void seed_bytes(uint8_t *buf, size_t len, uint8_t base)
{
    for (size_t i = 0; i < len; i++) {
        buf[i] = (uint8_t)(base + 7u * i);
    }
}

/* The source delivers its pending request with bytes base, base+7, ... (or fails). */
static void source_completes(uint8_t base, err_t status)
{
    assert_non_null(source.buf);
    uint8_t *buf = source.buf;
    size_t len = source.len;
    seed_bytes(buf, len, base);
    if (status == ERR_OK && len == RNG_SEED_LEN) {
        hmac_drbg_instantiate(&reference, buf, 32, buf + 32, 16, personalization,
                              sizeof personalization - 1);
    } else if (status == ERR_OK) {
        assert_int_equal(hmac_drbg_reseed(&reference, buf, len, NULL, 0), ERR_OK);
    }
    source.buf = NULL;
    hil_entropy_ready(&source.entropy, buf, len, status);
}

static struct syscall_return command(struct process_id pid, uint32_t num, uint32_t arg)
{
    return driver_command(&rng.driver, num, arg, 0, pid);
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

static size_t upcalls_for(struct process_id pid)
{
    return fake_grant_upcall_count_for(RNG_DRIVER_NUM, pid, RNG_UPCALL_DONE);
}

/* The last upcall for pid: (0, filled, 0). */
static void assert_done(struct process_id pid, uint32_t filled)
{
    const struct fake_upcall *last = NULL;
    for (size_t i = 0; i < fake_grant_upcall_count(); i++) {
        const struct fake_upcall *u = fake_grant_upcall(i);
        if (u->driver_num == RNG_DRIVER_NUM && process_id_equal(u->pid, pid)) {
            last = u;
        }
    }
    assert_non_null(last);
    assert_int_equal(last->subscribe_num, RNG_UPCALL_DONE);
    assert_int_equal(last->args[0], 0);
    assert_int_equal(last->args[1], filled);
    assert_int_equal(last->args[2], 0);
}

/* What the reference DRBG gives for a request of n bytes served in RNG_CHUNK pieces. */
static void expect_bytes(const uint8_t *got, size_t n)
{
    uint8_t want[RNG_CHUNK];
    for (size_t done = 0; done < n; done += RNG_CHUNK) {
        size_t piece = n - done < RNG_CHUNK ? n - done : RNG_CHUNK;
        assert_int_equal(hmac_drbg_generate(&reference, want, piece, NULL, 0), ERR_OK);
        assert_memory_equal(got + done, want, piece);
    }
}

static void run_deferred(void)
{
    for (int i = 0; i < 100 && deferred_call_has_pending(); i++) {
        deferred_call_service();
    }
}

static void test_exists_and_unknown_command(void **state)
{
    (void)state;
    struct process_id a = fake_process_create();
    assert_success(command(a, RNG_CMD_EXISTS, 0));
    assert_failure(command(a, 2, 0), ERR_NOSUPPORT);
    assert_int_equal(source.gets, 0); /* nothing seeds before a request */
}

static void test_first_request_seeds_lazily_then_fills_the_buffer(void **state)
{
    (void)state;
    struct process_id a = fake_process_create();
    uint8_t buf[64];
    memset(buf, 0, sizeof buf);
    fake_process_allow_rw(a, RNG_DRIVER_NUM, RNG_ALLOW_BUFFER, buf, sizeof buf);
    assert_success(command(a, RNG_CMD_GET, 64));
    assert_int_equal(source.gets, 1);
    assert_int_equal(source.len, RNG_SEED_LEN);
    run_deferred();
    assert_int_equal(upcalls_for(a), 0); /* waits for the seed */
    source_completes(0x11, ERR_OK);
    const uint8_t zero_seed[RNG_SEED_LEN] = { 0 };
    assert_memory_equal(rng.seed, zero_seed, sizeof zero_seed); /* the seed is wiped */
    run_deferred();
    assert_int_equal(upcalls_for(a), 1);
    assert_done(a, 64);
    expect_bytes(buf, 64);
    const uint8_t zero_chunk[RNG_CHUNK] = { 0 };
    assert_memory_equal(rng.chunk, zero_chunk, sizeof zero_chunk); /* scratch is wiped */
    /* Once seeded, a request needs no entropy. */
    assert_success(command(a, RNG_CMD_GET, 10));
    run_deferred();
    assert_int_equal(source.gets, 1);
    assert_done(a, 10);
    expect_bytes(buf, 10);
}

static void test_short_missing_and_zero_length_buffers(void **state)
{
    (void)state;
    struct process_id a = fake_process_create();
    uint8_t buf[20];
    memset(buf, 0xEE, sizeof buf);
    assert_success(command(a, RNG_CMD_GET, 16)); /* no buffer at all */
    source_completes(0x22, ERR_OK);
    run_deferred();
    assert_done(a, 0);
    fake_process_allow_rw(a, RNG_DRIVER_NUM, RNG_ALLOW_BUFFER, buf, 16);
    assert_success(command(a, RNG_CMD_GET, 1000)); /* more than the buffer holds */
    run_deferred();
    assert_done(a, 16);
    expect_bytes(buf, 16);
    for (size_t i = 16; i < sizeof buf; i++) {
        assert_int_equal(buf[i], 0xEE); /* nothing past the allowed 16 bytes */
    }
    assert_success(command(a, RNG_CMD_GET, 0));
    run_deferred();
    assert_done(a, 0);
    assert_int_equal(upcalls_for(a), 3);
}

static void test_one_outstanding_request_per_process(void **state)
{
    (void)state;
    struct process_id a = fake_process_create();
    uint8_t buf[8];
    fake_process_allow_rw(a, RNG_DRIVER_NUM, RNG_ALLOW_BUFFER, buf, sizeof buf);
    assert_success(command(a, RNG_CMD_GET, 8));
    assert_failure(command(a, RNG_CMD_GET, 8), ERR_BUSY);
    assert_int_equal(source.gets, 1);
    source_completes(0x33, ERR_OK);
    run_deferred();
    assert_int_equal(upcalls_for(a), 1);
    assert_success(command(a, RNG_CMD_GET, 8));
}

/* Every pass gives each waiting process one chunk: a small request is not stuck behind a big
 * one, and both get exactly the reference stream in serving order. */
static void test_processes_are_served_a_chunk_each_per_pass(void **state)
{
    (void)state;
    struct process_id a = fake_process_create();
    struct process_id b = fake_process_create();
    static uint8_t big[3 * RNG_CHUNK];
    uint8_t small[40];
    fake_process_allow_rw(a, RNG_DRIVER_NUM, RNG_ALLOW_BUFFER, big, sizeof big);
    fake_process_allow_rw(b, RNG_DRIVER_NUM, RNG_ALLOW_BUFFER, small, sizeof small);
    assert_success(command(a, RNG_CMD_GET, sizeof big));
    assert_success(command(b, RNG_CMD_GET, sizeof small));
    assert_int_equal(source.gets, 1); /* one seeding for both */
    source_completes(0x44, ERR_OK);
    deferred_call_service(); /* one pass */
    assert_int_equal(upcalls_for(a), 0);
    assert_int_equal(upcalls_for(b), 1);
    assert_done(b, sizeof small);
    expect_bytes(big, RNG_CHUNK);
    expect_bytes(small, sizeof small);
    run_deferred();
    assert_done(a, sizeof big);
    expect_bytes(big + RNG_CHUNK, 2 * RNG_CHUNK);
}

static void test_absent_source_refuses_without_recording_the_request(void **state)
{
    (void)state;
    struct process_id a = fake_process_create();
    source.refuse = ERR_NODEVICE;
    assert_failure(command(a, RNG_CMD_GET, 8), ERR_NODEVICE);
    assert_failure(command(a, RNG_CMD_GET, 8), ERR_NODEVICE); /* not BUSY: nothing recorded */
    run_deferred();
    assert_int_equal(upcalls_for(a), 0);
}

static void test_grant_failure_is_returned(void **state)
{
    (void)state;
    struct process_id a = fake_process_create();
    fake_process_set_nomem(a, true);
    assert_failure(command(a, RNG_CMD_GET, 8), ERR_NOMEM);
    assert_int_equal(source.gets, 0);
}

static void test_failed_seeding_completes_waiters_and_is_retried(void **state)
{
    (void)state;
    struct process_id a = fake_process_create();
    struct process_id b = fake_process_create();
    uint8_t buf[8];
    fake_process_allow_rw(a, RNG_DRIVER_NUM, RNG_ALLOW_BUFFER, buf, sizeof buf);
    assert_success(command(a, RNG_CMD_GET, 8));
    assert_success(command(b, RNG_CMD_GET, 8));
    source_completes(0x55, ERR_FAIL);
    run_deferred();
    assert_done(a, 0);
    assert_done(b, 0);
    assert_success(command(a, RNG_CMD_GET, 8)); /* asks the source again */
    assert_int_equal(source.gets, 2);
    source_completes(0x56, ERR_OK);
    run_deferred();
    assert_done(a, 8);
    expect_bytes(buf, 8);
}

/* After reseed_after generates the driver asks for fresh entropy in the background and keeps
 * serving; at reseed_limit it waits; the reseed restarts the count. */
static void test_periodic_reseed(void **state)
{
    (void)state;
    config.reseed_after = 2;
    config.reseed_limit = 4;
    struct process_id a = fake_process_create();
    uint8_t buf[4 * RNG_CHUNK + 16];
    fake_process_allow_rw(a, RNG_DRIVER_NUM, RNG_ALLOW_BUFFER, buf, sizeof buf);
    assert_success(command(a, RNG_CMD_GET, sizeof buf));
    source_completes(0x66, ERR_OK);
    run_deferred();
    assert_int_equal(source.gets, 2); /* the reseed request went out after 2 generates */
    assert_int_equal(source.len, RNG_RESEED_LEN);
    assert_int_equal(upcalls_for(a), 0); /* 4 chunks, then the limit: waiting */
    assert_int_equal(hmac_drbg_generates_since_seed(&rng.drbg), 4);
    expect_bytes(buf, 4 * RNG_CHUNK);
    source_completes(0x77, ERR_OK);
    run_deferred();
    assert_done(a, sizeof buf);
    expect_bytes(buf + 4 * RNG_CHUNK, 16);
    assert_int_equal(hmac_drbg_generates_since_seed(&rng.drbg), 1);
}

static void test_failed_reseed_at_the_limit_completes_waiters(void **state)
{
    (void)state;
    config.reseed_after = 1;
    config.reseed_limit = 2;
    struct process_id a = fake_process_create();
    uint8_t buf[3 * RNG_CHUNK];
    fake_process_allow_rw(a, RNG_DRIVER_NUM, RNG_ALLOW_BUFFER, buf, sizeof buf);
    assert_success(command(a, RNG_CMD_GET, sizeof buf));
    source_completes(0x12, ERR_OK);
    run_deferred();
    assert_int_equal(upcalls_for(a), 0);
    source_completes(0x13, ERR_FAIL);
    run_deferred();
    assert_done(a, 2 * RNG_CHUNK);
    /* The next request asks again (a reseed: the DRBG is still instantiated). */
    assert_success(command(a, RNG_CMD_GET, 8));
    assert_int_equal(source.len, RNG_RESEED_LEN);
    source_completes(0x14, ERR_OK);
    run_deferred();
    assert_done(a, 8);
}

static void test_dead_process_is_skipped(void **state)
{
    (void)state;
    struct process_id a = fake_process_create();
    struct process_id b = fake_process_create();
    uint8_t buf_a[8];
    uint8_t buf_b[8];
    fake_process_allow_rw(a, RNG_DRIVER_NUM, RNG_ALLOW_BUFFER, buf_a, sizeof buf_a);
    fake_process_allow_rw(b, RNG_DRIVER_NUM, RNG_ALLOW_BUFFER, buf_b, sizeof buf_b);
    assert_success(command(a, RNG_CMD_GET, 8));
    assert_success(command(b, RNG_CMD_GET, 8));
    fake_process_kill(a);
    source_completes(0x21, ERR_OK);
    run_deferred();
    assert_int_equal(upcalls_for(a), 0);
    assert_done(b, 8);
    expect_bytes(buf_b, 8);
}

static void test_init_checks_config(void **state)
{
    (void)state;
    struct rng_config bad = config;
    bad.reseed_limit = bad.reseed_after;
    assert_int_equal(rng_driver_init(&rng, NULL, &source.entropy, &bad), ERR_INVAL);
    bad = config;
    bad.reseed_after = 0;
    assert_int_equal(rng_driver_init(&rng, NULL, &source.entropy, &bad), ERR_INVAL);
    bad = config;
    bad.personalization = NULL;
    assert_int_equal(rng_driver_init(&rng, NULL, &source.entropy, &bad), ERR_INVAL);
    assert_int_equal(rng_driver_init(&rng, NULL, &source.entropy, NULL), ERR_INVAL);
}

/* The clock stand-in: split-phase, one request at a time, bytes folded from the counter. */
struct clock_client {
    struct hil_entropy_client client;
    uint8_t *buf;
    size_t len;
    err_t status;
    unsigned calls;
};

static void clock_ready(struct hil_entropy_client *client, uint8_t *buf, size_t len, err_t status)
{
    struct clock_client *c = CONTAINER_OF(client, struct clock_client, client);
    c->buf = buf;
    c->len = len;
    c->status = status;
    c->calls++;
}

static const struct hil_entropy_client_ops clock_client_ops = { .entropy_ready = clock_ready };

static void test_clock_entropy_is_split_phase(void **state)
{
    (void)state;
    struct fake_alarm counter;
    struct clock_entropy clock;
    struct clock_client client = { .client = { .ops = &clock_client_ops } };
    uint8_t buf[4];
    fake_alarm_init(&counter, 1000000, 0x01020304u);
    assert_int_equal(clock_entropy_init(&clock, &counter.alarm), ERR_OK);
    hil_entropy_set_client(&clock.entropy, &client.client);
    assert_int_equal(hil_entropy_get(&clock.entropy, NULL, 4), ERR_INVAL);
    assert_int_equal(hil_entropy_get(&clock.entropy, buf, 0), ERR_SIZE);
    assert_int_equal(hil_entropy_get(&clock.entropy, buf, sizeof buf), ERR_OK);
    assert_int_equal(hil_entropy_get(&clock.entropy, buf, sizeof buf), ERR_BUSY);
    assert_int_equal(client.calls, 0);
    run_deferred();
    assert_int_equal(client.calls, 1);
    assert_ptr_equal(client.buf, buf);
    assert_int_equal(client.len, sizeof buf);
    assert_int_equal(client.status, ERR_OK);
    assert_int_equal(buf[0], 0x01 ^ 0x02 ^ 0x03 ^ 0x04); /* the fake counter stands still */
    assert_int_equal(hil_entropy_get(&clock.entropy, buf, sizeof buf), ERR_OK);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup(test_exists_and_unknown_command, setup),
        cmocka_unit_test_setup(test_first_request_seeds_lazily_then_fills_the_buffer, setup),
        cmocka_unit_test_setup(test_short_missing_and_zero_length_buffers, setup),
        cmocka_unit_test_setup(test_one_outstanding_request_per_process, setup),
        cmocka_unit_test_setup(test_processes_are_served_a_chunk_each_per_pass, setup),
        cmocka_unit_test_setup(test_absent_source_refuses_without_recording_the_request, setup),
        cmocka_unit_test_setup(test_grant_failure_is_returned, setup),
        cmocka_unit_test_setup(test_failed_seeding_completes_waiters_and_is_retried, setup),
        cmocka_unit_test_setup(test_periodic_reseed, setup),
        cmocka_unit_test_setup(test_failed_reseed_at_the_limit_completes_waiters, setup),
        cmocka_unit_test_setup(test_dead_process_is_skipped, setup),
        cmocka_unit_test_setup(test_init_checks_config, setup),
        cmocka_unit_test_setup(test_clock_entropy_is_split_phase, setup),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
