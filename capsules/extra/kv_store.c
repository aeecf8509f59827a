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
 * The bytes on flash (bank header, records, what reads as live, dead, unreadable or the log's
 * end) are the format library's, libraries/include/kv_record.h: this file decides which pages
 * to read, program and erase, and what each operation does with the records it finds there.
 * Flash contents are untrusted and are only ever read through kv_record_parse and
 * kv_record_read_bank_header.
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
#include "kv_record.h"

#define NO_PAGE UINT32_MAX

/* ---------------------------------------------------------------- records in `page` */

/* The record at `offset` of the page held in `page`. */
static struct kv_record parse(const struct kv_store *s, uint32_t offset)
{
    return kv_record_parse(s->page, s->geometry.page_size, offset);
}

/* Whether `r`, parsed at `offset` of `page`, is a live record of the operation's key. */
static bool is_live_key(const struct kv_store *s, uint32_t offset, const struct kv_record *r)
{
    return r->kind == KV_RECORD_LIVE &&
           kv_record_has_key(s->page + offset, r, s->key, s->key_len);
}

/* ---------------------------------------------------------------- geometry */

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
                         kv_record_is_newer(s->bank_generation[1], s->bank_generation[0]))
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
    uint32_t start = kv_record_page_start(s->scan_page);
    struct kv_record_log_end end = kv_record_log_end(s->page, s->geometry.page_size, start);
    uint32_t offset = end.offset;
    bool is_clean = end.is_clean;
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
    uint32_t offset = kv_record_page_start(s->scan_page);
    struct kv_record r = parse(s, offset);
    while (kv_record_is_readable(&r)) {
        if (is_live_key(s, offset, &r)) {
            s->is_found = true;
            s->found_write_id = r.write_id;
            s->found_len = r.value_len;
            if (s->first_match_page == NO_PAGE) {
                s->first_match_page = s->scan_page;
            }
            if (s->operation == KV_STORE_GET) {
                const uint8_t *value = kv_record_value(s->page + offset, &r);
                uint32_t n = r.value_len < s->value_cap ? r.value_len : s->value_cap;
                for (uint32_t i = 0; i < n; i++) {
                    s->value[i] = value[i];
                }
            }
        }
        offset += r.size;
        r = parse(s, offset);
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
    uint32_t size = kv_record_size(s->key_len, s->value_len);
    uint32_t page = s->head_page;
    uint32_t offset = s->head_offset;
    if (page < s->config->bank_pages && size > s->geometry.page_size - offset) {
        page++;
        offset = kv_record_page_start(page);
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
    uint32_t size = kv_record_size(s->key_len, s->value_len);
    if (!kv_record_is_erased(s->page + s->new_offset, size)) {
        /* Written beyond what the mount saw (a torn write): leave the page, try the next. */
        s->head_page = s->new_page + 1;
        s->head_offset = kv_record_page_start(s->head_page);
        append_start(s);
        return;
    }
    kv_record_encode(s->page + s->new_offset, s->key, s->key_len, s->value, s->value_len,
                     s->permissions.write_id);
    write_page(s, KV_STORE_APPEND_WRITE, s->active, s->new_page);
}

static void append_done(struct kv_store *s)
{
    s->head_page = s->new_page;
    s->head_offset = s->new_offset + kv_record_size(s->key_len, s->value_len);
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
    uint32_t offset = kv_record_page_start(s->scan_page);
    struct kv_record r = parse(s, offset);
    while (kv_record_is_readable(&r)) {
        bool is_new = s->has_new_record && s->scan_page == s->new_page &&
                      offset == s->new_offset;
        if (!is_new && is_live_key(s, offset, &r)) {
            kv_record_kill(s->page + offset);
            is_changed = true;
        }
        offset += r.size;
        r = parse(s, offset);
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
    struct kv_record r = parse(s, s->scan_offset);
    while (kv_record_is_readable(&r)) {
        if (r.kind == KV_RECORD_LIVE) {
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
        r = parse(s, s->scan_offset);
    }
    s->scan_page++;
    if (s->scan_page <= last_used_page(s)) {
        read_page(s, KV_STORE_COMPACT_READ, s->active, s->scan_page);
    } else if (s->out_offset > kv_record_page_start(s->out_page)) {
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
    kv_record_fill_erased(s->out, s->geometry.page_size);
    s->out_page = 0;
    s->out_offset = kv_record_page_start(0);
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
        s->is_bank_valid[s->mount_bank] =
            kv_record_read_bank_header(buf, &s->bank_generation[s->mount_bank]);
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
        s->scan_offset = kv_record_page_start(s->scan_page);
        compact_copy(s);
        break;
    case KV_STORE_COMMIT_READ:
        kv_record_put_bank_header(buf, s->generation + 1);
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
        s->head_offset = kv_record_page_start(0);
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
        s->out_offset = kv_record_page_start(s->out_page);
        kv_record_fill_erased(s->out, s->geometry.page_size);
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
            kv_record_fill_erased(s->page, s->geometry.page_size);
            kv_record_put_bank_header(s->page, 1);
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
