/* SPDX-License-Identifier: Apache-2.0 OR MIT */
/*
 * crypto_stall: a process that holds a crypto driver session and goes idle, while crypto_hammer
 * copies use the drivers, to show the kernel keeps the others going.
 *
 * It opens an HMAC session (update) and then sleeps for longer than the kernel's session idle
 * timeout (1 s) while holding it; the other processes' HMAC requests wait at most that long.
 * Its finish then fails once with CANCEL; a fresh run afterwards works.
 *
 * Prints `crypto_stall: holding an HMAC session`, `crypto_stall: idle session: CANCEL`,
 * `crypto_stall: fresh run ok`; anything unexpected prints a FAIL line.
 *
 * Invariants: none.
 */
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include <libtock-sync/crypto/hmac.h>
#include <libtock-sync/services/alarm.h>
#include <libtock/crypto/hmac.h>
#include <libtock/tock.h>

static uint8_t key[32] = "misbehaving process key";
static uint8_t data[100];
static uint8_t mac[32];

static void fail(const char *what, returncode_t ret)
{
    printf("crypto_stall: FAIL %s: %s\n", what, tock_strrcode(ret));
}

int main(void)
{
    returncode_t ret = libtock_hmac_set_readonly_allow_key_buffer(key, sizeof key);
    if (ret == RETURNCODE_SUCCESS) {
        ret = libtock_hmac_set_readonly_allow_data_buffer(data, sizeof data);
    }
    if (ret == RETURNCODE_SUCCESS) {
        ret = libtock_hmac_set_readwrite_allow_destination_buffer(mac, sizeof mac);
    }
    if (ret == RETURNCODE_SUCCESS) {
        ret = libtock_hmac_command_update();
    }
    if (ret == RETURNCODE_SUCCESS) {
        ret = libtocksync_hmac_yield_wait_for();
    }
    if (ret != RETURNCODE_SUCCESS) {
        fail("update", ret);
        return 1;
    }
    printf("crypto_stall: holding an HMAC session\n");
    libtocksync_alarm_delay_ms(1600);
    ret = libtock_hmac_command_finish();
    printf("crypto_stall: idle session: %s\n",
           ret == RETURNCODE_ECANCEL ? "CANCEL" : tock_strrcode(ret));
    ret = libtock_hmac_command_run();
    if (ret == RETURNCODE_SUCCESS) {
        ret = libtocksync_hmac_yield_wait_for();
    }
    if (ret != RETURNCODE_SUCCESS) {
        fail("fresh run", ret);
        return 1;
    }
    printf("crypto_stall: fresh run ok\n");
    return 0;
}
