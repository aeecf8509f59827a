/* SPDX-License-Identifier: Apache-2.0 OR MIT */
/*
 * Host tests for the key-value store's on-flash format (libraries/kv_record.c), linked alone:
 * no fakes, no store, only bytes in and bytes out.
 *
 * The expected bytes of a record and a bank header were computed apart from this code (FNV-1a
 * by its definition), so a change to the format fails here before it reaches stored data. Page
 * buffers are exactly their page's size, so ASan catches a read past the page's end.
 *
 * Usage: make build/host/kv_record_test build/host-san/kv_record_test (or `make unit`).
 *
 * Invariants: each test fills its own buffers.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include "kv_record.h"

#define PAGE 128u

/* "color" = "blue" by write_id 1: live, key 5, value 4, write_id, check, key, value, padding. */
static const uint8_t color_blue[24] = {
    0x4B, 0x05, 0x04, 0x00, 0x01, 0x00, 0x00, 0x00, 0x14, 0x02, 0x9A, 0x04,
    0x63, 0x6F, 0x6C, 0x6F, 0x72, 0x62, 0x6C, 0x75, 0x65, 0xFF, 0xFF, 0xFF,
};

/* The bank header of generation 7. */
static const uint8_t bank_header_7[KV_RECORD_BANK_HEADER_SIZE] = {
    0x54, 0x4B, 0x56, 0x31, 0x07, 0x00, 0x00, 0x00, 0x06, 0xF7, 0x71, 0xE5, 0xFF, 0xFF, 0xFF, 0xFF,
};

static uint8_t key_bytes[KV_RECORD_KEY_MAX];
static uint8_t value_bytes[KV_RECORD_VALUE_MAX];

/* Distinct, non-0xFF contents for keys and values of any length. */
static void fill_pattern(void)
{
    for (uint32_t i = 0; i < KV_RECORD_KEY_MAX; i++) {
        key_bytes[i] = (uint8_t)('a' + i % 26);
    }
    for (uint32_t i = 0; i < KV_RECORD_VALUE_MAX; i++) {
        value_bytes[i] = (uint8_t)(i * 7u + 1u);
    }
}

/* An erased page with a record of these lengths at `offset`; returns its size. */
static uint32_t page_with_record(uint8_t *page, uint32_t page_size, uint32_t offset,
                                 uint32_t key_len, uint32_t value_len, uint32_t write_id)
{
    fill_pattern();
    kv_record_fill_erased(page, page_size);
    kv_record_encode(page + offset, key_bytes, key_len, value_bytes, value_len, write_id);
    return kv_record_size(key_len, value_len);
}

static void expect_kind(const uint8_t *page, uint32_t page_size, uint32_t offset,
                        enum kv_record_kind kind)
{
    struct kv_record r = kv_record_parse(page, page_size, offset);
    assert_int_equal(r.kind, kind);
}

/* ---------------------------------------------------------------- checksum */

static void test_fnv1a_matches_the_reference_values(void **state)
{
    (void)state;
    const uint8_t *foobar = (const uint8_t *)"foobar";
    assert_int_equal(kv_record_fnv1a(KV_RECORD_FNV_OFFSET, foobar, 0), 0x811C9DC5u);
    assert_int_equal(kv_record_fnv1a(KV_RECORD_FNV_OFFSET, (const uint8_t *)"a", 1), 0xE40C292Cu);
    assert_int_equal(kv_record_fnv1a(KV_RECORD_FNV_OFFSET, foobar, 6), 0xBF9CF968u);
    /* Continuing a hash is hashing the concatenation. */
    uint32_t foo = kv_record_fnv1a(KV_RECORD_FNV_OFFSET, foobar, 3);
    assert_int_equal(kv_record_fnv1a(foo, foobar + 3, 3), 0xBF9CF968u);
}

/* ---------------------------------------------------------------- encode and parse */

static void test_encode_writes_the_documented_bytes(void **state)
{
    (void)state;
    uint8_t buf[sizeof color_blue + 4];
    memset(buf, 0xA5, sizeof buf);
    kv_record_encode(buf, (const uint8_t *)"color", 5, (const uint8_t *)"blue", 4, 1);
    assert_memory_equal(buf, color_blue, sizeof color_blue);
    for (size_t i = sizeof color_blue; i < sizeof buf; i++) {
        assert_int_equal(buf[i], 0xA5); /* nothing past the record's size */
    }
}

