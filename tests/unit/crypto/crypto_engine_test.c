/* SPDX-License-Identifier: Apache-2.0 OR MIT */
/*
 * Host tests for the crypto engine model (chips/crypto_engine/): the crypto RAM's mutex, the AES
 * unit and the SHA-256/HMAC unit sharing one crypto RAM.
 *
 * Results are checked against the same published vectors as the library tests (NIST SP 800-38A
 * F.1/F.2/F.5, FIPS 180-4 examples, RFC 4231), now computed block by block through the engine.
 * The contract is checked too: completion only from the deferred call and exactly once, one
 * block per engine step, no callback after an error, a second unit queued (never BUSY) while the
 * first owns the crypto RAM and granted in claim order after the release, and correct results
 * when the units take turns mid-message (the RAM is wiped on every release, so this also proves
 * each unit saves and restores its context). The mutex is the real capsules/support/mutex.c; a violation
 * report fails the test.
 * Every downcall the test makes sets `in_downcall`, and the recorder fails if called meanwhile.
 *
 * Usage: make build/host/crypto_engine_test (or `make unit` for every test).
 *
 * Invariants: each test starts from setup() with fresh deferred calls, engine and units.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include "container.h"
#include "crypto/hmac_sha256.h"
#include "crypto_engine/aes.h"
#include "crypto_engine/engine.h"
#include "crypto_engine/sha.h"
#include "hex.h"
#include "kernel/deferred_call.h"
#include "support/mutex.h"

#define SP800_38A_KEY "2b7e151628aed2a6abf7158809cf4f3c"
#define SP800_38A_PLAIN                                                                            \
    "6bc1bee22e409f96e93d7e117393172aae2d8a571e03ac9c9eb76fac45af8e51"                             \
    "30c81c46a35ce411e5fbc1191a0a52eff69f2445df4f9b17ad2b417be66c3710"
#define SP800_38A_ECB_CIPHER                                                                       \
    "3ad77bb40d7a3660a89ecaf32466ef97f5d3d58503b9699de785895a96fdbaaf"                             \
    "43b1cd7f598ece23881b00e3ed0306887b0c785e27e8ad3f8223207104725dd4"
#define SP800_38A_CBC_IV "000102030405060708090a0b0c0d0e0f"
#define SP800_38A_CBC_CIPHER                                                                       \
    "7649abac8119b246cee98e9b12e9197d5086cb9b507219ee95db113a917678b2"                             \
    "73bed6b8e3c1743b7116e69e222295163ff1caa1681fac09120eca307586e1a7"
#define SP800_38A_CTR_COUNTER "f0f1f2f3f4f5f6f7f8f9fafbfcfdfeff"
#define SP800_38A_CTR_CIPHER                                                                       \
    "874d6191b620e3261bef6864990db6ce9806f66b7970fdff8617187bb9fffdff"                             \
    "5ae4df3edbd5d35e5b4f09020db03eab1e031dda2fbe03d1792170a0f3009cee"

#define SHA256_ABC "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad"
#define MESSAGE_448_BITS "abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq"
#define SHA256_448_BITS "248d6a61d20638b8e5c026930c3e6039a33ce45964ff2167f6ecedd419db06c1"
#define SHA256_MILLION_A "cdc76e5c9914fb9281a1c7e284d73e67f1809a48a497200e046d39ccc7112cd0"
#define SHA256_EMPTY "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855"

#define RFC4231_CASE2_KEY "Jefe"
#define RFC4231_CASE2_DATA "what do ya want for nothing?"
#define RFC4231_CASE2_MAC "5bdcc146bf60754e6a042426089575c75a003f089d2739839dec58b964ec3843"
#define RFC4231_CASE7_DATA                                                                         \
    "This is a test using a larger than block-size key and a larger than block-size data. "        \
    "The key needs to be hashed before being used by the HMAC algorithm."
#define RFC4231_CASE7_MAC "9b09ffa71b942fcb27635fbcd5b0e944bfdc63644f0713938a7f51535c3a35e2"

#define MESSAGE_LEN 64u

/* What the clients saw: one recorder is the client of both units. */
struct recorder {
    struct hil_aes_client aes_client;
    struct hil_digest_client digest_client;
    unsigned crypt_callbacks;
    uint8_t *crypt_dst;
    size_t crypt_len;
    err_t crypt_status;
    unsigned data_callbacks;
    const uint8_t *data_buf;
    size_t data_len;
    err_t data_status;
    unsigned hash_callbacks;
    uint8_t *hash_out;
    err_t hash_status;
    char log[64]; /* 'C' crypt_done, 'D' add_data_done, 'H' hash_done, in order */
    size_t log_len;
    const uint8_t *add_on_crypt_done; /* if set, crypt_done starts add_data with it */
    size_t add_len;
    err_t add_result;
};

static struct mutex_dispatcher mutexes;
static struct crypto_engine engine;
static struct crypto_engine_aes aes;
static struct crypto_engine_sha sha;
static struct recorder rec;
static bool in_downcall;
static uint8_t plain[MESSAGE_LEN], cipher[MESSAGE_LEN], out[MESSAGE_LEN];
static uint8_t digest[SHA256_DIGEST_LEN];

/* Log the first events only: long tests do not check the log. */
static void note(char event)
{
    if (rec.log_len + 1 >= sizeof rec.log) {
        return;
    }
    rec.log[rec.log_len++] = event;
    rec.log[rec.log_len] = '\0';
}

