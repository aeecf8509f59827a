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

static const uint8_t aes_key[16] = { 0xde, 0xad };
static const uint8_t aes_iv[16] = { 0xbe, 0xef };
static const uint8_t source[2048] = { 1 }; /* in flash: a read-only allow may be */
static uint8_t dest[2048];

int main(void)
{
    returncode_t ret = libtock_aes_set_algorithm(LIBTOCK_AES128CBC, true);
    if (ret == RETURNCODE_SUCCESS) {
        ret = libtock_aes_set_readonly_allow_key_buffer(aes_key, sizeof aes_key);
    }
    if (ret == RETURNCODE_SUCCESS) {
        ret = libtock_aes_set_readonly_allow_iv_buffer(aes_iv, sizeof aes_iv);
    }
    if (ret == RETURNCODE_SUCCESS) {
        ret = libtock_aes_set_readonly_allow_source_buffer(source, sizeof source);
    }
    if (ret == RETURNCODE_SUCCESS) {
        ret = libtock_aes_set_readwrite_allow_dest_buffer(dest, sizeof dest);
    }
    if (ret == RETURNCODE_SUCCESS) {
        ret = libtock_aes_setup();
    }
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
