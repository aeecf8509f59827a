/* SPDX-License-Identifier: Apache-2.0 OR MIT */
/*
 * Host tests for AES-128-CCM and AES-128-GCM (libraries/crypto/aes_ccm.c, aes_gcm.c) and the
 * constant-time compare (compare.c) against published vectors.
 *
 * Vectors: NIST SP 800-38C Appendix C examples 1-4 (CCM; example 4 with its 65536-byte
 * associated data); the GCM specification's (McGrew-Viega) test cases 1-6 for AES-128, which
 * SP 800-38D's validation uses: empty and one-block messages, four blocks without and a
 * partial block with associated data, and 64-bit and 480-bit IVs. The libtock-c AES test app's
 * CCM expectation (its key, 13-byte nonce, 96-byte payload) is checked too. Beyond the vectors:
 * every message fed in awkward pieces gives the same result, decryption reproduces the
 * plaintext and the tag, a changed byte changes the tag (the mismatch callers must detect),
 * the CCM* variants Tock exposes, and the parameter and ordering checks.
 *
 * Usage: make build/host/aes_aead_test (or `make unit` for every test).
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

#include "crypto/aes_ccm.h"
#include "crypto/aes_gcm.h"
#include "crypto/compare.h"
#include "hex.h"

#define MAX_LEN 128u

struct vector {
    const char *key;
    const char *nonce;
    const char *aad; /* NULL: the SP 800-38C example 4 pattern of aad_len bytes */
    size_t aad_len;
    const char *plain;
    const char *cipher; /* ciphertext || tag */
    size_t tag_len;
};

static const struct vector ccm_vectors[] = {
    { "404142434445464748494a4b4c4d4e4f", "10111213141516", "0001020304050607", 8, "20212223",
      "7162015b4dac255d", 4 },
    { "404142434445464748494a4b4c4d4e4f", "1011121314151617",
      "000102030405060708090a0b0c0d0e0f", 16, "202122232425262728292a2b2c2d2e2f",
      "d2a1f0e051ea5f62081a7792073d593d1fc64fbfaccd", 6 },
    { "404142434445464748494a4b4c4d4e4f", "101112131415161718191a1b",
      "000102030405060708090a0b0c0d0e0f10111213", 20,
      "202122232425262728292a2b2c2d2e2f3031323334353637",
      "e3b201a9f5b71a7a9b1ceaeccd97e70b6176aad9a4428aa5484392fbc1b09951", 8 },
    { "404142434445464748494a4b4c4d4e4f", "101112131415161718191a1b1c", NULL, 65536,
      "202122232425262728292a2b2c2d2e2f303132333435363738393a3b3c3d3e3f",
      "69915dad1e84c6376a68c2967e4dab615ae0fd1faec44cc484828529463ccf72"
      "b4ac6bec93e8598e7f0dadbcea5b",
      14 },
};

#define GCM_K3 "feffe9928665731c6d6a8f9467308308"
#define GCM_P3                                                                                     \
    "d9313225f88406e5a55909c5aff5269a86a7a9531534f7da2e4c303d8a318a72"                             \
    "1c3c0c95956809532fcf0e2449a6b525b16aedf5aa0de657ba637b391aafd255"
#define GCM_P4                                                                                     \
    "d9313225f88406e5a55909c5aff5269a86a7a9531534f7da2e4c303d8a318a72"                             \
    "1c3c0c95956809532fcf0e2449a6b525b16aedf5aa0de657ba637b39"
#define GCM_A4 "feedfacedeadbeeffeedfacedeadbeefabaddad2"

