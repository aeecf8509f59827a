/* SPDX-License-Identifier: Apache-2.0 OR MIT */
/*
 * crypto_hammer: hammer the SHA, HMAC and AES drivers so that three or more copies loaded
 * together stress the kernel's promise that every process gets correct results, in turn, and
 * is never refused as busy.
 *
 * Each copy picks a letter and a seed from its RAM address (memop 2), so the copies hash and
 * encrypt different data, then runs ROUNDS rounds of:
 *   - SHA-256 of pseudo-random data of pseudo-random length (libtocksync_sha_simple_hash),
 *     checked against reference.c, an independent software SHA-256;
 *   - HMAC-SHA256 of such data with a pseudo-random key, fed in 2 or 3 update commands and a
 *     finish (a driver session), checked against the software HMAC; and RFC 4231 case 2
 *     through libtocksync_hmac_simple;
 *   - AES-128 in CBC, CTR or ECB: the SP 800-38A vector of that mode, split over a setup and a
 *     crypt (a session), and a round trip of pseudo-random data with a pseudo-random key.
 * Every check that passes counts one; a mismatch or error prints `crypto_hammer <L>: FAIL ...`
 * (BUSY would be one). Each check is timed from its first command to its last completion; the
 * last line is `crypto_hammer <L>: <N> ok, longest wait <ms> ms`.
 *
 * Invariants: at most one request per driver is outstanding at a time, as the kernel requires.
 */
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include <libtock-sync/crypto/hmac.h>
#include <libtock-sync/crypto/sha.h>
#include <libtock/crypto/aes.h>
#include <libtock/crypto/hmac.h>
#include <libtock/crypto/sha.h>
#include <libtock/peripherals/syscalls/alarm_syscalls.h>
#include <libtock/tock.h>

#include "reference.h"

enum {
    ROUNDS = 40,
    MEMOP_MEMORY_START = 2,
    DATA_MAX = 300,
    AES_MAX = 160,
};

static const uint8_t nist_key[16] = { 0x2b, 0x7e, 0x15, 0x16, 0x28, 0xae, 0xd2, 0xa6,
                                      0xab, 0xf7, 0x15, 0x88, 0x09, 0xcf, 0x4f, 0x3c };
static const uint8_t nist_plain[64] = {
    0x6b, 0xc1, 0xbe, 0xe2, 0x2e, 0x40, 0x9f, 0x96, 0xe9, 0x3d, 0x7e, 0x11, 0x73, 0x93, 0x17,
    0x2a, 0xae, 0x2d, 0x8a, 0x57, 0x1e, 0x03, 0xac, 0x9c, 0x9e, 0xb7, 0x6f, 0xac, 0x45, 0xaf,
    0x8e, 0x51, 0x30, 0xc8, 0x1c, 0x46, 0xa3, 0x5c, 0xe4, 0x11, 0xe5, 0xfb, 0xc1, 0x19, 0x1a,
    0x0a, 0x52, 0xef, 0xf6, 0x9f, 0x24, 0x45, 0xdf, 0x4f, 0x9b, 0x17, 0xad, 0x2b, 0x41, 0x7b,
    0xe6, 0x6c, 0x37, 0x10,
};
static const uint8_t nist_cbc_iv[16] = { 0x00, 0x01, 0x02, 0x03, 0x04, 0x05, 0x06, 0x07,
                                         0x08, 0x09, 0x0a, 0x0b, 0x0c, 0x0d, 0x0e, 0x0f };
static const uint8_t nist_ctr_counter[16] = { 0xf0, 0xf1, 0xf2, 0xf3, 0xf4, 0xf5, 0xf6, 0xf7,
                                              0xf8, 0xf9, 0xfa, 0xfb, 0xfc, 0xfd, 0xfe, 0xff };
/* The first 16 bytes of each mode's ciphertext (SP 800-38A F.1.1, F.2.1, F.5.1) and the last
 * 16: enough to pin the key schedule and the chaining across the setup/crypt split. */
static const uint8_t nist_ecb_first[16] = { 0x3a, 0xd7, 0x7b, 0xb4, 0x0d, 0x7a, 0x36, 0x60,
                                            0xa8, 0x9e, 0xca, 0xf3, 0x24, 0x66, 0xef, 0x97 };
