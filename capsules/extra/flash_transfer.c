/* SPDX-License-Identifier: Apache-2.0 OR MIT */
/*
 * Flash transfer (see capsules/flash_transfer.h). Every flash completion advances `step`;
 * nothing here waits.
 *
 * Usage: see capsules/flash_transfer.h.
 *
 * Invariants: see capsules/flash_transfer.h.
 */
#include "capsules/flash_transfer.h"

#include "container.h"
#include "le_bytes.h"

/* Bytes compared and merged at a time, through the stack, while merging a write segment. */
#define MERGE_CHUNK 32u

/* The outcome of merging a write segment into the page buffer. */
struct merge_result {
    bool is_changed;  /* some byte differs */
    bool needs_erase; /* some bit must go from 0 to 1 */
    size_t allow_len; /* the allow's length when merging */
};

struct merge_args {
    struct flash_transfer *t;
    struct merge_result result;
};

static uint32_t min_u32(uint32_t a, uint32_t b)
{
    return a < b ? a : b;
}

static void finish(struct flash_transfer *t, err_t status, bool is_orphaned)
{
    t->step = FLASH_TRANSFER_IDLE;
    t->client->ops->done(t->client, status, t->done, is_orphaned || t->is_orphaned);
}

static uint32_t unit_first_page(const struct flash_transfer *t)
{
    return t->segment_page - t->segment_page % t->geometry.erase_pages;
}

static bool is_erase(enum flash_transfer_step step)
{
    return step == FLASH_TRANSFER_WRITE_ERASE || step == FLASH_TRANSFER_COPY_ERASE_SPARE ||
           step == FLASH_TRANSFER_COPY_ERASE_UNIT || step == FLASH_TRANSFER_JOURNAL_ERASE;
}

static bool is_read(enum flash_transfer_step step)
{
    return step == FLASH_TRANSFER_READ || step == FLASH_TRANSFER_WRITE_READ ||
           step == FLASH_TRANSFER_COPY_READ_OUT || step == FLASH_TRANSFER_COPY_READ_BACK ||
           step == FLASH_TRANSFER_RECOVER_SCAN || step == FLASH_TRANSFER_RECOVER_VERIFY ||
           step == FLASH_TRANSFER_JOURNAL_READ || step == FLASH_TRANSFER_DONE_READ;
}

static bool is_blank(const uint8_t *page, uint32_t len);

/* ---------------------------------------------------------------- journal */

#define FNV_OFFSET 2166136261u
#define DONE_WORD 12u /* offset of the done word in a slot */

static uint32_t fnv1a(uint32_t hash, const uint8_t *bytes, uint32_t len)
{
    for (uint32_t i = 0; i < len; i++) {
        hash = (hash ^ bytes[i]) * 16777619u;
    }
    return hash;
}

static uint32_t fnv1a_u32(uint32_t hash, uint32_t value)
{
    uint8_t bytes[4];
    le_put_u32(bytes, value);
    return fnv1a(hash, bytes, 4);
}

/* Page `index` of a unit image's share of the image check (shares are XORed, so pages may be
 * hashed in any order). */
static uint32_t page_share(const struct flash_transfer *t, uint32_t index, const uint8_t *page)
{
    return fnv1a(fnv1a_u32(FNV_OFFSET, index), page, t->geometry.page_size);
}

static uint32_t journal_slots(const struct flash_transfer *t)
{
    return t->geometry.erase_pages * (t->geometry.page_size / FLASH_TRANSFER_JOURNAL_SLOT);
}

static uint32_t slot_page(const struct flash_transfer *t, uint32_t slot)
{
    return t->journal_page + slot * FLASH_TRANSFER_JOURNAL_SLOT / t->geometry.page_size;
}

static uint32_t slot_offset(const struct flash_transfer *t, uint32_t slot)
{
    return slot * FLASH_TRANSFER_JOURNAL_SLOT % t->geometry.page_size;
}

