/* SPDX-License-Identifier: Apache-2.0 OR MIT */
/*
 * Host tests for ECDSA P-256 verification (libraries/crypto/p256.c).
 *
 * Vectors: RFC 6979 A.2.5 (P-256 with SHA-256, messages "sample" and "test": the key and the
 * deterministic signatures it publishes) and NIST CAVP FIPS 186-4 SigVer.rsp, section
 * [P-256,SHA-256] (valid signatures, and ones NIST marks invalid because R, S, the message or
 * the key was changed). Beyond the vectors: every byte of a valid signature, digest and key
 * flipped is refused, as are r or s of 0 or n, and keys off the curve or not below p.
 *
 * Usage: make build/host/p256_test (or `make unit`).
 *
 * Invariants: each test is independent.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include "crypto/p256.h"
#include "crypto/sha256.h"
#include "hex.h"

#define RFC6979_KEY                                                                        \
    "60fed4ba255a9d31c961eb74c6356d68c049b8923b61fa6ce669622e60f29fb6"                     \
    "7903fe1008b8bc99a41ae9e95628bc64f2f1b20c2d7e9f5177a3c294d4462299"
#define RFC6979_SAMPLE_SIGNATURE                                                           \
    "efd48b2aacb6a8fd1140dd9cd45e81d69d2c877b56aaf991c34d0ea84eaf3716"                     \
    "f7cb1c942d657c41d436c7a1b6e29f65f3e900dbb9aff4064dc4ab2f843acda8"
#define RFC6979_TEST_SIGNATURE                                                             \
    "f1abb023518351cd71d881567b1ea663ed3efcf6c5132b354f28d3b0b7d38367"                     \
    "019f4113742a2b14bd25926b49c649155f267e60d3814b4c0cc84250e46f0083"
#define ORDER "ffffffff00000000ffffffffffffffffbce6faada7179e84f3b9cac2fc632551"
#define PRIME "ffffffff00000001000000000000000000000000ffffffffffffffffffffffff"

struct cavp_vector {
    const char *what;
    bool is_valid;
    const char *message; /* hex, 128 bytes */
    const char *key;     /* Qx then Qy */
    const char *signature; /* R then S */
};