static const uint8_t nist_ecb_last[16] = { 0x7b, 0x0c, 0x78, 0x5e, 0x27, 0xe8, 0xad, 0x3f,
                                           0x82, 0x23, 0x20, 0x71, 0x04, 0x72, 0x5d, 0xd4 };
static const uint8_t nist_cbc_first[16] = { 0x76, 0x49, 0xab, 0xac, 0x81, 0x19, 0xb2, 0x46,
                                            0xce, 0xe9, 0x8e, 0x9b, 0x12, 0xe9, 0x19, 0x7d };
static const uint8_t nist_cbc_last[16] = { 0x3f, 0xf1, 0xca, 0xa1, 0x68, 0x1f, 0xac, 0x09,
                                           0x12, 0x0e, 0xca, 0x30, 0x75, 0x86, 0xe1, 0xa7 };
static const uint8_t nist_ctr_first[16] = { 0x87, 0x4d, 0x61, 0x91, 0xb6, 0x20, 0xe3, 0x26,
                                            0x1b, 0xef, 0x68, 0x64, 0x99, 0x0d, 0xb6, 0xce };
static const uint8_t nist_ctr_last[16] = { 0x1e, 0x03, 0x1d, 0xda, 0x2f, 0xbe, 0x03, 0xd1,
                                           0x79, 0x21, 0x70, 0xa0, 0xf3, 0x00, 0x9c, 0xee };
static const uint8_t rfc4231_case2_mac[32] = {
    0x5b, 0xdc, 0xc1, 0x46, 0xbf, 0x60, 0x75, 0x4e, 0x6a, 0x04, 0x24, 0x26, 0x08, 0x95, 0x75, 0xc7,
    0x5a, 0x00, 0x3f, 0x08, 0x9d, 0x27, 0x39, 0x83, 0x9d, 0xec, 0x58, 0xb9, 0x64, 0xec, 0x38, 0x43,
};

static char letter;
static uint32_t ticks_per_ms;
static uint32_t check_started;
static uint32_t longest_wait;
static uint32_t prng_state;
static unsigned ok;
static unsigned failures;
static uint8_t data[DATA_MAX];
static uint8_t key[64];
static uint8_t digest[32];
static uint8_t expect[32];
static uint8_t aes_key[16];
static uint8_t aes_iv[16];
static uint8_t plain[AES_MAX];
static uint8_t cipher[AES_MAX];
static uint8_t back[AES_MAX];

static uint32_t prng(void)
{
    prng_state ^= prng_state << 13; /* xorshift32 */
    prng_state ^= prng_state >> 17;
    prng_state ^= prng_state << 5;
    return prng_state;
}

static void random_bytes(uint8_t *buf, size_t len)
{
    for (size_t i = 0; i < len; i++) {
        buf[i] = (uint8_t)prng();
    }
}

static uint32_t now_ticks(void)
{
    uint32_t now = 0;
    (void)libtock_alarm_command_read(&now);
    return now;
}

static void check(bool is_ok, const char *what, unsigned round, int detail)
{
    uint32_t waited = now_ticks() - check_started;
    if (waited > longest_wait) {
        longest_wait = waited;
    }
    check_started = now_ticks();
    if (is_ok) {
        ok++;
        return;
    }
    failures++;
    printf("crypto_hammer %c: FAIL %s round %u (%d)\n", letter, what, round, detail);
}

/* ---------------------------------------------------------------- SHA and HMAC */

static void sha_round(unsigned round)
{
    size_t len = prng() % DATA_MAX;
    random_bytes(data, len);
    memset(digest, 0, sizeof digest);
    returncode_t ret = libtocksync_sha_simple_hash(LIBTOCK_SHA256, data, (uint32_t)len, digest,
                                                   sizeof digest);
    ref_sha256(data, len, expect);
    check(ret == RETURNCODE_SUCCESS && memcmp(digest, expect, sizeof expect) == 0, "sha256",
          round, ret);
}

/* One HMAC command (update or finish) and its completion. */
static returncode_t hmac_step(returncode_t (*command_fn)(void))
{
    returncode_t ret = command_fn();
    if (ret != RETURNCODE_SUCCESS) {
        return ret;
    }
    return libtocksync_hmac_yield_wait_for();
}

