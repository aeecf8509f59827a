/* SPDX-License-Identifier: Apache-2.0 OR MIT */
/*
 * Host tests for HMAC_DRBG with SHA-256 (libraries/crypto/hmac_drbg.c).
 *
 * Vectors: NIST CAVP DRBG test vectors (CAVS 14.3, HMAC_DRBG.rsp, [SHA-256],
 * [PredictionResistance = False], 1024 returned bits), each run as the CAVP procedure says:
 *   - no-reseed file, COUNT = 0 (no personalization, no additional input): instantiate,
 *     generate 128 bytes and discard them, generate 128 bytes = ReturnedBits;
 *   - pr_false file, [EntropyInputLen = 256, NonceLen = 128, PersonalizationStringLen = 0,
 *     AdditionalInputLen = 0] COUNT = 0, and [PersonalizationStringLen = 256,
 *     AdditionalInputLen = 256] COUNT = 14: instantiate, reseed (EntropyInputReseed,
 *     AdditionalInputReseed), generate (AdditionalInput), generate (AdditionalInput)
 *     = ReturnedBits.
 * (The same vectors are carried by Mbed TLS's hmac_drbg test suites as "NIST CAVS 14.3".)
 * Beyond the vectors: the same seed gives the same stream, every generate call ends with an
 * update (so two short calls differ from one long one after the first call), short lengths are
 * prefixes, the request and reseed-interval limits, and uninstantiate.
 *
 * Usage: make build/host/hmac_drbg_test (or `make unit`).
 *
 * Invariants: each test is independent.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include "crypto/hmac_drbg.h"
#include "hex.h"

#define RETURNED_LEN 128u

/* no_reseed, COUNT = 0 */
#define NR_ENTROPY "ca851911349384bffe89de1cbdc46e6831e44d34a4fb935ee285dd14b71a7488"
#define NR_NONCE "659ba96c601dc69fc902940805ec0ca8"
#define NR_RETURNED                                                                            \
    "e528e9abf2dece54d47c7e75e5fe302149f817ea9fb4bee6f4199697d04d5b89d54fbb978a15b5c443c9ec21" \
    "036d2460b6f73ebad0dc2aba6e624abf07745bc107694bb7547bb0995f70de25d6b29e2d3011bb19d27676c0" \
    "7162c8b5ccde0668961df86803482cb37ed6d5c0bb8d50cf1f50d476aa0458bdaba806f48be9dcb8"

/* pr_false, (0, 0) COUNT = 0 */
#define PF0_ENTROPY "06032cd5eed33f39265f49ecb142c511da9aff2af71203bffaf34a9ca5bd9c0d"
#define PF0_NONCE "0e66f71edc43e42a45ad3c6fc6cdc4df"
#define PF0_ENTROPY_RESEED "01920a4e669ed3a85ae8a33b35a74ad7fb2a6bb4cf395ce00334a9c9a5a5d552"
#define PF0_RETURNED                                                                           \
    "76fc79fe9b50beccc991a11b5635783a83536add03c157fb30645e611c2898bb2b1bc215000209208cd506cb" \
    "28da2a51bdb03826aaf2bd2335d576d519160842e7158ad0949d1a9ec3e66ea1b1a064b005de914eac2e9d4f" \
    "2d72a8616a80225422918250ff66a41bd2f864a6a38cc5b6499dc43f7f2bd09e1e0f8f5885935124"

/* pr_false, (256, 256) COUNT = 14 */
#define PF14_ENTROPY "1353f3543eb1134980e061fc4382394975dbc74f1f1ea5ecc02780a813ac5ee6"
#define PF14_NONCE "cf584db2447afbe2c8fa0c15575ee391"
#define PF14_ENTROPY_RESEED "ba60219332a67b95d90ec9de6b8453d4c8af991ae9277461ff3af1b92fc985d3"
#define PF14_PERSONALIZATION "345b0cc016f2765a8c33fc24f1dcfa182cbe29d7eacbcdc9bcda988521458fc2"
#define PF14_ADDITIONAL_RESEED "6964b9b9842aec9c7ec2aad926d701f30eec76fe699265ae2a7765d716958069"
#define PF14_ADDITIONAL_1 "6a03c28a9365c558c33d3fdc7e5ebf0b4d32caac70df71403fd70ced09757528"
#define PF14_ADDITIONAL_2 "a58546c72a0b4d47c9bd6c19e7cf4ab73b2d7ba36c6c6dc08606f608795ebd29"
#define PF14_RETURNED                                                                          \
    "5b029ef68b6799868b04dc28dbea26bc2fa9fcc8c2b2795aafeed0127b7297fa19a4ef2ba60c42ff8259d5a7" \
    "59f92bd90fdfb27145e82d798bb3ab7fd60bfaefb7aefb116ca2a4fa8b01d96a03c47c8d987fdd33c460e560" \
    "b138891278313bb619d0c3c6f9d7c5a37e88fce83e94943705c6ff68e00484e74ad4097b0c9e5f10"