static void recorder_crypt_done(struct hil_aes_client *client, uint8_t *dst, size_t len,
                                err_t status)
{
    struct recorder *r = CONTAINER_OF(client, struct recorder, aes_client);
    assert_false(in_downcall);
    assert_null(engine.owner); /* released before the client hears of it */
    r->crypt_callbacks++;
    r->crypt_dst = dst;
    r->crypt_len = len;
    r->crypt_status = status;
    note('C');
    if (r->add_on_crypt_done != NULL) {
        r->add_result = hil_digest_add_data(&sha.digest, r->add_on_crypt_done, r->add_len);
        r->add_on_crypt_done = NULL;
    }
}

static void recorder_add_data_done(struct hil_digest_client *client, const uint8_t *buf,
                                   size_t len, err_t status)
{
    struct recorder *r = CONTAINER_OF(client, struct recorder, digest_client);
    assert_false(in_downcall);
    assert_null(engine.owner);
    r->data_callbacks++;
    r->data_buf = buf;
    r->data_len = len;
    r->data_status = status;
    note('D');
}

static void recorder_hash_done(struct hil_digest_client *client, uint8_t *hash_out, err_t status)
{
    struct recorder *r = CONTAINER_OF(client, struct recorder, digest_client);
    assert_false(in_downcall);
    assert_null(engine.owner);
    r->hash_callbacks++;
    r->hash_out = hash_out;
    r->hash_status = status;
    note('H');
}

static const struct hil_aes_client_ops recorder_aes_ops = { .crypt_done = recorder_crypt_done };
static const struct hil_digest_client_ops recorder_digest_ops = {
    .add_data_done = recorder_add_data_done,
    .hash_done = recorder_hash_done,
};

static void fail_on_violation(const struct mutex_violation *violation, void *ctx)
{
    (void)ctx;
    fail_msg("mutex violation %s on %s", mutex_violation_name(violation->kind),
             violation->mutex_name != NULL ? violation->mutex_name : "?");
}

static uint32_t no_clock(void *ctx)
{
    (void)ctx;
    return 0;
}

static const struct mutex_dispatcher_config mutex_checks = {
    .on_violation = fail_on_violation,
    .violation_ctx = NULL,
    .now = no_clock,
    .clock_ctx = NULL,
    .is_debug = false,
};

static int setup(void **state)
{
    (void)state;
    deferred_call_reset_for_test();
    assert_int_equal(mutex_dispatcher_init(&mutexes, &mutex_checks), ERR_OK);
    assert_int_equal(crypto_engine_init(&engine, &mutexes), ERR_OK);
    crypto_engine_aes_init(&aes, &engine);
    crypto_engine_sha_init(&sha, &engine);
    rec = (struct recorder){
        .aes_client = { .ops = &recorder_aes_ops },
        .digest_client = { .ops = &recorder_digest_ops },
        .crypt_status = ERR_FAIL,
        .data_status = ERR_FAIL,
        .hash_status = ERR_FAIL,
    };
    hil_aes_set_client(&aes.aes, &rec.aes_client);
    hil_digest_set_client(&sha.digest, &rec.digest_client);
    in_downcall = false;
    hex_decode(SP800_38A_PLAIN, plain, sizeof plain);
    memset(out, 0xa5, sizeof out);
    memset(digest, 0xa5, sizeof digest);
    return 0;
}

/* ---------------------------------------------------------------- downcalls and the loop */

static err_t crypt(const uint8_t *src, uint8_t *dst, size_t len)
{
    in_downcall = true;
    err_t err = hil_aes_crypt(&aes.aes, src, dst, len);
    in_downcall = false;
    return err;
}

static err_t add_data(const uint8_t *buf, size_t len)
{
    in_downcall = true;
    err_t err = hil_digest_add_data(&sha.digest, buf, len);
    in_downcall = false;
    return err;
}

static err_t finish(uint8_t *hash_out)
{
    in_downcall = true;
    err_t err = hil_digest_finish(&sha.digest, hash_out);
    in_downcall = false;
    return err;
}

/* Run the kernel loop's deferred calls until none is set; returns how many rounds it took. */
static unsigned drain(void)
{
    unsigned rounds = 0;
    while (deferred_call_has_pending()) {
        deferred_call_service();
        rounds++;
        assert_true(rounds < 100000);
    }
    return rounds;
}

static void configure_aes(enum hil_aes_mode mode, enum hil_aes_direction direction,
                          const char *iv_hex)
{
    uint8_t key[HIL_AES128_KEY_LEN], iv[HIL_AES_BLOCK_LEN];
    hex_decode(SP800_38A_KEY, key, sizeof key);
    assert_int_equal(hil_aes_set_key(&aes.aes, key, sizeof key), ERR_OK);
    assert_int_equal(hil_aes_set_mode(&aes.aes, mode, direction), ERR_OK);
    if (iv_hex != NULL) {
        hex_decode(iv_hex, iv, sizeof iv);
        assert_int_equal(hil_aes_set_iv(&aes.aes, iv, sizeof iv), ERR_OK);
    }
}

static const uint8_t *text(const char *s)
{
    return (const uint8_t *)s;
}

static void set_hmac_key(const uint8_t *key, size_t key_len)
{
    assert_int_equal(hil_digest_set_mode(&sha.digest, HIL_DIGEST_HMAC_SHA256, key, key_len),
                     ERR_OK);
}

