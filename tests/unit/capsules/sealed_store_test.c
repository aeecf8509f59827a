/* SPDX-License-Identifier: Apache-2.0 OR MIT */
/*
 * Host tests for the sealed record store (capsules/extra/sealed_store.c) over the real crypto
 * engine model (an AES unit and a SHA unit on the crypto RAM's mutex) and the RAM-backed flash
 * model (chips/ram_flash).
 *
 * What is checked: a record written is read back; the flash never holds the plaintext; a
 * rewrite bumps the counter and changes the ciphertext; the tag is HMAC-SHA256 of header and
 * ciphertext under the MAC key and the ciphertext AES-128-CTR under the encryption key
 * (recomputed with the software library); any changed bit of header, ciphertext or tag, a
 * record copied into another slot, or a truncated length fails with ERR_FAIL or ERR_INVAL and
 * never yields data; a short buffer gets ERR_SIZE after authentication; the units are cleared
 * after every operation; and the store, a kernel client, shares the crypto RAM with a
 * "process" AES unit, first come first served, both getting correct results; an authentic
 * record of another owner is neither returned nor overwritten (NOSUPPORT), a relabelled owner
 * fails authentication, and the slots stay inside the store's flash region.
 *
 * Usage: make build/host/sealed_store_test (or `make unit` for every test).
 *
 * Invariants: each test starts from setup() with an erased flash and fresh units.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include "capsules/sealed_store.h"
#include "container.h"
#include "crypto/aes128.h"
#include "crypto/hmac_sha256.h"
#include "crypto_engine/aes.h"
#include "crypto_engine/engine.h"
#include "crypto_engine/sha.h"
#include "kernel/deferred_call.h"
#include "support/mutex.h"
#include "ram_flash/ram_flash.h"

#define PAGE_LEN 256u
#define ERASE_PAGES 2u
#define SLOTS 4u
#define OWNER 0x11223344u
#define STRANGER 0x55u
/* The store's region starts one erase unit in: unit 0 belongs to someone else. */
static const struct sealed_store_region region = { .first_page = ERASE_PAGES, .slots = SLOTS };

static const struct sealed_store_keys keys = {
    .encrypt = { 0x10, 0x11, 0x12, 0x13, 0x14, 0x15, 0x16, 0x17, 0x18, 0x19, 0x1a, 0x1b, 0x1c,
                 0x1d, 0x1e, 0x1f },
    .mac = { 0xa0, 0xa1, 0xa2, 0xa3, 0xa4, 0xa5, 0xa6, 0xa7, 0xa8, 0xa9, 0xaa, 0xab, 0xac,
             0xad, 0xae, 0xaf, 0xb0, 0xb1, 0xb2, 0xb3, 0xb4, 0xb5, 0xb6, 0xb7, 0xb8, 0xb9,
             0xba, 0xbb, 0xbc, 0xbd, 0xbe, 0xbf },
};

struct recorder {
    struct sealed_store_client client;
    unsigned writes;
    unsigned reads;
    err_t status;
    size_t len;
    const uint8_t *record;
};

static struct mutex_dispatcher mutexes;
static struct crypto_engine engine;
static struct crypto_engine_aes store_aes;
static struct crypto_engine_sha store_sha;
static struct crypto_engine_aes other_aes; /* another client of the crypto RAM */
static uint8_t flash_storage[PAGE_LEN * ERASE_PAGES * (SLOTS + 1)];
static struct ram_flash flash;
static uint8_t page[PAGE_LEN];
static struct sealed_store store;
static struct recorder rec;
static uint8_t record[PAGE_LEN];
static uint8_t out[PAGE_LEN];

static void fail_on_violation(const struct mutex_violation *violation, void *ctx)
{
    (void)ctx;
    fail_msg("mutex violation %s", mutex_violation_name(violation->kind));
}

static uint32_t no_clock(void *ctx)
{
    (void)ctx;
    return 0;
}

static const struct mutex_dispatcher_config mutex_checks = {
    .on_violation = fail_on_violation, .now = no_clock, .is_debug = false
};

static void recorder_write_done(struct sealed_store_client *client, const uint8_t *buf,
                                size_t len, err_t status)
{
    struct recorder *r = CONTAINER_OF(client, struct recorder, client);
    r->writes++;
    r->record = buf;
    r->len = len;
    r->status = status;
}

static void recorder_read_done(struct sealed_store_client *client, uint8_t *buf, size_t len,
                               err_t status)
{
    struct recorder *r = CONTAINER_OF(client, struct recorder, client);
    r->reads++;
    r->record = buf;
    r->len = len;
    r->status = status;
}

