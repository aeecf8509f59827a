/* SPDX-License-Identifier: Apache-2.0 OR MIT */
/*
 * Key-value record store (see capsules/kv_store.h): mount, lookup, append, kill, compact.
 *
 * Every operation is a chain of flash operations, one outstanding at a time; each completion
 * advances `step`. An operation first mounts (once per boot, or again after a flash failure),
 * then: get scans the log for the key; set/add/update scan, append the new record (compacting
 * first if it does not fit), then mark the key's older records dead; delete scans, then marks;
 * compact copies the live records into the other bank and commits it.
 *
 * Layout (little endian). Bank header at offset 0 of a bank's page 0: u32 magic "TKV1", u32
 * generation, u32 check (FNV-1a of the first 8 bytes), u32 0xFFFFFFFF. Record: u8 state
 * (0x4B live, 0x00 dead, 0xFF erased: the log ends here; any other value with no bit outside
 * 0x4B is a dead mark cut short by a power loss and counts as dead), u8 key_len, u16
 * value_len, u32 write_id, u32 check (FNV-1a of bytes 1..7, the key and the value), key, value,
 * 0xFF padding to a multiple of 4. A byte that is none of the states, or lengths out of range,
 * make the rest of the page unreadable: it is skipped. A live record whose check fails counts
 * as dead.
 *
 * Usage: see capsules/kv_store.h.
 *
 * Invariants:
 *  - step != IDLE iff an operation is outstanding; done() is called exactly once per accepted
 *    operation, from a flash callback or the deferred call, never inside a kv_store_* call.
 *  - page == NULL (out == NULL) iff the flash holds that buffer.
 *  - While mounted: pages of the active bank after head_page are erased, and so is head_page
 *    from head_offset on; records appear in the order they were written.
 *  - The inactive bank is never trusted: compaction erases it before writing, and writes its
 *    header last.
 */
#include "capsules/kv_store.h"

#include "container.h"
#include "le_bytes.h"

#define STATE_LIVE 0x4Bu
#define STATE_DEAD 0x00u
#define STATE_ERASED 0xFFu
#define BANK_MAGIC 0x31564B54u /* "TKV1" */
#define NO_PAGE UINT32_MAX

enum record_kind {
    RECORD_END,  /* erased flash, or no room for another record: the page's log ends */
    RECORD_BAD,  /* unreadable: the rest of the page is skipped */
    RECORD_LIVE,
    RECORD_DEAD, /* marked dead, or its check fails */
};

struct record {
    enum record_kind kind;
    uint32_t size; /* bytes it takes, padding included (LIVE and DEAD) */
    uint32_t key_len;
    uint32_t value_len;
    uint32_t write_id;
};

/* ---------------------------------------------------------------- encoding */

static uint32_t fnv1a(uint32_t hash, const uint8_t *bytes, uint32_t len)
{
    for (uint32_t i = 0; i < len; i++) {
        hash = (hash ^ bytes[i]) * 16777619u;
    }
    return hash;
}

#define FNV_OFFSET 2166136261u

static uint32_t record_size(uint32_t key_len, uint32_t value_len)
{
    return (KV_STORE_RECORD_HEADER_SIZE + key_len + value_len + 3u) & ~3u;
}

static uint32_t record_check(const uint8_t *record, uint32_t key_len, uint32_t value_len)
{
    uint32_t hash = fnv1a(FNV_OFFSET, record + 1, 7);
    return fnv1a(hash, record + KV_STORE_RECORD_HEADER_SIZE, key_len + value_len);
}

static bool is_erased(const uint8_t *bytes, uint32_t len)
{
    for (uint32_t i = 0; i < len; i++) {
        if (bytes[i] != STATE_ERASED) {
            return false;
        }
    }
    return true;
}

