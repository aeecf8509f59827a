/* SPDX-License-Identifier: Apache-2.0 OR MIT */
/*
 * Restart soak (doc/reference/016-restart-soak.md): 10,000 cycles in which one process (the
 * cycler, slot 0) acquires kernel resources step by step and dies part-way, while two others
 * (the checker, slot 1, and the neighbour, slot 2) keep running. Everything here is real kernel
 * code: the kernel core, the SHA, HMAC and AES syscall drivers on their command queues, the
 * crypto engine whose RAM the three units share through one kernel mutex, the Tock-compatible IPC and
 * the message IPC (name registry + calls + notifications). Only the arch, the chip and the alarms
 * are fakes.
 *
 * Each cycle the cycler takes, in order (and dies after `stage` of these steps):
 *   1 grants: subscribes and allows on SHA, HMAC, AES, IPC and IPC_MSG
 *   2 a SHA hash queued on the SHA command queue (not started yet)
 *   3 that hash started: the SHA unit's request for the crypto-RAM mutex is queued
 *   4 an HMAC run or update started: the HMAC unit holds that mutex (the hash may be waiting);
 *     an AES-CBC setup queued behind it (on some cycles all three finish first, so the cycler
 *     dies owning idle HMAC and AES sessions; on others it dies with the AES request running)
 *   5 IPC shares: its buffer mapped into the checker, a notification held for the neighbour,
 *     the checker's buffer mapped into it
 *   6 message IPC: a name registered and served, a call in flight to the checker (received,
 *     token held) or to the neighbour (queued), posting rights and a watch granted on it by the
 *     checker, a timer, bits posted to the checker
 * and then exits with restart, faults (restart policy), exits for good or faults and is stopped
 * (the last two are then started again by hand, as a supervisor would). After each cycle every
 * table is compared with its baseline; every 100 cycles and at the end the neighbour proves it
 * can still hash, MAC, encrypt, share and call.
 *
 * Usage: make build/host/restart_soak_test && build/host/restart_soak_test
 */
#include "kernel_fixture.h"

#include "capsules/aes.h"
#include "capsules/driver_num.h"
#include "capsules/hmac.h"
#include "capsules/sha.h"
#include "crypto/hmac_sha256.h"
#include "crypto/sha256.h"
#include "crypto_engine/aes.h"
#include "crypto_engine/engine.h"
#include "crypto_engine/sha.h"
#include "fake_alarm.h"
#include "ipc/ipc.h"
#include "ipc/ipc_msg.h"
#include "ipc/ipc_name.h"

#define SOAK_CYCLES 10000u
#define SOAK_PROBE_EVERY 100u
#define SOAK_STAGES 7u /* 0..6 acquisition steps before death */
#define SOAK_DEATHS 4u
#define SETTLE_ROUNDS 10000u

enum {
    ALLOW_OK = 130,
    SUBSCRIBE_OK = 130,
    /* IPC (compat) commands. */
    IPC_NOTIFY_SERVICE = 2,
    IPC_NOTIFY_CLIENT = 3,
    /* IPC_NAME / IPC_MSG commands. */
    NAME_REGISTER = 1,
    NAME_LOOKUP = 3,
    MSG_SEND = 1,
    MSG_SERVE = 10,
    MSG_RECV = 11,
    MSG_REPLY = 12,
    MSG_POST = 20,
    MSG_GRANT_POST = 22,
    MSG_SET_TIMER = 23,
    MSG_WATCH = 24,
    /* Offsets in a process's RAM (the app break is at 2048). */
    AT_DATA = 0,        /* 200 bytes of message */
    AT_SHA_OUT = 256,   /* 32 */
    AT_KEY = 320,       /* 16 */
    AT_MAC_OUT = 384,   /* 32 */
    AT_SHARE_1 = 512,   /* 64, IPC share with slot 1 */
    AT_SHARE_2 = 576,   /* 64, IPC share with slot 2 */
    AT_SHARE_0 = 640,   /* 64, IPC share with slot 0 */
    AT_AES_KEY = 704,   /* 16 */
    AT_AES_IV = 720,    /* 16, zero */
    AT_AES_OUT = 736,   /* AES_LEN */
    AT_AES_PLAIN = 960, /* 16 (the neighbour's known-answer block) */
    AT_NAME = 1024,     /* names for IPC_NAME */
    AT_REQUEST = 1100,  /* message request */
    AT_REPLY = 1200,    /* 32, reply buffer */
    AT_RECV = 1300,     /* 64, receive buffer */
    AT_REPLY_MSG = 1400,
    DATA_LEN = 200,
    AES_LEN = 192,
    AES_CBC = 1,
};

/* FIPS-197 appendix C.1; CBC with a zero IV is ECB on one block. */
static const uint8_t fips_key[16] = { 0x00, 0x01, 0x02, 0x03, 0x04, 0x05, 0x06, 0x07,
                                      0x08, 0x09, 0x0a, 0x0b, 0x0c, 0x0d, 0x0e, 0x0f };
static const uint8_t fips_plain[16] = { 0x00, 0x11, 0x22, 0x33, 0x44, 0x55, 0x66, 0x77,
                                        0x88, 0x99, 0xaa, 0xbb, 0xcc, 0xdd, 0xee, 0xff };