/* Lend page_buf to the flash for `page` (read or program), or erase the unit at `page`. A
 * refusal ends the transfer: the virtual flash device refuses only misuse. */
static void issue(struct flash_transfer *t, enum flash_transfer_step step, uint32_t page)
{
    err_t err;
    t->step = step;
    if (is_erase(step)) {
        err = hil_flash_erase_page(t->flash, page);
    } else if (is_read(step)) {
        err = hil_flash_read_page(t->flash, page, t->page_buf, t->geometry.page_size);
    } else {
        err = hil_flash_write_page(t->flash, page, t->page_buf, t->geometry.page_size);
    }
    if (err != ERR_OK) {
        finish(t, err, false);
        return;
    }
    if (!is_erase(step)) {
        t->page_buf = NULL;
    }
}

/* The next segment, or the end of the transfer. */
static void next_segment(struct flash_transfer *t)
{
    if (t->is_orphaned) {
        finish(t, ERR_OK, true);
        return;
    }
    if (t->done == t->length) {
        finish(t, ERR_OK, false);
        return;
    }
    uint32_t page_size = t->geometry.page_size;
    uint32_t at = t->offset + t->done;
    t->segment_page = t->base_page + at / page_size;
    t->segment_offset = at % page_size;
    t->segment_len = min_u32(page_size - t->segment_offset, t->length - t->done);
    issue(t, t->is_write ? FLASH_TRANSFER_WRITE_READ : FLASH_TRANSFER_READ, t->segment_page);
}

static void segment_done(struct flash_transfer *t)
{
    t->done += t->segment_len;
    next_segment(t);
}

static bool is_blank(const uint8_t *page, uint32_t len)
{
    for (uint32_t i = 0; i < len; i++) {
        if (page[i] != 0xFF) {
            return false;
        }
    }
    return true;
}

/* Commit the rewrite: append a slot after the last non-blank one, erasing a full journal
 * first (no slot is pending now: the spare holds the image, the unit is intact). */
static void journal_append(struct flash_transfer *t)
{
    if (t->journal_next >= journal_slots(t)) {
        issue(t, FLASH_TRANSFER_JOURNAL_ERASE, t->journal_page);
        return;
    }
    t->journal_slot = t->journal_next;
    issue(t, FLASH_TRANSFER_JOURNAL_READ, slot_page(t, t->journal_slot));
}

/* The page of journal_slot is in page_buf: fill the slot, or skip it if something is there. */
static void journal_fill(struct flash_transfer *t)
{
    uint8_t *slot = t->page_buf + slot_offset(t, t->journal_slot);
    if (!is_blank(slot, FLASH_TRANSFER_JOURNAL_SLOT)) {
        t->journal_next = t->journal_slot + 1u;
        journal_append(t);
        return;
    }
    le_put_u32(slot, FLASH_TRANSFER_JOURNAL_MAGIC);
    le_put_u32(slot + 4, unit_first_page(t));
    le_put_u32(slot + 8, t->image_check);
    le_put_u32(slot + DONE_WORD, UINT32_MAX);
    issue(t, FLASH_TRANSFER_JOURNAL_PROGRAM, slot_page(t, t->journal_slot));
}

static void recovery_done(struct flash_transfer *t)
{
    t->is_recovering = false;
    t->is_recovered = true;
    next_segment(t);
}

/* The unit holds its new image again. */
static void rewrite_done(struct flash_transfer *t)
{
    t->is_journaled = false;
    if (t->is_recovering) {
        recovery_done(t);
    } else {
        segment_done(t);
    }
}

/* Rewrite: copy the unit's pages other than the merged one into the spare unit; then commit
 * (with a journal) and erase the unit. */
