/* SPDX-License-Identifier: Apache-2.0 OR MIT */
/*
 * soak_supervisor: counts the restart soak's cycles and proves, every 100 cycles, that the
 * resources the dying cycler keeps taking are still there for everyone else
 * (doc/reference/016-restart-soak.md).
 *
 * It serves "soak.super" over message IPC. Each soak_cycler instance calls it once on start
 * (SOAK_OP_CYCLE); that call is the cycle count, kept here because the cycler's memory is fresh
 * on every run. The reply's code is the instance's plan: how far it gets before dying, and
 * whether it dies by a fault (cycles 50, 150 and 250: the board restarts a faulting process at
 * most 3 times, so every other death is an exit-restart). Before replying it takes posting
 * rights on and a watch over the new instance (both tables would fill up if dead instances'
 * entries leaked) and answers the previous instance's held call, whose token must be stale.
 * Every 100 cycles it runs SHA-256, HMAC-SHA256 and AES-128 known-answer tests through the
 * queued, mutex-sharing crypto drivers and prints
 *     restart_soak: cycle N checks ok (stale tokens S, watches W, posts P, shares H)
 *
 * Invariants: one held token at a time; a FAIL line for anything unexpected, then it stops.
 */
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include <libtock-sync/crypto/hmac.h>
#include <libtock-sync/crypto/sha.h>
#include <libtock/crypto/aes.h>
#include <libtock/crypto/syscalls/aes_syscalls.h>
#include <libtock/kernel/ipc.h>
#include <libtock/kernel/ipc_msg.h>
#include <libtock/tock.h>

#include "../common/test_aes.h"
#include "../soak_common/soak.h"

#define CHECK_EVERY 100u

/* FIPS 180-2 "abc"; RFC 4231 test case 2; FIPS-197 C.1 (CBC with a zero IV is ECB on one
 * block). */
static uint8_t abc[3] = { 'a', 'b', 'c' };
static const uint8_t abc_sha256[32] = {
    0xba, 0x78, 0x16, 0xbf, 0x8f, 0x01, 0xcf, 0xea, 0x41, 0x41, 0x40, 0xde, 0x5d, 0xae, 0x22, 0x23,
    0xb0, 0x03, 0x61, 0xa3, 0x96, 0x17, 0x7a, 0x9c, 0xb4, 0x10, 0xff, 0x61, 0xf2, 0x00, 0x15, 0xad,
};
static uint8_t jefe[4] = { 'J', 'e', 'f', 'e' };
static uint8_t what[28] = "what do ya want for nothing?";
static const uint8_t jefe_hmac[32] = {
    0x5b, 0xdc, 0xc1, 0x46, 0xbf, 0x60, 0x75, 0x4e, 0x6a, 0x04, 0x24, 0x26, 0x08, 0x95, 0x75, 0xc7,
    0x5a, 0x00, 0x3f, 0x08, 0x9d, 0x27, 0x39, 0x83, 0x9d, 0xec, 0x58, 0xb9, 0x64, 0xec, 0x38, 0x43,
};
static const uint8_t aes_key[16] = { 0x00, 0x01, 0x02, 0x03, 0x04, 0x05, 0x06, 0x07,
                                     0x08, 0x09, 0x0a, 0x0b, 0x0c, 0x0d, 0x0e, 0x0f };
static const uint8_t aes_iv[16] = { 0 };
static const uint8_t aes_plain[16] = { 0x00, 0x11, 0x22, 0x33, 0x44, 0x55, 0x66, 0x77,
                                       0x88, 0x99, 0xaa, 0xbb, 0xcc, 0xdd, 0xee, 0xff };
static const uint8_t aes_cipher[16] = { 0x69, 0xc4, 0xe0, 0xd8, 0x6a, 0x7b, 0x04, 0x30,
                                        0xd8, 0xcd, 0xb7, 0x80, 0x70, 0xb4, 0xc5, 0x5a };
static uint8_t out[32];
static uint8_t request[16];

struct tally {
    uint32_t cycles;
    uint32_t stale_tokens;
    uint32_t watches;
    uint32_t posts;
    uint32_t shares;
};

static struct tally tally;

static void on_share(int from, int len, int buf, void *ud)
{
    (void)from;
    (void)len;
    (void)buf; /* the sharer may already be gone: never read the buffer */
    (void)ud;
    tally.shares++;
}

static __attribute__((noreturn)) void fail(const char *what_failed, int rc)
{
    printf("restart_soak: FAIL %s at cycle %lu: %d\n", what_failed,
           (unsigned long)tally.cycles, rc);
    for (;;) {
        yield();
    }
}