/* A record's state byte: live, or on its way to dead. Marking a record dead programs its
 * state from LIVE to DEAD; a power cut in that program leaves some of LIVE's bits cleared,
 * which counts as dead (the lengths beside it are intact, so the log stays readable). An
 * interrupted append programs ERASED towards LIVE, which never gives such a value. */
static bool is_record_state(uint8_t state)
{
    return state != STATE_ERASED && (state & (uint8_t)~STATE_LIVE) == 0;
}

/* The record at `offset` of a page held in `page`. */
static struct record parse_record(const struct kv_store *s, const uint8_t *page, uint32_t offset)
{
    struct record r = { .kind = RECORD_END, .size = 0, .key_len = 0, .value_len = 0,
                        .write_id = 0 };
    uint32_t page_size = s->geometry.page_size;
    if (offset > page_size || page_size - offset < KV_STORE_RECORD_HEADER_SIZE ||
        page[offset] == STATE_ERASED) {
        return r;
    }
    const uint8_t *p = page + offset;
    r.key_len = p[1];
    r.value_len = le_get_u16(p + 2);
    r.write_id = le_get_u32(p + 4);
    r.size = record_size(r.key_len, r.value_len);
    if (!is_record_state(p[0]) || r.key_len == 0 ||
        r.key_len > KV_STORE_KEY_MAX || r.value_len > KV_STORE_VALUE_MAX ||
        r.size > page_size - offset) {
        r.kind = RECORD_BAD;
        return r;
    }
    bool is_intact = record_check(p, r.key_len, r.value_len) == le_get_u32(p + 8);
    r.kind = p[0] == STATE_LIVE && is_intact ? RECORD_LIVE : RECORD_DEAD;
    return r;
}

static bool is_key(const struct kv_store *s, const uint8_t *page, uint32_t offset,
                   const struct record *r)
{
    if (r->key_len != s->key_len) {
        return false;
    }
    const uint8_t *key = page + offset + KV_STORE_RECORD_HEADER_SIZE;
    for (uint32_t i = 0; i < r->key_len; i++) {
        if (key[i] != s->key[i]) {
            return false;
        }
    }
    return true;
}

static void put_record(const struct kv_store *s, uint8_t *at)
{
    uint32_t size = record_size(s->key_len, s->value_len);
    at[1] = (uint8_t)s->key_len;
    at[2] = (uint8_t)s->value_len;
    at[3] = (uint8_t)(s->value_len >> 8);
    le_put_u32(at + 4, s->permissions.write_id);
    for (uint32_t i = 0; i < s->key_len; i++) {
        at[KV_STORE_RECORD_HEADER_SIZE + i] = s->key[i];
    }
    for (uint32_t i = 0; i < s->value_len; i++) {
        at[KV_STORE_RECORD_HEADER_SIZE + s->key_len + i] = s->value[i];
    }
    for (uint32_t i = KV_STORE_RECORD_HEADER_SIZE + s->key_len + s->value_len; i < size; i++) {
        at[i] = STATE_ERASED;
    }
    le_put_u32(at + 8, record_check(at, s->key_len, s->value_len));
    at[0] = STATE_LIVE;
}

static void put_bank_header(uint8_t *page, uint32_t generation)
{
    le_put_u32(page, BANK_MAGIC);
    le_put_u32(page + 4, generation);
    le_put_u32(page + 8, fnv1a(FNV_OFFSET, page, 8));
    le_put_u32(page + 12, UINT32_MAX);
}

static bool is_bank_header(const uint8_t *page)
{
    return le_get_u32(page) == BANK_MAGIC && le_get_u32(page + 8) == fnv1a(FNV_OFFSET, page, 8);
}

/* True when generation a was written after b (serial-number arithmetic, so wrapping works). */
static bool is_newer(uint32_t a, uint32_t b)
{
    return a != b && (a - b) < 0x80000000u;
}

/* ---------------------------------------------------------------- geometry */

/* The first byte of a bank page that may hold records. */
static uint32_t page_start(uint32_t bank_page)
{
    return bank_page == 0 ? KV_STORE_BANK_HEADER_SIZE : 0;
}