static const uint8_t fips_cipher[16] = { 0x69, 0xc4, 0xe0, 0xd8, 0x6a, 0x7b, 0x04, 0x30,
                                         0xd8, 0xcd, 0xb7, 0x80, 0x70, 0xb4, 0xc5, 0x5a };

static struct fixture fx;
static struct driver_slot slots[FIX_DRIVERS + 6];
static struct fake_alarm sha_hw, hmac_hw, aes_hw, msg_hw;
static struct mutex_dispatcher mutexes;
static struct mutex_dispatcher_config mutex_checks;
static uint32_t violations;
static struct crypto_engine engine;
static struct crypto_engine_sha sha_unit, hmac_unit;
static struct crypto_engine_aes aes_unit;
static struct aes_driver aes;
static struct cmd_queue_entry aes_entries[FIX_PROCS];
static struct cmd_queue_config queue_config;
static struct digest_driver sha, hmac;
static struct cmd_queue_entry sha_entries[FIX_PROCS], hmac_entries[FIX_PROCS];
static struct ipc ipc;
static struct ipc_name names;
static struct ipc_msg msg;
static struct process *cycler, *checker, *neighbour;

/* What the survivors look like between cycles. */
static struct {
    uint32_t exit_hooks;
    uintptr_t kernel_brk[FIX_PROCS];
    uintptr_t grant_pointers[FIX_PROCS][PROCESS_MAX_GRANTS];
    uint32_t cycler_desc; /* the checker's descriptor for "soak.cycler" */
    uint8_t sha_digest[SHA256_DIGEST_LEN];
    uint8_t mac[HMAC_SHA256_MAC_LEN];
} baseline;

/* What the soak saw, to show every path was taken. */
static struct {
    uint32_t by_stage[SOAK_STAGES];
    uint32_t by_death[SOAK_DEATHS];
    uint32_t died_holding_mutex;
    uint32_t died_waiting_mutex;
    uint32_t died_with_call_received;
    uint32_t died_with_call_queued;
    uint32_t stale_tokens;
    uint32_t died_with_sessions;
    uint32_t died_with_aes_running;
    uint32_t probes;
} seen;

static void on_violation(const struct mutex_violation *violation, void *ctx)
{
    (void)violation;
    (void)ctx;
    violations++;
}

static uint32_t sha_clock(void *ctx)
{
    return hil_alarm_now(&((struct fake_alarm *)ctx)->alarm);
}

/* ---- syscalls ---- */

static uint32_t addr(const struct process *p, uint32_t offset)
{
    return u32(p->mem_start + offset);
}

static uint32_t upcall_fn(const struct process *p)
{
    return u32(p->flash_start + FIX_PROTECTED + 0x41u);
}

static uint32_t sys(struct process *p, uint32_t class_num, uint32_t a0, uint32_t a1, uint32_t a2,
                    uint32_t a3)
{
    return fixture_sys(&fx, p, class_num, a0, a1, a2, a3);
}

static void subscribe(struct process *p, uint32_t driver, uint32_t n)
{
    assert_int_equal(sys(p, CLASS_SUBSCRIBE, driver, n, upcall_fn(p), 0), SUBSCRIBE_OK);
}

static void allow(struct process *p, uint32_t class_num, uint32_t driver, uint32_t n,
                  uint32_t offset, uint32_t len)
{
    assert_int_equal(sys(p, class_num, driver, n, len != 0 ? addr(p, offset) : 0, len), ALLOW_OK);
}

static void put_text(struct process *p, uint32_t offset, const char *text)
{
    memcpy((void *)(p->mem_start + offset), text, strlen(text));
}

static void allow_name(struct process *p, uint32_t driver, uint32_t n, uint32_t offset,
                       const char *text)
{
    put_text(p, offset, text);
    allow(p, CLASS_ALLOW_RO, driver, n, offset, (uint32_t)strlen(text));
}

static uint32_t command(struct process *p, uint32_t driver, uint32_t num, uint32_t a0,
                        uint32_t a1)
{
    return sys(p, CLASS_COMMAND, driver, num, a0, a1);
}

static uint32_t lookup(struct process *p, const char *name)
{
    allow_name(p, IPC_NAME_DRIVER_NUM, 0, AT_NAME, name);
    assert_int_equal(command(p, IPC_NAME_DRIVER_NUM, NAME_LOOKUP, 0, 0), SUCCESS_U32);
    return p->context.regs[1];
}

static void serve_as(struct process *p, const char *name)
{
    assert_int_equal(command(p, IPC_MSG_DRIVER_NUM, MSG_SERVE, 1, 0), SUCCESS);
    allow_name(p, IPC_NAME_DRIVER_NUM, 0, AT_NAME, name);
    assert_int_equal(command(p, IPC_NAME_DRIVER_NUM, NAME_REGISTER, 0, 0), SUCCESS);
}

static void fill_pattern(struct process *p, uint32_t offset, uint32_t len, uint8_t seed)
{
    uint8_t *bytes = (uint8_t *)(p->mem_start + offset);
    for (uint32_t i = 0; i < len; i++) {
        bytes[i] = (uint8_t)(seed + i * 7u);
    }
}