static void expect_hex(const uint8_t *bytes, const char *expect_hex, size_t len)
{
    uint8_t expect[MESSAGE_LEN]; /* compares the first `len` bytes of a vector */
    size_t vector_len = strlen(expect_hex) / 2;
    assert_true(len <= vector_len && vector_len <= sizeof expect);
    hex_decode(expect_hex, expect, vector_len);
    assert_memory_equal(bytes, expect, len);
}

static bool ram_is_wiped(void)
{
    const uint8_t *bytes = (const uint8_t *)&engine.ram;
    for (size_t i = 0; i < sizeof engine.ram; i++) {
        if (bytes[i] != 0) {
            return false;
        }
    }
    return true;
}

/* add_data + drain, expecting exactly one add_data_done for it. */
static void add_and_complete(const uint8_t *buf, size_t len)
{
    unsigned before = rec.data_callbacks;
    assert_int_equal(add_data(buf, len), ERR_OK);
    assert_int_equal(rec.data_callbacks, before);
    drain();
    assert_int_equal(rec.data_callbacks, before + 1);
    assert_ptr_equal(rec.data_buf, buf);
    assert_int_equal(rec.data_len, len);
    assert_int_equal(rec.data_status, ERR_OK);
}

static void finish_and_complete(void)
{
    unsigned before = rec.hash_callbacks;
    assert_int_equal(finish(digest), ERR_OK);
    assert_int_equal(rec.hash_callbacks, before);
    drain();
    assert_int_equal(rec.hash_callbacks, before + 1);
    assert_ptr_equal(rec.hash_out, digest);
    assert_int_equal(rec.hash_status, ERR_OK);
}

static void crypt_and_complete(const uint8_t *src, uint8_t *dst, size_t len)
{
    unsigned before = rec.crypt_callbacks;
    assert_int_equal(crypt(src, dst, len), ERR_OK);
    assert_int_equal(rec.crypt_callbacks, before);
    drain();
    assert_int_equal(rec.crypt_callbacks, before + 1);
    assert_ptr_equal(rec.crypt_dst, dst);
    assert_int_equal(rec.crypt_len, len);
    assert_int_equal(rec.crypt_status, ERR_OK);
}

/* ---------------------------------------------------------------- AES unit */

static void test_crypt_completes_from_deferred_call_exactly_once(void **state)
{
    (void)state;
    configure_aes(HIL_AES_ECB, HIL_AES_ENCRYPT, NULL);
    assert_int_equal(crypt(plain, out, MESSAGE_LEN), ERR_OK);
    assert_int_equal(rec.crypt_callbacks, 0);
    assert_null(engine.owner); /* queued on the RAM mutex; granted from the dispatcher */
    assert_int_equal(aes.unit.waiter.state, MUTEX_WAITER_QUEUED);
    deferred_call_service();
    assert_ptr_equal(engine.owner, &aes.unit);
    drain();
    assert_int_equal(rec.crypt_callbacks, 1);
    assert_ptr_equal(rec.crypt_dst, out);
    assert_int_equal(rec.crypt_len, MESSAGE_LEN);
    assert_int_equal(rec.crypt_status, ERR_OK);
    expect_hex(out, SP800_38A_ECB_CIPHER, MESSAGE_LEN);
    drain();
    assert_int_equal(rec.crypt_callbacks, 1);
    assert_null(engine.owner);
}

static void test_multi_block_crypt_takes_one_engine_step_per_block(void **state)
{
    (void)state;
    configure_aes(HIL_AES_CBC, HIL_AES_ENCRYPT, SP800_38A_CBC_IV);
    assert_int_equal(crypt(plain, out, MESSAGE_LEN), ERR_OK);
    for (unsigned round = 1; round < 4; round++) {
        deferred_call_service();
        assert_int_equal(engine.steps, round);
        assert_int_equal(rec.crypt_callbacks, 0);
    }
    deferred_call_service();
    assert_int_equal(engine.steps, 4);
    assert_int_equal(rec.crypt_callbacks, 1);
    assert_false(deferred_call_has_pending());
    expect_hex(out, SP800_38A_CBC_CIPHER, MESSAGE_LEN);
}

static void test_every_mode_matches_sp800_38a_through_the_engine(void **state)
{
    (void)state;
    static const struct {
        enum hil_aes_mode mode;
        const char *iv;
        const char *cipher;
    } modes[] = {
        { HIL_AES_ECB, NULL, SP800_38A_ECB_CIPHER },
        { HIL_AES_CBC, SP800_38A_CBC_IV, SP800_38A_CBC_CIPHER },
        { HIL_AES_CTR, SP800_38A_CTR_COUNTER, SP800_38A_CTR_CIPHER },
    };
    for (size_t i = 0; i < sizeof modes / sizeof modes[0]; i++) {
        hex_decode(modes[i].cipher, cipher, sizeof cipher);
        configure_aes(modes[i].mode, HIL_AES_ENCRYPT, modes[i].iv); /* F.1.1, F.2.1, F.5.1 */
        crypt_and_complete(plain, out, MESSAGE_LEN);
        assert_memory_equal(out, cipher, MESSAGE_LEN);
        configure_aes(modes[i].mode, HIL_AES_DECRYPT, modes[i].iv); /* F.1.2, F.2.2, F.5.2 */
        crypt_and_complete(cipher, out, MESSAGE_LEN);
        assert_memory_equal(out, plain, MESSAGE_LEN);
    }
}