static uint32_t flash_page(const struct kv_store *s, uint32_t bank, uint32_t bank_page)
{
    return s->config->first_page + bank * s->config->bank_pages + bank_page;
}

/* The last page of the active bank that may hold records. */
static uint32_t last_used_page(const struct kv_store *s)
{
    return s->head_page < s->config->bank_pages ? s->head_page : s->config->bank_pages - 1;
}

/* ---------------------------------------------------------------- ending an operation */

static void finish(struct kv_store *s, err_t status)
{
    uint8_t *key = s->key;
    uint8_t *value = s->value;
    bool has_length = s->operation == KV_STORE_GET && (status == ERR_OK || status == ERR_SIZE);
    uint32_t value_len = has_length ? s->found_len : 0;
    s->step = KV_STORE_IDLE;
    s->key = NULL;
    s->value = NULL;
    if (s->client != NULL) {
        s->client->ops->done(s->client, key, value, value_len, status);
    }
}

/* The flash refused an operation (only misuse does): reported as ERR_FAIL from the deferred
 * call, since the refusal may come from inside a kv_store_* call. */
static void fail_later(struct kv_store *s)
{
    s->step = KV_STORE_REPORT;
    s->status = ERR_FAIL;
    deferred_call_set(&s->report);
}

static void report(void *ctx)
{
    struct kv_store *s = ctx;
    if (s->step == KV_STORE_REPORT) {
        finish(s, s->status);
    }
}

/* ---------------------------------------------------------------- flash operations */

static void read_page(struct kv_store *s, enum kv_store_step step, uint32_t bank,
                      uint32_t bank_page)
{
    s->step = step;
    err_t err = hil_flash_read_page(s->flash, flash_page(s, bank, bank_page), s->page,
                                    s->geometry.page_size);
    if (err != ERR_OK) {
        fail_later(s);
        return;
    }
    s->page = NULL;
}

static void write_page(struct kv_store *s, enum kv_store_step step, uint32_t bank,
                       uint32_t bank_page)
{
    bool is_out = step == KV_STORE_COMPACT_WRITE || step == KV_STORE_COMPACT_LAST;
    s->step = step;
    err_t err = hil_flash_write_page(s->flash, flash_page(s, bank, bank_page),
                                     is_out ? s->out : s->page, s->geometry.page_size);
    if (err != ERR_OK) {
        s->is_mounted = false;
        fail_later(s);
        return;
    }
    if (is_out) {
        s->out = NULL;
    } else {
        s->page = NULL;
    }
}

static void erase_unit(struct kv_store *s, enum kv_store_step step, uint32_t bank)
{
    s->step = step;
    uint32_t page = flash_page(s, bank, s->erase_index * s->geometry.erase_pages);
    err_t err = hil_flash_erase_page(s->flash, page);
    if (err != ERR_OK) {
        s->is_mounted = false;
        fail_later(s);
    }
}

static uint32_t units_per_bank(const struct kv_store *s)
{
    return s->config->bank_pages / s->geometry.erase_pages;
}

static void fill_erased(uint8_t *buf, uint32_t len)
{
    for (uint32_t i = 0; i < len; i++) {
        buf[i] = STATE_ERASED;
    }
}

/* ---------------------------------------------------------------- phases */

static void lookup_start(struct kv_store *s);
static void compact_start(struct kv_store *s);

static void mounted(struct kv_store *s)
{
    s->is_mounted = true;
    if (s->operation == KV_STORE_COMPACT) {
        compact_start(s);
    } else {
        lookup_start(s);
    }
}

static void mount_start(struct kv_store *s)
{
    s->mount_bank = 0;
    read_page(s, KV_STORE_MOUNT_HEADER, 0, 0);
}