/* Run deferred calls (mutex grants, crypto steps, queue kicks, the IPC reaper) until quiet. */
static void settle(void)
{
    uint32_t rounds = 0;
    while (deferred_call_has_pending()) {
        deferred_call_service();
        assert_true(++rounds < SETTLE_ROUNDS);
    }
}

/* Run deferred-call rounds until done() says so; false if the system went quiet first. */
static bool service_until(bool (*done)(void))
{
    for (uint32_t rounds = 0; rounds < SETTLE_ROUNDS; rounds++) {
        if (done()) {
            return true;
        }
        if (!deferred_call_has_pending()) {
            return false;
        }
        deferred_call_service();
    }
    return false;
}

/* The SHA unit has claimed the crypto RAM: its request waits in the mutex or holds it. */
static bool sha_claimed_ram(void)
{
    return sha_unit.unit.waiter.state != MUTEX_WAITER_IDLE;
}

/* The HMAC unit holds the crypto RAM across rounds (its first operation is two blocks: the
 * inner key block, then data). */
static bool hmac_holds_ram(void)
{
    return engine.owner == &hmac_unit.unit;
}

/* The AES setup has started and its unit claimed the crypto RAM. */
static bool aes_claimed_ram(void)
{
    return aes_unit.unit.waiter.state != MUTEX_WAITER_IDLE;
}

/* The test plays the checker's and neighbour's userspace: every queued event is consumed. */
static void consume_events(struct process *p)
{
    upcall_queue_clear(&p->queue);
}

/* ---- the baseline ---- */

static uint32_t exit_hook_count(void)
{
    uint32_t count = 0;
    for (struct list_node *n = fx.k.exit_hooks.head; n != NULL; n = n->next) {
        count++;
    }
    return count;
}

static void record_survivor(const struct process *p)
{
    uint32_t i = p->pid.index;
    baseline.kernel_brk[i] = p->kernel_brk;
    memcpy(baseline.grant_pointers[i], p->grant_pointers, sizeof p->grant_pointers);
}

static void expect_queue_idle(const struct digest_driver *d)
{
    const struct cmd_queue *q = &d->queue;
    assert_int_equal(q->owner, CMD_QUEUE_NO_OWNER);
    assert_false(q->is_running);
    assert_false(q->is_session);
    for (uint32_t i = 0; i < q->entry_count; i++) {
        assert_int_equal(q->entries[i].state, CMD_QUEUE_IDLE);
    }
    assert_int_equal(d->phase, DIGEST_DRIVER_IDLE);
    assert_false(d->is_orphaned);
    assert_false(d->is_message_open);
}

static void expect_aes_idle(void)
{
    const struct cmd_queue *q = &aes.queue;
    assert_int_equal(q->owner, CMD_QUEUE_NO_OWNER);
    assert_false(q->is_running);
    assert_false(q->is_session);
    for (uint32_t i = 0; i < q->entry_count; i++) {
        assert_int_equal(q->entries[i].state, CMD_QUEUE_IDLE);
    }
    assert_false(aes.has_session);
    assert_int_equal(aes.phase, AES_DRIVER_IDLE);
    assert_false(aes.is_orphaned);
}

static void expect_mutex_free(void)
{
    const struct mutex *m = &engine.ram_mutex;
    assert_null(engine.owner);
    assert_false(engine.is_granting);
    assert_null(m->waiters.head);
    assert_null(m->waiters.tail);
    assert_null(m->holders.head);
    assert_int_equal(m->queued, 0);
    assert_int_equal(m->holder_count, 0);
    assert_false(m->is_pending);
    assert_null(mutexes.pending.head);
    assert_int_equal(sha_unit.unit.waiter.state, MUTEX_WAITER_IDLE);
    assert_int_equal(hmac_unit.unit.waiter.state, MUTEX_WAITER_IDLE);
    assert_int_equal(aes_unit.unit.waiter.state, MUTEX_WAITER_IDLE);
    assert_int_equal(violations, 0);
}

/* A process that is not alive holds nothing; a fresh instance holds only its entry call. */
static void expect_cycler_clean(bool is_alive)
{
    assert_int_equal(process_is_alive(cycler), is_alive);
    for (uint32_t g = 0; g < PROCESS_MAX_GRANTS; g++) {
        assert_int_equal(cycler->grant_pointers[g], 0);
    }
    assert_int_equal(cycler->grants_entered, 0);
    if (is_alive) { /* a dead instance's breaks are reset when it starts again */
        assert_int_equal(cycler->kernel_brk, cycler->mem_start + cycler->mem_size);
    }
    assert_int_equal(cycler->queue.count, is_alive ? 1 : 0);
    assert_int_equal(cycler->mpu.shared_len, 0);
}

static void expect_survivor_clean(const struct process *p)
{
    uint32_t i = p->pid.index;
    assert_true(process_is_alive(p));
    assert_int_equal(p->kernel_brk, baseline.kernel_brk[i]);
    assert_memory_equal(p->grant_pointers, baseline.grant_pointers[i], sizeof p->grant_pointers);
    assert_int_equal(p->grants_entered, 0);
    assert_int_equal(p->queue.count, 0);
    assert_int_equal(p->mpu.shared_len, 0);
    assert_int_equal(p->dropped_upcalls, 0);
}

