/* SPDX-License-Identifier: Apache-2.0 OR MIT */
/*
 * The key-value store's on-flash format (see kv_record.h): encoding, decoding and the checks.
 *
 * Freestanding: byte loops and le_bytes.h only, over buffers the caller owns.
 *
 * Usage: see kv_record.h.
 *
 * Invariants: kv_record_parse reads nothing outside page[offset .. page_size) and returns LIVE
 * or DEAD only for a record that lies wholly inside it with lengths within the maxima, so the
 * functions that take a parsed record stay inside the page too.
 */
#include "kv_record.h"

#include "le_bytes.h"

#define FNV_PRIME 16777619u

uint32_t kv_record_fnv1a(uint32_t hash, const uint8_t *bytes, uint32_t len)
{
    for (uint32_t i = 0; i < len; i++) {
        hash = (hash ^ bytes[i]) * FNV_PRIME;
    }
    return hash;
}

uint32_t kv_record_size(uint32_t key_len, uint32_t value_len)
{
    return (KV_RECORD_HEADER_SIZE + key_len + value_len + 3u) & ~3u;
}

uint32_t kv_record_page_start(uint32_t bank_page)
{
    return bank_page == 0 ? KV_RECORD_BANK_HEADER_SIZE : 0;
}

/* The check of a record whose header bytes 1..7, key and value are in place. */
static uint32_t record_check(const uint8_t *record, uint32_t key_len, uint32_t value_len)
{
    uint32_t hash = kv_record_fnv1a(KV_RECORD_FNV_OFFSET, record + 1, 7);
    return kv_record_fnv1a(hash, record + KV_RECORD_HEADER_SIZE, key_len + value_len);
}

/* A record's state byte: live, or on its way to dead (see kv_record.h). */
static bool is_record_state(uint8_t state)
{
    return state != KV_RECORD_ERASED && (state & (uint8_t)~KV_RECORD_STATE_LIVE) == 0;
}

struct kv_record kv_record_parse(const uint8_t *page, uint32_t page_size, uint32_t offset)
{
    struct kv_record r = { .kind = KV_RECORD_END, .size = 0, .key_len = 0, .value_len = 0,
                           .write_id = 0 };
    if (offset > page_size || page_size - offset < KV_RECORD_HEADER_SIZE ||
        page[offset] == KV_RECORD_ERASED) {
        return r;
    }
    const uint8_t *p = page + offset;
    r.key_len = p[1];
    r.value_len = le_get_u16(p + 2);
    r.write_id = le_get_u32(p + 4);
    r.size = kv_record_size(r.key_len, r.value_len);
    if (!is_record_state(p[0]) || r.key_len == 0 || r.key_len > KV_RECORD_KEY_MAX ||
        r.value_len > KV_RECORD_VALUE_MAX || r.size > page_size - offset) {
        r.kind = KV_RECORD_BAD;
        return r;
    }
    bool is_intact = record_check(p, r.key_len, r.value_len) == le_get_u32(p + 8);
    r.kind = p[0] == KV_RECORD_STATE_LIVE && is_intact ? KV_RECORD_LIVE : KV_RECORD_DEAD;
    return r;
}

bool kv_record_is_readable(const struct kv_record *r)
{
    return r->kind == KV_RECORD_LIVE || r->kind == KV_RECORD_DEAD;
}

struct kv_record_log_end kv_record_log_end(const uint8_t *page, uint32_t page_size,
                                           uint32_t start)
{
    uint32_t offset = start;
    struct kv_record r = kv_record_parse(page, page_size, offset);
    while (kv_record_is_readable(&r)) {
        offset += r.size;
        r = kv_record_parse(page, page_size, offset);
    }
    return (struct kv_record_log_end){ .offset = offset, .is_clean = r.kind == KV_RECORD_END };
}

bool kv_record_has_key(const uint8_t *record, const struct kv_record *r, const uint8_t *key,
                       uint32_t key_len)
{
    if (r->key_len != key_len) {
        return false;
    }
    const uint8_t *stored = record + KV_RECORD_HEADER_SIZE;
    for (uint32_t i = 0; i < key_len; i++) {
        if (stored[i] != key[i]) {
            return false;
        }
    }
    return true;
}

const uint8_t *kv_record_value(const uint8_t *record, const struct kv_record *r)
{
    return record + KV_RECORD_HEADER_SIZE + r->key_len;
}

void kv_record_encode(uint8_t *record, const uint8_t *key, uint32_t key_len,
                      const uint8_t *value, uint32_t value_len, uint32_t write_id)
{
    uint32_t size = kv_record_size(key_len, value_len);
    record[1] = (uint8_t)key_len;
    record[2] = (uint8_t)value_len;
    record[3] = (uint8_t)(value_len >> 8);
    le_put_u32(record + 4, write_id);
    uint8_t *body = record + KV_RECORD_HEADER_SIZE;
    for (uint32_t i = 0; i < key_len; i++) {
        body[i] = key[i];
    }
    for (uint32_t i = 0; i < value_len; i++) {
        body[key_len + i] = value[i];
    }
    kv_record_fill_erased(body + key_len + value_len,
                          size - KV_RECORD_HEADER_SIZE - key_len - value_len);
    le_put_u32(record + 8, record_check(record, key_len, value_len));
    record[0] = KV_RECORD_STATE_LIVE;
}

void kv_record_kill(uint8_t *record)
{
    record[0] = KV_RECORD_STATE_DEAD;
}

bool kv_record_is_erased(const uint8_t *bytes, uint32_t len)
{
    for (uint32_t i = 0; i < len; i++) {
        if (bytes[i] != KV_RECORD_ERASED) {
            return false;
        }
    }
    return true;
}

void kv_record_fill_erased(uint8_t *bytes, uint32_t len)
{
    for (uint32_t i = 0; i < len; i++) {
        bytes[i] = KV_RECORD_ERASED;
    }
}

void kv_record_put_bank_header(uint8_t *page, uint32_t generation)
{
    le_put_u32(page, KV_RECORD_BANK_MAGIC);
    le_put_u32(page + 4, generation);
    le_put_u32(page + 8, kv_record_fnv1a(KV_RECORD_FNV_OFFSET, page, 8));
    le_put_u32(page + 12, UINT32_MAX);
}

bool kv_record_read_bank_header(const uint8_t *page, uint32_t *generation)
{
    if (le_get_u32(page) != KV_RECORD_BANK_MAGIC ||
        le_get_u32(page + 8) != kv_record_fnv1a(KV_RECORD_FNV_OFFSET, page, 8)) {
        return false;
    }
    *generation = le_get_u32(page + 4);
    return true;
}

bool kv_record_is_newer(uint32_t a, uint32_t b)
{
    return a != b && (a - b) < 0x80000000u;
}