static void check_aes(void)
{
    const struct test_aes_request job = { .key = aes_key, .iv = aes_iv, .source = aes_plain,
                                          .source_len = sizeof aes_plain, .dest = out,
                                          .dest_len = sizeof aes_cipher };
    returncode_t rc = test_aes_cbc_encrypt_start(&job);
    if (rc == RETURNCODE_SUCCESS) {
        yield_waitfor_return_t event = yield_wait_for(DRIVER_NUM_AES, 0);
        rc = tock_status_to_returncode((statuscode_t)event.data0);
    }
    returncode_t finished = libtock_aes_finish();
    if (rc != RETURNCODE_SUCCESS || finished != RETURNCODE_SUCCESS) {
        fail("aes", rc != RETURNCODE_SUCCESS ? rc : finished);
    }
    if (memcmp(out, aes_cipher, sizeof aes_cipher) != 0) {
        fail("aes result", 0);
    }
}

/* The crypto drivers (command queues, crypto-RAM mutex) still serve a bystander correctly. */
static void check_crypto(void)
{
    memset(out, 0, sizeof out);
    int rc = libtocksync_sha_simple_hash(LIBTOCK_SHA256, abc, sizeof abc, out, sizeof out);
    if (rc != RETURNCODE_SUCCESS || memcmp(out, abc_sha256, sizeof out) != 0) {
        fail("sha", rc);
    }
    memset(out, 0, sizeof out);
    rc = libtocksync_hmac_simple(LIBTOCK_HMAC_SHA256, jefe, sizeof jefe, what, sizeof what, out,
                                 sizeof out);
    if (rc != RETURNCODE_SUCCESS || memcmp(out, jefe_hmac, sizeof out) != 0) {
        fail("hmac", rc);
    }
    memset(out, 0, sizeof out);
    check_aes();
}

/* cycle n's plan (see soak.h). */
static uint32_t plan_for(uint32_t n)
{
    uint32_t plan = n % SOAK_STAGE_COUNT;
    if (n == 50 || n == 150 || n == 250) {
        plan |= SOAK_PLAN_FAULT;
    }
    return plan;
}

/* A new cycler instance called: take rights on it and watch it, then tell it its plan. */
static void greet(uint32_t token, uint32_t *cycler_desc)
{
    uint32_t desc = 0;
    int rc = ipc_name_lookup(SOAK_CYCLER_NAME, &desc);
    if (rc != RETURNCODE_SUCCESS) {
        fail("lookup", rc);
    }
    if (*cycler_desc != 0 && desc != *cycler_desc) {
        fail("descriptor moved", (int)desc); /* a refresh, never a new entry */
    }
    *cycler_desc = desc;
    rc = ipc_grant_post(desc, SOAK_BIT_POSTED);
    if (rc != RETURNCODE_SUCCESS) {
        fail("grant_post", rc);
    }
    rc = ipc_watch(desc, SOAK_BIT_WATCH);
    if (rc != RETURNCODE_SUCCESS) {
        fail("watch", rc);
    }
    tally.cycles++;
    bool delivered = false;
    rc = ipc_reply(token, plan_for(tally.cycles), NULL, 0, &delivered);
    if (rc != RETURNCODE_SUCCESS || !delivered) {
        fail("reply", rc);
    }
}

int main(void)
{
    if (ipc_serve(true) != RETURNCODE_SUCCESS ||
        ipc_name_register(SOAK_SUPERVISOR_NAME, 0) != RETURNCODE_SUCCESS ||
        ipc_register_service_callback(SOAK_SUPERVISOR_PACKAGE, on_share, NULL) !=
            RETURNCODE_SUCCESS) {
        printf("restart_soak: FAIL setup\n");
        return 1;
    }
    printf("restart_soak: supervisor ready\n");
    uint32_t held = 0; /* token of the current instance's unanswered call */
    uint32_t cycler_desc = 0;
    for (;;) {
        struct ipc_message msg;
        int rc = ipc_recv(request, sizeof request, SOAK_BIT_POSTED | SOAK_BIT_WATCH, 0, &msg);
        if (rc != RETURNCODE_SUCCESS) {
            fail("recv", rc);
        }
        while (yield_no_wait() != 0) {
            /* run on_share for a notification that came in meanwhile */
        }
        if (msg.is_notification) {
            tally.posts += (msg.bits & SOAK_BIT_POSTED) != 0;
            tally.watches += (msg.bits & SOAK_BIT_WATCH) != 0;
            continue;
        }
        if (msg.opcode == SOAK_OP_HOLD) {
            if (held != 0) {
                fail("two held calls", 0);
            }
            held = msg.token;
            continue;
        }
        if (held != 0) { /* a new instance called, so the holder is gone */
            bool delivered = true;
            (void)ipc_reply(held, 0, NULL, 0, &delivered);
            if (delivered) {
                fail("reply reached a dead instance", 0);
            }
            tally.stale_tokens++;
            held = 0;
        }
        greet(msg.token, &cycler_desc);
        if (tally.cycles % CHECK_EVERY == 0) {
            check_crypto();
            printf("restart_soak: cycle %lu checks ok (stale tokens %lu, watches %lu, posts %lu, "
                   "shares %lu)\n",
                   (unsigned long)tally.cycles, (unsigned long)tally.stale_tokens,
                   (unsigned long)tally.watches, (unsigned long)tally.posts,
                   (unsigned long)tally.shares);
        }
    }
}