static void expect_baseline(bool is_cycler_alive, struct process_id dead)
{
    assert_int_equal(exit_hook_count(), baseline.exit_hooks);
    expect_cycler_clean(is_cycler_alive);
    expect_survivor_clean(checker);
    expect_survivor_clean(neighbour);
    expect_queue_idle(&sha);
    expect_queue_idle(&hmac);
    expect_aes_idle();
    expect_mutex_free();
    for (uint32_t d = 0; d < 2; d++) {
        for (uint32_t r = 0; r < IPC_MAX_PROCESSES; r++) {
            assert_int_equal(ipc.held[d][r], 0);
        }
    }
    assert_int_equal(ipc_msg_references(&msg, dead), 0);
    assert_int_equal(ipc_msg_references(&msg, cycler->pid), 0);
    assert_false(msg_hw.is_armed); /* no deadline, timer or retry is left to serve */
}

/* ---- the neighbour's proof that every resource is still there ---- */

/* One digest for the neighbour (SHA hash or HMAC: `cmd` of `driver`, result allowed at `out_at`),
 * compared with the digest taken before any cycle ran. */
static void probe_digest(uint32_t driver, uint32_t cmd, uint32_t out_at, const uint8_t *want,
                         size_t len)
{
    struct process *p = neighbour;
    memset((void *)(p->mem_start + out_at), 0, len);
    assert_int_equal(command(p, driver, cmd, 0, 0), SUCCESS);
    settle();
    struct upcall_task t;
    assert_true(upcall_queue_take_match(&p->queue, driver, 0, &t));
    assert_int_equal(t.args[0], ERR_OK);
    assert_memory_equal((void *)(p->mem_start + out_at), want, len);
}

static void probe_encrypt(void)
{
    struct process *p = neighbour;
    memset((void *)(p->mem_start + AT_AES_OUT), 0, sizeof fips_cipher);
    allow(p, CLASS_ALLOW_RO, AES_DRIVER_NUM, AES_DRIVER_ALLOW_RO_SOURCE, AT_AES_PLAIN,
          sizeof fips_plain);
    allow(p, CLASS_ALLOW_RW, AES_DRIVER_NUM, AES_DRIVER_ALLOW_RW_DEST, AT_AES_OUT,
          sizeof fips_cipher);
    assert_int_equal(command(p, AES_DRIVER_NUM, AES_DRIVER_CMD_SET_ALGORITHM, AES_CBC, 1),
                     SUCCESS);
    assert_int_equal(command(p, AES_DRIVER_NUM, AES_DRIVER_CMD_SETUP, 0, 0), SUCCESS);
    settle();
    struct upcall_task t;
    assert_true(upcall_queue_take_match(&p->queue, AES_DRIVER_NUM, AES_DRIVER_SUBSCRIBE_DONE,
                                        &t));
    assert_int_equal(t.args[0], ERR_OK);
    assert_int_equal(t.args[1], sizeof fips_plain);
    assert_memory_equal((void *)(p->mem_start + AT_AES_OUT), fips_cipher, sizeof fips_cipher);
    assert_int_equal(command(p, AES_DRIVER_NUM, AES_DRIVER_CMD_FINISH, 0, 0), SUCCESS);
}

static void probe_share(void)
{
    struct process *p = neighbour;
    allow(p, CLASS_ALLOW_RW, IPC_DRIVER_NUM, 1, AT_SHARE_1, 64);
    assert_int_equal(command(p, IPC_DRIVER_NUM, IPC_NOTIFY_SERVICE, 1, 0), SUCCESS);
    assert_int_equal(checker->mpu.shared_start, addr(p, AT_SHARE_1));
    assert_int_equal(checker->mpu.shared_len, 64);
    struct upcall_task t;
    assert_true(upcall_queue_take_match(&checker->queue, IPC_DRIVER_NUM, 1, &t));
    assert_int_equal(t.args[0], 2); /* from slot 2 */
    allow(p, CLASS_ALLOW_RW, IPC_DRIVER_NUM, 1, 0, 0); /* withdrawn: the mapping goes */
    assert_int_equal(checker->mpu.shared_len, 0);
}

static void probe_call(void)
{
    struct process *p = neighbour;
    uint32_t desc = lookup(p, "soak.server");
    allow_name(p, IPC_MSG_DRIVER_NUM, 0, AT_REQUEST, "ping");
    allow(p, CLASS_ALLOW_RW, IPC_MSG_DRIVER_NUM, 0, AT_REPLY, 32);
    assert_int_equal(command(p, IPC_MSG_DRIVER_NUM, MSG_SEND, desc | (3u << 16), 0), SUCCESS);
    assert_int_equal(command(checker, IPC_MSG_DRIVER_NUM, MSG_RECV, 0, 0), SUCCESS_U32);
    assert_int_equal(checker->context.regs[1], 1);
    struct upcall_task t;
    assert_true(upcall_queue_take_match(&checker->queue, IPC_MSG_DRIVER_NUM, 1, &t));
    assert_int_equal(t.args[2], ipc_badge(p->pid));
    allow_name(checker, IPC_MSG_DRIVER_NUM, 5, AT_REPLY_MSG, "pong");
    assert_int_equal(command(checker, IPC_MSG_DRIVER_NUM, MSG_REPLY, t.args[0], 7), SUCCESS_U32);
    assert_int_equal(checker->context.regs[1], 1); /* live token */
    assert_true(upcall_queue_take_match(&p->queue, IPC_MSG_DRIVER_NUM, 0, &t));
    assert_int_equal(t.args[0], ERR_OK);
    assert_int_equal(t.args[2], 7);
    assert_memory_equal((void *)(p->mem_start + AT_REPLY), "pong", 4);
    /* Collect the consumed events (latches) so the next round starts empty. */
    assert_int_equal(command(p, IPC_MSG_DRIVER_NUM, MSG_SET_TIMER, 0, 0), SUCCESS);
    assert_int_equal(command(checker, IPC_MSG_DRIVER_NUM, MSG_SET_TIMER, 0, 0), SUCCESS);
}

