/* SPDX-License-Identifier: Apache-2.0 OR MIT */
/*
 * crypto_dies: a process that keeps dying with a long AES request in flight, while
 * crypto_hammer copies use the drivers.
 *
 * Each run asks for a 2 KiB CBC encryption, waits 0-2 ms (so the request is sometimes still
 * queued and sometimes running in the engine), prints `crypto_dies: exiting mid-request` and
 * restarts itself (exit-restart), forever. The kernel must drain and discard each dead request
 * and wipe its key before it serves the next process; the hammers' results stay correct.
 *
 * Invariants: none; every run starts from fresh memory.
 */
#include <stdint.h>
#include <stdio.h>

#include <libtock-sync/services/alarm.h>
#include <libtock/crypto/aes.h>
#include <libtock/peripherals/syscalls/alarm_syscalls.h>
#include <libtock/tock.h>

#include "../common/test_aes.h"

static const uint8_t aes_key[16] = { 0xde, 0xad };
static const uint8_t aes_iv[16] = { 0xbe, 0xef };
static const uint8_t source[2048] = { 1 }; /* in flash: a read-only allow may be */
static uint8_t dest[2048];

int main(void)
{
    const struct test_aes_request job = { .key = aes_key, .iv = aes_iv, .source = source,
                                          .source_len = sizeof source, .dest = dest,
                                          .dest_len = sizeof dest };
    returncode_t ret = test_aes_cbc_encrypt_start(&job);
    if (ret != RETURNCODE_SUCCESS) {
        printf("crypto_dies: FAIL setup: %s\n", tock_strrcode(ret));
        return 1;
    }
    uint32_t now = 0;
    (void)libtock_alarm_command_read(&now);
    libtocksync_alarm_delay_ms(now % 3u);
    printf("crypto_dies: exiting mid-request\n");
    tock_restart(0);
}