static void copy_out_next(struct flash_transfer *t)
{
    uint32_t merged_index = t->segment_page % t->geometry.erase_pages;
    if (t->copy_index == merged_index) {
        t->copy_index++;
    }
    if (t->copy_index == t->geometry.erase_pages) {
        if (t->has_journal && !t->is_image_blank) {
            journal_append(t);
        } else {
            issue(t, FLASH_TRANSFER_COPY_ERASE_UNIT, unit_first_page(t));
        }
        return;
    }
    issue(t, FLASH_TRANSFER_COPY_READ_OUT, unit_first_page(t) + t->copy_index);
}

/* Rewrite: copy the spare unit back into the erased unit; then mark the slot done. */
static void copy_back_next(struct flash_transfer *t)
{
    if (t->copy_index == t->geometry.erase_pages) {
        if (t->is_journaled) {
            issue(t, FLASH_TRANSFER_DONE_READ, slot_page(t, t->journal_slot));
        } else {
            rewrite_done(t);
        }
        return;
    }
    issue(t, FLASH_TRANSFER_COPY_READ_BACK, t->spare_page + t->copy_index);
}

/* ---------------------------------------------------------------- recovery */

/* Journal page scan_index is in page_buf: note its non-blank slots; after the last page,
 * finish a committed rewrite the power cut short. */
static void recover_scan(struct flash_transfer *t)
{
    uint32_t per_page = t->geometry.page_size / FLASH_TRANSFER_JOURNAL_SLOT;
    for (uint32_t i = 0; i < per_page; i++) {
        const uint8_t *slot = t->page_buf + i * FLASH_TRANSFER_JOURNAL_SLOT;
        if (is_blank(slot, FLASH_TRANSFER_JOURNAL_SLOT)) {
            continue;
        }
        t->journal_next = t->scan_index * per_page + i + 1u;
        t->is_found_pending = le_get_u32(slot) == FLASH_TRANSFER_JOURNAL_MAGIC &&
                              le_get_u32(slot + DONE_WORD) == UINT32_MAX;
        t->found_unit = le_get_u32(slot + 4);
        t->found_check = le_get_u32(slot + 8);
    }
    t->scan_index++;
    if (t->scan_index < t->geometry.erase_pages) {
        issue(t, FLASH_TRANSFER_RECOVER_SCAN, t->journal_page + t->scan_index);
        return;
    }
    if (!t->is_found_pending) {
        recovery_done(t);
        return;
    }
    t->journal_slot = t->journal_next - 1u;
    uint32_t e = t->geometry.erase_pages;
    bool is_unit = t->found_unit % e == 0 && t->found_unit < t->geometry.page_count &&
                   t->geometry.page_count - t->found_unit >= e &&
                   t->found_unit != t->spare_page && t->found_unit != t->journal_page;
    if (!is_unit) {
        issue(t, FLASH_TRANSFER_DONE_READ, slot_page(t, t->journal_slot));
        return;
    }
    t->image_check = fnv1a_u32(FNV_OFFSET, t->found_unit);
    t->copy_index = 0;
    issue(t, FLASH_TRANSFER_RECOVER_VERIFY, t->spare_page);
}

/* Spare page copy_index is in page_buf; after the last, redo the rewrite if the spare holds the
 * image the slot committed, else just close the slot. */
static void recover_verify(struct flash_transfer *t)
{
    t->image_check ^= page_share(t, t->copy_index, t->page_buf);
    t->copy_index++;
    if (t->copy_index < t->geometry.erase_pages) {
        issue(t, FLASH_TRANSFER_RECOVER_VERIFY, t->spare_page + t->copy_index);
        return;
    }
    if (t->image_check != t->found_check) {
        issue(t, FLASH_TRANSFER_DONE_READ, slot_page(t, t->journal_slot));
        return;
    }
    t->is_journaled = true;
    t->segment_page = t->found_unit; /* unit_first_page() */
    issue(t, FLASH_TRANSFER_COPY_ERASE_UNIT, t->found_unit);
}

/* ---------------------------------------------------------------- segments */