static void test_documented_bytes_parse_as_live(void **state)
{
    (void)state;
    struct kv_record r = kv_record_parse(color_blue, sizeof color_blue, 0);
    assert_int_equal(r.kind, KV_RECORD_LIVE);
    assert_int_equal(r.size, 24);
    assert_int_equal(r.key_len, 5);
    assert_int_equal(r.value_len, 4);
    assert_int_equal(r.write_id, 1);
    assert_true(kv_record_has_key(color_blue, &r, (const uint8_t *)"color", 5));
    assert_memory_equal(kv_record_value(color_blue, &r), "blue", 4);
}

static void test_sizes_are_padded_to_words(void **state)
{
    (void)state;
    assert_int_equal(kv_record_size(1, 0), 16);
    assert_int_equal(kv_record_size(1, 3), 16);
    assert_int_equal(kv_record_size(1, 4), 20);
    assert_int_equal(kv_record_size(4, 0), 16);
    assert_int_equal(kv_record_size(KV_RECORD_KEY_MAX, KV_RECORD_VALUE_MAX), 332);
    assert_int_equal(KV_RECORD_SIZE_MAX, 332);
    assert_int_equal(KV_RECORD_MIN_PAGE_SIZE, 348);
}

static void test_round_trip_at_the_length_limits(void **state)
{
    (void)state;
    static const uint32_t lengths[][2] = {
        { 1, 0 }, { 1, 1 }, { 1, 3 }, { 2, 2 }, { 3, 0 }, { 5, 4 },
        { KV_RECORD_KEY_MAX, 0 }, { 1, KV_RECORD_VALUE_MAX }, { 63, 255 },
        { KV_RECORD_KEY_MAX, KV_RECORD_VALUE_MAX },
    };
    static uint8_t page[KV_RECORD_MIN_PAGE_SIZE];
    for (size_t i = 0; i < sizeof lengths / sizeof lengths[0]; i++) {
        uint32_t key_len = lengths[i][0];
        uint32_t value_len = lengths[i][1];
        uint32_t offset = KV_RECORD_BANK_HEADER_SIZE;
        uint32_t size = page_with_record(page, sizeof page, offset, key_len, value_len,
                                         0x89ABCDEFu);
        struct kv_record r = kv_record_parse(page, sizeof page, offset);
        assert_int_equal(r.kind, KV_RECORD_LIVE);
        assert_int_equal(r.size, size);
        assert_int_equal(r.size % 4, 0);
        assert_int_equal(r.key_len, key_len);
        assert_int_equal(r.value_len, value_len);
        assert_int_equal(r.write_id, 0x89ABCDEFu);
        assert_true(kv_record_has_key(page + offset, &r, key_bytes, key_len));
        assert_memory_equal(kv_record_value(page + offset, &r), value_bytes, value_len);
        uint32_t used = KV_RECORD_HEADER_SIZE + key_len + value_len;
        assert_true(kv_record_is_erased(page + offset + used, size - used)); /* padding */
        assert_true(kv_record_is_erased(page, offset));                       /* before */
        assert_true(kv_record_is_erased(page + offset + size, sizeof page - offset - size));
        expect_kind(page, sizeof page, offset + size, KV_RECORD_END);
    }
}

static void test_empty_value_may_have_no_buffer(void **state)
{
    (void)state;
    uint8_t buf[16];
    kv_record_encode(buf, (const uint8_t *)"k", 1, NULL, 0, 2);
    struct kv_record r = kv_record_parse(buf, sizeof buf, 0);
    assert_int_equal(r.kind, KV_RECORD_LIVE);
    assert_int_equal(r.value_len, 0);
    assert_int_equal(r.size, 16);
}

static void test_has_key_needs_the_same_length_and_bytes(void **state)
{
    (void)state;
    struct kv_record r = kv_record_parse(color_blue, sizeof color_blue, 0);
    assert_true(kv_record_has_key(color_blue, &r, (const uint8_t *)"color", 5));
    assert_false(kv_record_has_key(color_blue, &r, (const uint8_t *)"colo", 4));
    assert_false(kv_record_has_key(color_blue, &r, (const uint8_t *)"colors", 6));
    assert_false(kv_record_has_key(color_blue, &r, (const uint8_t *)"colot", 5));
    assert_false(kv_record_has_key(color_blue, &r, (const uint8_t *)"dolor", 5));
}

/* ---------------------------------------------------------------- where a page's log ends */

static void test_erased_state_byte_ends_the_log(void **state)
{
    (void)state;
    static uint8_t page[PAGE];
    kv_record_fill_erased(page, sizeof page);
    expect_kind(page, sizeof page, 0, KV_RECORD_END);
    /* Only the state byte decides: the rest of a half-written header does not matter. */
    memcpy(page, color_blue, sizeof color_blue);
    page[0] = KV_RECORD_ERASED;
    struct kv_record r = kv_record_parse(page, sizeof page, 0);
    assert_int_equal(r.kind, KV_RECORD_END);
    assert_int_equal(r.size, 0);
}