static const struct vector gcm_vectors[] = {
    { "00000000000000000000000000000000", "000000000000000000000000", "", 0, "",
      "58e2fccefa7e3061367f1d57a4e7455a", 16 },
    { "00000000000000000000000000000000", "000000000000000000000000", "", 0,
      "00000000000000000000000000000000",
      "0388dace60b6a392f328c2b971b2fe78ab6e47d42cec13bdf53a67b21257bddf", 16 },
    { GCM_K3, "cafebabefacedbaddecaf888", "", 0, GCM_P3,
      "42831ec2217774244b7221b784d0d49ce3aa212f2c02a4e035c17e2329aca12e"
      "21d514b25466931c7d8f6a5aac84aa051ba30b396a0aac973d58e091473f5985"
      "4d5c2af327cd64a62cf35abd2ba6fab4",
      16 },
    { GCM_K3, "cafebabefacedbaddecaf888", GCM_A4, 20, GCM_P4,
      "42831ec2217774244b7221b784d0d49ce3aa212f2c02a4e035c17e2329aca12e"
      "21d514b25466931c7d8f6a5aac84aa051ba30b396a0aac973d58e091"
      "5bc94fbc3221a5db94fae95ae7121a47",
      16 },
    { GCM_K3, "cafebabefacedbad", GCM_A4, 20, GCM_P4,
      "61353b4c2806934a777ff51fa22a4755699b2a714fcdc6f83766e5f97b6c7423"
      "73806900e49f24b22b097544d4896b424989b5e1ebac0f07c23f4598"
      "3612d2e79e3b0785561be14aaca2fccb",
      16 },
    { GCM_K3,
      "9313225df88406e555909c5aff5269aa6a7a9538534f7da1e4c303d2a318a728"
      "c3c0c95156809539fcf0e2429a6b525416aedbf5a0de6a57a637b39b",
      GCM_A4, 20, GCM_P4,
      "8ce24998625615b603a033aca13fb894be9112a5c3a211a8ba262a3cca7e2ca7"
      "01e4a9a4fba43c90ccdcb281d48c7c6fd62875d2aca417034c34aee5"
      "619cc5aefffe0bfa462af43c1699d050",
      16 },
};

static uint8_t big_aad[65536];

struct decoded {
    struct aes128_key key;
    uint8_t nonce[64];
    size_t nonce_len;
    const uint8_t *aad;
    uint8_t aad_buf[64];
    size_t aad_len;
    uint8_t plain[MAX_LEN];
    size_t plain_len;
    uint8_t cipher[MAX_LEN + 16];
    size_t tag_len;
};

static void decode(const struct vector *v, struct decoded *d)
{
    uint8_t raw_key[16];
    hex_decode(v->key, raw_key, sizeof raw_key);
    aes128_expand_key(&d->key, raw_key);
    d->nonce_len = strlen(v->nonce) / 2;
    hex_decode(v->nonce, d->nonce, d->nonce_len);
    d->aad_len = v->aad_len;
    if (v->aad == NULL) {
        for (size_t i = 0; i < sizeof big_aad; i++) {
            big_aad[i] = (uint8_t)i;
        }
        d->aad = big_aad;
    } else {
        hex_decode(v->aad, d->aad_buf, d->aad_len);
        d->aad = d->aad_buf;
    }
    d->plain_len = strlen(v->plain) / 2;
    hex_decode(v->plain, d->plain, d->plain_len);
    d->tag_len = v->tag_len;
    hex_decode(v->cipher, d->cipher, d->plain_len + d->tag_len);
}

/* Run one CCM or GCM message over `src`, feeding associated data `aad_step` bytes and the
 * payload `step` bytes (a multiple of 16) at a time; write the payload to `dst`, the tag to
 * `tag`. */