/* Both bank headers are read: take the newer valid bank, or format. */
static void mount_choose(struct kv_store *s)
{
    if (!s->is_bank_valid[0] && !s->is_bank_valid[1]) {
        s->erase_index = 0;
        erase_unit(s, KV_STORE_FORMAT_ERASE, 0);
        return;
    }
    s->active = !s->is_bank_valid[0] ||
                        (s->is_bank_valid[1] &&
                         is_newer(s->bank_generation[1], s->bank_generation[0]))
                    ? 1u
                    : 0u;
    s->generation = s->bank_generation[s->active];
    s->scan_page = 0;
    s->previous_end = 0;
    s->is_previous_clean = false;
    read_page(s, KV_STORE_MOUNT_SCAN, s->active, 0);
}

/* Mount: the active page scan_page is in `page`; the log ends at the first empty page. */
static void mount_scan_page(struct kv_store *s)
{
    uint32_t start = page_start(s->scan_page);
    uint32_t offset = start;
    struct record r = parse_record(s, s->page, offset);
    while (r.kind == RECORD_LIVE || r.kind == RECORD_DEAD) {
        offset += r.size;
        r = parse_record(s, s->page, offset);
    }
    bool is_clean = r.kind == RECORD_END;
    if (offset == start && is_clean) {
        if (s->scan_page > 0 && s->is_previous_clean) {
            s->head_page = s->scan_page - 1;
            s->head_offset = s->previous_end;
        } else {
            s->head_page = s->scan_page;
            s->head_offset = start;
        }
        mounted(s);
        return;
    }
    s->previous_end = offset;
    s->is_previous_clean = is_clean;
    s->scan_page++;
    if (s->scan_page == s->config->bank_pages) {
        s->head_page = is_clean ? s->scan_page - 1 : s->scan_page;
        s->head_offset = is_clean ? offset : 0;
        mounted(s);
        return;
    }
    read_page(s, KV_STORE_MOUNT_SCAN, s->active, s->scan_page);
}

static void lookup_start(struct kv_store *s)
{
    s->is_found = false;
    s->found_write_id = 0;
    s->found_len = 0;
    s->first_match_page = NO_PAGE;
    s->has_new_record = false;
    s->scan_page = 0;
    read_page(s, KV_STORE_LOOKUP, s->active, 0);
}

/* The active page scan_page is in `page`: note the key's live records (get keeps the value of
 * the last one). */
static void lookup_page(struct kv_store *s)
{
    uint32_t offset = page_start(s->scan_page);
    struct record r = parse_record(s, s->page, offset);
    while (r.kind == RECORD_LIVE || r.kind == RECORD_DEAD) {
        if (r.kind == RECORD_LIVE && is_key(s, s->page, offset, &r)) {
            s->is_found = true;
            s->found_write_id = r.write_id;
            s->found_len = r.value_len;
            if (s->first_match_page == NO_PAGE) {
                s->first_match_page = s->scan_page;
            }
            if (s->operation == KV_STORE_GET) {
                const uint8_t *value = s->page + offset + KV_STORE_RECORD_HEADER_SIZE + r.key_len;
                uint32_t n = r.value_len < s->value_cap ? r.value_len : s->value_cap;
                for (uint32_t i = 0; i < n; i++) {
                    s->value[i] = value[i];
                }
            }
        }
        offset += r.size;
        r = parse_record(s, s->page, offset);
    }
}

static void append_start(struct kv_store *s);
static void kill_start(struct kv_store *s);