static err_t copy_to_process(void *data, struct grant_kernel_data *kd, void *ctx)
{
    struct flash_transfer *t = ctx;
    (void)data;
    if (grant_rw_len(kd, t->allow_num) == 0) {
        return ERR_RESERVE; /* the allow was withdrawn */
    }
    return grant_rw_write(kd, t->allow_num, t->done, t->page_buf + t->segment_offset,
                          t->segment_len);
}

static err_t merge_from_process(void *data, struct grant_kernel_data *kd, void *ctx)
{
    struct merge_args *args = ctx;
    struct flash_transfer *t = args->t;
    (void)data;
    args->result.allow_len = grant_ro_len(kd, t->allow_num);
    uint8_t *page = t->page_buf + t->segment_offset;
    for (uint32_t at = 0; at < t->segment_len; at += MERGE_CHUNK) {
        uint8_t chunk[MERGE_CHUNK];
        uint32_t n = min_u32(MERGE_CHUNK, t->segment_len - at);
        err_t err = grant_ro_read(kd, t->allow_num, t->done + at, chunk, n);
        if (err != ERR_OK) {
            return err; /* the allow shrank: nothing of this segment is written */
        }
        for (uint32_t i = 0; i < n; i++) {
            uint8_t old = page[at + i];
            args->result.is_changed |= old != chunk[i];
            args->result.needs_erase |= (old & chunk[i]) != chunk[i];
            page[at + i] = chunk[i];
        }
    }
    return ERR_OK;
}

static void read_segment_done(struct flash_transfer *t)
{
    err_t err = grant_enter(t->grant, t->pid, copy_to_process, t);
    if (err == ERR_INVAL) {
        finish(t, ERR_OK, true); /* the process died */
        return;
    }
    if (err != ERR_OK) {
        finish(t, err, false);
        return;
    }
    segment_done(t);
}

/* The target page is in page_buf: merge the process's bytes and choose how to store them. */
static void write_segment_read(struct flash_transfer *t)
{
    struct merge_args args = { .t = t, .result = { false, false, 0 } };
    err_t err = grant_enter(t->grant, t->pid, merge_from_process, &args);
    if (err == ERR_INVAL) {
        finish(t, ERR_OK, true); /* the process died: nothing of this segment was written */
        return;
    }
    if (err != ERR_OK) {
        finish(t, args.result.allow_len == 0 ? ERR_RESERVE : err, false);
        return;
    }
    if (!args.result.is_changed) {
        segment_done(t);
    } else if (!args.result.needs_erase) {
        issue(t, FLASH_TRANSFER_WRITE_PROGRAM, t->segment_page);
    } else if (t->geometry.erase_pages == 1 && !t->has_journal) {
        issue(t, FLASH_TRANSFER_WRITE_ERASE, t->segment_page);
    } else {
        t->is_journaled = false;
        issue(t, FLASH_TRANSFER_COPY_ERASE_SPARE, t->spare_page);
    }
}

/* ---------------------------------------------------------------- flash callbacks */

static void flash_read_done(struct hil_flash_client *client, uint8_t *buf, size_t len,
                            err_t status)
{
    struct flash_transfer *t = CONTAINER_OF(client, struct flash_transfer, flash_client);
    (void)len;
    t->page_buf = buf;
    if (status != ERR_OK) {
        finish(t, status, false);
        return;
    }
    switch (t->step) {
    case FLASH_TRANSFER_READ:
        read_segment_done(t);
        break;
    case FLASH_TRANSFER_WRITE_READ:
        if (t->is_orphaned) {
            finish(t, ERR_OK, true);
        } else {
            write_segment_read(t);
        }
        break;
    case FLASH_TRANSFER_COPY_READ_OUT:
        t->image_check ^= page_share(t, t->copy_index, buf);
        if (is_blank(buf, t->geometry.page_size)) {
            t->copy_index++; /* the spare is already blank there */
            copy_out_next(t);
        } else {
            t->is_image_blank = false;
            issue(t, FLASH_TRANSFER_COPY_WRITE_OUT, t->spare_page + t->copy_index);
        }
        break;
    case FLASH_TRANSFER_COPY_READ_BACK:
        if (is_blank(buf, t->geometry.page_size)) {
            t->copy_index++;
            copy_back_next(t);
        } else {
            issue(t, FLASH_TRANSFER_COPY_WRITE_BACK, unit_first_page(t) + t->copy_index);
        }
        break;
    case FLASH_TRANSFER_RECOVER_SCAN:
        recover_scan(t);
        break;
    case FLASH_TRANSFER_RECOVER_VERIFY:
        recover_verify(t);
        break;
    case FLASH_TRANSFER_JOURNAL_READ:
        journal_fill(t);
        break;
    case FLASH_TRANSFER_DONE_READ:
        le_put_u32(buf + slot_offset(t, t->journal_slot) + DONE_WORD, 0);
        issue(t, FLASH_TRANSFER_DONE_PROGRAM, slot_page(t, t->journal_slot));
        break;
    default:
        break;
    }
}