static const struct sealed_store_client_ops recorder_ops = {
    .write_done = recorder_write_done,
    .read_done = recorder_read_done,
};

static int setup(void **state)
{
    (void)state;
    deferred_call_reset_for_test();
    assert_int_equal(mutex_dispatcher_init(&mutexes, &mutex_checks), ERR_OK);
    assert_int_equal(crypto_engine_init(&engine, &mutexes), ERR_OK);
    crypto_engine_aes_init(&store_aes, &engine);
    crypto_engine_sha_init(&store_sha, &engine);
    crypto_engine_aes_init(&other_aes, &engine);
    /* An erased chip the tests can read and tamper with byte by byte: the storage itself holds
     * 0xFF (ram_flash_init would only mark it blank). */
    memset(flash_storage, 0xFF, sizeof flash_storage);
    assert_int_equal(ram_flash_init_loaded(&flash, flash_storage, sizeof flash_storage, PAGE_LEN,
                                           ERASE_PAGES),
                     ERR_OK);
    assert_int_equal(sealed_store_init(&store, &store_aes.aes, &store_sha.digest, &flash.flash,
                                       &keys, &region, page, sizeof page),
                     ERR_OK);
    rec = (struct recorder){ .client = { .ops = &recorder_ops }, .status = ERR_FAIL };
    sealed_store_set_client(&store, &rec.client);
    for (size_t i = 0; i < sizeof record; i++) {
        record[i] = (uint8_t)(i * 3u + 1u);
    }
    memset(out, 0, sizeof out);
    return 0;
}

static void drain(void)
{
    for (unsigned rounds = 0; deferred_call_has_pending(); rounds++) {
        assert_true(rounds < 100000);
        deferred_call_service();
    }
}

static uint8_t *slot_bytes(uint32_t slot)
{
    return &flash_storage[(slot + 1u) * PAGE_LEN * ERASE_PAGES];
}

static err_t write_as(uint32_t owner, uint32_t slot, const uint8_t *data, size_t len)
{
    unsigned before = rec.writes;
    assert_int_equal(sealed_store_write(&store, slot, owner, data, len), ERR_OK);
    assert_int_equal(rec.writes, before); /* never inside the call */
    drain();
    assert_int_equal(rec.writes, before + 1);
    assert_ptr_equal(rec.record, data);
    return rec.status;
}

static void write_and_complete(uint32_t slot, const uint8_t *data, size_t len)
{
    unsigned before = rec.writes;
    assert_int_equal(sealed_store_write(&store, slot, OWNER, data, len), ERR_OK);
    assert_int_equal(rec.writes, before); /* never inside the call */
    drain();
    assert_int_equal(rec.writes, before + 1);
    assert_int_equal(rec.status, ERR_OK);
    assert_ptr_equal(rec.record, data);
    assert_int_equal(rec.len, len);
}

static err_t read_as(uint32_t owner, uint32_t slot, uint8_t *buf, size_t capacity)
{
    unsigned before = rec.reads;
    assert_int_equal(sealed_store_read(&store, slot, owner, buf, capacity), ERR_OK);
    assert_int_equal(rec.reads, before);
    drain();
    assert_int_equal(rec.reads, before + 1);
    assert_ptr_equal(rec.record, buf);
    return rec.status;
}

static err_t read_and_complete(uint32_t slot, uint8_t *buf, size_t capacity)
{
    return read_as(OWNER, slot, buf, capacity);
}

static bool contains(const uint8_t *haystack, size_t len, const uint8_t *needle, size_t n)
{
    for (size_t i = 0; i + n <= len; i++) {
        if (memcmp(&haystack[i], needle, n) == 0) {
            return true;
        }
    }
    return false;
}

static bool units_are_cleared(void)
{
    return !store_aes.has_key && !store_sha.has_mode;
}

/* ---------------------------------------------------------------- round trips */

static void test_written_record_reads_back(void **state)
{
    (void)state;
    assert_int_equal(sealed_store_slot_count(&store), SLOTS);
    assert_int_equal(sealed_store_record_max(&store), PAGE_LEN - SEALED_STORE_OVERHEAD);
    write_and_complete(1, record, 100);
    assert_true(units_are_cleared());
    assert_int_equal(read_and_complete(1, out, sizeof out), ERR_OK);
    assert_int_equal(rec.len, 100);
    assert_memory_equal(out, record, 100);
    assert_true(units_are_cleared());
    for (uint32_t slot = 0; slot < SLOTS; slot++) { /* the other slots are untouched */
        if (slot != 1) {
            assert_int_equal(slot_bytes(slot)[0], 0xFF);
        }
    }
}