static void run(bool is_gcm, const struct decoded *d, bool is_encrypting, const uint8_t *src,
                uint8_t *dst, uint8_t tag[16], size_t aad_step, size_t step)
{
    struct aes_ccm ccm;
    struct aes_gcm gcm;
    if (is_gcm) {
        const struct aes_gcm_params p = { d->nonce, d->nonce_len, d->aad_len, d->plain_len,
                                          d->tag_len, is_encrypting };
        assert_int_equal(aes_gcm_init(&gcm, &p), ERR_OK);
    } else {
        const struct aes_ccm_params p = { d->nonce, d->nonce_len, d->aad_len, d->plain_len,
                                          d->tag_len, is_encrypting, true };
        assert_int_equal(aes_ccm_init(&ccm, &p), ERR_OK);
    }
    for (size_t off = 0; off < d->aad_len; off += aad_step) {
        size_t n = d->aad_len - off < aad_step ? d->aad_len - off : aad_step;
        err_t err = is_gcm ? aes_gcm_aad(&gcm, &d->key, &d->aad[off], n)
                           : aes_ccm_aad(&ccm, &d->key, &d->aad[off], n);
        assert_int_equal(err, ERR_OK);
    }
    for (size_t off = 0; off < d->plain_len; off += step) {
        size_t n = d->plain_len - off < step ? d->plain_len - off : step;
        err_t err = is_gcm ? aes_gcm_crypt(&gcm, &d->key, &src[off], &dst[off], n)
                           : aes_ccm_crypt(&ccm, &d->key, &src[off], &dst[off], n);
        assert_int_equal(err, ERR_OK);
    }
    err_t err = is_gcm ? aes_gcm_finish(&gcm, &d->key, tag) : aes_ccm_finish(&ccm, &d->key, tag);
    assert_int_equal(err, ERR_OK);
    for (size_t i = d->tag_len; i < 16; i++) {
        assert_int_equal(tag[i], 0);
    }
    aes_ccm_wipe(&ccm);
    aes_gcm_wipe(&gcm);
}

static void check_vectors(bool is_gcm, const struct vector *vectors, size_t count)
{
    static const size_t aad_steps[] = { 1, 7, 16, 65536 };
    static const size_t steps[] = { 16, 32, MAX_LEN };
    for (size_t i = 0; i < count; i++) {
        struct decoded d;
        decode(&vectors[i], &d);
        for (size_t a = 0; a < 4; a++) {
            for (size_t s = 0; s < 3; s++) {
                uint8_t out[MAX_LEN];
                uint8_t tag[16];
                run(is_gcm, &d, true, d.plain, out, tag, aad_steps[a], steps[s]);
                assert_memory_equal(out, d.cipher, d.plain_len);
                assert_memory_equal(tag, &d.cipher[d.plain_len], d.tag_len);
                uint8_t back[MAX_LEN];
                memcpy(back, d.cipher, d.plain_len); /* in place */
                run(is_gcm, &d, false, back, back, tag, aad_steps[a], steps[s]);
                assert_memory_equal(back, d.plain, d.plain_len);
                assert_true(crypto_equal(tag, &d.cipher[d.plain_len], d.tag_len));
            }
        }
    }
}

static void test_ccm_matches_sp800_38c_examples(void **state)
{
    (void)state;
    check_vectors(false, ccm_vectors, sizeof ccm_vectors / sizeof ccm_vectors[0]);
}

static void test_gcm_matches_the_gcm_test_cases(void **state)
{
    (void)state;
    check_vectors(true, gcm_vectors, sizeof gcm_vectors / sizeof gcm_vectors[0]);
}

/* A changed ciphertext byte, associated-data byte or tag byte: the tag no longer matches. */
static void check_mismatch(bool is_gcm, const struct vector *v)
{
    struct decoded d;
    decode(v, &d);
    uint8_t back[MAX_LEN];
    uint8_t tag[16];
    memcpy(back, d.cipher, d.plain_len);
    back[0] ^= 0x01;
    run(is_gcm, &d, false, back, back, tag, 16, 16);
    assert_false(crypto_equal(tag, &d.cipher[d.plain_len], d.tag_len));
    decode(v, &d);
    d.aad_buf[d.aad_len - 1] ^= 0x80;
    memcpy(back, d.cipher, d.plain_len);
    run(is_gcm, &d, false, back, back, tag, 16, 16);
    assert_false(crypto_equal(tag, &d.cipher[d.plain_len], d.tag_len));
    assert_memory_equal(back, d.plain, d.plain_len); /* CTR itself does not notice */
}

static void test_changed_data_gives_a_tag_mismatch(void **state)
{
    (void)state;
    check_mismatch(false, &ccm_vectors[2]);
    check_mismatch(true, &gcm_vectors[3]);
    uint8_t a[16] = { 1, 2, 3 };
    uint8_t b[16] = { 1, 2, 3 };
    assert_true(crypto_equal(a, b, 16));
    b[15] = 1;
    assert_false(crypto_equal(a, b, 16));
    assert_true(crypto_equal(a, b, 15));
}