static void probe_all(void)
{
    probe_digest(SHA_DRIVER_NUM, SHA_CMD_HASH, AT_SHA_OUT, baseline.sha_digest,
                 SHA256_DIGEST_LEN);
    probe_digest(HMAC_DRIVER_NUM, DIGEST_DRIVER_CMD_RUN, AT_MAC_OUT, baseline.mac,
                 HMAC_SHA256_MAC_LEN);
    probe_encrypt();
    probe_share();
    probe_call();
    consume_events(checker);
    consume_events(neighbour);
    seen.probes++;
}

/* ---- setup ---- */

/* Data (from data_seed) and an HMAC key (from key_seed) in p's memory, and the SHA and HMAC
 * subscriptions and allows over them, results at AT_SHA_OUT and AT_MAC_OUT. */
static void allow_digests(struct process *p, uint8_t data_seed, uint8_t key_seed)
{
    fill_pattern(p, AT_DATA, DATA_LEN, data_seed);
    fill_pattern(p, AT_KEY, 16, key_seed);
    subscribe(p, SHA_DRIVER_NUM, 0);
    allow(p, CLASS_ALLOW_RO, SHA_DRIVER_NUM, SHA_ALLOW_RO_DATA, AT_DATA, DATA_LEN);
    allow(p, CLASS_ALLOW_RW, SHA_DRIVER_NUM, SHA_ALLOW_RW_DEST, AT_SHA_OUT, SHA256_DIGEST_LEN);
    subscribe(p, HMAC_DRIVER_NUM, 0);
    allow(p, CLASS_ALLOW_RO, HMAC_DRIVER_NUM, DIGEST_DRIVER_ALLOW_RO_KEY, AT_KEY, 16);
    allow(p, CLASS_ALLOW_RO, HMAC_DRIVER_NUM, HMAC_ALLOW_RO_DATA, AT_DATA, DATA_LEN);
    allow(p, CLASS_ALLOW_RW, HMAC_DRIVER_NUM, HMAC_ALLOW_RW_DEST, AT_MAC_OUT,
          HMAC_SHA256_MAC_LEN);
}

static void setup_neighbour(void)
{
    struct process *p = neighbour;
    allow_digests(p, 0x5A, 0x11);
    memcpy((void *)(p->mem_start + AT_AES_KEY), fips_key, sizeof fips_key);
    memcpy((void *)(p->mem_start + AT_AES_PLAIN), fips_plain, sizeof fips_plain);
    memset((void *)(p->mem_start + AT_AES_IV), 0, 16);
    subscribe(p, AES_DRIVER_NUM, AES_DRIVER_SUBSCRIBE_DONE);
    allow(p, CLASS_ALLOW_RO, AES_DRIVER_NUM, AES_DRIVER_ALLOW_RO_KEY, AT_AES_KEY, 16);
    allow(p, CLASS_ALLOW_RO, AES_DRIVER_NUM, AES_DRIVER_ALLOW_RO_IV, AT_AES_IV, 16);
    /* A message server nobody answers: calls to it stay queued. Never subscribes on IPC, so
     * IPC notifications to it are held. */
    serve_as(p, "soak.quiet");
    sha256_digest((const uint8_t *)(p->mem_start + AT_DATA), DATA_LEN, baseline.sha_digest);
    hmac_sha256((const uint8_t *)(p->mem_start + AT_KEY), 16,
                (const uint8_t *)(p->mem_start + AT_DATA), DATA_LEN, baseline.mac);
}

static void setup_checker(void)
{
    struct process *p = checker;
    subscribe(p, IPC_DRIVER_NUM, 1); /* service notifications */
    allow(p, CLASS_ALLOW_RW, IPC_DRIVER_NUM, 0, AT_SHARE_0, 64); /* shared with the cycler */
    serve_as(p, "soak.server");
    assert_int_equal(command(p, IPC_MSG_DRIVER_NUM, MSG_GRANT_POST, 0, 0x8), SUCCESS);
}