/* The whole log was searched: decide what the operation does. */
static void lookup_done(struct kv_store *s)
{
    const struct storage_permissions *p = &s->permissions;
    bool is_readable = s->is_found && storage_permissions_can_read(p, s->found_write_id);
    bool is_modifiable = s->is_found && storage_permissions_can_modify(p, s->found_write_id);
    switch (s->operation) {
    case KV_STORE_GET:
        if (!is_readable) {
            finish(s, ERR_NOSUPPORT);
        } else {
            finish(s, s->found_len > s->value_cap ? ERR_SIZE : ERR_OK);
        }
        break;
    case KV_STORE_DELETE:
        if (!is_modifiable) {
            finish(s, ERR_NOSUPPORT);
        } else {
            kill_start(s);
        }
        break;
    case KV_STORE_ADD:
        if (s->is_found) {
            finish(s, ERR_NOSUPPORT);
        } else {
            append_start(s);
        }
        break;
    case KV_STORE_UPDATE:
        if (!is_modifiable) {
            finish(s, ERR_NOSUPPORT);
        } else {
            append_start(s);
        }
        break;
    case KV_STORE_SET:
        if (s->is_found && !is_modifiable) {
            finish(s, ERR_NOSUPPORT);
        } else {
            append_start(s);
        }
        break;
    case KV_STORE_COMPACT:
    default:
        finish(s, ERR_FAIL);
        break;
    }
}

/* Find room for the new record from the head on, compacting once if the bank is full. */
static void append_start(struct kv_store *s)
{
    uint32_t size = record_size(s->key_len, s->value_len);
    uint32_t page = s->head_page;
    uint32_t offset = s->head_offset;
    if (page < s->config->bank_pages && size > s->geometry.page_size - offset) {
        page++;
        offset = page_start(page);
    }
    if (page >= s->config->bank_pages) {
        if (s->did_compact) {
            finish(s, ERR_NOMEM);
        } else {
            compact_start(s);
        }
        return;
    }
    s->new_page = page;
    s->new_offset = offset;
    read_page(s, KV_STORE_APPEND_READ, s->active, page);
}

/* The page for the new record is in `page`. */
static void append_place(struct kv_store *s)
{
    uint32_t size = record_size(s->key_len, s->value_len);
    if (!is_erased(s->page + s->new_offset, size)) {
        /* Written beyond what the mount saw (a torn write): leave the page, try the next. */
        s->head_page = s->new_page + 1;
        s->head_offset = page_start(s->head_page);
        append_start(s);
        return;
    }
    put_record(s, s->page + s->new_offset);
    write_page(s, KV_STORE_APPEND_WRITE, s->active, s->new_page);
}

static void append_done(struct kv_store *s)
{
    s->head_page = s->new_page;
    s->head_offset = s->new_offset + record_size(s->key_len, s->value_len);
    s->has_new_record = true;
    if (s->is_found) {
        kill_start(s);
    } else {
        finish(s, ERR_OK);
    }
}

/* Mark dead every live record of the key before the new one (all of them for delete). */
static void kill_start(struct kv_store *s)
{
    s->scan_page = s->first_match_page == NO_PAGE ? 0 : s->first_match_page;
    read_page(s, KV_STORE_KILL_READ, s->active, s->scan_page);
}

static void kill_next(struct kv_store *s)
{
    uint32_t last = s->has_new_record ? s->new_page : last_used_page(s);
    s->scan_page++;
    if (s->scan_page > last) {
        finish(s, ERR_OK);
        return;
    }
    read_page(s, KV_STORE_KILL_READ, s->active, s->scan_page);
}

static void kill_page(struct kv_store *s)
{
    bool is_changed = false;
    uint32_t offset = page_start(s->scan_page);
    struct record r = parse_record(s, s->page, offset);
    while (r.kind == RECORD_LIVE || r.kind == RECORD_DEAD) {
        bool is_new = s->has_new_record && s->scan_page == s->new_page &&
                      offset == s->new_offset;
        if (r.kind == RECORD_LIVE && !is_new && is_key(s, s->page, offset, &r)) {
            s->page[offset] = STATE_DEAD;
            is_changed = true;
        }
        offset += r.size;
        r = parse_record(s, s->page, offset);
    }
    if (is_changed) {
        write_page(s, KV_STORE_KILL_WRITE, s->active, s->scan_page);
    } else {
        kill_next(s);
    }
}