static void test_flash_holds_no_plaintext_and_the_layout_is_as_documented(void **state)
{
    (void)state;
    size_t len = sealed_store_record_max(&store);
    write_and_complete(2, record, len);
    const uint8_t *p = slot_bytes(2);
    assert_false(contains(p, PAGE_LEN, &record[40], 16));
    uint8_t expect_header[SEALED_STORE_HEADER_LEN] = {
        'S', 'E', 'A', 'L', 2, 0, 0, 0, 1, 0, 0, 0, (uint8_t)len, 0, 0, 0,
        0, 0, 0, 2, 0, 0, 0, 1, 0x11, 0x22, 0x33, 0x44, 0, 0, 0, 0,
    };
    assert_memory_equal(p, expect_header, sizeof expect_header);
    uint8_t mac[32];
    hmac_sha256(keys.mac, sizeof keys.mac, p, SEALED_STORE_HEADER_LEN + len, mac);
    assert_memory_equal(&p[SEALED_STORE_HEADER_LEN + len], mac, sizeof mac);
    struct aes128_key schedule;
    uint8_t counter[16];
    uint8_t plain[PAGE_LEN];
    aes128_expand_key(&schedule, keys.encrypt);
    memcpy(counter, &p[16], sizeof counter);
    aes128_ctr_crypt(&schedule, counter, &p[SEALED_STORE_HEADER_LEN], plain, len);
    assert_memory_equal(plain, record, len);
}

static void test_rewrite_bumps_the_counter_and_changes_the_ciphertext(void **state)
{
    (void)state;
    uint8_t first[64];
    write_and_complete(0, record, 64);
    memcpy(first, &slot_bytes(0)[SEALED_STORE_HEADER_LEN], sizeof first);
    write_and_complete(0, record, 64); /* the same record again */
    assert_int_equal(slot_bytes(0)[8], 2);
    assert_memory_not_equal(first, &slot_bytes(0)[SEALED_STORE_HEADER_LEN], sizeof first);
    record[0] ^= 0xFF;
    write_and_complete(0, record, 30); /* shorter: the page is rewritten, not merged */
    assert_int_equal(read_and_complete(0, out, sizeof out), ERR_OK);
    assert_int_equal(rec.len, 30);
    assert_memory_equal(out, record, 30);
    assert_int_equal(store.writes, 3);
}

/* ---------------------------------------------------------------- tampering */

static void test_any_changed_bit_fails_authentication(void **state)
{
    (void)state;
    const size_t len = 48;
    write_and_complete(3, record, len);
    uint8_t *p = slot_bytes(3);
    /* every byte the tag covers or is, except the slot/magic/length fields the shape check
     * refuses first (tested below) */
    static const size_t offsets[] = { 8, 16, 20, 24, 27, 31, 32, 40, 32 + 47, 32 + 48,
                                      32 + 48 + 31 }; /* 24..27: the owner */
    for (size_t i = 0; i < sizeof offsets / sizeof offsets[0]; i++) {
        p[offsets[i]] ^= 0x04;
        memset(out, 0, sizeof out);
        assert_int_equal(read_and_complete(3, out, sizeof out), ERR_FAIL);
        assert_int_equal(rec.len, 0);
        for (size_t k = 0; k < sizeof out; k++) {
            assert_int_equal(out[k], 0); /* nothing decrypted */
        }
        p[offsets[i]] ^= 0x04;
    }
    assert_int_equal(store.auth_failures, sizeof offsets / sizeof offsets[0]);
    assert_int_equal(read_and_complete(3, out, sizeof out), ERR_OK); /* intact again */
    assert_memory_equal(out, record, len);
}

static void test_moved_truncated_or_missing_records_are_refused(void **state)
{
    (void)state;
    write_and_complete(0, record, 80);
    assert_int_equal(read_and_complete(1, out, sizeof out), ERR_INVAL); /* never written */
    memcpy(slot_bytes(1), slot_bytes(0), PAGE_LEN); /* copied into another slot */
    assert_int_equal(read_and_complete(1, out, sizeof out), ERR_INVAL);
    slot_bytes(1)[4] = 1; /* ... and relabelled: the tag covers the slot */
    assert_int_equal(read_and_complete(1, out, sizeof out), ERR_FAIL);
    slot_bytes(0)[12] = 79; /* truncated by one byte */
    assert_int_equal(read_and_complete(0, out, sizeof out), ERR_FAIL);
    slot_bytes(0)[12] = 0xF0; /* longer than a page */
    assert_int_equal(read_and_complete(0, out, sizeof out), ERR_INVAL);
    assert_true(units_are_cleared());
}

