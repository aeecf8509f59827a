/* SPDX-License-Identifier: Apache-2.0 OR MIT */
/*
 * Host tests for AES-128 and its modes (libraries/crypto/aes128.c) against published vectors.
 *
 * Vectors: FIPS-197 Appendix A.1 (key expansion) and C.1 (cipher example); NIST SP 800-38A
 * Appendix F.1.1/F.1.2 (ECB-AES128), F.2.1/F.2.2 (CBC-AES128) and F.5.1/F.5.2 (CTR-AES128).
 * Beyond the vectors: in-place operation, a message split over several calls, CTR partial
 * blocks and the 128-bit counter carry.
 *
 * Usage: make build/host/aes128_test (or `make unit` for every test).
 *
 * Invariants: each test is independent.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include "crypto/aes128.h"
#include "hex.h"

/* SP 800-38A, Appendix F: the key and the four plaintext blocks shared by every AES-128 mode. */
#define SP800_38A_KEY "2b7e151628aed2a6abf7158809cf4f3c"
#define SP800_38A_PLAIN                                                                            \
    "6bc1bee22e409f96e93d7e117393172a"                                                             \
    "ae2d8a571e03ac9c9eb76fac45af8e51"                                                             \
    "30c81c46a35ce411e5fbc1191a0a52ef"                                                             \
    "f69f2445df4f9b17ad2b417be66c3710"
#define SP800_38A_ECB_CIPHER                                                                       \
    "3ad77bb40d7a3660a89ecaf32466ef97"                                                             \
    "f5d3d58503b9699de785895a96fdbaaf"                                                             \
    "43b1cd7f598ece23881b00e3ed030688"                                                             \
    "7b0c785e27e8ad3f8223207104725dd4"
#define SP800_38A_CBC_IV "000102030405060708090a0b0c0d0e0f"
#define SP800_38A_CBC_CIPHER                                                                       \
    "7649abac8119b246cee98e9b12e9197d"                                                             \
    "5086cb9b507219ee95db113a917678b2"                                                             \
    "73bed6b8e3c1743b7116e69e22229516"                                                             \
    "3ff1caa1681fac09120eca307586e1a7"
#define SP800_38A_CTR_COUNTER "f0f1f2f3f4f5f6f7f8f9fafbfcfdfeff"
#define SP800_38A_CTR_CIPHER                                                                       \
    "874d6191b620e3261bef6864990db6ce"                                                             \
    "9806f66b7970fdff8617187bb9fffdff"                                                             \
    "5ae4df3edbd5d35e5b4f09020db03eab"                                                             \
    "1e031dda2fbe03d1792170a0f3009cee"

#define MESSAGE_LEN 64u

static struct aes128_key key;
static uint8_t plain[MESSAGE_LEN];
static uint8_t cipher[MESSAGE_LEN];
static uint8_t out[MESSAGE_LEN];
static uint8_t iv[AES128_BLOCK_LEN];

static void load_sp800_38a(const char *cipher_hex)
{
    uint8_t raw[AES128_KEY_LEN];
    hex_decode(SP800_38A_KEY, raw, sizeof raw);
    aes128_expand_key(&key, raw);
    hex_decode(SP800_38A_PLAIN, plain, sizeof plain);
    hex_decode(cipher_hex, cipher, sizeof cipher);
    memset(out, 0xa5, sizeof out);
}

static void test_fips197_a1_key_expansion_last_round_key(void **state)
{
    (void)state;
    uint8_t raw[AES128_KEY_LEN], expect[AES128_BLOCK_LEN];
    hex_decode(SP800_38A_KEY, raw, sizeof raw); /* the FIPS-197 A.1 key is the same */
    aes128_expand_key(&key, raw);
    assert_memory_equal(key.round_keys, raw, sizeof raw);
    hex_decode("d014f9a8c9ee2589e13f0cc8b6630ca6", expect, sizeof expect); /* w[40..43] */
    assert_memory_equal(&key.round_keys[160], expect, sizeof expect);
}

static void test_fips197_c1_encrypts_and_decrypts_the_example_block(void **state)
{
    (void)state;
    uint8_t raw[AES128_KEY_LEN], in[AES128_BLOCK_LEN], expect[AES128_BLOCK_LEN];
    uint8_t block[AES128_BLOCK_LEN];
    hex_decode("000102030405060708090a0b0c0d0e0f", raw, sizeof raw);
    hex_decode("00112233445566778899aabbccddeeff", in, sizeof in);
    hex_decode("69c4e0d86a7b0430d8cdb78070b4c55a", expect, sizeof expect);
    aes128_expand_key(&key, raw);
    aes128_encrypt_block(&key, in, block);
    assert_memory_equal(block, expect, sizeof expect);
    aes128_decrypt_block(&key, block, block); /* in place */
    assert_memory_equal(block, in, sizeof in);
}