static uint32_t other_bank(const struct kv_store *s)
{
    return 1u - s->active;
}

static void compact_start(struct kv_store *s)
{
    s->did_compact = true;
    s->erase_index = 0;
    erase_unit(s, KV_STORE_COMPACT_ERASE, other_bank(s));
}

static void compact_commit(struct kv_store *s)
{
    read_page(s, KV_STORE_COMMIT_READ, other_bank(s), 0);
}

/* Copy the live records of the source page in `page`, from scan_offset on, into `out`;
 * program `out` whenever it is full. */
static void compact_copy(struct kv_store *s)
{
    uint32_t page_size = s->geometry.page_size;
    struct record r = parse_record(s, s->page, s->scan_offset);
    while (r.kind == RECORD_LIVE || r.kind == RECORD_DEAD) {
        if (r.kind == RECORD_LIVE) {
            if (r.size > page_size - s->out_offset) {
                if (s->out_page + 1 >= s->config->bank_pages) {
                    finish(s, ERR_FAIL); /* cannot happen: live records fit where they were */
                    return;
                }
                write_page(s, KV_STORE_COMPACT_WRITE, other_bank(s), s->out_page);
                return; /* resumes at the same record once `out` is back */
            }
            const uint8_t *from = s->page + s->scan_offset;
            for (uint32_t i = 0; i < r.size; i++) {
                s->out[s->out_offset + i] = from[i];
            }
            s->out_offset += r.size;
        }
        s->scan_offset += r.size;
        r = parse_record(s, s->page, s->scan_offset);
    }
    s->scan_page++;
    if (s->scan_page <= last_used_page(s)) {
        read_page(s, KV_STORE_COMPACT_READ, s->active, s->scan_page);
    } else if (s->out_offset > page_start(s->out_page)) {
        write_page(s, KV_STORE_COMPACT_LAST, other_bank(s), s->out_page);
    } else {
        compact_commit(s);
    }
}

static void compact_erased(struct kv_store *s)
{
    s->erase_index++;
    if (s->erase_index < units_per_bank(s)) {
        erase_unit(s, KV_STORE_COMPACT_ERASE, other_bank(s));
        return;
    }
    fill_erased(s->out, s->geometry.page_size);
    s->out_page = 0;
    s->out_offset = page_start(0);
    s->scan_page = 0;
    read_page(s, KV_STORE_COMPACT_READ, s->active, 0);
}

/* The other bank has its header: it is the active bank now. */
static void compact_committed(struct kv_store *s)
{
    s->active = other_bank(s);
    s->generation++;
    s->head_page = s->out_page;
    s->head_offset = s->out_offset;
    s->compactions++;
    if (s->operation == KV_STORE_COMPACT) {
        finish(s, ERR_OK);
        return;
    }
    s->first_match_page = 0; /* the key's records moved */
    append_start(s);
}

/* ---------------------------------------------------------------- flash callbacks */

static void flash_read_done(struct hil_flash_client *client, uint8_t *buf, size_t len,
                            err_t status)
{
    struct kv_store *s = CONTAINER_OF(client, struct kv_store, flash_client);
    (void)len;
    s->page = buf;
    if (status != ERR_OK) {
        s->is_mounted = false;
        finish(s, ERR_FAIL);
        return;
    }
    switch (s->step) {
    case KV_STORE_MOUNT_HEADER:
        s->is_bank_valid[s->mount_bank] = is_bank_header(buf);
        s->bank_generation[s->mount_bank] = le_get_u32(buf + 4);
        if (s->mount_bank == 0) {
            s->mount_bank = 1;
            read_page(s, KV_STORE_MOUNT_HEADER, 1, 0);
        } else {
            mount_choose(s);
        }
        break;
    case KV_STORE_MOUNT_SCAN:
        mount_scan_page(s);
        break;
    case KV_STORE_LOOKUP:
        lookup_page(s);
        s->scan_page++;
        if (s->scan_page > last_used_page(s)) {
            lookup_done(s);
        } else {
            read_page(s, KV_STORE_LOOKUP, s->active, s->scan_page);
        }
        break;
    case KV_STORE_APPEND_READ:
        append_place(s);
        break;
    case KV_STORE_KILL_READ:
        kill_page(s);
        break;
    case KV_STORE_COMPACT_READ:
        s->scan_offset = page_start(s->scan_page);
        compact_copy(s);
        break;
    case KV_STORE_COMMIT_READ:
        put_bank_header(buf, s->generation + 1);
        write_page(s, KV_STORE_COMMIT_WRITE, other_bank(s), 0);
        break;
    default:
        break;
    }
}