static void test_short_buffer_gets_size_after_authentication(void **state)
{
    (void)state;
    write_and_complete(2, record, 90);
    assert_int_equal(read_and_complete(2, out, 89), ERR_SIZE);
    assert_int_equal(rec.len, 90);
    assert_int_equal(out[0], 0);
    slot_bytes(2)[40] ^= 1;
    assert_int_equal(read_and_complete(2, out, 89), ERR_FAIL); /* auth first, then size */
}

/* ---------------------------------------------------------------- owners and the region */

static void test_another_owners_record_is_neither_read_nor_overwritten(void **state)
{
    (void)state;
    write_and_complete(1, record, 60);
    uint8_t before[PAGE_LEN];
    memcpy(before, slot_bytes(1), sizeof before);
    memset(out, 0, sizeof out);
    assert_int_equal(read_as(STRANGER, 1, out, sizeof out), ERR_NOSUPPORT);
    assert_int_equal(rec.len, 0);
    for (size_t k = 0; k < sizeof out; k++) {
        assert_int_equal(out[k], 0); /* nothing decrypted for the stranger */
    }
    record[0] ^= 0x5A;
    assert_int_equal(write_as(STRANGER, 1, record, 20), ERR_NOSUPPORT);
    assert_memory_equal(slot_bytes(1), before, sizeof before); /* nothing erased */
    record[0] ^= 0x5A;
    assert_int_equal(read_and_complete(1, out, sizeof out), ERR_OK); /* the owner's, intact */
    assert_memory_equal(out, record, 60);
    assert_int_equal(write_as(STRANGER, 2, record, 20), ERR_OK); /* a free slot is anyone's */
    assert_int_equal(read_as(STRANGER, 2, out, sizeof out), ERR_OK);
    assert_int_equal(read_and_complete(2, out, sizeof out), ERR_NOSUPPORT);
    assert_true(units_are_cleared());
}

static void test_relabelled_owner_fails_authentication(void **state)
{
    (void)state;
    write_and_complete(0, record, 40);
    slot_bytes(0)[27] = STRANGER & 0xFF; /* the owner word now names someone else... */
    slot_bytes(0)[24] = 0;
    slot_bytes(0)[25] = 0;
    slot_bytes(0)[26] = 0;
    assert_int_equal(read_as(STRANGER, 0, out, sizeof out), ERR_FAIL); /* ...but the tag knows */
    assert_int_equal(read_and_complete(0, out, sizeof out), ERR_FAIL);
}

static void test_slots_live_in_the_region_only(void **state)
{
    (void)state;
    for (uint32_t slot = 0; slot < SLOTS; slot++) {
        write_and_complete(slot, record, 16);
    }
    for (size_t i = 0; i < PAGE_LEN * ERASE_PAGES; i++) {
        assert_int_equal(flash_storage[i], 0xFF); /* unit 0, before the region, untouched */
    }
    assert_int_equal(sealed_store_write(&store, SLOTS, OWNER, record, 16), ERR_INVAL);
}

/* ---------------------------------------------------------------- contract and sharing */

static void test_arguments_and_busy(void **state)
{
    (void)state;
    assert_int_equal(sealed_store_write(&store, SLOTS, OWNER, record, 10), ERR_INVAL);
    assert_int_equal(sealed_store_write(&store, 0, OWNER, NULL, 10), ERR_INVAL);
    assert_int_equal(sealed_store_write(&store, 0, OWNER, record, 0), ERR_SIZE);
    assert_int_equal(sealed_store_write(&store, 0, OWNER, record,
                                        sealed_store_record_max(&store) + 1),
                     ERR_SIZE);
    assert_int_equal(sealed_store_read(&store, SLOTS, OWNER, out, sizeof out), ERR_INVAL);
    assert_int_equal(sealed_store_read(&store, 0, OWNER, NULL, sizeof out), ERR_INVAL);
    assert_false(deferred_call_has_pending());
    assert_int_equal(sealed_store_write(&store, 0, OWNER, record, 10), ERR_OK);
    assert_int_equal(sealed_store_write(&store, 1, OWNER, record, 10), ERR_BUSY);
    assert_int_equal(sealed_store_read(&store, 0, OWNER, out, sizeof out), ERR_BUSY);
    drain();
    assert_int_equal(rec.writes, 1);
    assert_int_equal(rec.reads, 0);
    uint8_t wrong_page[PAGE_LEN - 1];
    struct sealed_store other;
    assert_int_equal(sealed_store_init(&other, &other_aes.aes, &store_sha.digest, &flash.flash,
                                       &keys, &region, wrong_page, sizeof wrong_page),
                     ERR_SIZE);
    static const struct sealed_store_region bad_regions[] = {
        { .first_page = 0, .slots = 0 },                  /* no slot */
        { .first_page = 1, .slots = 1 },                  /* not on an erase unit */
        { .first_page = ERASE_PAGES, .slots = SLOTS + 1 }, /* runs past the flash */
        { .first_page = ERASE_PAGES * (SLOTS + 1), .slots = 1 },
    };
    for (size_t i = 0; i < sizeof bad_regions / sizeof bad_regions[0]; i++) {
        assert_int_equal(sealed_store_init(&other, &other_aes.aes, &store_sha.digest,
                                           &flash.flash, &keys, &bad_regions[i], page,
                                           sizeof page),
                         ERR_INVAL);
    }
}

