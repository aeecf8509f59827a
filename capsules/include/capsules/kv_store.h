/* SPDX-License-Identifier: Apache-2.0 OR MIT */
/*
 * Key-value record store: a log of records on a dedicated flash region, with per-record
 * storage-permission tags.
 *
 * The region is two banks of whole erase units. One bank, the active one, holds the log: a
 * 16-byte bank header (magic, generation, check) at the start of its first page, then records
 * packed page by page (a record never crosses a page). A record is a 12-byte header -- state,
 * key length, value length, the writer's write_id, an FNV-1a check over the rest -- then the key
 * and the value, padded to 4 bytes. The bytes, and how they read back, are the format library's
 * (libraries/include/kv_record.h); this store is the state machine over it. Writing a key
 * appends a record; the older records of that key are then marked dead in place (their state
 * byte is programmed to 0, which NOR flash allows without an erase). A lookup takes the last
 * live record of the key, so a write interrupted between the append and the marking still reads
 * as the new value. When the log is full, or when asked to, the store compacts: it erases the
 * other bank, copies the live records into it, and only then writes that bank's header with the
 * next generation, so an interrupted compaction leaves the old bank in charge. At the first
 * operation after boot the store mounts: it takes the valid bank with the newer generation and
 * finds the end of its log, or formats bank 0 if neither bank is valid.
 *
 * Permissions (kernel/storage_permissions.h): records carry the write_id of the process that
 * wrote them. get needs read permission for the record's tag; set over an existing key, update
 * and delete need modify permission (the caller's own write_id counts only if it is listed);
 * set, add and update need a non-zero write_id of the caller, and the new record carries it;
 * delete and get need no write_id. A value may be empty (0 bytes). A missing key and a key the caller may not read (or modify)
 * give the same answer, ERR_NOSUPPORT, so a process learns nothing about others' keys beyond
 * what add's "exists" reveals (as in Tock's hil::kv).
 *
 * Usage (board, through components/storage.h):
 *     static const struct kv_store_config kv_config = { .first_page = 32, .bank_pages = 8 };
 *     static uint8_t page[512], out[512];
 *     virtual_flash_init(&kv_flash, &flash_mux);
 *     boot_check(kv_store_init(&store, &kv_flash.flash, &kv_config, page, out, 512), "kv");
 *     store.client = &driver.store_client;           // by kv_driver_init
 *
 * Invariants: see kv_store.c.
 */
#pragma once

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "errorcode.h"
#include "hil/flash.h"
#include "kernel/deferred_call.h"
#include "kernel/storage_permissions.h"
#include "kv_record.h"

/* The format's limits, as the store's callers see them. */
#define KV_STORE_KEY_MAX KV_RECORD_KEY_MAX
#define KV_STORE_VALUE_MAX KV_RECORD_VALUE_MAX
/* The smallest page that holds the bank header and the largest record. */
#define KV_STORE_MIN_PAGE_SIZE KV_RECORD_MIN_PAGE_SIZE

/* Where the two banks are, in pages of the flash's geometry. */
struct kv_store_config {
    uint32_t first_page; /* bank 0's first page; bank 1 follows it directly */
    uint32_t bank_pages; /* pages per bank: a whole number of erase units */
};

enum kv_store_operation {
    KV_STORE_GET,
    KV_STORE_SET,
    KV_STORE_ADD,
    KV_STORE_UPDATE,
    KV_STORE_DELETE,
    KV_STORE_COMPACT,
};

enum kv_store_step {
    KV_STORE_IDLE,
    KV_STORE_REPORT,         /* a refusal, reported by the deferred call */
    KV_STORE_MOUNT_HEADER,   /* reading page 0 of bank mount_bank */
    KV_STORE_MOUNT_SCAN,     /* reading active page scan_page to find the end of the log */
    KV_STORE_FORMAT_ERASE,   /* erasing bank 0's erase unit erase_index */
    KV_STORE_FORMAT_HEADER,  /* programming bank 0's header */
    KV_STORE_LOOKUP,         /* reading active page scan_page for the key */
    KV_STORE_APPEND_READ,    /* reading the page the new record goes into */
    KV_STORE_APPEND_WRITE,   /* programming it */
    KV_STORE_KILL_READ,      /* reading active page scan_page for older records of the key */
    KV_STORE_KILL_WRITE,     /* programming their dead marks */
    KV_STORE_COMPACT_ERASE,  /* erasing the other bank's erase unit erase_index */
    KV_STORE_COMPACT_READ,   /* reading active page scan_page */
    KV_STORE_COMPACT_WRITE,  /* programming a full page of the other bank from `out` */
    KV_STORE_COMPACT_LAST,   /* programming its last page */
    KV_STORE_COMMIT_READ,    /* reading page 0 of the other bank */
    KV_STORE_COMMIT_WRITE,   /* programming its header: it becomes the active bank */
};