static void test_no_room_for_a_header_ends_the_log(void **state)
{
    (void)state;
    static uint8_t page[PAGE];
    memset(page, 0x00, sizeof page); /* dead-looking bytes everywhere */
    expect_kind(page, sizeof page, PAGE - KV_RECORD_HEADER_SIZE + 1, KV_RECORD_END);
    expect_kind(page, sizeof page, PAGE - 1, KV_RECORD_END);
    expect_kind(page, sizeof page, PAGE, KV_RECORD_END);
    expect_kind(page, sizeof page, PAGE + 1, KV_RECORD_END);
    expect_kind(page, sizeof page, UINT32_MAX, KV_RECORD_END);
    /* A header that just fits is read (key length 0 makes it unreadable). */
    expect_kind(page, sizeof page, PAGE - KV_RECORD_HEADER_SIZE, KV_RECORD_BAD);
}

static void test_record_ending_at_the_page_end_is_read(void **state)
{
    (void)state;
    static uint8_t page[PAGE];
    uint32_t size = kv_record_size(5, 4);
    uint32_t offset = PAGE - size;
    page_with_record(page, sizeof page, offset, 5, 4, 9);
    expect_kind(page, sizeof page, offset, KV_RECORD_LIVE);
    struct kv_record_log_end end = kv_record_log_end(page, sizeof page, offset);
    assert_int_equal(end.offset, PAGE);
    assert_true(end.is_clean);
}

static void test_record_running_past_the_page_end_is_bad(void **state)
{
    (void)state;
    static uint8_t big[KV_RECORD_MIN_PAGE_SIZE];
    static uint8_t page[PAGE];
    /* A valid record, cut off by the page's end: the lengths say more than is there. */
    uint32_t size = page_with_record(big, sizeof big, 0, 8, 200, 1);
    assert_true(size > PAGE);
    memcpy(page, big, PAGE);
    struct kv_record r = kv_record_parse(page, sizeof page, 0);
    assert_int_equal(r.kind, KV_RECORD_BAD);
    /* One word short of the end: the smallest record no longer fits. */
    page_with_record(page, sizeof page, 0, 1, 0, 1);
    memcpy(page + PAGE - 12, page, 12);
    expect_kind(page, sizeof page, PAGE - 12, KV_RECORD_BAD);
}

static void test_every_state_byte_reads_as_documented(void **state)
{
    (void)state;
    static uint8_t page[PAGE];
    uint32_t size = page_with_record(page, sizeof page, 0, 5, 4, 3);
    for (unsigned s = 0; s <= 0xFF; s++) {
        page[0] = (uint8_t)s;
        struct kv_record r = kv_record_parse(page, sizeof page, 0);
        if (s == KV_RECORD_ERASED) {
            assert_int_equal(r.kind, KV_RECORD_END);
        } else if (s == KV_RECORD_STATE_LIVE) {
            assert_int_equal(r.kind, KV_RECORD_LIVE);
        } else if ((s & ~KV_RECORD_STATE_LIVE) == 0) {
            /* A dead mark, complete or cut short: still sized, so the log goes on. */
            assert_int_equal(r.kind, KV_RECORD_DEAD);
            assert_int_equal(r.size, size);
            assert_true(kv_record_is_readable(&r));
        } else {
            assert_int_equal(r.kind, KV_RECORD_BAD);
            assert_false(kv_record_is_readable(&r));
        }
    }
}

static void test_failed_check_reads_as_dead(void **state)
{
    (void)state;
    static uint8_t page[PAGE];
    uint32_t size = page_with_record(page, sizeof page, 0, 5, 4, 3);
    uint32_t covered_end = KV_RECORD_HEADER_SIZE + 5 + 4;
    /* write_id, check, key and value bytes: a torn or corrupted record. */
    for (uint32_t at = 4; at < covered_end; at++) {
        for (unsigned bit = 0; bit < 8; bit++) {
            page[at] ^= (uint8_t)(1u << bit);
            struct kv_record r = kv_record_parse(page, sizeof page, 0);
            assert_int_equal(r.kind, KV_RECORD_DEAD);
            assert_int_equal(r.size, size);
            page[at] ^= (uint8_t)(1u << bit);
        }
    }
    /* Padding is not covered by the check. */
    page[size - 1] = 0x00;
    expect_kind(page, sizeof page, 0, KV_RECORD_LIVE);
}