static int setup(void **state)
{
    (void)state;
    fixture_init_unloaded(&fx, (struct process_fault_policy){ .action = PROCESS_FAULT_RESTART,
                                                              .max_restarts = UINT32_MAX });
    const struct driver_slot extra[] = {
        { IPC_DRIVER_NUM, &ipc.driver },       { IPC_NAME_DRIVER_NUM, &names.driver },
        { IPC_MSG_DRIVER_NUM, &msg.driver },   { SHA_DRIVER_NUM, &sha.driver },
        { HMAC_DRIVER_NUM, &hmac.driver },     { AES_DRIVER_NUM, &aes.driver },
    };
    fixture_add_drivers(&fx, slots, extra, 6);
    fake_alarm_init(&sha_hw, 1000000, 0);
    fake_alarm_init(&hmac_hw, 1000000, 0);
    fake_alarm_init(&aes_hw, 1000000, 0);
    fake_alarm_init(&msg_hw, 1000000, 0);
    violations = 0;
    mutex_checks = (struct mutex_dispatcher_config){ .on_violation = on_violation,
                                                     .now = sha_clock, .clock_ctx = &sha_hw };
    queue_config = (struct cmd_queue_config){ .now = sha_clock, .clock_ctx = &sha_hw,
                                              .session_idle_ticks = 5000000 };
    assert_int_equal(mutex_dispatcher_init(&mutexes, &mutex_checks), ERR_OK);
    assert_int_equal(crypto_engine_init(&engine, &mutexes), ERR_OK);
    crypto_engine_sha_init(&sha_unit, &engine);
    crypto_engine_sha_init(&hmac_unit, &engine);
    crypto_engine_aes_init(&aes_unit, &engine);
    assert_int_equal(sha_driver_init(&sha, &sha_unit.digest, &sha_hw.alarm, &fx.k, &queue_config,
                                     sha_entries, FIX_PROCS),
                     ERR_OK);
    assert_int_equal(hmac_driver_init(&hmac, &hmac_unit.digest, &hmac_hw.alarm, &fx.k,
                                      &queue_config, hmac_entries, FIX_PROCS),
                     ERR_OK);
    kernel_add_exit_hook(&fx.k, &sha.queue.exit_hook);
    assert_int_equal(aes_driver_init(&aes, &aes_unit.aes, &aes_unit.aead, &aes_hw.alarm, &fx.k,
                                     &queue_config, aes_entries, FIX_PROCS),
                     ERR_OK);
    kernel_add_exit_hook(&fx.k, &hmac.queue.exit_hook);
    kernel_add_exit_hook(&fx.k, &aes.queue.exit_hook);
    assert_int_equal(ipc_init(&ipc, &fx.k), ERR_OK);
    assert_int_equal(ipc_name_init(&names, &fx.k, ipc_name_allow_all), ERR_OK);
    assert_int_equal(ipc_msg_init(&msg, &fx.k, &names, &msg_hw.alarm), ERR_OK);
    fx.k.processes_loaded = true;
    fake_arch.initial_app_brk = 2048;
    cycler = fixture_start_process(&fx, 0);
    checker = fixture_running(&fx, 1);
    neighbour = fixture_running(&fx, 2);
    memset(&baseline, 0, sizeof baseline);
    memset(&seen, 0, sizeof seen);
    setup_neighbour();
    setup_checker();
    baseline.cycler_desc = 0;
    baseline.exit_hooks = exit_hook_count();
    /* One probe before recording: the survivors' grants are all allocated by then. */
    probe_all();
    settle();
    record_survivor(checker);
    record_survivor(neighbour);
    fixture_drain_debug();
    return 0;
}

static int teardown(void **state)
{
    (void)state;
    fixture_fini(&fx);
    return 0;
}

/* ---- one cycle ---- */

static void take_grants(uint32_t cycle)
{
    struct process *p = cycler;
    allow_digests(p, (uint8_t)cycle, 0x22);
    fill_pattern(p, AT_AES_KEY, 32, 0x33); /* key and IV */
    subscribe(p, AES_DRIVER_NUM, AES_DRIVER_SUBSCRIBE_DONE);
    allow(p, CLASS_ALLOW_RO, AES_DRIVER_NUM, AES_DRIVER_ALLOW_RO_KEY, AT_AES_KEY, 16);
    allow(p, CLASS_ALLOW_RO, AES_DRIVER_NUM, AES_DRIVER_ALLOW_RO_IV, AT_AES_IV, 16);
    allow(p, CLASS_ALLOW_RO, AES_DRIVER_NUM, AES_DRIVER_ALLOW_RO_SOURCE, AT_DATA, AES_LEN);
    allow(p, CLASS_ALLOW_RW, AES_DRIVER_NUM, AES_DRIVER_ALLOW_RW_DEST, AT_AES_OUT, AES_LEN);
    assert_int_equal(command(p, AES_DRIVER_NUM, AES_DRIVER_CMD_SET_ALGORITHM, AES_CBC, 1),
                     SUCCESS);
    if (cycle % 2 == 0) {
        subscribe(p, IPC_DRIVER_NUM, 1); /* client notifications from the checker */
    }
    allow(p, CLASS_ALLOW_RW, IPC_DRIVER_NUM, 1, AT_SHARE_1, 64);
    allow(p, CLASS_ALLOW_RW, IPC_DRIVER_NUM, 2, AT_SHARE_2, 64);
    assert_int_equal(command(p, IPC_MSG_DRIVER_NUM, MSG_SET_TIMER, 0, 0), SUCCESS);
}