static void flash_write_done(struct hil_flash_client *client, uint8_t *buf, size_t len,
                             err_t status)
{
    struct flash_transfer *t = CONTAINER_OF(client, struct flash_transfer, flash_client);
    (void)len;
    t->page_buf = buf;
    if (status != ERR_OK) {
        finish(t, status, false);
        return;
    }
    switch (t->step) {
    case FLASH_TRANSFER_WRITE_PROGRAM:
        segment_done(t);
        break;
    case FLASH_TRANSFER_COPY_PROGRAM_MERGED:
        t->copy_index = 0;
        copy_out_next(t);
        break;
    case FLASH_TRANSFER_COPY_WRITE_OUT:
        t->copy_index++;
        copy_out_next(t);
        break;
    case FLASH_TRANSFER_COPY_WRITE_BACK:
        t->copy_index++;
        copy_back_next(t);
        break;
    case FLASH_TRANSFER_JOURNAL_PROGRAM:
        t->is_journaled = true;
        t->journal_next = t->journal_slot + 1u;
        issue(t, FLASH_TRANSFER_COPY_ERASE_UNIT, unit_first_page(t));
        break;
    case FLASH_TRANSFER_DONE_PROGRAM:
        rewrite_done(t);
        break;
    default:
        break;
    }
}

static void flash_erase_done(struct hil_flash_client *client, err_t status)
{
    struct flash_transfer *t = CONTAINER_OF(client, struct flash_transfer, flash_client);
    if (status != ERR_OK) {
        finish(t, status, false);
        return;
    }
    switch (t->step) {
    case FLASH_TRANSFER_WRITE_ERASE:
        issue(t, FLASH_TRANSFER_WRITE_PROGRAM, t->segment_page); /* page_buf: merged */
        break;
    case FLASH_TRANSFER_COPY_ERASE_SPARE: {
        uint32_t merged_index = t->segment_page % t->geometry.erase_pages;
        t->image_check = fnv1a_u32(FNV_OFFSET, unit_first_page(t)) ^
                         page_share(t, merged_index, t->page_buf);
        t->is_image_blank = is_blank(t->page_buf, t->geometry.page_size);
        issue(t, FLASH_TRANSFER_COPY_PROGRAM_MERGED, t->spare_page + merged_index);
        break;
    }
    case FLASH_TRANSFER_JOURNAL_ERASE:
        t->journal_next = 0;
        journal_append(t);
        break;
    case FLASH_TRANSFER_COPY_ERASE_UNIT:
        t->copy_index = 0;
        copy_back_next(t);
        break;
    default:
        break;
    }
}

static const struct hil_flash_client_ops flash_transfer_flash_ops = {
    .read_done = flash_read_done,
    .write_done = flash_write_done,
    .erase_done = flash_erase_done,
};

/* ---------------------------------------------------------------- interface */