static void hmac_session_round(unsigned round)
{
    size_t key_len = 1 + prng() % sizeof key;
    size_t len = prng() % DATA_MAX;
    random_bytes(key, key_len);
    random_bytes(data, len);
    memset(digest, 0, sizeof digest);
    returncode_t ret = libtock_hmac_command_set_algorithm(LIBTOCK_HMAC_SHA256);
    if (ret == RETURNCODE_SUCCESS) {
        ret = libtock_hmac_set_readonly_allow_key_buffer(key, (uint32_t)key_len);
    }
    if (ret == RETURNCODE_SUCCESS) {
        ret = libtock_hmac_set_readwrite_allow_destination_buffer(digest, sizeof digest);
    }
    size_t pieces = 2 + prng() % 2;
    size_t at = 0;
    for (size_t i = 0; i < pieces && ret == RETURNCODE_SUCCESS; i++) {
        size_t piece = i + 1 == pieces ? len - at : (len - at) / 2;
        ret = libtock_hmac_set_readonly_allow_data_buffer(&data[at], (uint32_t)piece);
        if (ret == RETURNCODE_SUCCESS) {
            ret = hmac_step(libtock_hmac_command_update);
        }
        at += piece;
    }
    if (ret == RETURNCODE_SUCCESS) {
        ret = hmac_step(libtock_hmac_command_finish);
    }
    (void)libtock_hmac_set_readonly_allow_data_buffer(NULL, 0);
    (void)libtock_hmac_set_readonly_allow_key_buffer(NULL, 0);
    (void)libtock_hmac_set_readwrite_allow_destination_buffer(NULL, 0);
    ref_hmac_sha256(key, key_len, data, len, expect);
    check(ret == RETURNCODE_SUCCESS && memcmp(digest, expect, sizeof expect) == 0,
          "hmac session", round, ret);
}

static void hmac_vector_round(unsigned round)
{
    static uint8_t jefe[] = "Jefe";
    static uint8_t message[] = "what do ya want for nothing?";
    memset(digest, 0, sizeof digest);
    returncode_t ret = libtocksync_hmac_simple(LIBTOCK_HMAC_SHA256, jefe, 4, message,
                                               sizeof message - 1, digest, sizeof digest);
    check(ret == RETURNCODE_SUCCESS &&
              memcmp(digest, rfc4231_case2_mac, sizeof rfc4231_case2_mac) == 0,
          "hmac rfc4231", round, ret);
}

/* ---------------------------------------------------------------- AES */

/* Setup or crypt of `len` bytes of src into dst, and its completion; *bytes = processed. */
static returncode_t aes_step(returncode_t (*command_fn)(void), const uint8_t *src, uint8_t *dst,
                             size_t len, uint32_t *bytes)
{
    returncode_t ret = libtock_aes_set_readonly_allow_source_buffer(src, (uint32_t)len);
    if (ret == RETURNCODE_SUCCESS) {
        ret = libtock_aes_set_readwrite_allow_dest_buffer(dst, (uint32_t)len);
    }
    if (ret == RETURNCODE_SUCCESS) {
        ret = command_fn();
    }
    if (ret == RETURNCODE_SUCCESS) {
        yield_waitfor_return_t event = yield_wait_for(DRIVER_NUM_AES, 0);
        ret = tock_status_to_returncode((statuscode_t)event.data0);
        *bytes = event.data1;
    }
    return ret;
}

/* A whole message under one setup, then finish. */
static returncode_t aes_message(libtock_aes_algorithm_t algorithm, bool encrypting,
                                const uint8_t *src, uint8_t *dst, size_t len)
{
    uint32_t bytes = 0;
    returncode_t ret = libtock_aes_set_algorithm(algorithm, encrypting);
    if (ret == RETURNCODE_SUCCESS) {
        ret = aes_step(libtock_aes_setup, src, dst, len, &bytes);
    }
    if (ret == RETURNCODE_SUCCESS && bytes != len) {
        ret = RETURNCODE_ESIZE;
    }
    returncode_t finished = libtock_aes_finish();
    return ret != RETURNCODE_SUCCESS ? ret : finished;
}