static void test_chaining_continues_across_crypts_until_set_iv(void **state)
{
    (void)state;
    configure_aes(HIL_AES_CBC, HIL_AES_ENCRYPT, SP800_38A_CBC_IV);
    crypt_and_complete(plain, out, 16);
    crypt_and_complete(&plain[16], &out[16], 48);
    expect_hex(out, SP800_38A_CBC_CIPHER, MESSAGE_LEN);
    configure_aes(HIL_AES_CBC, HIL_AES_ENCRYPT, SP800_38A_CBC_IV); /* a new message */
    crypt_and_complete(plain, out, 16);
    expect_hex(out, SP800_38A_CBC_CIPHER, 16);
}

static void test_ctr_partial_final_block_and_in_place(void **state)
{
    (void)state;
    configure_aes(HIL_AES_CTR, HIL_AES_ENCRYPT, SP800_38A_CTR_COUNTER);
    memcpy(out, plain, 53); /* out[53..] keeps setup()'s 0xa5 */
    crypt_and_complete(out, out, 53); /* in place; four steps, the last one partial */
    assert_int_equal(engine.steps, 4);
    expect_hex(out, SP800_38A_CTR_CIPHER, 53);
    assert_int_equal(out[53], 0xa5); /* untouched past len */
}

static void test_crypt_errors_give_no_callback(void **state)
{
    (void)state;
    uint8_t key[HIL_AES128_KEY_LEN] = { 0 };
    assert_int_equal(crypt(plain, out, 16), ERR_INVAL); /* no key */
    assert_int_equal(hil_aes_set_key(&aes.aes, key, 15), ERR_SIZE);
    assert_int_equal(hil_aes_set_key(&aes.aes, key, 32), ERR_SIZE);
    assert_int_equal(hil_aes_set_key(&aes.aes, NULL, 16), ERR_INVAL);
    assert_int_equal(hil_aes_set_iv(&aes.aes, key, 8), ERR_SIZE);
    assert_int_equal(hil_aes_set_mode(&aes.aes, (enum hil_aes_mode)7, HIL_AES_ENCRYPT), ERR_INVAL);
    assert_int_equal(hil_aes_set_mode(&aes.aes, HIL_AES_ECB, (enum hil_aes_direction)2),
                     ERR_INVAL);
    configure_aes(HIL_AES_ECB, HIL_AES_ENCRYPT, NULL);
    assert_int_equal(crypt(plain, out, 0), ERR_SIZE);
    assert_int_equal(crypt(plain, out, 15), ERR_SIZE);
    assert_int_equal(crypt(NULL, out, 16), ERR_INVAL);
    assert_int_equal(crypt(plain, NULL, 16), ERR_INVAL);
    assert_int_equal(crypt(out, &out[16], 32), ERR_INVAL); /* partial overlap */
    assert_int_equal(hil_aes_set_mode(&aes.aes, HIL_AES_CBC, HIL_AES_ENCRYPT), ERR_OK);
    assert_int_equal(crypt(plain, out, 16), ERR_INVAL); /* CBC without an IV */
    assert_int_equal(hil_aes_set_mode(&aes.aes, HIL_AES_CTR, HIL_AES_ENCRYPT), ERR_OK);
    assert_int_equal(crypt(plain, out, 5), ERR_INVAL); /* CTR without a counter */
    assert_int_equal(drain(), 0);
    assert_int_equal(rec.crypt_callbacks, 0);
    assert_null(engine.owner);
    assert_int_equal(out[0], 0xa5);
}

static void test_configuration_is_busy_while_crypt_outstanding(void **state)
{
    (void)state;
    uint8_t block[HIL_AES_BLOCK_LEN] = { 0 };
    configure_aes(HIL_AES_CTR, HIL_AES_ENCRYPT, SP800_38A_CTR_COUNTER);
    assert_int_equal(crypt(plain, out, MESSAGE_LEN), ERR_OK);
    assert_int_equal(crypt(plain, out, MESSAGE_LEN), ERR_BUSY);
    assert_int_equal(hil_aes_set_key(&aes.aes, block, sizeof block), ERR_BUSY);
    assert_int_equal(hil_aes_set_iv(&aes.aes, block, sizeof block), ERR_BUSY);
    assert_int_equal(hil_aes_set_mode(&aes.aes, HIL_AES_ECB, HIL_AES_DECRYPT), ERR_BUSY);
    assert_int_equal(hil_aes_clear(&aes.aes), ERR_BUSY);
    drain();
    assert_int_equal(rec.crypt_callbacks, 1);
    expect_hex(out, SP800_38A_CTR_CIPHER, MESSAGE_LEN); /* the configuration did not change */
}

static void test_clear_wipes_key_and_iv(void **state)
{
    (void)state;
    configure_aes(HIL_AES_CBC, HIL_AES_ENCRYPT, SP800_38A_CBC_IV);
    assert_int_equal(hil_aes_clear(&aes.aes), ERR_OK);
    for (size_t i = 0; i < sizeof aes.key; i++) {
        assert_int_equal(aes.key[i], 0);
        assert_int_equal(aes.iv[i], 0);
    }
    assert_int_equal(crypt(plain, out, 16), ERR_INVAL);
    assert_int_equal(drain(), 0);
}

/* ---------------------------------------------------------------- SHA unit */