static const struct cavp_vector cavp[] = {
    { "valid", true,
          "e1130af6a38ccb412a9c8d13e15dbfc9e69a16385af3c3f1e5da954fd5e7c45fd75e2b8c36699228"
          "e92840c0562fbf3772f07e17f1add56588dd45f7450e1217ad239922dd9c32695dc71ff2424ca0de"
          "c1321aa47064a044b7fe3c2b97d03ce470a592304c5ef21eed9f93da56bb232d1eeb0035f9bf0dfa"
          "fdcc4606272b20a3",
      "e424dc61d4bb3cb7ef4344a7f8957a0c5134e16f7a67c074f82e6e12f49abf3c"
      "970eed7aa2bc48651545949de1dddaf0127e5965ac85d1243d6f60e7dfaee927",
      "bf96b99aa49c705c910be33142017c642ff540c76349b9dab72f981fd9347f4f"
      "17c55095819089c2e03b9cd415abdf12444e323075d98f31920b9e0f57ec871c" },
    { "valid", true,
          "73c5f6a67456ae48209b5f85d1e7de7758bf235300c6ae2bdceb1dcb27a7730fb68c950b7fcada0e"
          "cc4661d3578230f225a875e69aaa17f1e71c6be5c831f22663bac63d0c7a9635edb0043ff8c6f264"
          "70f02a7bc56556f1437f06dfa27b487a6c4290d8bad38d4879b334e341ba092dde4e4ae694a9c093"
          "02e2dbf443581c08",
      "e0fc6a6f50e1c57475673ee54e3a57f9a49f3328e743bf52f335e3eeaa3d2864"
      "7f59d689c91e463607d9194d99faf316e25432870816dde63f5d4b373f12f22a",
      "1d75830cd36f4c9aa181b2c4221e87f176b7f05b7c87824e82e396c88315c407"
      "cb2acb01dac96efc53a32d4a0d85d0c2e48955214783ecf50a4f0414a319c05a" },
    { "valid", true,
          "60cd64b2cd2be6c33859b94875120361a24085f3765cb8b2bf11e026fa9d8855dbe435acf7882e84"
          "f3c7857f96e2baab4d9afe4588e4a82e17a78827bfdb5ddbd1c211fbc2e6d884cddd7cb9d90d5bf4"
          "a7311b83f352508033812c776a0e00c003c7e0d628e50736c7512df0acfa9f2320bd102229f46495"
          "ae6d0857cc452a84",
      "2d98ea01f754d34bbc3003df5050200abf445ec728556d7ed7d5c54c55552b6d"
      "9b52672742d637a32add056dfd6d8792f2a33c2e69dafabea09b960bc61e230a",
      "06108e525f845d0155bf60193222b3219c98e3d49424c2fb2a0987f825c17959"
      "62b5cdd591e5b507e560167ba8f6f7cda74673eb315680cb89ccbc4eec477dce" },
    { "r changed", false,
          "666036d9b4a2426ed6585a4e0fd931a8761451d29ab04bd7dc6d0c5b9e38e6c2b263ff6cb837bd04"
          "399de3d757c6c7005f6d7a987063cf6d7e8cb38a4bf0d74a282572bd01d0f41e3fd066e3021575f0"
          "fa04f27b700d5b7ddddf50965993c3f9c7118ed78888da7cb221849b3260592b8e632d7c51e935a0"
          "ceae15207bedd548",
      "a849bef575cac3c6920fbce675c3b787136209f855de19ffe2e8d29b31a5ad86"
      "bf5fe4f7858f9b805bd8dcc05ad5e7fb889de2f822f3d8b41694e6c55c16b471",
      "25acc3aa9d9e84c7abf08f73fa4195acc506491d6fc37cb9074528a7db87b9d6"
      "9b21d5b5259ed3f2ef07dfec6cc90d3a37855d1ce122a85ba6a333f307d31537" },
    { "s changed", false,
          "3fe60dd9ad6caccf5a6f583b3ae65953563446c4510b70da115ffaa0ba04c076115c7043ab873340"
          "3cd69c7d14c212c655c07b43a7c71b9a4cffe22c2684788ec6870dc2013f269172c822256f9e7cc6"
          "74791bf2d8486c0f5684283e1649576efc982ede17c7b74b214754d70402fb4bb45ad086cf2cf76b"
          "3d63f7fce39ac970",
      "bf02cbcf6d8cc26e91766d8af0b164fc5968535e84c158eb3bc4e2d79c3cc682"
      "069ba6cb06b49d60812066afa16ecf7b51352f2c03bd93ec220822b1f3dfba03",
      "f5acb06c59c2b4927fb852faa07faf4b1852bbb5d06840935e849c4d293d1bad"
      "049dab79c89cc02f1484c437f523e080a75f134917fda752f2d5ca397addfe5d" },
    { "message changed", false,
          "1669bfb657fdc62c3ddd63269787fc1c969f1850fb04c933dda063ef74a56ce13e3a649700820f00"
          "61efabf849a85d474326c8a541d99830eea8131eaea584f22d88c353965dabcdc4bf6b55949fd529"
          "507dfb803ab6b480cd73ca0ba00ca19c438849e2cea262a1c57d8f81cd257fb58e19dec7904da97d"
          "8386e87b84948169",
      "69b7667056e1e11d6caf6e45643f8b21e7a4bebda463c7fdbc13bc98efbd0214"
      "d3f9b12eb46c7c6fda0da3fc85bc1fd831557f9abc902a3be3cb3e8be7d1aa2f",
      "288f7a1cd391842cce21f00e6f15471c04dc182fe4b14d92dc18910879799790"
      "247b3c4e89a3bcadfea73c7bfd361def43715fa382b8c3edf4ae15d6e55e9979" },
    { "key changed", false,
          "7e80436bce57339ce8da1b5660149a20240b146d108deef3ec5da4ae256f8f894edcbbc57b34ce37"
          "089c0daa17f0c46cd82b5a1599314fd79d2fd2f446bd5a25b8e32fcf05b76d644573a6df4ad1dfea"
          "707b479d97237a346f1ec632ea5660efb57e8717a8628d7f82af50a4e84b11f21bdff6839196a880"
          "ae20b2a0918d58cd",
      "3dfb6f40f2471b29b77fdccba72d37c21bba019efa40c1c8f91ec405d7dcc5df"
      "f22f953f1e395a52ead7f3ae3fc47451b438117b1e04d613bc8555b7d6e6d1bb",
      "548886278e5ec26bed811dbb72db1e154b6f17be70deb1b210107decb1ec2a5a"
      "e93bfebd2f14f3d827ca32b464be6e69187f5edbd52def4f96599c37d58eee75" },
};

struct signed_message {
    uint8_t key[P256_KEY_LEN];
    uint8_t digest[P256_DIGEST_LEN];
    uint8_t signature[P256_SIGNATURE_LEN];
};

static void rfc6979(struct signed_message *m, const char *message, const char *signature)
{
    hex_decode(RFC6979_KEY, m->key, sizeof m->key);
    sha256_digest((const uint8_t *)message, strlen(message), m->digest);
    hex_decode(signature, m->signature, sizeof m->signature);
}

static void test_rfc6979_signatures_verify(void **state)
{
    (void)state;
    struct signed_message m;
    rfc6979(&m, "sample", RFC6979_SAMPLE_SIGNATURE);
    assert_true(p256_ecdsa_verify(m.key, m.digest, m.signature));
    rfc6979(&m, "test", RFC6979_TEST_SIGNATURE);
    assert_true(p256_ecdsa_verify(m.key, m.digest, m.signature));
}

