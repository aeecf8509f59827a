/* SPDX-License-Identifier: Apache-2.0 OR MIT */
/*
 * Host tests for SHA-512 and SHA-384 (libraries/crypto/sha512.c).
 *
 * Vectors: the FIPS 180-4 examples published by NIST (SHA512.pdf and SHA384.pdf: "abc" and the
 * 896-bit two-block message), one million 'a' (FIPS 180-2 Appendix C.3 and D.3) and the empty
 * message. Beyond the vectors: any chunking gives the one-shot digest, across the padding
 * boundaries (111, 112, 127, 128 bytes mod 128).
 *
 * Usage: make build/host/sha512_test (or `make unit`).
 *
 * Invariants: each test is independent.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include "crypto/sha512.h"
#include "hex.h"

#define MESSAGE_896_BITS                                                                   \
    "abcdefghbcdefghicdefghijdefghijkefghijklfghijklmghijklmnhijklmnoijklmnopjklmnopq"       \
    "klmnopqrlmnopqrsmnopqrstnopqrstu"

struct vector {
    const char *message;
    size_t repeat; /* the message this many times */
    const char *sha512;
    const char *sha384;
};

static const struct vector vectors[] = {
    { "abc", 1,
      "ddaf35a193617abacc417349ae20413112e6fa4e89a97ea20a9eeee64b55d39a"
      "2192992a274fc1a836ba3c23a3feebbd454d4423643ce80e2a9ac94fa54ca49f",
      "cb00753f45a35e8bb5a03d699ac65007272c32ab0eded163"
      "1a8b605a43ff5bed8086072ba1e7cc2358baeca134c825a7" },
    { MESSAGE_896_BITS, 1,
      "8e959b75dae313da8cf4f72814fc143f8f7779c6eb9f7fa17299aeadb6889018"
      "501d289e4900f7e4331b99dec4b5433ac7d329eeb6dd26545e96e55b874be909",
      "09330c33f71147e83d192fc782cd1b4753111b173b3b05d2"
      "2fa08086e3b0f712fcc7c71a557e2db966c3e9fa91746039" },
    { "", 1,
      "cf83e1357eefb8bdf1542850d66d8007d620e4050b5715dc83f4a921d36ce9ce"
      "47d0d13c5d85f2b0ff8318d2877eec2f63b931bd47417a81a538327af927da3e",
      "38b060a751ac96384cd9327eb1b1e36a21fdb71114be0743"
      "4c0cc7bf63f6e1da274edebfe76f65fbd51ad2f14898b95b" },
    { "a", 1000000,
      "e718483d0ce769644e2e42c7bc15b4638e1f98b13b2044285632a803afa973eb"
      "de0ff244877ea60a4cb0432ce577c31beb009c5c2c49aa2e4eadb217ad8cc09b",
      "9d0e1809716474cb086e834e310a4a1ced149e9c00f24852"
      "7972cec5704c2a5b07b8b3dc38ecc4ebae97ddd87f3d8985" },
};

static void digest_of(const struct vector *v, size_t digest_len, uint8_t *digest)
{
    struct sha512_ctx ctx;
    sha512_init(&ctx, digest_len);
    for (size_t i = 0; i < v->repeat; i++) {
        sha512_update(&ctx, (const uint8_t *)v->message, strlen(v->message));
    }
    sha512_finish(&ctx, digest);
}

static void test_fips180_sha512_vectors(void **state)
{
    (void)state;
    for (size_t i = 0; i < sizeof vectors / sizeof vectors[0]; i++) {
        uint8_t digest[SHA512_DIGEST_LEN], expect[SHA512_DIGEST_LEN];
        digest_of(&vectors[i], SHA512_DIGEST_LEN, digest);
        hex_decode(vectors[i].sha512, expect, sizeof expect);
        assert_memory_equal(digest, expect, sizeof expect);
    }
}

static void test_fips180_sha384_vectors(void **state)
{
    (void)state;
    for (size_t i = 0; i < sizeof vectors / sizeof vectors[0]; i++) {
        uint8_t digest[SHA512_DIGEST_LEN], expect[SHA384_DIGEST_LEN];
        memset(digest, 0xAA, sizeof digest);
        digest_of(&vectors[i], SHA384_DIGEST_LEN, digest);
        hex_decode(vectors[i].sha384, expect, sizeof expect);
        assert_memory_equal(digest, expect, sizeof expect);
        /* Nothing written past the 48 bytes. */
        for (size_t j = SHA384_DIGEST_LEN; j < sizeof digest; j++) {
            assert_int_equal(digest[j], 0xAA);
        }
    }
}

static void test_any_chunking_gives_the_one_shot_digest(void **state)
{
    (void)state;
    uint8_t message[300];
    for (size_t i = 0; i < sizeof message; i++) {
        message[i] = (uint8_t)(i * 7u + 3u);
    }
    static const size_t lengths[] = { 0, 1, 111, 112, 113, 127, 128, 129, 239, 240, 256, 300 };
    for (size_t l = 0; l < sizeof lengths / sizeof lengths[0]; l++) {
        size_t len = lengths[l];
        uint8_t one_shot[SHA512_DIGEST_LEN];
        struct sha512_ctx ctx;
        sha512_init(&ctx, SHA512_DIGEST_LEN);
        sha512_update(&ctx, message, len);
        sha512_finish(&ctx, one_shot);
        for (size_t chunk = 1; chunk <= 131; chunk += 13) {
            uint8_t digest[SHA512_DIGEST_LEN];
            sha512_init(&ctx, SHA512_DIGEST_LEN);
            for (size_t at = 0; at < len; at += chunk) {
                sha512_update(&ctx, message + at, len - at < chunk ? len - at : chunk);
            }
            sha512_finish(&ctx, digest);
            assert_memory_equal(digest, one_shot, sizeof digest);
        }
    }
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_fips180_sha512_vectors),
        cmocka_unit_test(test_fips180_sha384_vectors),
        cmocka_unit_test(test_any_chunking_gives_the_one_shot_digest),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