static void test_sp800_38a_f11_ecb_encrypt(void **state)
{
    (void)state;
    load_sp800_38a(SP800_38A_ECB_CIPHER);
    assert_int_equal(aes128_ecb_encrypt(&key, plain, out, MESSAGE_LEN), ERR_OK);
    assert_memory_equal(out, cipher, MESSAGE_LEN);
}

static void test_sp800_38a_f12_ecb_decrypt(void **state)
{
    (void)state;
    load_sp800_38a(SP800_38A_ECB_CIPHER);
    assert_int_equal(aes128_ecb_decrypt(&key, cipher, out, MESSAGE_LEN), ERR_OK);
    assert_memory_equal(out, plain, MESSAGE_LEN);
}

static void test_sp800_38a_f21_cbc_encrypt_leaves_last_block_as_iv(void **state)
{
    (void)state;
    load_sp800_38a(SP800_38A_CBC_CIPHER);
    hex_decode(SP800_38A_CBC_IV, iv, sizeof iv);
    assert_int_equal(aes128_cbc_encrypt(&key, iv, plain, out, MESSAGE_LEN), ERR_OK);
    assert_memory_equal(out, cipher, MESSAGE_LEN);
    assert_memory_equal(iv, &cipher[MESSAGE_LEN - AES128_BLOCK_LEN], AES128_BLOCK_LEN);
}

static void test_sp800_38a_f22_cbc_decrypt(void **state)
{
    (void)state;
    load_sp800_38a(SP800_38A_CBC_CIPHER);
    hex_decode(SP800_38A_CBC_IV, iv, sizeof iv);
    assert_int_equal(aes128_cbc_decrypt(&key, iv, cipher, out, MESSAGE_LEN), ERR_OK);
    assert_memory_equal(out, plain, MESSAGE_LEN);
    assert_memory_equal(iv, &cipher[MESSAGE_LEN - AES128_BLOCK_LEN], AES128_BLOCK_LEN);
}

static void test_sp800_38a_f51_ctr_encrypt_advances_counter(void **state)
{
    (void)state;
    uint8_t expect_counter[AES128_BLOCK_LEN];
    load_sp800_38a(SP800_38A_CTR_CIPHER);
    hex_decode(SP800_38A_CTR_COUNTER, iv, sizeof iv);
    aes128_ctr_crypt(&key, iv, plain, out, MESSAGE_LEN);
    assert_memory_equal(out, cipher, MESSAGE_LEN);
    hex_decode("f0f1f2f3f4f5f6f7f8f9fafbfcfdff03", expect_counter, sizeof expect_counter);
    assert_memory_equal(iv, expect_counter, sizeof expect_counter);
}

static void test_sp800_38a_f52_ctr_decrypt(void **state)
{
    (void)state;
    load_sp800_38a(SP800_38A_CTR_CIPHER);
    hex_decode(SP800_38A_CTR_COUNTER, iv, sizeof iv);
    aes128_ctr_crypt(&key, iv, cipher, out, MESSAGE_LEN);
    assert_memory_equal(out, plain, MESSAGE_LEN);
}

static void test_every_mode_works_in_place(void **state)
{
    (void)state;
    load_sp800_38a(SP800_38A_ECB_CIPHER);
    memcpy(out, plain, MESSAGE_LEN);
    assert_int_equal(aes128_ecb_encrypt(&key, out, out, MESSAGE_LEN), ERR_OK);
    assert_memory_equal(out, cipher, MESSAGE_LEN);

    hex_decode(SP800_38A_CBC_CIPHER, cipher, sizeof cipher);
    hex_decode(SP800_38A_CBC_IV, iv, sizeof iv);
    memcpy(out, cipher, MESSAGE_LEN);
    assert_int_equal(aes128_cbc_decrypt(&key, iv, out, out, MESSAGE_LEN), ERR_OK);
    assert_memory_equal(out, plain, MESSAGE_LEN);

    hex_decode(SP800_38A_CTR_CIPHER, cipher, sizeof cipher);
    hex_decode(SP800_38A_CTR_COUNTER, iv, sizeof iv);
    memcpy(out, plain, MESSAGE_LEN);
    aes128_ctr_crypt(&key, iv, out, out, MESSAGE_LEN);
    assert_memory_equal(out, cipher, MESSAGE_LEN);
}

static void test_cbc_message_split_over_calls_matches_one_call(void **state)
{
    (void)state;
    load_sp800_38a(SP800_38A_CBC_CIPHER);
    hex_decode(SP800_38A_CBC_IV, iv, sizeof iv);
    assert_int_equal(aes128_cbc_encrypt(&key, iv, plain, out, 16), ERR_OK);
    assert_int_equal(aes128_cbc_encrypt(&key, iv, &plain[16], &out[16], 48), ERR_OK);
    assert_memory_equal(out, cipher, MESSAGE_LEN);
}