struct bytes32 {
    uint8_t b[32];
};

static struct bytes32 h32(const char *hex)
{
    struct bytes32 v;
    hex_decode(hex, v.b, sizeof v.b);
    return v;
}

static void instantiate_hex(struct hmac_drbg *drbg, const char *entropy, const char *nonce_hex,
                            const uint8_t *pers, size_t pers_len)
{
    struct bytes32 e = h32(entropy);
    uint8_t nonce[16];
    hex_decode(nonce_hex, nonce, sizeof nonce);
    hmac_drbg_instantiate(drbg, e.b, sizeof e.b, nonce, sizeof nonce, pers, pers_len);
}

static void test_cavp_no_reseed_count0(void **state)
{
    (void)state;
    struct hmac_drbg drbg;
    uint8_t out[RETURNED_LEN];
    uint8_t expect[RETURNED_LEN];
    instantiate_hex(&drbg, NR_ENTROPY, NR_NONCE, NULL, 0);
    assert_int_equal(hmac_drbg_generate(&drbg, out, sizeof out, NULL, 0), ERR_OK);
    assert_int_equal(hmac_drbg_generate(&drbg, out, sizeof out, NULL, 0), ERR_OK);
    hex_decode(NR_RETURNED, expect, sizeof expect);
    assert_memory_equal(out, expect, sizeof out);
    assert_int_equal(hmac_drbg_generates_since_seed(&drbg), 2);
}

static void test_cavp_pr_false_reseed_without_inputs_count0(void **state)
{
    (void)state;
    struct hmac_drbg drbg;
    uint8_t out[RETURNED_LEN];
    uint8_t expect[RETURNED_LEN];
    instantiate_hex(&drbg, PF0_ENTROPY, PF0_NONCE, NULL, 0);
    struct bytes32 reseed = h32(PF0_ENTROPY_RESEED);
    assert_int_equal(hmac_drbg_reseed(&drbg, reseed.b, sizeof reseed.b, NULL, 0), ERR_OK);
    assert_int_equal(hmac_drbg_generates_since_seed(&drbg), 0);
    assert_int_equal(hmac_drbg_generate(&drbg, out, sizeof out, NULL, 0), ERR_OK);
    assert_int_equal(hmac_drbg_generate(&drbg, out, sizeof out, NULL, 0), ERR_OK);
    hex_decode(PF0_RETURNED, expect, sizeof expect);
    assert_memory_equal(out, expect, sizeof out);
}

static void test_cavp_pr_false_personalization_and_additional_input_count14(void **state)
{
    (void)state;
    struct hmac_drbg drbg;
    uint8_t out[RETURNED_LEN];
    uint8_t expect[RETURNED_LEN];
    struct bytes32 pers = h32(PF14_PERSONALIZATION);
    instantiate_hex(&drbg, PF14_ENTROPY, PF14_NONCE, pers.b, sizeof pers.b);
    struct bytes32 reseed = h32(PF14_ENTROPY_RESEED);
    struct bytes32 add_reseed = h32(PF14_ADDITIONAL_RESEED);
    assert_int_equal(hmac_drbg_reseed(&drbg, reseed.b, sizeof reseed.b, add_reseed.b,
                                      sizeof add_reseed.b),
                     ERR_OK);
    struct bytes32 add1 = h32(PF14_ADDITIONAL_1);
    struct bytes32 add2 = h32(PF14_ADDITIONAL_2);
    assert_int_equal(hmac_drbg_generate(&drbg, out, sizeof out, add1.b, sizeof add1.b), ERR_OK);
    assert_int_equal(hmac_drbg_generate(&drbg, out, sizeof out, add2.b, sizeof add2.b), ERR_OK);
    hex_decode(PF14_RETURNED, expect, sizeof expect);
    assert_memory_equal(out, expect, sizeof out);
}

/* Every generate call ends with an update, so two 64-byte calls are not the first 128 bytes of
 * one call; but a second DRBG from the same seed repeats the first exactly. */