/* libtock-c's tests/aes: key 2b7e..3c, nonce f0..fc (the first 13 bytes of its 16-byte IV), no
 * associated data, 96 bytes of its text: the ciphertext it expects. */
static void test_ccm_reproduces_the_libtock_c_expectation(void **state)
{
    (void)state;
    static const char text[] =
        "A language empowering everyone to build reliable and efficient software.";
    uint8_t raw_key[16];
    hex_decode("2b7e151628aed2a6abf7158809cf4f3c", raw_key, 16);
    struct aes128_key key;
    aes128_expand_key(&key, raw_key);
    uint8_t nonce[13];
    for (size_t i = 0; i < sizeof nonce; i++) {
        nonce[i] = (uint8_t)(0xf0 + i);
    }
    uint8_t data[96] = { 0 };
    memcpy(data, text, sizeof text - 1);
    uint8_t expect[96];
    hex_decode("4a593d262ae0ebbba453885a0adc62d337ae96faa7f45d46b99e65c95abae6d3"
               "81c1b97b011ec6b4f63b8a4c0b0beca627a39c0cebb4fa0abd2a9c705e88aad8"
               "7ba7160d9b3c68bddea8f0d0652529f888074275ee72a386c82d3792a752f246",
               expect, sizeof expect);
    for (int authenticated = 0; authenticated < 2; authenticated++) {
        struct aes_ccm ccm;
        const struct aes_ccm_params p = { nonce, 13, 0, 96, 8, true, authenticated != 0 };
        assert_int_equal(aes_ccm_init(&ccm, &p), ERR_OK);
        uint8_t out[96];
        assert_int_equal(aes_ccm_crypt(&ccm, &key, data, out, 96), ERR_OK);
        assert_memory_equal(out, expect, sizeof expect);
    }
}

static void test_ccm_star_variants(void **state)
{
    (void)state;
    struct decoded d;
    decode(&ccm_vectors[2], &d);
    uint8_t out[MAX_LEN];
    uint8_t tag[16];
    /* No tag: the same ciphertext, a tag of zeros. */
    struct aes_ccm ccm;
    const struct aes_ccm_params none = { d.nonce, d.nonce_len, d.aad_len, d.plain_len, 0, true,
                                         true };
    assert_int_equal(aes_ccm_init(&ccm, &none), ERR_OK);
    assert_int_equal(aes_ccm_aad(&ccm, &d.key, d.aad, d.aad_len), ERR_OK);
    assert_int_equal(aes_ccm_crypt(&ccm, &d.key, d.plain, out, d.plain_len), ERR_OK);
    assert_int_equal(aes_ccm_finish(&ccm, &d.key, tag), ERR_OK);
    assert_memory_equal(out, d.cipher, d.plain_len);
    static const uint8_t zeros[16] = { 0 };
    assert_memory_equal(tag, zeros, 16);
    /* The payload outside the MAC: the tag does not depend on it. */
    uint8_t first[16];
    const struct aes_ccm_params header_only = { d.nonce, d.nonce_len, d.aad_len, d.plain_len,
                                                8, true, false };
    for (int round = 0; round < 2; round++) {
        d.plain[0] = (uint8_t)round;
        assert_int_equal(aes_ccm_init(&ccm, &header_only), ERR_OK);
        assert_int_equal(aes_ccm_aad(&ccm, &d.key, d.aad, d.aad_len), ERR_OK);
        assert_int_equal(aes_ccm_crypt(&ccm, &d.key, d.plain, out, d.plain_len), ERR_OK);
        assert_int_equal(aes_ccm_finish(&ccm, &d.key, round == 0 ? first : tag), ERR_OK);
    }
    assert_memory_equal(first, tag, 8);
    assert_memory_not_equal(tag, &d.cipher[d.plain_len], 8); /* not the SP 800-38C tag */
}