static void queue_hash(void)
{
    assert_int_equal(command(cycler, SHA_DRIVER_NUM, SHA_CMD_HASH, 0, 0), SUCCESS);
    assert_int_equal(sha.queue.entries[0].state, CMD_QUEUE_QUEUED);
}

static void run_hash(void)
{
    assert_true(service_until(sha_claimed_ram));
}

static void start_mac(uint32_t cycle)
{
    uint32_t op = cycle % 2 == 0 ? DIGEST_DRIVER_CMD_RUN : DIGEST_DRIVER_CMD_UPDATE;
    assert_int_equal(command(cycler, HMAC_DRIVER_NUM, op, 0, 0), SUCCESS);
    assert_true(service_until(hmac_holds_ram));
    assert_int_equal(hmac_unit.unit.waiter.state, MUTEX_WAITER_HOLDING);
    assert_int_equal(command(cycler, AES_DRIVER_NUM, AES_DRIVER_CMD_SETUP, 0, 0), SUCCESS);
}

static void share(void)
{
    assert_int_equal(command(cycler, IPC_DRIVER_NUM, IPC_NOTIFY_SERVICE, 1, 0), SUCCESS);
    assert_int_equal(checker->mpu.shared_len, 64); /* the cycler's buffer, mapped */
    assert_int_equal(command(cycler, IPC_DRIVER_NUM, IPC_NOTIFY_SERVICE, 2, 0), SUCCESS);
    assert_int_not_equal(ipc.held[0][2], 0); /* the neighbour cannot take it yet */
    assert_int_equal(command(checker, IPC_DRIVER_NUM, IPC_NOTIFY_CLIENT, 0, 0), SUCCESS);
    assert_int_equal(cycler->mpu.shared_len, 64); /* the checker's buffer, mapped */
}

static void call(uint32_t cycle)
{
    struct process *p = cycler;
    serve_as(p, "soak.cycler");
    bool to_checker = (cycle / SOAK_STAGES) % 2 == 0;
    uint32_t desc = lookup(p, to_checker ? "soak.server" : "soak.quiet");
    allow_name(p, IPC_MSG_DRIVER_NUM, 0, AT_REQUEST, "work");
    allow(p, CLASS_ALLOW_RW, IPC_MSG_DRIVER_NUM, 0, AT_REPLY, 32);
    uint32_t timeout_ms = cycle % 3 == 0 ? 1000 : 0;
    assert_int_equal(command(p, IPC_MSG_DRIVER_NUM, MSG_SEND, desc | (1u << 16), timeout_ms),
                     SUCCESS);
    /* The checker takes rights on and a watch over this instance. */
    uint32_t cdesc = lookup(checker, "soak.cycler");
    if (baseline.cycler_desc == 0) {
        baseline.cycler_desc = cdesc;
    }
    assert_int_equal(cdesc, baseline.cycler_desc); /* re-resolved, never a new entry */
    assert_int_equal(command(checker, IPC_MSG_DRIVER_NUM, MSG_GRANT_POST, cdesc, 0x2), SUCCESS);
    assert_int_equal(command(checker, IPC_MSG_DRIVER_NUM, MSG_WATCH, cdesc, 0x4), SUCCESS);
    assert_int_equal(command(p, IPC_MSG_DRIVER_NUM, MSG_SET_TIMER, 50, 0x1), SUCCESS);
    uint32_t sdesc = lookup(p, "soak.server");
    assert_int_equal(command(p, IPC_MSG_DRIVER_NUM, MSG_POST, sdesc, 0x8), SUCCESS);
    if (to_checker) {
        allow(checker, CLASS_ALLOW_RW, IPC_MSG_DRIVER_NUM, 5, AT_RECV, 64);
        assert_int_equal(command(checker, IPC_MSG_DRIVER_NUM, MSG_RECV, 0, 0), SUCCESS_U32);
        assert_int_equal(checker->context.regs[1], 1);
        seen.died_with_call_received++;
    } else {
        seen.died_with_call_queued++;
    }
    /* The checker's posting right and watch (the call lives in the cycler's own grant). */
    assert_int_equal(ipc_msg_references(&msg, p->pid), 2);
}

static void acquire(uint32_t cycle, uint32_t stage)
{
    if (stage >= 1) {
        take_grants(cycle);
    }
    if (stage >= 2) {
        queue_hash();
    }
    if (stage >= 3) {
        run_hash();
    }
    if (stage >= 4) {
        start_mac(cycle);
    }
    if (stage >= 5 && cycle % 4 == 1) {
        settle(); /* all finish: the HMAC update and the AES setup leave idle sessions */
        assert_true(hmac.queue.is_session);
        assert_true(aes.has_session);
        seen.died_with_sessions++;
    }
    if (stage >= 5 && cycle % 4 == 3) {
        assert_true(service_until(aes_claimed_ram)); /* dies with the AES request running */
        seen.died_with_aes_running++;
    }
    if (stage >= 5) {
        share();
    }
    if (stage >= 6) {
        call(cycle);
    }
}

/* The checker answers whatever the dead instance left it: a received call's token is stale
 * (REPLY says 0: gone), the watch fired, posted bits wait. Then it consumes every event. */