static void test_lengths_out_of_range_are_bad(void **state)
{
    (void)state;
    static uint8_t page[KV_RECORD_MIN_PAGE_SIZE + 64];
    page_with_record(page, sizeof page, 0, 5, 4, 3);
    page[1] = 0; /* no key */
    expect_kind(page, sizeof page, 0, KV_RECORD_BAD);
    page[1] = KV_RECORD_KEY_MAX + 1;
    expect_kind(page, sizeof page, 0, KV_RECORD_BAD);
    page[1] = 0xFF;
    expect_kind(page, sizeof page, 0, KV_RECORD_BAD);
    page[1] = 5;
    page[2] = (uint8_t)(KV_RECORD_VALUE_MAX + 1);
    page[3] = (uint8_t)((KV_RECORD_VALUE_MAX + 1) >> 8);
    expect_kind(page, sizeof page, 0, KV_RECORD_BAD);
    page[2] = 0xFF;
    page[3] = 0xFF; /* 65535: far past the page */
    expect_kind(page, sizeof page, 0, KV_RECORD_BAD);
    /* At the limits, with a matching check, the same page reads it. */
    page_with_record(page, sizeof page, 0, KV_RECORD_KEY_MAX, KV_RECORD_VALUE_MAX, 3);
    expect_kind(page, sizeof page, 0, KV_RECORD_LIVE);
    /* Lengths past the limits are bad even when the check matches them. */
    uint8_t key_65[KV_RECORD_KEY_MAX + 1];
    memset(key_65, 'k', sizeof key_65);
    kv_record_fill_erased(page, sizeof page);
    kv_record_encode(page, key_65, sizeof key_65, NULL, 0, 3);
    expect_kind(page, sizeof page, 0, KV_RECORD_BAD);
    static uint8_t value_257[KV_RECORD_VALUE_MAX + 1];
    kv_record_fill_erased(page, sizeof page);
    kv_record_encode(page, (const uint8_t *)"k", 1, value_257, sizeof value_257, 3);
    expect_kind(page, sizeof page, 0, KV_RECORD_BAD);
}

static void test_kill_changes_only_the_state_byte(void **state)
{
    (void)state;
    static uint8_t page[PAGE];
    static uint8_t before[PAGE];
    uint32_t first = page_with_record(page, sizeof page, 0, 5, 4, 3);
    kv_record_encode(page + first, (const uint8_t *)"other", 5, (const uint8_t *)"v", 1, 4);
    memcpy(before, page, sizeof page);
    kv_record_kill(page);
    assert_int_equal(page[0], KV_RECORD_STATE_DEAD);
    assert_memory_equal(page + 1, before + 1, sizeof page - 1);
    struct kv_record r = kv_record_parse(page, sizeof page, 0);
    assert_int_equal(r.kind, KV_RECORD_DEAD);
    assert_int_equal(r.size, first);
    assert_int_equal(r.key_len, 5);
    assert_int_equal(r.write_id, 3);
    r = kv_record_parse(page, sizeof page, first);
    assert_int_equal(r.kind, KV_RECORD_LIVE);
    assert_true(kv_record_has_key(page + first, &r, (const uint8_t *)"other", 5));
    /* Every bit of the dead mark is one the live state had: NOR programs it in place. */
    assert_int_equal(before[0] & page[0], page[0]);
}

static void test_log_end_walks_live_and_dead_records(void **state)
{
    (void)state;
    static uint8_t page[PAGE];
    uint32_t start = kv_record_page_start(0);
    uint32_t a = page_with_record(page, sizeof page, start, 1, 0, 1);
    kv_record_encode(page + start + a, (const uint8_t *)"bb", 2, (const uint8_t *)"22", 2, 1);
    uint32_t b = kv_record_size(2, 2);
    kv_record_kill(page + start);
    struct kv_record_log_end end = kv_record_log_end(page, sizeof page, start);
    assert_int_equal(end.offset, start + a + b);
    assert_true(end.is_clean);
    /* Garbage where the next header would be: the log ends there, not cleanly. */
    page[start + a + b] = 0x11;
    end = kv_record_log_end(page, sizeof page, start);
    assert_int_equal(end.offset, start + a + b);
    assert_false(end.is_clean);
    /* An erased page ends at once. */
    kv_record_fill_erased(page, sizeof page);
    end = kv_record_log_end(page, sizeof page, 0);
    assert_int_equal(end.offset, 0);
    assert_true(end.is_clean);
}