static void test_add_data_and_finish_complete_later_exactly_once(void **state)
{
    (void)state;
    assert_int_equal(hil_digest_set_mode(&sha.digest, HIL_DIGEST_SHA256, NULL, 0), ERR_OK);
    add_and_complete(text("abc"), 3);
    finish_and_complete();
    expect_hex(digest, SHA256_ABC, sizeof digest);
    drain();
    assert_string_equal(rec.log, "DH");
}

static void test_sha256_vectors_through_the_engine(void **state)
{
    (void)state;
    assert_int_equal(hil_digest_set_mode(&sha.digest, HIL_DIGEST_SHA256, NULL, 0), ERR_OK);
    finish_and_complete(); /* the empty message */
    expect_hex(digest, SHA256_EMPTY, sizeof digest);
    add_and_complete(text(MESSAGE_448_BITS), strlen(MESSAGE_448_BITS));
    finish_and_complete(); /* hash_done started a new message */
    expect_hex(digest, SHA256_448_BITS, sizeof digest);
}

static void test_sha256_million_a_in_odd_chunks(void **state)
{
    (void)state;
    static const size_t chunks[] = { 1, 63, 65, 4093, 127, 1000, 7 };
    static uint8_t a[4093];
    memset(a, 'a', sizeof a);
    assert_int_equal(hil_digest_set_mode(&sha.digest, HIL_DIGEST_SHA256, NULL, 0), ERR_OK);
    size_t total = 0;
    for (size_t i = 0; total < 1000000; i = (i + 1) % (sizeof chunks / sizeof chunks[0])) {
        size_t n = chunks[i] < 1000000 - total ? chunks[i] : 1000000 - total;
        add_and_complete(a, n);
        total += n;
    }
    finish_and_complete();
    expect_hex(digest, SHA256_MILLION_A, sizeof digest);
    assert_true(engine.steps >= 1000000 / 64); /* at most one block per step */
}

static void test_add_data_compresses_one_block_per_step(void **state)
{
    (void)state;
    static uint8_t data[200];
    assert_int_equal(hil_digest_set_mode(&sha.digest, HIL_DIGEST_SHA256, NULL, 0), ERR_OK);
    assert_int_equal(add_data(data, sizeof data), ERR_OK); /* 3 whole blocks and 8 bytes */
    for (unsigned round = 1; round <= 3; round++) {
        deferred_call_service();
        assert_int_equal(rec.data_callbacks, 0);
    }
    deferred_call_service();
    assert_int_equal(rec.data_callbacks, 1);
    assert_int_equal(engine.steps, 4);
    assert_int_equal(sha.saved_fill, 8); /* the partial block is saved for the next add */
}

static void check_hmac_case(const uint8_t *key, size_t key_len, const char *data, size_t chunk,
                            const char *mac_hex, size_t mac_len)
{
    set_hmac_key(key, key_len);
    size_t len = strlen(data);
    for (size_t at = 0; at < len; at += chunk) {
        add_and_complete(text(&data[at]), chunk < len - at ? chunk : len - at);
    }
    finish_and_complete();
    expect_hex(digest, mac_hex, mac_len);
}

static void test_hmac_rfc4231_cases_through_the_engine(void **state)
{
    (void)state;
    uint8_t key[131];
    char data[51] = { 0 };
    for (size_t chunk = 1; chunk <= 64; chunk += 21) {
        memset(key, 0x0b, 20); /* case 1 */
        check_hmac_case(key, 20, "Hi There", chunk,
                        "b0344c61d8db38535ca8afceaf0bf12b881dc200c9833da726e9376c2e32cff7", 32);
        check_hmac_case(text(RFC4231_CASE2_KEY), 4, RFC4231_CASE2_DATA, chunk, RFC4231_CASE2_MAC,
                        32);
        memset(key, 0xaa, 20); /* case 3 */
        memset(data, 0xdd, 50);
        check_hmac_case(key, 20, data, chunk,
                        "773ea91e36800e46854db8ebd09181a72959098b3ef8c122d9635514ced565fe", 32);
        for (uint8_t i = 0; i < 25; i++) { /* case 4 */
            key[i] = (uint8_t)(i + 1);
        }
        memset(data, 0xcd, 50);
        check_hmac_case(key, 25, data, chunk,
                        "82558a389a443c0ea4cc819899f2083a85f0faa3e578f8077a2e3ff46729665b", 32);
        memset(key, 0x0c, 20); /* case 5, truncated to 128 bits */
        check_hmac_case(key, 20, "Test With Truncation", chunk,
                        "a3b6167473100ee06e0c796c2955552b", 16);
        memset(key, 0xaa, 131); /* case 6 */
        check_hmac_case(key, 131, "Test Using Larger Than Block-Size Key - Hash Key First", chunk,
                        "60e431591ee0b67f0d8a26aacbf5b77f8e0bc6213728c5140546040f0ee37f54", 32);
        check_hmac_case(key, 131, RFC4231_CASE7_DATA, chunk, RFC4231_CASE7_MAC, 32);
    }
}

static void test_hash_done_starts_a_new_message_with_the_same_key(void **state)
{
    (void)state;
    set_hmac_key(text(RFC4231_CASE2_KEY), 4);
    for (unsigned i = 0; i < 3; i++) {
        add_and_complete(text(RFC4231_CASE2_DATA), strlen(RFC4231_CASE2_DATA));
        finish_and_complete();
        expect_hex(digest, RFC4231_CASE2_MAC, sizeof digest);
    }
}