static void aes_vector_round(libtock_aes_algorithm_t algorithm, unsigned round)
{
    const uint8_t *first = nist_ecb_first;
    const uint8_t *last = nist_ecb_last;
    const uint8_t *iv = NULL;
    if (algorithm == LIBTOCK_AES128CBC) {
        first = nist_cbc_first;
        last = nist_cbc_last;
        iv = nist_cbc_iv;
    } else if (algorithm == LIBTOCK_AES128Ctr) {
        first = nist_ctr_first;
        last = nist_ctr_last;
        iv = nist_ctr_counter;
    }
    uint32_t bytes = 0;
    memset(cipher, 0, 64);
    returncode_t ret = libtock_aes_set_algorithm(algorithm, true);
    if (ret == RETURNCODE_SUCCESS) {
        ret = libtock_aes_set_readonly_allow_key_buffer(nist_key, sizeof nist_key);
    }
    if (ret == RETURNCODE_SUCCESS) {
        ret = libtock_aes_set_readonly_allow_iv_buffer(iv, iv != NULL ? 16 : 0);
    }
    if (ret == RETURNCODE_SUCCESS) { /* the first block under setup, the rest under crypt */
        ret = aes_step(libtock_aes_setup, nist_plain, cipher, 16, &bytes);
    }
    if (ret == RETURNCODE_SUCCESS) {
        ret = aes_step(libtock_aes_crypt, &nist_plain[16], &cipher[16], 48, &bytes);
    }
    returncode_t finished = libtock_aes_finish();
    if (ret == RETURNCODE_SUCCESS) {
        ret = finished;
    }
    check(ret == RETURNCODE_SUCCESS && memcmp(cipher, first, 16) == 0 &&
              memcmp(&cipher[48], last, 16) == 0,
          "aes vector", round, ret);
}

static void aes_round_trip(libtock_aes_algorithm_t algorithm, unsigned round)
{
    size_t len = 16 * (1 + prng() % (AES_MAX / 16));
    if (algorithm == LIBTOCK_AES128Ctr) {
        len = 1 + prng() % AES_MAX; /* CTR takes any length */
    }
    random_bytes(aes_key, sizeof aes_key);
    random_bytes(aes_iv, sizeof aes_iv);
    random_bytes(plain, len);
    returncode_t ret = libtock_aes_set_readonly_allow_key_buffer(aes_key, sizeof aes_key);
    if (ret == RETURNCODE_SUCCESS) {
        ret = libtock_aes_set_readonly_allow_iv_buffer(aes_iv, sizeof aes_iv);
    }
    if (ret == RETURNCODE_SUCCESS) {
        ret = aes_message(algorithm, true, plain, cipher, len);
    }
    if (ret == RETURNCODE_SUCCESS) {
        ret = aes_message(algorithm, false, cipher, back, len);
    }
    bool is_changed = memcmp(plain, cipher, len) != 0;
    check(ret == RETURNCODE_SUCCESS && is_changed && memcmp(plain, back, len) == 0,
          "aes round trip", round, ret);
}

int main(void)
{
    memop_return_t start = memop(MEMOP_MEMORY_START, 0);
    letter = (char)('A' + (((start.data >> 12) ^ (start.data >> 16)) % 8u));
    prng_state = start.data ^ 0x9e3779b9u;
    if (!libtock_sha_exists() || !libtock_hmac_exists() || !libtock_aes_exists()) {
        printf("crypto_hammer %c: FAIL drivers missing\n", letter);
        return 1;
    }
    uint32_t frequency = 1000;
    (void)libtock_alarm_command_get_frequency(&frequency);
    ticks_per_ms = frequency / 1000u > 0 ? frequency / 1000u : 1u;
    printf("crypto_hammer %c: start\n", letter);
    check_started = now_ticks();
    static const libtock_aes_algorithm_t modes[] = { LIBTOCK_AES128CBC, LIBTOCK_AES128Ctr,
                                                     LIBTOCK_AES128ECB };
    for (unsigned round = 0; round < ROUNDS; round++) {
        sha_round(round);
        hmac_session_round(round);
        hmac_vector_round(round);
        aes_vector_round(modes[round % 3], round);
        aes_round_trip(modes[(round + 1) % 3], round);
    }
    printf("crypto_hammer %c: %u ok, longest wait %lu ms\n", letter, ok,
           (unsigned long)(longest_wait / ticks_per_ms));
    return failures == 0 ? 0 : 1;
}