struct kv_store_client;
struct kv_store_client_ops {
    /**
     * The operation is over; `key` and `value` are the buffers lent to it (NULL for compact).
     * get: ERR_OK (value_len bytes were copied), ERR_SIZE (the value is value_len bytes, only
     * the first value_cap were copied), ERR_NOSUPPORT (no such key, or the caller may not read
     * it). set: ERR_OK, ERR_NOSUPPORT (the key exists and the caller may not modify it),
     * ERR_NOMEM (no room even after compaction). add: as set, ERR_NOSUPPORT meaning the key
     * exists. update, delete: ERR_OK, ERR_NOSUPPORT (no such key, or the caller may not modify
     * it), ERR_NOMEM (update only). compact: ERR_OK. Any operation: ERR_FAIL (the flash failed;
     * the store mounts again before its next operation). value_len is 0 except for get's
     * ERR_OK and ERR_SIZE.
     */
    void (*done)(struct kv_store_client *client, uint8_t *key, uint8_t *value, uint32_t value_len,
                 err_t status);
};
struct kv_store_client {
    const struct kv_store_client_ops *ops;
};

struct kv_store {
    struct hil_flash_client flash_client;
    struct hil_flash *flash;
    struct hil_flash_geometry geometry;
    const struct kv_store_config *config;
    struct kv_store_client *client; /* set once by the board or the driver's _init */
    struct deferred_call report;
    uint8_t *page; /* page_size bytes; NULL while lent to the flash */
    uint8_t *out;  /* page_size bytes, compaction output; NULL while lent */
    /* The mounted log (valid while is_mounted). */
    bool is_mounted;
    uint32_t active;      /* the bank holding the log: 0 or 1 */
    uint32_t generation;  /* of the active bank */
    uint32_t head_page;   /* bank page where the next record may go; bank_pages: bank full */
    uint32_t head_offset; /* its first free byte */
    /* The operation (step != IDLE). */
    enum kv_store_step step;
    enum kv_store_operation operation;
    struct storage_permissions permissions;
    uint8_t *key; /* lent by the client */
    uint32_t key_len;
    uint8_t *value; /* lent by the client: the value to write, or where get copies it */
    uint32_t value_len;
    uint32_t value_cap;
    err_t status; /* REPORT: what the deferred call delivers */
    bool is_found;        /* lookup: a live record of the key exists */
    uint32_t found_write_id;
    uint32_t found_len;
    uint32_t first_match_page; /* first page holding a live record of the key */
    bool has_new_record;       /* the append is done: new_page/new_offset hold it */
    uint32_t new_page;
    uint32_t new_offset;
    bool did_compact; /* the operation compacted once already */
    uint32_t scan_page;
    uint32_t scan_offset;
    uint32_t erase_index;
    uint32_t out_page;
    uint32_t out_offset;
    uint32_t mount_bank;
    bool is_bank_valid[2];
    uint32_t bank_generation[2];
    uint32_t previous_end;      /* mount: where the previous page's records ended */
    bool is_previous_clean;     /* ... and whether they ended at erased flash */
    uint32_t compactions;       /* statistics */
};

/**
 * Boot only: become `flash`'s client and register the deferred call. page_buf and out_buf are
 * buf_len bytes each, buf_len being the flash's page size.
 * Returns ERR_OK; ERR_SIZE (a buffer is NULL, buf_len is not the page size, or the page is
 * smaller than KV_STORE_MIN_PAGE_SIZE); ERR_INVAL (the banks are empty, not whole erase units,
 * or outside the flash); ERR_NOMEM (no deferred-call slot).
 */
MUST_CHECK err_t kv_store_init(struct kv_store *store, struct hil_flash *flash,
                               const struct kv_store_config *config, uint8_t *page_buf,
                               uint8_t *out_buf, size_t buf_len);

/**
 * Start an operation; `permissions` are copied. Kernel loop only. key is key_len bytes
 * (1..KV_STORE_KEY_MAX); for set/add/update, value holds value_len bytes (at most
 * KV_STORE_VALUE_MAX); get copies into value, which has room for value_cap bytes (value may be
 * NULL when value_cap is 0). The store owns key and value until done() returns them.
 * Returns ERR_OK (done() follows exactly once, never inside this call), ERR_BUSY (an operation
 * is outstanding), ERR_SIZE (a length is out of range or a buffer is NULL) or ERR_INVAL (the
 * caller has no write_id, for set/add/update). No done() after an error.
 */
MUST_CHECK err_t kv_store_get(struct kv_store *store, uint8_t *key, uint32_t key_len,
                              uint8_t *value, uint32_t value_cap,
                              const struct storage_permissions *permissions);
MUST_CHECK err_t kv_store_set(struct kv_store *store, uint8_t *key, uint32_t key_len,
                              uint8_t *value, uint32_t value_len,
                              const struct storage_permissions *permissions);
MUST_CHECK err_t kv_store_add(struct kv_store *store, uint8_t *key, uint32_t key_len,
                              uint8_t *value, uint32_t value_len,
                              const struct storage_permissions *permissions);
MUST_CHECK err_t kv_store_update(struct kv_store *store, uint8_t *key, uint32_t key_len,
                                 uint8_t *value, uint32_t value_len,
                                 const struct storage_permissions *permissions);
MUST_CHECK err_t kv_store_delete(struct kv_store *store, uint8_t *key, uint32_t key_len,
                                 const struct storage_permissions *permissions);
/* Compact the log now (garbage collection). Returns ERR_OK or ERR_BUSY, as above. */
MUST_CHECK err_t kv_store_compact(struct kv_store *store);