static void test_parameters_and_order_are_checked(void **state)
{
    (void)state;
    uint8_t nonce[64] = { 0 };
    uint8_t buf[32] = { 0 };
    uint8_t tag[16];
    struct aes128_key key;
    aes128_expand_key(&key, nonce);
    struct aes_ccm ccm;
    static const size_t bad_nonces[] = { 6, 14 };
    for (size_t i = 0; i < 2; i++) {
        const struct aes_ccm_params p = { nonce, bad_nonces[i], 0, 16, 8, true, true };
        assert_int_equal(aes_ccm_init(&ccm, &p), ERR_INVAL);
    }
    static const size_t bad_tags[] = { 2, 3, 5, 17, 18 };
    for (size_t i = 0; i < 5; i++) {
        const struct aes_ccm_params p = { nonce, 13, 0, 16, bad_tags[i], true, true };
        assert_int_equal(aes_ccm_init(&ccm, &p), ERR_INVAL);
    }
    const struct aes_ccm_params too_long = { nonce, 13, 0, 65536, 8, true, true };
    assert_int_equal(aes_ccm_init(&ccm, &too_long), ERR_SIZE); /* q = 2 */
    const struct aes_ccm_params fits = { nonce, 12, 4, 65536, 8, true, true };
    assert_int_equal(aes_ccm_init(&ccm, &fits), ERR_OK); /* q = 3 */
    assert_int_equal(aes_ccm_crypt(&ccm, &key, buf, buf, 16), ERR_INVAL); /* data first */
    assert_int_equal(aes_ccm_aad(&ccm, &key, buf, 5), ERR_SIZE);
    assert_int_equal(aes_ccm_finish(&ccm, &key, tag), ERR_INVAL);
    assert_int_equal(aes_ccm_aad(&ccm, &key, buf, 4), ERR_OK);
    assert_int_equal(aes_ccm_crypt(&ccm, &key, buf, buf, 8), ERR_SIZE); /* not the end */
    assert_int_equal(aes_ccm_crypt(&ccm, &key, buf, buf, 16), ERR_OK);
    assert_int_equal(aes_ccm_aad(&ccm, &key, buf, 0), ERR_INVAL); /* payload began */
    aes_ccm_wipe(&ccm);
    assert_int_equal(aes_ccm_crypt(&ccm, &key, buf, buf, 16), ERR_INVAL);

    struct aes_gcm gcm;
    static const size_t bad_gcm_tags[] = { 0, 3, 5, 9, 11, 17 };
    for (size_t i = 0; i < 6; i++) {
        const struct aes_gcm_params p = { nonce, 12, 0, 16, bad_gcm_tags[i], true };
        assert_int_equal(aes_gcm_init(&gcm, &p), ERR_INVAL);
    }
    const struct aes_gcm_params no_iv = { nonce, 0, 0, 16, 16, true };
    assert_int_equal(aes_gcm_init(&gcm, &no_iv), ERR_INVAL);
    const struct aes_gcm_params long_iv = { nonce, 65, 0, 16, 16, true };
    assert_int_equal(aes_gcm_init(&gcm, &long_iv), ERR_INVAL);
    const struct aes_gcm_params ok = { nonce, 12, 0, 20, 12, true };
    assert_int_equal(aes_gcm_init(&gcm, &ok), ERR_OK);
    assert_int_equal(aes_gcm_crypt(&gcm, &key, buf, buf, 21), ERR_SIZE);
    assert_int_equal(aes_gcm_crypt(&gcm, &key, buf, buf, 20), ERR_OK);
    assert_int_equal(aes_gcm_finish(&gcm, &key, tag), ERR_OK);
    assert_int_equal(aes_gcm_finish(&gcm, &key, tag), ERR_INVAL); /* once */
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_ccm_matches_sp800_38c_examples),
        cmocka_unit_test(test_gcm_matches_the_gcm_test_cases),
        cmocka_unit_test(test_changed_data_gives_a_tag_mismatch),
        cmocka_unit_test(test_ccm_reproduces_the_libtock_c_expectation),
        cmocka_unit_test(test_ccm_star_variants),
        cmocka_unit_test(test_parameters_and_order_are_checked),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