static void test_same_seed_same_stream_and_calls_are_separated_by_update(void **state)
{
    (void)state;
    struct hmac_drbg a;
    struct hmac_drbg b;
    uint8_t whole[RETURNED_LEN];
    uint8_t split[RETURNED_LEN];
    uint8_t again[RETURNED_LEN];
    instantiate_hex(&a, NR_ENTROPY, NR_NONCE, NULL, 0);
    instantiate_hex(&b, NR_ENTROPY, NR_NONCE, NULL, 0);
    assert_int_equal(hmac_drbg_generate(&a, whole, sizeof whole, NULL, 0), ERR_OK);
    assert_int_equal(hmac_drbg_generate(&b, split, 64, NULL, 0), ERR_OK);
    assert_int_equal(hmac_drbg_generate(&b, split + 64, 64, NULL, 0), ERR_OK);
    assert_memory_equal(whole, split, 64);
    assert_memory_not_equal(whole + 64, split + 64, 64);
    instantiate_hex(&b, NR_ENTROPY, NR_NONCE, NULL, 0);
    assert_int_equal(hmac_drbg_generate(&b, again, sizeof again, NULL, 0), ERR_OK);
    assert_memory_equal(whole, again, sizeof whole);
}

/* Lengths that are not multiples of the HMAC output are a prefix of the longer output. */
static void test_odd_lengths_are_prefixes(void **state)
{
    (void)state;
    uint8_t full[100];
    struct hmac_drbg reference;
    instantiate_hex(&reference, NR_ENTROPY, NR_NONCE, NULL, 0);
    assert_int_equal(hmac_drbg_generate(&reference, full, sizeof full, NULL, 0), ERR_OK);
    const size_t lengths[] = { 0, 1, 31, 32, 33, 63, 64, 65, 99 };
    for (size_t i = 0; i < sizeof lengths / sizeof lengths[0]; i++) {
        struct hmac_drbg drbg;
        uint8_t out[100];
        memset(out, 0xAA, sizeof out);
        instantiate_hex(&drbg, NR_ENTROPY, NR_NONCE, NULL, 0);
        assert_int_equal(hmac_drbg_generate(&drbg, out, lengths[i], NULL, 0), ERR_OK);
        assert_memory_equal(out, full, lengths[i]);
        assert_int_equal(out[lengths[i]], 0xAA); /* nothing written past len */
    }
}

static void test_limits_and_uninstantiate(void **state)
{
    (void)state;
    struct hmac_drbg drbg;
    uint8_t out[32];
    memset(&drbg, 0, sizeof drbg);
    assert_int_equal(hmac_drbg_generate(&drbg, out, sizeof out, NULL, 0), ERR_OFF);
    assert_int_equal(hmac_drbg_reseed(&drbg, out, sizeof out, NULL, 0), ERR_OFF);
    assert_int_equal(hmac_drbg_generates_since_seed(&drbg), 0);
    instantiate_hex(&drbg, NR_ENTROPY, NR_NONCE, NULL, 0);
    assert_int_equal(hmac_drbg_generate(&drbg, NULL, HMAC_DRBG_MAX_REQUEST_LEN + 1u, NULL, 0),
                     ERR_SIZE);
    assert_int_equal(hmac_drbg_generates_since_seed(&drbg), 0); /* refused: no state change */
    drbg.reseed_counter = HMAC_DRBG_RESEED_INTERVAL + 1u;      /* as if 2^48 calls were made */
    assert_int_equal(hmac_drbg_generate(&drbg, out, sizeof out, NULL, 0), ERR_OFF);
    assert_int_equal(hmac_drbg_reseed(&drbg, out, sizeof out, NULL, 0), ERR_OK);
    assert_int_equal(hmac_drbg_generate(&drbg, out, sizeof out, NULL, 0), ERR_OK);
    hmac_drbg_uninstantiate(&drbg);
    const struct hmac_drbg zero = { 0 };
    assert_memory_equal(&drbg, &zero, sizeof drbg);
    assert_int_equal(hmac_drbg_generate(&drbg, out, sizeof out, NULL, 0), ERR_OFF);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_cavp_no_reseed_count0),
        cmocka_unit_test(test_cavp_pr_false_reseed_without_inputs_count0),
        cmocka_unit_test(test_cavp_pr_false_personalization_and_additional_input_count14),
        cmocka_unit_test(test_same_seed_same_stream_and_calls_are_separated_by_update),
        cmocka_unit_test(test_odd_lengths_are_prefixes),
        cmocka_unit_test(test_limits_and_uninstantiate),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