static void test_only_page_zero_starts_after_the_bank_header(void **state)
{
    (void)state;
    assert_int_equal(kv_record_page_start(0), KV_RECORD_BANK_HEADER_SIZE);
    assert_int_equal(kv_record_page_start(1), 0);
    assert_int_equal(kv_record_page_start(63), 0);
}

static void test_erased_bytes(void **state)
{
    (void)state;
    uint8_t buf[9];
    memset(buf, 0, sizeof buf);
    kv_record_fill_erased(buf, 8);
    assert_int_equal(buf[8], 0); /* only len bytes */
    assert_true(kv_record_is_erased(buf, 8));
    assert_false(kv_record_is_erased(buf, 9));
    assert_true(kv_record_is_erased(buf + 8, 0));
    buf[3] = 0xFE;
    assert_false(kv_record_is_erased(buf, 8));
}

/* ---------------------------------------------------------------- bank headers */

static void test_bank_header_bytes_and_round_trip(void **state)
{
    (void)state;
    uint8_t page[KV_RECORD_BANK_HEADER_SIZE + 4];
    memset(page, 0xA5, sizeof page);
    kv_record_put_bank_header(page, 7);
    assert_memory_equal(page, bank_header_7, sizeof bank_header_7);
    assert_int_equal(page[KV_RECORD_BANK_HEADER_SIZE], 0xA5);
    uint32_t generation = 0;
    assert_true(kv_record_read_bank_header(page, &generation));
    assert_int_equal(generation, 7);
    kv_record_put_bank_header(page, UINT32_MAX);
    assert_true(kv_record_read_bank_header(page, &generation));
    assert_int_equal(generation, UINT32_MAX);
}

static void test_damaged_bank_header_is_invalid(void **state)
{
    (void)state;
    uint8_t page[KV_RECORD_BANK_HEADER_SIZE];
    /* Magic, generation and check are all covered. */
    for (uint32_t at = 0; at < 12; at++) {
        memcpy(page, bank_header_7, sizeof page);
        page[at] ^= 0x10;
        uint32_t generation = 12345;
        assert_false(kv_record_read_bank_header(page, &generation));
        assert_int_equal(generation, 12345); /* left alone */
    }
    uint32_t generation = 0;
    kv_record_fill_erased(page, sizeof page);
    assert_false(kv_record_read_bank_header(page, &generation));
    memset(page, 0, sizeof page);
    assert_false(kv_record_read_bank_header(page, &generation));
    /* The last word is padding, outside the check. */
    memcpy(page, bank_header_7, sizeof page);
    page[15] = 0;
    assert_true(kv_record_read_bank_header(page, &generation));
    assert_int_equal(generation, 7);
}

static void test_newer_generation_wraps(void **state)
{
    (void)state;
    assert_true(kv_record_is_newer(2, 1));
    assert_false(kv_record_is_newer(1, 2));
    assert_false(kv_record_is_newer(5, 5));
    assert_true(kv_record_is_newer(0, UINT32_MAX));
    assert_false(kv_record_is_newer(UINT32_MAX, 0));
    assert_true(kv_record_is_newer(0x7FFFFFFFu, 0));
    assert_false(kv_record_is_newer(0x80000000u, 0)); /* half the circle away: older */
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_fnv1a_matches_the_reference_values),
        cmocka_unit_test(test_encode_writes_the_documented_bytes),
        cmocka_unit_test(test_documented_bytes_parse_as_live),
        cmocka_unit_test(test_sizes_are_padded_to_words),
        cmocka_unit_test(test_round_trip_at_the_length_limits),
        cmocka_unit_test(test_empty_value_may_have_no_buffer),
        cmocka_unit_test(test_has_key_needs_the_same_length_and_bytes),
        cmocka_unit_test(test_erased_state_byte_ends_the_log),
        cmocka_unit_test(test_no_room_for_a_header_ends_the_log),
        cmocka_unit_test(test_record_ending_at_the_page_end_is_read),
        cmocka_unit_test(test_record_running_past_the_page_end_is_bad),
        cmocka_unit_test(test_every_state_byte_reads_as_documented),
        cmocka_unit_test(test_failed_check_reads_as_dead),
        cmocka_unit_test(test_lengths_out_of_range_are_bad),
        cmocka_unit_test(test_kill_changes_only_the_state_byte),
        cmocka_unit_test(test_log_end_walks_live_and_dead_records),
        cmocka_unit_test(test_only_page_zero_starts_after_the_bank_header),
        cmocka_unit_test(test_erased_bytes),
        cmocka_unit_test(test_bank_header_bytes_and_round_trip),
        cmocka_unit_test(test_damaged_bank_header_is_invalid),
        cmocka_unit_test(test_newer_generation_wraps),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