void flash_transfer_start(struct flash_transfer *t, struct grant *grant, struct process_id pid,
                          bool is_write, uint32_t allow_num, uint32_t base_page, uint32_t offset,
                          uint32_t length)
{
    t->grant = grant;
    t->pid = pid;
    t->is_write = is_write;
    t->allow_num = allow_num;
    t->is_orphaned = false;
    t->base_page = base_page;
    t->offset = offset;
    t->length = length;
    t->done = 0;
    t->step = is_write ? FLASH_TRANSFER_WRITE_READ : FLASH_TRANSFER_READ;
    if (t->has_journal && !t->is_recovered) {
        t->is_recovering = true;
        t->is_found_pending = false;
        t->is_journaled = false;
        t->journal_next = 0;
        t->scan_index = 0;
        issue(t, FLASH_TRANSFER_RECOVER_SCAN, t->journal_page);
        return;
    }
    next_segment(t);
}

void flash_transfer_set_journal(struct flash_transfer *t, uint32_t journal_page)
{
    t->has_journal = true;
    t->journal_page = journal_page;
    t->is_recovered = false;
}

/* Unit `unit` (its first page) lies outside the units of pages [first, first + count). */
static bool is_unit_outside(uint64_t unit, uint64_t e, uint64_t first, uint64_t count)
{
    uint64_t first_unit = first - first % e;
    uint64_t end_unit = (first + count + e - 1u) / e * e;
    return unit + e <= first_unit || unit >= end_unit;
}

bool flash_transfer_journal_ok(const struct hil_flash_geometry *g, uint32_t first,
                               uint32_t count, uint32_t spare_page, uint32_t journal_page)
{
    uint64_t e = g->erase_pages;
    if (e == 0 || g->page_size % FLASH_TRANSFER_JOURNAL_SLOT != 0) {
        return false;
    }
    bool is_spare_unit = spare_page % e == 0 && (uint64_t)spare_page + e <= g->page_count;
    bool is_journal_unit = journal_page % e == 0 && (uint64_t)journal_page + e <= g->page_count;
    return is_spare_unit && is_journal_unit && spare_page != journal_page &&
           is_unit_outside(spare_page, e, first, count) &&
           is_unit_outside(journal_page, e, first, count);
}

void flash_transfer_orphan(struct flash_transfer *t, struct process_id pid)
{
    if (t->step != FLASH_TRANSFER_IDLE && process_id_equal(t->pid, pid)) {
        t->is_orphaned = true; /* the flash completion in flight ends it (after a rewrite) */
    }
}

bool flash_transfer_layout_ok(const struct hil_flash_geometry *g, uint32_t first, uint32_t count,
                              uint32_t spare_page)
{
    uint64_t region_end = (uint64_t)first + count;
    if (count == 0 || region_end > g->page_count ||
        (uint64_t)count * g->page_size > UINT32_MAX) {
        return false;
    }
    if (g->erase_pages == 1) {
        return true;
    }
    uint64_t spare_end = (uint64_t)spare_page + g->erase_pages;
    return first % g->erase_pages == 0 && count % g->erase_pages == 0 &&
           spare_page % g->erase_pages == 0 && spare_end <= g->page_count &&
           (spare_end <= first || spare_page >= region_end);
}

err_t flash_transfer_init(struct flash_transfer *t, struct hil_flash *flash, uint8_t *page_buf,
                          size_t page_buf_len, uint32_t spare_page,
                          struct flash_transfer_client *client)
{
    struct hil_flash_geometry geometry = hil_flash_geometry(flash);
    if (page_buf == NULL || page_buf_len != geometry.page_size) {
        return ERR_SIZE;
    }
    *t = (struct flash_transfer){
        .flash_client = { .ops = &flash_transfer_flash_ops },
        .flash = flash,
        .geometry = geometry,
        .client = client,
        .spare_page = spare_page,
        .page_buf = page_buf,
        .step = FLASH_TRANSFER_IDLE,
    };
    hil_flash_set_client(flash, &t->flash_client);
    return ERR_OK;
}