static void flash_write_done(struct hil_flash_client *client, uint8_t *buf, size_t len,
                             err_t status)
{
    struct kv_store *s = CONTAINER_OF(client, struct kv_store, flash_client);
    (void)len;
    bool is_out = s->step == KV_STORE_COMPACT_WRITE || s->step == KV_STORE_COMPACT_LAST;
    if (is_out) {
        s->out = buf;
    } else {
        s->page = buf;
    }
    if (status != ERR_OK) {
        s->is_mounted = false;
        finish(s, ERR_FAIL);
        return;
    }
    switch (s->step) {
    case KV_STORE_FORMAT_HEADER:
        s->active = 0;
        s->generation = 1;
        s->head_page = 0;
        s->head_offset = page_start(0);
        mounted(s);
        break;
    case KV_STORE_APPEND_WRITE:
        append_done(s);
        break;
    case KV_STORE_KILL_WRITE:
        kill_next(s);
        break;
    case KV_STORE_COMPACT_WRITE:
        s->out_page++;
        s->out_offset = page_start(s->out_page);
        fill_erased(s->out, s->geometry.page_size);
        compact_copy(s); /* `page` still holds the source page */
        break;
    case KV_STORE_COMPACT_LAST:
        compact_commit(s);
        break;
    case KV_STORE_COMMIT_WRITE:
        compact_committed(s);
        break;
    default:
        break;
    }
}

static void flash_erase_done(struct hil_flash_client *client, err_t status)
{
    struct kv_store *s = CONTAINER_OF(client, struct kv_store, flash_client);
    if (status != ERR_OK) {
        s->is_mounted = false;
        finish(s, ERR_FAIL);
        return;
    }
    switch (s->step) {
    case KV_STORE_FORMAT_ERASE:
        s->erase_index++;
        if (s->erase_index < units_per_bank(s)) {
            erase_unit(s, KV_STORE_FORMAT_ERASE, 0);
        } else {
            fill_erased(s->page, s->geometry.page_size);
            put_bank_header(s->page, 1);
            write_page(s, KV_STORE_FORMAT_HEADER, 0, 0);
        }
        break;
    case KV_STORE_COMPACT_ERASE:
        compact_erased(s);
        break;
    default:
        break;
    }
}

/* ---------------------------------------------------------------- operations */

struct request {
    enum kv_store_operation operation;
    uint8_t *key;
    uint32_t key_len;
    uint8_t *value;
    uint32_t value_len; /* get: value_cap */
    const struct storage_permissions *permissions;
};

