/* SPDX-License-Identifier: Apache-2.0 OR MIT */
/*
 * Host tests for SHA-256 and HMAC-SHA256 (libraries/crypto/sha256.c, hmac_sha256.c).
 *
 * Vectors: the FIPS 180-4 examples published by NIST (SHA256.pdf: "abc", the 448-bit message
 * "abcdbcdecdefdefg...nopq") and one million 'a' (FIPS 180-2 Appendix B.3), the empty message,
 * and RFC 4231 test cases 1-7 for HMAC-SHA256 (case 5 truncated to 128 bits as published).
 * Beyond the vectors: feeding a message in any chunking gives the one-shot digest, across the
 * padding boundaries (55, 56, 63, 64 bytes mod 64), and the padding itself is checked.
 *
 * Usage: make build/host/sha256_test (or `make unit` for every test).
 *
 * Invariants: each test is independent.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include "crypto/hmac_sha256.h"
#include "crypto/sha256.h"
#include "hex.h"

#define SHA256_ABC "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad"
#define MESSAGE_448_BITS "abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq"
#define SHA256_448_BITS "248d6a61d20638b8e5c026930c3e6039a33ce45964ff2167f6ecedd419db06c1"
#define SHA256_MILLION_A "cdc76e5c9914fb9281a1c7e284d73e67f1809a48a497200e046d39ccc7112cd0"
#define SHA256_EMPTY "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855"

static void expect_digest(const uint8_t *digest, const char *expect_hex, size_t len)
{
    uint8_t expect[SHA256_DIGEST_LEN];
    hex_decode(expect_hex, expect, len);
    assert_memory_equal(digest, expect, len);
}

static const uint8_t *text(const char *s)
{
    return (const uint8_t *)s;
}

static void test_fips180_abc(void **state)
{
    (void)state;
    uint8_t digest[SHA256_DIGEST_LEN];
    sha256_digest(text("abc"), 3, digest);
    expect_digest(digest, SHA256_ABC, sizeof digest);
}

static void test_fips180_448_bit_message_needs_two_blocks(void **state)
{
    (void)state;
    uint8_t digest[SHA256_DIGEST_LEN];
    sha256_digest(text(MESSAGE_448_BITS), strlen(MESSAGE_448_BITS), digest);
    expect_digest(digest, SHA256_448_BITS, sizeof digest);
}

static void test_empty_message(void **state)
{
    (void)state;
    uint8_t digest[SHA256_DIGEST_LEN];
    sha256_digest(NULL, 0, digest);
    expect_digest(digest, SHA256_EMPTY, sizeof digest);
}

static void test_fips180_million_a_in_odd_chunks(void **state)
{
    (void)state;
    static const size_t chunks[] = { 1, 3, 7, 63, 64, 65, 127, 1000, 4093 };
    uint8_t a[4096];
    memset(a, 'a', sizeof a);
    struct sha256_ctx ctx;
    sha256_init(&ctx);
    size_t total = 0;
    for (size_t i = 0; total < 1000000; i = (i + 1) % (sizeof chunks / sizeof chunks[0])) {
        size_t n = chunks[i] < 1000000 - total ? chunks[i] : 1000000 - total;
        sha256_update(&ctx, a, n);
        total += n;
    }
    uint8_t digest[SHA256_DIGEST_LEN];
    sha256_finish(&ctx, digest);
    expect_digest(digest, SHA256_MILLION_A, sizeof digest);
}

static void test_any_chunking_matches_one_shot_across_padding_boundaries(void **state)
{
    (void)state;
    uint8_t message[200];
    for (size_t i = 0; i < sizeof message; i++) {
        message[i] = (uint8_t)(i * 7 + 1);
    }
    for (size_t len = 0; len <= sizeof message; len++) {
        uint8_t expect[SHA256_DIGEST_LEN];
        sha256_digest(message, len, expect);
        for (size_t chunk = 1; chunk <= 70; chunk += 3) {
            struct sha256_ctx ctx;
            sha256_init(&ctx);
            for (size_t at = 0; at < len; at += chunk) {
                sha256_update(&ctx, &message[at], chunk < len - at ? chunk : len - at);
            }
            uint8_t digest[SHA256_DIGEST_LEN];
            sha256_finish(&ctx, digest);
            assert_memory_equal(digest, expect, sizeof digest);
        }
    }
}

static void test_padding_completes_a_block_and_ends_with_bit_length(void **state)
{
    (void)state;
    uint8_t pad[SHA256_PADDING_MAX_LEN];
    static const uint64_t lengths[] = { 0, 3, 55, 56, 63, 64, 119, 120, 0x123456789aULL };
    for (size_t i = 0; i < sizeof lengths / sizeof lengths[0]; i++) {
        uint64_t len = lengths[i];
        size_t n = sha256_padding(len, pad);
        assert_true(n >= 9 && n <= SHA256_PADDING_MAX_LEN);
        assert_int_equal((len + n) % SHA256_BLOCK_LEN, 0);
        assert_int_equal(pad[0], 0x80);
        for (size_t z = 1; z < n - 8; z++) {
            assert_int_equal(pad[z], 0);
        }
        uint64_t bits = 0;
        for (size_t b = n - 8; b < n; b++) {
            bits = bits << 8 | pad[b];
        }
        assert_true(bits == len * 8);
    }
    assert_int_equal(sha256_padding(55, pad), 9);  /* 0x80 and the length just fit */
    assert_int_equal(sha256_padding(56, pad), 72); /* they spill into a second block */
}