static void test_rfc6979_signature_of_another_message_is_refused(void **state)
{
    (void)state;
    struct signed_message m;
    rfc6979(&m, "sample", RFC6979_TEST_SIGNATURE);
    assert_false(p256_ecdsa_verify(m.key, m.digest, m.signature));
}

static void test_cavp_sigver_p256_sha256(void **state)
{
    (void)state;
    for (size_t i = 0; i < sizeof cavp / sizeof cavp[0]; i++) {
        uint8_t message[128];
        struct signed_message m;
        hex_decode(cavp[i].message, message, sizeof message);
        sha256_digest(message, sizeof message, m.digest);
        hex_decode(cavp[i].key, m.key, sizeof m.key);
        hex_decode(cavp[i].signature, m.signature, sizeof m.signature);
        if (p256_ecdsa_verify(m.key, m.digest, m.signature) != cavp[i].is_valid) {
            fail_msg("CAVP vector %zu (%s)", i, cavp[i].what);
        }
    }
}

static void test_any_flipped_bit_is_refused(void **state)
{
    (void)state;
    struct signed_message m;
    rfc6979(&m, "sample", RFC6979_SAMPLE_SIGNATURE);
    /* One bit in every byte position of each input, a different bit each time. */
    for (unsigned i = 0; i < P256_SIGNATURE_LEN; i++) {
        m.signature[i] ^= (uint8_t)(1u << (i % 8u));
        assert_false(p256_ecdsa_verify(m.key, m.digest, m.signature));
        m.signature[i] ^= (uint8_t)(1u << (i % 8u));
    }
    for (unsigned i = 0; i < P256_DIGEST_LEN; i++) {
        m.digest[i] ^= (uint8_t)(0x80u >> (i % 8u));
        assert_false(p256_ecdsa_verify(m.key, m.digest, m.signature));
        m.digest[i] ^= (uint8_t)(0x80u >> (i % 8u));
    }
    for (unsigned i = 0; i < P256_KEY_LEN; i += 7) {
        m.key[i] ^= 1u;
        assert_false(p256_ecdsa_verify(m.key, m.digest, m.signature));
        m.key[i] ^= 1u;
    }
    assert_true(p256_ecdsa_verify(m.key, m.digest, m.signature));
}

static void test_r_and_s_out_of_range_are_refused(void **state)
{
    (void)state;
    struct signed_message m;
    rfc6979(&m, "sample", RFC6979_SAMPLE_SIGNATURE);
    uint8_t order[32];
    hex_decode(ORDER, order, sizeof order);
    struct signed_message bad = m;
    memset(bad.signature, 0, 32); /* r = 0 */
    assert_false(p256_ecdsa_verify(bad.key, bad.digest, bad.signature));
    bad = m;
    memset(bad.signature + 32, 0, 32); /* s = 0 */
    assert_false(p256_ecdsa_verify(bad.key, bad.digest, bad.signature));
    bad = m;
    memcpy(bad.signature, order, 32); /* r = n */
    assert_false(p256_ecdsa_verify(bad.key, bad.digest, bad.signature));
    bad = m;
    memcpy(bad.signature + 32, order, 32); /* s = n */
    assert_false(p256_ecdsa_verify(bad.key, bad.digest, bad.signature));
    bad = m;
    memset(bad.signature, 0xff, P256_SIGNATURE_LEN); /* both above n */
    assert_false(p256_ecdsa_verify(bad.key, bad.digest, bad.signature));
}

static void test_keys_off_the_curve_are_refused(void **state)
{
    (void)state;
    struct signed_message m;
    rfc6979(&m, "sample", RFC6979_SAMPLE_SIGNATURE);
    assert_true(p256_key_is_valid(m.key));
    uint8_t key[P256_KEY_LEN];
    memset(key, 0, sizeof key); /* (0, 0) is not on the curve */
    assert_false(p256_key_is_valid(key));
    assert_false(p256_ecdsa_verify(key, m.digest, m.signature));
    memcpy(key, m.key, sizeof key);
    key[63] ^= 1u; /* y changed: off the curve */
    assert_false(p256_key_is_valid(key));
    hex_decode(PRIME, key, 32); /* x = p: not a field element */
    assert_false(p256_key_is_valid(key));
    memset(key, 0xff, sizeof key);
    assert_false(p256_key_is_valid(key));
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_rfc6979_signatures_verify),
        cmocka_unit_test(test_rfc6979_signature_of_another_message_is_refused),
        cmocka_unit_test(test_cavp_sigver_p256_sha256),
        cmocka_unit_test(test_any_flipped_bit_is_refused),
        cmocka_unit_test(test_r_and_s_out_of_range_are_refused),
        cmocka_unit_test(test_keys_off_the_curve_are_refused),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
