/* SPDX-License-Identifier: Apache-2.0 OR MIT */
/*
 * soak_cycler: the process that keeps dying in the restart soak
 * (doc/reference/016-restart-soak.md).
 *
 * Each run registers "soak.cycler", calls soak_supervisor once (that call is how the cycle is
 * counted; the reply is this run's plan, see soak.h), then takes resources step by step:
 *   1 a SHA-256 hash and an HMAC queued on the crypto drivers' command queues
 *   2 an AES-CBC request; then a 0-2 ms wait before dying, so the engine is sometimes holding
 *     the crypto-RAM mutex for this process and sometimes has it queued
 *   3 an IPC share with the supervisor (mapped into it) and a service notification
 *   4 a message-IPC call the supervisor receives and never answers, and a timer
 *   5 a notification posted to the supervisor
 * and dies: by exit-restart, or (as planned for three cycles) by an undefined syscall class,
 * which the board's fault policy restarts. It prints nothing, so 10,000 runs cost no UART time.
 *
 * Invariants: none; every run starts from fresh memory.
 */
#include <stdint.h>
#include <stdio.h>

#include <libtock-sync/services/alarm.h>
#include <libtock/crypto/aes.h>
#include <libtock/crypto/hmac.h>
#include <libtock/crypto/sha.h>
#include <libtock/kernel/ipc.h>
#include <libtock/kernel/ipc_msg.h>
#include <libtock/peripherals/syscalls/alarm_syscalls.h>
#include <libtock/tock.h>

#include "../common/test_aes.h"
#include "../soak_common/soak.h"
#include "tock_syscall_arch.h"

static uint8_t data[1024] = { 1, 2, 3 };
static uint8_t key[16] = { 0x42 };
static uint8_t digest[32];
static uint8_t mac[32];
static const uint8_t aes_key[16] = { 0xc0, 0xde };
static const uint8_t aes_iv[16] = { 0x1f };
static uint8_t aes_out[512];
static char shared[64] __attribute__((aligned(64)));

static void ignore_result(returncode_t ret)
{
    (void)ret; /* this instance dies before it would look */
}

static void fail(const char *step, int rc)
{
    printf("soak_cycler: FAIL %s: %d\n", step, rc);
    for (;;) {
        yield();
    }
}

static void queue_digests(void)
{
    int rc = libtock_sha_simple_hash(LIBTOCK_SHA256, data, sizeof data, digest, sizeof digest,
                                     ignore_result);
    if (rc != RETURNCODE_SUCCESS) {
        fail("sha", rc);
    }
    rc = libtock_hmac_simple(LIBTOCK_HMAC_SHA256, key, sizeof key, data, sizeof data, mac,
                             sizeof mac, ignore_result);
    if (rc != RETURNCODE_SUCCESS) {
        fail("hmac", rc);
    }
}

static void start_aes(void)
{
    const struct test_aes_request job = { .key = aes_key, .iv = aes_iv, .source = data,
                                          .source_len = sizeof aes_out, .dest = aes_out,
                                          .dest_len = sizeof aes_out };
    returncode_t rc = test_aes_cbc_encrypt_start(&job);
    if (rc != RETURNCODE_SUCCESS) {
        fail("aes", rc);
    }
}

static void share_with_supervisor(void)
{
    size_t supervisor = 0;
    int rc = ipc_discover(SOAK_SUPERVISOR_PACKAGE, &supervisor);
    if (rc == RETURNCODE_SUCCESS) {
        rc = ipc_share(supervisor, shared, sizeof shared);
    }
    if (rc == RETURNCODE_SUCCESS) {
        rc = ipc_notify_service(supervisor);
    }
    if (rc != RETURNCODE_SUCCESS) {
        fail("ipc share", rc);
    }
}

int main(void)
{
    uint32_t desc = 0;
    size_t len = 0;
    uint32_t plan = 0;
    int rc = ipc_name_register(SOAK_CYCLER_NAME, 0);
    if (rc == RETURNCODE_SUCCESS) {
        rc = ipc_name_lookup_wait(SOAK_SUPERVISOR_NAME, &desc);
    }
    if (rc == RETURNCODE_SUCCESS) {
        rc = ipc_call(desc, SOAK_OP_CYCLE, NULL, 0, NULL, 0, 0, &len, &plan);
    }
    if (rc != RETURNCODE_SUCCESS) {
        fail("cycle call", rc);
    }
    uint32_t stage = plan & SOAK_PLAN_STAGES;
    if (stage >= 1) {
        queue_digests();
    }
    if (stage >= 2) {
        start_aes();
    }
    if (stage >= 3) {
        share_with_supervisor();
    }
    if (stage >= 4) {
        uint32_t reason = 0;
        rc = ipc_send(desc, SOAK_OP_HOLD, NULL, 0, NULL, 0, 0, &reason);
        if (rc == RETURNCODE_SUCCESS) {
            rc = ipc_set_timer(5, 0x1);
        }
        if (rc != RETURNCODE_SUCCESS) {
            fail("held call", rc);
        }
    }
    if (stage >= 5) {
        uint32_t reason = 0;
        rc = ipc_post(desc, SOAK_BIT_POSTED, &reason);
        if (rc != RETURNCODE_SUCCESS) {
            fail("post", rc);
        }
    }
    if (stage >= 2) {
        uint32_t now = 0;
        (void)libtock_alarm_command_read(&now);
        libtocksync_alarm_delay_ms(now % 3u);
    }
    if ((plan & SOAK_PLAN_FAULT) != 0) {
        tock_syscall_undefined_class();
    }
    tock_restart(0);
}