static void test_set_mode_drops_the_message_in_progress(void **state)
{
    (void)state;
    assert_int_equal(hil_digest_set_mode(&sha.digest, HIL_DIGEST_SHA256, NULL, 0), ERR_OK);
    add_and_complete(text("garbage that must not count"), 27);
    assert_int_equal(hil_digest_set_mode(&sha.digest, HIL_DIGEST_SHA256, NULL, 0), ERR_OK);
    add_and_complete(text("abc"), 3);
    finish_and_complete();
    expect_hex(digest, SHA256_ABC, sizeof digest);
}

static void test_digest_errors_give_no_callback(void **state)
{
    (void)state;
    assert_int_equal(add_data(text("abc"), 3), ERR_INVAL); /* no mode yet */
    assert_int_equal(finish(digest), ERR_INVAL);
    assert_int_equal(hil_digest_set_mode(&sha.digest, HIL_DIGEST_SHA256, text("k"), 1), ERR_INVAL);
    assert_int_equal(hil_digest_set_mode(&sha.digest, (enum hil_digest_mode)5, NULL, 0),
                     ERR_INVAL);
    assert_int_equal(hil_digest_set_mode(&sha.digest, HIL_DIGEST_HMAC_SHA256, NULL, 3),
                     ERR_INVAL);
    set_hmac_key(NULL, 0); /* the empty key is a key */
    assert_int_equal(add_data(text("abc"), 0), ERR_SIZE);
    assert_int_equal(add_data(NULL, 3), ERR_INVAL);
    assert_int_equal(finish(NULL), ERR_INVAL);
    assert_int_equal(drain(), 0);
    assert_int_equal(rec.data_callbacks + rec.hash_callbacks, 0);
    assert_null(engine.owner);
}

static void test_digest_busy_while_operation_outstanding(void **state)
{
    (void)state;
    set_hmac_key(text(RFC4231_CASE2_KEY), 4);
    assert_int_equal(add_data(text(RFC4231_CASE2_DATA), strlen(RFC4231_CASE2_DATA)), ERR_OK);
    assert_int_equal(add_data(text("x"), 1), ERR_BUSY);
    assert_int_equal(finish(digest), ERR_BUSY);
    assert_int_equal(hil_digest_set_mode(&sha.digest, HIL_DIGEST_SHA256, NULL, 0), ERR_BUSY);
    assert_int_equal(hil_digest_clear(&sha.digest), ERR_BUSY);
    drain();
    assert_int_equal(rec.data_callbacks, 1);
    finish_and_complete();
    expect_hex(digest, RFC4231_CASE2_MAC, sizeof digest); /* nothing above changed the MAC */
}

static void test_clear_forgets_mode_and_wipes_key(void **state)
{
    (void)state;
    set_hmac_key(text(RFC4231_CASE2_KEY), 4);
    add_and_complete(text("abc"), 3);
    assert_int_equal(hil_digest_clear(&sha.digest), ERR_OK);
    for (size_t i = 0; i < sizeof sha.key_block; i++) {
        assert_int_equal(sha.key_block[i], 0);
    }
    assert_int_equal(add_data(text("abc"), 3), ERR_INVAL);
    assert_int_equal(drain(), 0);
}

/* ---------------------------------------------------------------- the shared crypto RAM */

static void test_second_unit_queues_while_first_owns_the_ram(void **state)
{
    (void)state;
    static uint8_t data[256];
    configure_aes(HIL_AES_ECB, HIL_AES_ENCRYPT, NULL);
    assert_int_equal(hil_digest_set_mode(&sha.digest, HIL_DIGEST_SHA256, NULL, 0), ERR_OK);

    assert_int_equal(add_data(data, sizeof data), ERR_OK); /* SHA owns the RAM for 4 steps */
    deferred_call_service();
    assert_ptr_equal(engine.owner, &sha.unit);
    assert_int_equal(crypt(plain, out, MESSAGE_LEN), ERR_OK); /* queued, never BUSY */
    assert_int_equal(aes.unit.waiter.state, MUTEX_WAITER_QUEUED);
    assert_int_equal(crypt(plain, out, MESSAGE_LEN), ERR_BUSY); /* its own crypt is pending */
    assert_int_equal(hil_aes_set_mode(&aes.aes, HIL_AES_ECB, HIL_AES_ENCRYPT), ERR_BUSY);
    drain();
    assert_string_equal(rec.log, "DC"); /* the crypt ran after the SHA unit released */
    expect_hex(out, SP800_38A_ECB_CIPHER, MESSAGE_LEN);

    assert_int_equal(crypt(plain, out, MESSAGE_LEN), ERR_OK); /* and the other way round */
    assert_int_equal(add_data(data, 1), ERR_OK);
    assert_int_equal(finish(digest), ERR_BUSY); /* the unit's own add_data is outstanding */
    drain();
    assert_string_equal(rec.log, "DCCD");
    assert_null(engine.owner);
    assert_true(ram_is_wiped());
}