static err_t start(struct kv_store *s, const struct request *req)
{
    if (s->step != KV_STORE_IDLE) {
        return ERR_BUSY;
    }
    bool is_write = req->operation == KV_STORE_SET || req->operation == KV_STORE_ADD ||
                    req->operation == KV_STORE_UPDATE;
    if (req->operation != KV_STORE_COMPACT) {
        if (req->key == NULL || req->key_len == 0 || req->key_len > KV_STORE_KEY_MAX) {
            return ERR_SIZE;
        }
        if (req->value == NULL && req->value_len > 0) {
            return ERR_SIZE;
        }
        if (is_write && req->value_len > KV_STORE_VALUE_MAX) {
            return ERR_SIZE;
        }
        if (is_write && !storage_permissions_can_write(req->permissions)) {
            return ERR_INVAL;
        }
        s->permissions = *req->permissions;
    } else {
        s->permissions = (struct storage_permissions){ .is_present = false };
    }
    s->operation = req->operation;
    s->key = req->key;
    s->key_len = req->key_len;
    s->value = req->value;
    s->value_len = req->operation == KV_STORE_GET ? 0 : req->value_len;
    s->value_cap = req->operation == KV_STORE_GET ? req->value_len : 0;
    s->is_found = false;
    s->first_match_page = NO_PAGE;
    s->has_new_record = false;
    s->did_compact = false;
    if (s->is_mounted) {
        mounted(s);
    } else {
        mount_start(s);
    }
    return ERR_OK;
}

err_t kv_store_get(struct kv_store *store, uint8_t *key, uint32_t key_len, uint8_t *value,
                   uint32_t value_cap, const struct storage_permissions *permissions)
{
    struct request req = { KV_STORE_GET, key, key_len, value, value_cap, permissions };
    return start(store, &req);
}

err_t kv_store_set(struct kv_store *store, uint8_t *key, uint32_t key_len, uint8_t *value,
                   uint32_t value_len, const struct storage_permissions *permissions)
{
    struct request req = { KV_STORE_SET, key, key_len, value, value_len, permissions };
    return start(store, &req);
}

err_t kv_store_add(struct kv_store *store, uint8_t *key, uint32_t key_len, uint8_t *value,
                   uint32_t value_len, const struct storage_permissions *permissions)
{
    struct request req = { KV_STORE_ADD, key, key_len, value, value_len, permissions };
    return start(store, &req);
}

err_t kv_store_update(struct kv_store *store, uint8_t *key, uint32_t key_len, uint8_t *value,
                      uint32_t value_len, const struct storage_permissions *permissions)
{
    struct request req = { KV_STORE_UPDATE, key, key_len, value, value_len, permissions };
    return start(store, &req);
}

err_t kv_store_delete(struct kv_store *store, uint8_t *key, uint32_t key_len,
                      const struct storage_permissions *permissions)
{
    struct request req = { KV_STORE_DELETE, key, key_len, NULL, 0, permissions };
    return start(store, &req);
}

err_t kv_store_compact(struct kv_store *store)
{
    struct request req = { KV_STORE_COMPACT, NULL, 0, NULL, 0, NULL };
    return start(store, &req);
}

static const struct hil_flash_client_ops kv_store_flash_ops = {
    .read_done = flash_read_done,
    .write_done = flash_write_done,
    .erase_done = flash_erase_done,
};

err_t kv_store_init(struct kv_store *store, struct hil_flash *flash,
                    const struct kv_store_config *config, uint8_t *page_buf, uint8_t *out_buf,
                    size_t buf_len)
{
    struct hil_flash_geometry g = hil_flash_geometry(flash);
    if (page_buf == NULL || out_buf == NULL || buf_len != g.page_size ||
        g.page_size < KV_STORE_MIN_PAGE_SIZE) {
        return ERR_SIZE;
    }
    uint64_t end = (uint64_t)config->first_page + 2u * (uint64_t)config->bank_pages;
    if (config->bank_pages == 0 || g.erase_pages == 0 || config->bank_pages % g.erase_pages != 0 ||
        config->first_page % g.erase_pages != 0 || end > g.page_count) {
        return ERR_INVAL;
    }
    *store = (struct kv_store){
        .flash_client = { .ops = &kv_store_flash_ops },
        .flash = flash,
        .geometry = g,
        .config = config,
        .page = page_buf,
        .out = out_buf,
        .step = KV_STORE_IDLE,
        .first_match_page = NO_PAGE,
    };
    hil_flash_set_client(flash, &store->flash_client);
    return deferred_call_register(&store->report, report, store);
}