static void checker_cleans_up(void)
{
    struct upcall_task t;
    while (upcall_queue_take_match(&checker->queue, IPC_MSG_DRIVER_NUM, 1, &t)) {
        if (t.args[0] != 0) {
            allow_name(checker, IPC_MSG_DRIVER_NUM, 5, AT_REPLY_MSG, "late");
            assert_int_equal(command(checker, IPC_MSG_DRIVER_NUM, MSG_REPLY, t.args[0], 0),
                             SUCCESS_U32);
            assert_int_equal(checker->context.regs[1], 0); /* gone */
            seen.stale_tokens++;
        }
    }
    /* Drain notifications (the watch's 0x4, the posted 0x8) with non-blocking receives. */
    for (uint32_t i = 0; i < 4; i++) {
        assert_int_equal(command(checker, IPC_MSG_DRIVER_NUM, MSG_RECV, 0xF, 0), SUCCESS_U32);
        if (checker->context.regs[1] == 0) {
            break;
        }
        consume_events(checker);
    }
    /* The checker may stay armed: the next call to it is then received at once. */
    consume_events(checker);
    assert_int_equal(command(checker, IPC_MSG_DRIVER_NUM, MSG_SET_TIMER, 0, 0), SUCCESS);
    consume_events(neighbour);
    assert_int_equal(command(neighbour, IPC_MSG_DRIVER_NUM, MSG_SET_TIMER, 0, 0), SUCCESS);
}

static bool is_queued(const struct crypto_engine_unit *unit)
{
    return unit->waiter.state == MUTEX_WAITER_QUEUED;
}

static void die(uint32_t cycle, uint32_t death)
{
    struct process_id dead = cycler->pid;
    /* Only the cycler uses the crypto units during a cycle: whatever holds or waits is its. */
    seen.died_holding_mutex += engine.owner != NULL;
    seen.died_waiting_mutex += is_queued(&sha_unit.unit) || is_queued(&hmac_unit.unit) ||
                               is_queued(&aes_unit.unit);
    switch (death) {
    case 0: /* exit syscall, variant 1: restart */
        fixture_syscall(&fx, cycler, CLASS_EXIT, 1, cycle, 0, 0);
        break;
    case 1: /* fault under the restart policy */
        process_fault(&fx.k, cycler, "soak fault");
        break;
    case 2: /* exit syscall, variant 0: terminate; a supervisor restarts it later */
        fixture_syscall(&fx, cycler, CLASS_EXIT, 0, cycle, 0, 0);
        break;
    default: /* fault under the stop policy; a supervisor restarts it later */
        cycler->fault_policy.action = PROCESS_FAULT_STOP;
        process_fault(&fx.k, cycler, "soak fault");
        cycler->fault_policy.action = PROCESS_FAULT_RESTART;
        break;
    }
    assert_false(process_id_equal(cycler->pid, dead) && process_is_alive(cycler));
    settle();
    checker_cleans_up();
    settle();
    bool is_alive = death < 2;
    expect_baseline(is_alive, dead);
    if (!is_alive) {
        process_restart(&fx.k, cycler);
        settle();
        expect_baseline(true, dead);
    }
    fixture_drain_debug();
}

static void test_restart_soak(void **state)
{
    (void)state;
    for (uint32_t cycle = 0; cycle < SOAK_CYCLES; cycle++) {
        uint32_t stage = cycle % SOAK_STAGES;
        uint32_t death = (cycle / SOAK_STAGES) % SOAK_DEATHS;
        fixture_make_running(cycler);
        acquire(cycle, stage);
        die(cycle, death);
        seen.by_stage[stage]++;
        seen.by_death[death]++;
        if ((cycle + 1) % SOAK_PROBE_EVERY == 0) {
            probe_all();
            settle();
            expect_baseline(true, cycler->pid);
        }
    }
    probe_all();
    printf("restart soak: %u cycles; deaths exit-restart %u fault-restart %u exit %u "
           "fault-stop %u; died holding the crypto mutex %u, waiting for it %u; calls in "
           "flight received %u queued %u; stale tokens refused %u; idle sessions %u; AES running %u; probes %u\n",
           SOAK_CYCLES, seen.by_death[0], seen.by_death[1], seen.by_death[2], seen.by_death[3],
           seen.died_holding_mutex, seen.died_waiting_mutex, seen.died_with_call_received,
           seen.died_with_call_queued, seen.stale_tokens, seen.died_with_sessions,
           seen.died_with_aes_running, seen.probes);
    for (uint32_t s = 0; s < SOAK_STAGES; s++) {
        assert_true(seen.by_stage[s] > SOAK_CYCLES / SOAK_STAGES / 2);
    }
    for (uint32_t d = 0; d < SOAK_DEATHS; d++) {
        assert_true(seen.by_death[d] > SOAK_CYCLES / SOAK_DEATHS / 2);
    }
    assert_true(seen.died_holding_mutex > 0);
    assert_true(seen.died_waiting_mutex > 0);
    assert_true(seen.stale_tokens > 0);
    assert_true(seen.died_with_call_queued > 0);
    assert_true(seen.died_with_sessions > 0);
    assert_true(seen.died_with_aes_running > 0);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(test_restart_soak, setup, teardown),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