static void test_units_interleaved_mid_message_give_correct_results(void **state)
{
    (void)state;
    static const size_t sha_pieces[] = { 50, 33, 1, 40, 28 }; /* RFC 4231 case 7: 152 bytes */
    uint8_t key[131];
    memset(key, 0xaa, sizeof key);
    set_hmac_key(key, sizeof key);
    configure_aes(HIL_AES_CBC, HIL_AES_ENCRYPT, SP800_38A_CBC_IV);
    const char *message = RFC4231_CASE7_DATA;
    size_t at = 0;
    for (size_t i = 0; i < 5; i++) {
        add_and_complete(text(&message[at]), sha_pieces[i]);
        at += sha_pieces[i];
        assert_true(ram_is_wiped());
        if (i < 4) { /* CBC, one block per turn: the chain must survive the SHA unit's use */
            crypt_and_complete(&plain[16 * i], &out[16 * i], 16);
            assert_true(ram_is_wiped());
        }
    }
    assert_int_equal(at, strlen(message));
    finish_and_complete();
    expect_hex(digest, RFC4231_CASE7_MAC, sizeof digest);
    expect_hex(out, SP800_38A_CBC_CIPHER, MESSAGE_LEN);
    assert_string_equal(rec.log, "DCDCDCDCDH");
}

static void test_completion_callback_may_start_the_other_unit(void **state)
{
    (void)state;
    configure_aes(HIL_AES_CTR, HIL_AES_DECRYPT, SP800_38A_CTR_COUNTER);
    assert_int_equal(hil_digest_set_mode(&sha.digest, HIL_DIGEST_SHA256, NULL, 0), ERR_OK);
    hex_decode(SP800_38A_CTR_CIPHER, cipher, sizeof cipher);
    rec.add_on_crypt_done = text("abc");
    rec.add_len = 3;
    rec.add_result = ERR_FAIL;
    assert_int_equal(crypt(cipher, out, MESSAGE_LEN), ERR_OK);
    drain();
    assert_int_equal(rec.add_result, ERR_OK); /* the RAM was free inside crypt_done */
    assert_string_equal(rec.log, "CD");
    assert_memory_equal(out, plain, MESSAGE_LEN);
    finish_and_complete();
    expect_hex(digest, SHA256_ABC, sizeof digest);
}

static void test_two_sha_units_with_overlapping_messages(void **state)
{
    (void)state;
    static struct crypto_engine_sha sha2;
    static uint8_t digest2[SHA256_DIGEST_LEN];
    crypto_engine_sha_init(&sha2, &engine);
    hil_digest_set_client(&sha2.digest, &rec.digest_client);
    set_hmac_key(text(RFC4231_CASE2_KEY), 4);
    assert_int_equal(hil_digest_set_mode(&sha2.digest, HIL_DIGEST_SHA256, NULL, 0), ERR_OK);
    const char *message = RFC4231_CASE2_DATA;
    /* Both units have an operation outstanding at once, every time; the RAM alternates. */
    assert_int_equal(add_data(text(message), 10), ERR_OK);
    assert_int_equal(hil_digest_add_data(&sha2.digest, text(MESSAGE_448_BITS), 30), ERR_OK);
    drain();
    assert_int_equal(add_data(text(&message[10]), strlen(message) - 10), ERR_OK);
    assert_int_equal(hil_digest_add_data(&sha2.digest, text(&MESSAGE_448_BITS[30]),
                                         strlen(MESSAGE_448_BITS) - 30),
                     ERR_OK);
    drain();
    assert_int_equal(finish(digest), ERR_OK);
    assert_int_equal(hil_digest_finish(&sha2.digest, digest2), ERR_OK);
    drain();
    assert_string_equal(rec.log, "DDDDHH");
    expect_hex(digest, RFC4231_CASE2_MAC, sizeof digest);
    expect_hex(digest2, SHA256_448_BITS, sizeof digest2);
    assert_true(ram_is_wiped());
}

/* ---------------------------------------------------------------- the RAM mutex itself */

struct probe_unit {
    struct crypto_engine_unit unit;
    char letter; /* logged at granted() and at completed() */
    unsigned granted, steps, completed;
    unsigned steps_needed;
    unsigned reclaims; /* claim again from completed() this many times */
};

static struct probe_unit probe_a, probe_b, probe_c;

static void probe_granted(struct crypto_engine_unit *unit, struct crypto_ram *ram)
{
    struct probe_unit *p = CONTAINER_OF(unit, struct probe_unit, unit);
    assert_false(in_downcall);
    assert_ptr_equal(ram, &engine.ram);
    assert_ptr_equal(engine.owner, unit);
    p->granted++;
    p->steps = 0;
    note(p->letter);
    ram->window[0] = 0x5a; /* something for release to wipe */
}

static bool probe_step(struct crypto_engine_unit *unit, struct crypto_ram *ram)
{
    struct probe_unit *p = CONTAINER_OF(unit, struct probe_unit, unit);
    (void)ram;
    assert_true(p->granted > 0);
    return ++p->steps == p->steps_needed;
}

static void probe_completed(struct crypto_engine_unit *unit, struct crypto_ram *ram)
{
    struct probe_unit *p = CONTAINER_OF(unit, struct probe_unit, unit);
    assert_int_equal(ram->window[0], 0x5a);
    p->completed++;
    note(p->letter);
    crypto_engine_release(unit->engine, unit);
    if (p->reclaims > 0) {
        p->reclaims--;
        assert_int_equal(crypto_engine_claim(unit->engine, unit), ERR_OK);
    }
}

static const struct crypto_engine_unit_ops probe_ops = {
    .granted = probe_granted,
    .step = probe_step,
    .completed = probe_completed,
};