static void test_ctr_partial_final_block_and_split_message(void **state)
{
    (void)state;
    load_sp800_38a(SP800_38A_CTR_CIPHER);
    hex_decode(SP800_38A_CTR_COUNTER, iv, sizeof iv);
    aes128_ctr_crypt(&key, iv, plain, out, 32);           /* two whole blocks */
    aes128_ctr_crypt(&key, iv, &plain[32], &out[32], 21); /* one whole, one partial */
    assert_memory_equal(out, cipher, 53);
    assert_int_equal(out[53], 0xa5); /* nothing written past len */
}

static void test_ctr_counter_carries_through_all_128_bits(void **state)
{
    (void)state;
    uint8_t counter[AES128_BLOCK_LEN], expect[AES128_BLOCK_LEN];
    hex_decode("000000000000000000000000ffffffff", counter, sizeof counter);
    aes128_ctr_increment(counter);
    hex_decode("00000000000000000000000100000000", expect, sizeof expect);
    assert_memory_equal(counter, expect, sizeof expect);
    hex_decode("00ffffffffffffffffffffffffffffff", counter, sizeof counter);
    aes128_ctr_increment(counter);
    hex_decode("01000000000000000000000000000000", expect, sizeof expect);
    assert_memory_equal(counter, expect, sizeof expect);
    memset(counter, 0xff, sizeof counter);
    aes128_ctr_increment(counter); /* wraps modulo 2^128 */
    memset(expect, 0, sizeof expect);
    assert_memory_equal(counter, expect, sizeof expect);
}

static void test_ctr_keystream_is_the_encrypted_counter_sequence(void **state)
{
    (void)state;
    uint8_t counters[2 * AES128_BLOCK_LEN], keystream[2 * AES128_BLOCK_LEN];
    uint8_t zeros[2 * AES128_BLOCK_LEN] = { 0 };
    load_sp800_38a(SP800_38A_CTR_CIPHER);
    memset(counters, 0xff, AES128_BLOCK_LEN); /* 2^128 - 1, then 0 */
    memset(&counters[AES128_BLOCK_LEN], 0, AES128_BLOCK_LEN);
    assert_int_equal(aes128_ecb_encrypt(&key, counters, keystream, sizeof counters), ERR_OK);
    memset(iv, 0xff, sizeof iv);
    aes128_ctr_crypt(&key, iv, zeros, out, sizeof zeros);
    assert_memory_equal(out, keystream, sizeof keystream);
}

static void test_ecb_and_cbc_reject_partial_blocks_without_writing(void **state)
{
    (void)state;
    uint8_t iv_before[AES128_BLOCK_LEN];
    load_sp800_38a(SP800_38A_CBC_CIPHER);
    hex_decode(SP800_38A_CBC_IV, iv, sizeof iv);
    memcpy(iv_before, iv, sizeof iv);
    assert_int_equal(aes128_ecb_encrypt(&key, plain, out, 15), ERR_SIZE);
    assert_int_equal(aes128_ecb_decrypt(&key, cipher, out, 17), ERR_SIZE);
    assert_int_equal(aes128_cbc_encrypt(&key, iv, plain, out, 33), ERR_SIZE);
    assert_int_equal(aes128_cbc_decrypt(&key, iv, cipher, out, 1), ERR_SIZE);
    assert_memory_equal(iv, iv_before, sizeof iv);
    for (size_t i = 0; i < MESSAGE_LEN; i++) {
        assert_int_equal(out[i], 0xa5);
    }
    assert_int_equal(aes128_ecb_encrypt(&key, plain, out, 0), ERR_OK); /* empty is fine */
}

static void test_wipe_key_zeroes_every_round_key(void **state)
{
    (void)state;
    load_sp800_38a(SP800_38A_ECB_CIPHER);
    aes128_wipe_key(&key);
    for (size_t i = 0; i < sizeof key.round_keys; i++) {
        assert_int_equal(key.round_keys[i], 0);
    }
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_fips197_a1_key_expansion_last_round_key),
        cmocka_unit_test(test_fips197_c1_encrypts_and_decrypts_the_example_block),
        cmocka_unit_test(test_sp800_38a_f11_ecb_encrypt),
        cmocka_unit_test(test_sp800_38a_f12_ecb_decrypt),
        cmocka_unit_test(test_sp800_38a_f21_cbc_encrypt_leaves_last_block_as_iv),
        cmocka_unit_test(test_sp800_38a_f22_cbc_decrypt),
        cmocka_unit_test(test_sp800_38a_f51_ctr_encrypt_advances_counter),
        cmocka_unit_test(test_sp800_38a_f52_ctr_decrypt),
        cmocka_unit_test(test_every_mode_works_in_place),
        cmocka_unit_test(test_cbc_message_split_over_calls_matches_one_call),
        cmocka_unit_test(test_ctr_partial_final_block_and_split_message),
        cmocka_unit_test(test_ctr_counter_carries_through_all_128_bits),
        cmocka_unit_test(test_ctr_keystream_is_the_encrypted_counter_sequence),
        cmocka_unit_test(test_ecb_and_cbc_reject_partial_blocks_without_writing),
        cmocka_unit_test(test_wipe_key_zeroes_every_round_key),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
