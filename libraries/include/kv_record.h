/* SPDX-License-Identifier: Apache-2.0 OR MIT */
/*
 * The key-value store's on-flash format: bank headers and records, encoded into and decoded
 * from caller-owned page buffers (the state machine that moves pages is capsules/kv_store.h).
 *
 * Layout, little endian. A bank is whole pages; the first 16 bytes of its page 0 are the bank
 * header: u32 magic "TKV1", u32 generation, u32 check (FNV-1a of the first 8 bytes), u32
 * 0xFFFFFFFF. Records follow, packed page by page, never crossing a page: u8 state (0x4B live,
 * 0x00 dead, 0xFF erased: the page's log ends here), u8 key_len (1..64), u16 value_len
 * (0..256), u32 write_id, u32 check (FNV-1a of bytes 1..7, the key and the value), the key, the
 * value, 0xFF padding to a multiple of 4.
 *
 * Reading a record (kv_record_parse, the one place flash bytes are validated):
 *  - no room for a 12-byte header before the page's end, or a state byte 0xFF: END;
 *  - a state byte with a bit outside 0x4B, a key length of 0 or over 64, a value length over 256,
 *    or a record running past the page's end: BAD, and the rest of the page is unreadable;
 *  - state 0x4B and a matching check: LIVE; state 0x4B with a failing check (a torn append or
 *    corruption), or any other state with no bit outside 0x4B (a dead mark, possibly cut short
 *    by a power loss: programming 0x4B towards 0x00 clears its bits in any order): DEAD.
 * An uncut append programs 0xFF towards 0x4B, so it never leaves a dead-looking state.
 *
 * Usage (capsules/extra/kv_store.c):
 *     struct kv_record r = kv_record_parse(page, page_size, offset);
 *     while (kv_record_is_readable(&r)) { ...; offset += r.size; r = kv_record_parse(...); }
 *     kv_record_encode(page + head, key, key_len, value, value_len, write_id);
 *
 * Invariants: no state, no allocation; every function reads and writes only the bytes its
 * arguments name (a parsed record's bytes lie inside the page it was parsed from).
 */
#pragma once

#include <stdbool.h>
#include <stdint.h>

#define KV_RECORD_KEY_MAX 64u
#define KV_RECORD_VALUE_MAX 256u
#define KV_RECORD_BANK_HEADER_SIZE 16u
#define KV_RECORD_HEADER_SIZE 12u
#define KV_RECORD_STATE_LIVE 0x4Bu
#define KV_RECORD_STATE_DEAD 0x00u
#define KV_RECORD_ERASED 0xFFu /* an erased flash byte */
#define KV_RECORD_BANK_MAGIC 0x31564B54u /* "TKV1" */
#define KV_RECORD_FNV_OFFSET 2166136261u
/* The largest record, padding included, and the smallest page that holds it after the bank
 * header. */
#define KV_RECORD_SIZE_MAX                                                                      \
    ((KV_RECORD_HEADER_SIZE + KV_RECORD_KEY_MAX + KV_RECORD_VALUE_MAX + 3u) & ~3u)
#define KV_RECORD_MIN_PAGE_SIZE (KV_RECORD_BANK_HEADER_SIZE + KV_RECORD_SIZE_MAX)

enum kv_record_kind {
    KV_RECORD_END,  /* erased flash, or no room for another header: the page's log ends */
    KV_RECORD_BAD,  /* unreadable: the rest of the page is skipped */
    KV_RECORD_LIVE,
    KV_RECORD_DEAD, /* marked dead (perhaps partly), or its check fails */
};

/* A record as parsed; the lengths and write_id are meaningful for LIVE and DEAD only. */
struct kv_record {
    enum kv_record_kind kind;
    uint32_t size; /* bytes it takes, padding included */
    uint32_t key_len;
    uint32_t value_len;
    uint32_t write_id;
};

/* Where a page's log ends (kv_record_log_end). */
struct kv_record_log_end {
    uint32_t offset; /* after the last LIVE or DEAD record */
    bool is_clean;   /* the log ends at END (erased flash or the page's end), not at BAD */
};

/* FNV-1a, 32 bits: continue `hash` (KV_RECORD_FNV_OFFSET to start) over len bytes. */
uint32_t kv_record_fnv1a(uint32_t hash, const uint8_t *bytes, uint32_t len);

/* Bytes a record of these lengths takes, padding included. Lengths within the maxima. */
uint32_t kv_record_size(uint32_t key_len, uint32_t value_len);

/* The first byte of a bank's page `bank_page` that may hold records. */
uint32_t kv_record_page_start(uint32_t bank_page);

/* The record at `offset` of a page of page_size bytes. Any bytes and any offset are accepted;
 * only page[offset .. page_size) is read. */
struct kv_record kv_record_parse(const uint8_t *page, uint32_t page_size, uint32_t offset);

/* True for LIVE and DEAD: `size` bytes on, the next record may start. */
bool kv_record_is_readable(const struct kv_record *r);

/* Walk the records of a page from `start` (kv_record_page_start) to where the log ends. */
struct kv_record_log_end kv_record_log_end(const uint8_t *page, uint32_t page_size,
                                           uint32_t start);

/* Whether the LIVE or DEAD record `r`, parsed at `record`, has this key. */
bool kv_record_has_key(const uint8_t *record, const struct kv_record *r, const uint8_t *key,
                       uint32_t key_len);

/* The value of the LIVE or DEAD record `r` parsed at `record` (r->value_len bytes). */
const uint8_t *kv_record_value(const uint8_t *record, const struct kv_record *r);

/* Write a live record at `record`, which has kv_record_size(key_len, value_len) bytes. The
 * caller has checked the lengths: key_len 1..KV_RECORD_KEY_MAX, value_len at most
 * KV_RECORD_VALUE_MAX (value may be NULL when it is 0). The state byte is written last. */
void kv_record_encode(uint8_t *record, const uint8_t *key, uint32_t key_len,
                      const uint8_t *value, uint32_t value_len, uint32_t write_id);

/* Mark the record at `record` dead: only its state byte changes (1 -> 0 bits only). */
void kv_record_kill(uint8_t *record);

/* Whether len bytes are all erased flash. */
bool kv_record_is_erased(const uint8_t *bytes, uint32_t len);

/* Set len bytes to erased flash (a page buffer about to be programmed over an erased page). */
void kv_record_fill_erased(uint8_t *bytes, uint32_t len);

/* Write a bank header with `generation` into the first KV_RECORD_BANK_HEADER_SIZE bytes. */
void kv_record_put_bank_header(uint8_t *page, uint32_t generation);

/* Whether the first KV_RECORD_BANK_HEADER_SIZE bytes are a valid bank header; if so, its
 * generation goes to *generation (left alone otherwise). */
bool kv_record_read_bank_header(const uint8_t *page, uint32_t *generation);

/* Whether generation a was written after b (serial-number arithmetic, so wrapping works). */
bool kv_record_is_newer(uint32_t a, uint32_t b);