static void probe_init(struct probe_unit *p, char letter, unsigned steps_needed)
{
    *p = (struct probe_unit){ .letter = letter, .steps_needed = steps_needed };
    crypto_engine_unit_init(&p->unit, &engine, &probe_ops, "probe");
}

static void test_claim_grants_later_and_release_wipes_and_frees(void **state)
{
    (void)state;
    probe_init(&probe_a, 'A', 3);
    probe_init(&probe_b, 'B', 1);
    in_downcall = true;
    assert_int_equal(crypto_engine_claim(&engine, &probe_a.unit), ERR_OK);
    assert_int_equal(crypto_engine_claim(&engine, &probe_a.unit), ERR_ALREADY);
    assert_int_equal(crypto_engine_claim(&engine, &probe_b.unit), ERR_OK); /* queued */
    assert_int_equal(crypto_engine_claim(&engine, &probe_b.unit), ERR_ALREADY);
    in_downcall = false;
    assert_int_equal(probe_a.granted, 0); /* never inside the claim */
    assert_int_equal(drain(), 4); /* A: grant+step, step, step+release; B: grant+step+release */
    assert_int_equal(probe_a.granted, 1);
    assert_int_equal(probe_a.steps, 3);
    assert_int_equal(probe_a.completed, 1);
    assert_int_equal(probe_b.granted, 1);
    assert_int_equal(probe_b.completed, 1);
    assert_string_equal(rec.log, "AABB"); /* granted, completed; B only after A released */
    assert_null(engine.owner);
    assert_true(ram_is_wiped());
    assert_int_equal(crypto_engine_claim(&engine, &probe_b.unit), ERR_OK); /* free again */
    assert_int_equal(drain(), 1);
    assert_int_equal(probe_b.completed, 2);
}

static void test_claims_are_granted_in_arrival_order(void **state)
{
    (void)state;
    probe_init(&probe_a, 'A', 2);
    probe_init(&probe_b, 'B', 1);
    probe_init(&probe_c, 'C', 1);
    assert_int_equal(crypto_engine_claim(&engine, &probe_c.unit), ERR_OK);
    assert_int_equal(crypto_engine_claim(&engine, &probe_a.unit), ERR_OK);
    assert_int_equal(crypto_engine_claim(&engine, &probe_b.unit), ERR_OK);
    drain();
    assert_string_equal(rec.log, "CCAABB");
    assert_int_equal(mutexes.violations, 0);
}

static void test_reclaim_from_completion_goes_behind_waiting_units(void **state)
{
    (void)state;
    probe_init(&probe_a, 'A', 1);
    probe_init(&probe_b, 'B', 1);
    probe_a.reclaims = 2; /* A claims again from completed(), after releasing */
    assert_int_equal(crypto_engine_claim(&engine, &probe_a.unit), ERR_OK);
    assert_int_equal(crypto_engine_claim(&engine, &probe_b.unit), ERR_OK);
    drain();
    assert_string_equal(rec.log, "AABBAAAA"); /* B is served before A's second turn */
    assert_int_equal(probe_a.completed, 3);
    assert_null(engine.owner);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup(test_crypt_completes_from_deferred_call_exactly_once, setup),
        cmocka_unit_test_setup(test_multi_block_crypt_takes_one_engine_step_per_block, setup),
        cmocka_unit_test_setup(test_every_mode_matches_sp800_38a_through_the_engine, setup),
        cmocka_unit_test_setup(test_chaining_continues_across_crypts_until_set_iv, setup),
        cmocka_unit_test_setup(test_ctr_partial_final_block_and_in_place, setup),
        cmocka_unit_test_setup(test_crypt_errors_give_no_callback, setup),
        cmocka_unit_test_setup(test_configuration_is_busy_while_crypt_outstanding, setup),
        cmocka_unit_test_setup(test_clear_wipes_key_and_iv, setup),
        cmocka_unit_test_setup(test_add_data_and_finish_complete_later_exactly_once, setup),
        cmocka_unit_test_setup(test_sha256_vectors_through_the_engine, setup),
        cmocka_unit_test_setup(test_sha256_million_a_in_odd_chunks, setup),
        cmocka_unit_test_setup(test_add_data_compresses_one_block_per_step, setup),
        cmocka_unit_test_setup(test_hmac_rfc4231_cases_through_the_engine, setup),
        cmocka_unit_test_setup(test_hash_done_starts_a_new_message_with_the_same_key, setup),
        cmocka_unit_test_setup(test_set_mode_drops_the_message_in_progress, setup),
        cmocka_unit_test_setup(test_digest_errors_give_no_callback, setup),
        cmocka_unit_test_setup(test_digest_busy_while_operation_outstanding, setup),
        cmocka_unit_test_setup(test_clear_forgets_mode_and_wipes_key, setup),
        cmocka_unit_test_setup(test_second_unit_queues_while_first_owns_the_ram, setup),
        cmocka_unit_test_setup(test_units_interleaved_mid_message_give_correct_results, setup),
        cmocka_unit_test_setup(test_completion_callback_may_start_the_other_unit, setup),
        cmocka_unit_test_setup(test_two_sha_units_with_overlapping_messages, setup),
        cmocka_unit_test_setup(test_claim_grants_later_and_release_wipes_and_frees, setup),
        cmocka_unit_test_setup(test_claims_are_granted_in_arrival_order, setup),
        cmocka_unit_test_setup(test_reclaim_from_completion_goes_behind_waiting_units, setup),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