struct other_client {
    struct hil_aes_client client;
    unsigned done;
    err_t status;
};

static void other_crypt_done(struct hil_aes_client *client, uint8_t *dst, size_t len,
                             err_t status)
{
    struct other_client *o = CONTAINER_OF(client, struct other_client, client);
    (void)dst;
    (void)len;
    o->done++;
    o->status = status;
}

static const struct hil_aes_client_ops other_ops = { .crypt_done = other_crypt_done };

static void test_store_and_another_unit_share_the_crypto_ram(void **state)
{
    (void)state;
    static struct other_client other;
    static uint8_t plain[512];
    static uint8_t cipher[512];
    static uint8_t expect[512];
    other = (struct other_client){ .client = { .ops = &other_ops } };
    hil_aes_set_client(&other_aes.aes, &other.client);
    uint8_t key[16] = { 7 };
    uint8_t iv[16] = { 9 };
    for (size_t i = 0; i < sizeof plain; i++) {
        plain[i] = (uint8_t)i;
    }
    assert_int_equal(hil_aes_set_key(&other_aes.aes, key, sizeof key), ERR_OK);
    assert_int_equal(hil_aes_set_iv(&other_aes.aes, iv, sizeof iv), ERR_OK);
    assert_int_equal(hil_aes_set_mode(&other_aes.aes, HIL_AES_CBC, HIL_AES_ENCRYPT), ERR_OK);
    /* Both want the crypto RAM while the other holds it, several times over. */
    assert_int_equal(sealed_store_write(&store, 1, OWNER, record, 150), ERR_OK);
    assert_int_equal(hil_aes_crypt(&other_aes.aes, plain, cipher, sizeof plain), ERR_OK);
    drain();
    assert_int_equal(rec.status, ERR_OK);
    assert_int_equal(other.done, 1);
    assert_int_equal(other.status, ERR_OK);
    assert_int_equal(sealed_store_read(&store, 1, OWNER, out, sizeof out), ERR_OK);
    assert_int_equal(hil_aes_set_iv(&other_aes.aes, iv, sizeof iv), ERR_OK);
    assert_int_equal(hil_aes_set_mode(&other_aes.aes, HIL_AES_CBC, HIL_AES_DECRYPT), ERR_OK);
    assert_int_equal(hil_aes_crypt(&other_aes.aes, cipher, expect, sizeof cipher), ERR_OK);
    drain();
    assert_int_equal(rec.status, ERR_OK);
    assert_memory_equal(out, record, 150);
    assert_int_equal(other.done, 2);
    assert_memory_equal(expect, plain, sizeof plain);
    assert_int_equal(engine.ram_mutex.grants, 8); /* 3 + 3 claims by the store, 2 by the other */
    assert_int_equal(mutexes.violations, 0);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup(test_written_record_reads_back, setup),
        cmocka_unit_test_setup(test_flash_holds_no_plaintext_and_the_layout_is_as_documented,
                               setup),
        cmocka_unit_test_setup(test_rewrite_bumps_the_counter_and_changes_the_ciphertext,
                               setup),
        cmocka_unit_test_setup(test_any_changed_bit_fails_authentication, setup),
        cmocka_unit_test_setup(test_moved_truncated_or_missing_records_are_refused, setup),
        cmocka_unit_test_setup(test_short_buffer_gets_size_after_authentication, setup),
        cmocka_unit_test_setup(test_another_owners_record_is_neither_read_nor_overwritten,
                               setup),
        cmocka_unit_test_setup(test_relabelled_owner_fails_authentication, setup),
        cmocka_unit_test_setup(test_slots_live_in_the_region_only, setup),
        cmocka_unit_test_setup(test_arguments_and_busy, setup),
        cmocka_unit_test_setup(test_store_and_another_unit_share_the_crypto_ram, setup),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