static void test_finish_wipes_the_context(void **state)
{
    (void)state;
    struct sha256_ctx ctx;
    uint8_t digest[SHA256_DIGEST_LEN];
    sha256_init(&ctx);
    sha256_update(&ctx, text("abc"), 3);
    sha256_finish(&ctx, digest);
    const uint8_t *bytes = (const uint8_t *)&ctx;
    for (size_t i = 0; i < sizeof ctx; i++) {
        assert_int_equal(bytes[i], 0);
    }
}

/* ---------------------------------------------------------------- HMAC-SHA256, RFC 4231 */

struct rfc4231_case {
    const char *key_hex; /* NULL: key_byte repeated key_len times */
    uint8_t key_byte;
    size_t key_len;
    const char *data;     /* text, or NULL: data_byte repeated data_len times */
    uint8_t data_byte;
    size_t data_len;
    const char *mac_hex;
    size_t mac_len;
};

static const struct rfc4231_case rfc4231[] = {
    { NULL, 0x0b, 20, "Hi There", 0, 0,
      "b0344c61d8db38535ca8afceaf0bf12b881dc200c9833da726e9376c2e32cff7", 32 },
    { "4a656665", 0, 4, "what do ya want for nothing?", 0, 0,
      "5bdcc146bf60754e6a042426089575c75a003f089d2739839dec58b964ec3843", 32 },
    { NULL, 0xaa, 20, NULL, 0xdd, 50,
      "773ea91e36800e46854db8ebd09181a72959098b3ef8c122d9635514ced565fe", 32 },
    { "0102030405060708090a0b0c0d0e0f10111213141516171819", 0, 25, NULL, 0xcd, 50,
      "82558a389a443c0ea4cc819899f2083a85f0faa3e578f8077a2e3ff46729665b", 32 },
    { NULL, 0x0c, 20, "Test With Truncation", 0, 0, "a3b6167473100ee06e0c796c2955552b", 16 },
    { NULL, 0xaa, 131, "Test Using Larger Than Block-Size Key - Hash Key First", 0, 0,
      "60e431591ee0b67f0d8a26aacbf5b77f8e0bc6213728c5140546040f0ee37f54", 32 },
    { NULL, 0xaa, 131,
      "This is a test using a larger than block-size key and a larger than block-size data. "
      "The key needs to be hashed before being used by the HMAC algorithm.",
      0, 0, "9b09ffa71b942fcb27635fbcd5b0e944bfdc63644f0713938a7f51535c3a35e2", 32 },
};

static uint8_t case_key[131];
static uint8_t case_data[160];

/* Decode RFC 4231 case `number` (1-based) into case_key/case_data; returns the data length. */
static size_t load_case(unsigned number, size_t *key_len)
{
    const struct rfc4231_case *c = &rfc4231[number - 1];
    *key_len = c->key_len;
    if (c->key_hex != NULL) {
        hex_decode(c->key_hex, case_key, c->key_len);
    } else {
        memset(case_key, c->key_byte, c->key_len);
    }
    if (c->data != NULL) {
        memcpy(case_data, c->data, strlen(c->data));
        return strlen(c->data);
    }
    memset(case_data, c->data_byte, c->data_len);
    return c->data_len;
}

static void check_case(unsigned number)
{
    size_t key_len;
    size_t data_len = load_case(number, &key_len);
    uint8_t mac[HMAC_SHA256_MAC_LEN];
    hmac_sha256(case_key, key_len, case_data, data_len, mac);
    expect_digest(mac, rfc4231[number - 1].mac_hex, rfc4231[number - 1].mac_len);
}

static void test_rfc4231_case1_short_key(void **state)
{
    (void)state;
    check_case(1);
}

static void test_rfc4231_case2_key_shorter_than_output(void **state)
{
    (void)state;
    check_case(2);
}

static void test_rfc4231_case3_combined_key_and_data_of_50_bytes(void **state)
{
    (void)state;
    check_case(3);
}

static void test_rfc4231_case4_25_byte_key(void **state)
{
    (void)state;
    check_case(4);
}

static void test_rfc4231_case5_truncated_to_128_bits(void **state)
{
    (void)state;
    check_case(5);
}

static void test_rfc4231_case6_key_longer_than_block_is_hashed(void **state)
{
    (void)state;
    check_case(6);
}

static void test_rfc4231_case7_long_key_and_long_data(void **state)
{
    (void)state;
    check_case(7);
}

static void test_hmac_incremental_in_odd_chunks_matches_every_case(void **state)
{
    (void)state;
    for (unsigned number = 1; number <= 7; number++) {
        size_t key_len;
        size_t data_len = load_case(number, &key_len);
        for (size_t chunk = 1; chunk <= 17; chunk += 4) {
            struct hmac_sha256_ctx ctx;
            hmac_sha256_init(&ctx, case_key, key_len);
            for (size_t at = 0; at < data_len; at += chunk) {
                size_t n = chunk < data_len - at ? chunk : data_len - at;
                hmac_sha256_update(&ctx, &case_data[at], n);
            }
            uint8_t mac[HMAC_SHA256_MAC_LEN];
            hmac_sha256_finish(&ctx, mac);
            expect_digest(mac, rfc4231[number - 1].mac_hex, rfc4231[number - 1].mac_len);
        }
    }
}

static void test_hmac_key_block_pads_short_keys_and_hashes_long_ones(void **state)
{
    (void)state;
    uint8_t block[SHA256_BLOCK_LEN], expect[SHA256_BLOCK_LEN] = { 0 };
    hmac_sha256_key_block(text("Jefe"), 4, block);
    memcpy(expect, "Jefe", 4);
    assert_memory_equal(block, expect, sizeof block);
    memset(case_key, 0x5a, SHA256_BLOCK_LEN);
    hmac_sha256_key_block(case_key, SHA256_BLOCK_LEN, block); /* exactly a block: used as is */
    assert_memory_equal(block, case_key, sizeof block);
    memset(case_key, 0xaa, 131);
    hmac_sha256_key_block(case_key, 131, block);
    memset(expect, 0, sizeof expect);
    sha256_digest(case_key, 131, expect);
    assert_memory_equal(block, expect, sizeof block);
    hmac_sha256_key_block(NULL, 0, block); /* the empty key */
    memset(expect, 0, sizeof expect);
    assert_memory_equal(block, expect, sizeof block);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_fips180_abc),
        cmocka_unit_test(test_fips180_448_bit_message_needs_two_blocks),
        cmocka_unit_test(test_empty_message),
        cmocka_unit_test(test_fips180_million_a_in_odd_chunks),
        cmocka_unit_test(test_any_chunking_matches_one_shot_across_padding_boundaries),
        cmocka_unit_test(test_padding_completes_a_block_and_ends_with_bit_length),
        cmocka_unit_test(test_finish_wipes_the_context),
        cmocka_unit_test(test_rfc4231_case1_short_key),
        cmocka_unit_test(test_rfc4231_case2_key_shorter_than_output),
        cmocka_unit_test(test_rfc4231_case3_combined_key_and_data_of_50_bytes),
        cmocka_unit_test(test_rfc4231_case4_25_byte_key),
        cmocka_unit_test(test_rfc4231_case5_truncated_to_128_bits),
        cmocka_unit_test(test_rfc4231_case6_key_longer_than_block_is_hashed),
        cmocka_unit_test(test_rfc4231_case7_long_key_and_long_data),
        cmocka_unit_test(test_hmac_incremental_in_odd_chunks_matches_every_case),
        cmocka_unit_test(test_hmac_key_block_pads_short_keys_and_hashes_long_ones),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
