/* SPDX-License-Identifier: Apache-2.0 OR MIT */
/*
 * Sealed record store (see capsules/sealed_store.h): a chain of split-phase steps on three
 * units -- flash, AES, digest -- one outstanding at a time.
 *
 * Write: read the slot's page (for its owner and counter) -> build the header -> AES-CTR the
 * record into the page -> HMAC header || ciphertext -> append the tag -> erase the slot ->
 * program the page.
 * Read: read the page -> check the header's shape -> HMAC header || ciphertext and compare with
 * the stored tag -> check the (now authenticated) owner -> AES-CTR the ciphertext into the
 * caller's buffer.
 * Every step's completion starts the next; any failure ends the operation with that status.
 * When an operation ends, both crypto units are cleared, so no key stays in a unit between
 * operations.
 *
 * Usage: see capsules/sealed_store.h.
 *
 * Invariants: step != IDLE exactly while an operation is outstanding; then exactly one unit
 * operation of this store is outstanding, except between a completion and the start of the
 * next step (inside the callback). page == NULL exactly while the flash or the digest unit
 * holds page_buf, or the AES unit writes into it.
 */
#include "capsules/sealed_store.h"

#include "container.h"
#include "le_bytes.h"

static void put_be32(uint8_t *p, uint32_t v)
{
    for (unsigned i = 0; i < 4; i++) {
        p[i] = (uint8_t)(v >> (24 - 8 * i));
    }
}

enum {
    HEADER_MAGIC = 0,
    HEADER_SLOT = 4,
    HEADER_COUNTER = 8,
    HEADER_LEN = 12,
    HEADER_IV = 16,
    HEADER_OWNER = 24, /* inside the counter block: slot || counter || owner || 0 */
};

uint32_t sealed_store_slot_count(const struct sealed_store *store)
{
    return store->slots;
}

size_t sealed_store_record_max(const struct sealed_store *store)
{
    return store->page_len - SEALED_STORE_OVERHEAD;
}

static uint32_t slot_page(const struct sealed_store *store, uint32_t slot)
{
    return store->first_page + slot * store->geometry.erase_pages;
}

/* ---------------------------------------------------------------- ending an operation */

static void end(struct sealed_store *store, err_t status)
{
    store->step = SEALED_STORE_IDLE;
    store->page = store->page_buf;
    err_t ignored = hil_aes_clear(store->aes); /* ERR_OK: the store's units are idle now */
    (void)ignored;
    ignored = hil_digest_clear(store->mac);
    (void)ignored;
    for (size_t i = 0; i < sizeof store->tag; i++) {
        store->tag[i] = 0;
    }
    if (store->client == NULL) {
        return;
    }
    if (store->dest == NULL) { /* a write */
        if (status == ERR_OK) {
            store->writes++;
        }
        store->client->ops->write_done(store->client, store->source, store->len, status);
    } else {
        size_t len = status == ERR_OK || status == ERR_SIZE ? store->len : 0;
        store->client->ops->read_done(store->client, store->dest, len, status);
    }
}

/* Start a unit operation for `step`; on a refusal, end the operation with its status. */
static void next(struct sealed_store *store, enum sealed_store_step step, err_t started)
{
    if (started != ERR_OK) {
        end(store, started);
        return;
    }
    store->step = step;
}

/* ---------------------------------------------------------------- the steps */

static void start_mac(struct sealed_store *store, enum sealed_store_step step)
{
    err_t err = hil_digest_set_mode(store->mac, HIL_DIGEST_HMAC_SHA256, store->keys->mac,
                                    sizeof store->keys->mac);
    if (err == ERR_OK) {
        err = hil_digest_add_data(store->mac, store->page_buf,
                                  SEALED_STORE_HEADER_LEN + store->len);
    }
    next(store, step, err);
}

static void start_crypt(struct sealed_store *store, const uint8_t *src, uint8_t *dst,
                        enum sealed_store_step step)
{
    err_t err = hil_aes_set_key(store->aes, store->keys->encrypt, sizeof store->keys->encrypt);
    if (err == ERR_OK) {
        err = hil_aes_set_iv(store->aes, &store->page_buf[HEADER_IV], HIL_AES_BLOCK_LEN);
    }
    if (err == ERR_OK) {
        err = hil_aes_set_mode(store->aes, HIL_AES_CTR, HIL_AES_ENCRYPT);
    }
    if (err == ERR_OK) {
        err = hil_aes_crypt(store->aes, src, dst, store->len);
    }
    next(store, step, err);
}

/* Whether the header in `page` names `owner` (compared byte by byte with its big-endian form:
 * a load helper of its own would be folded with sha256.c's identical one and change how the
 * compiler inlines that, which costs stack). */
static bool is_owner(const uint8_t *page, uint32_t owner)
{
    uint8_t expect[4];
    put_be32(expect, owner);
    uint8_t difference = 0;
    for (unsigned i = 0; i < sizeof expect; i++) {
        difference |= (uint8_t)(expect[i] ^ page[HEADER_OWNER + i]);
    }
    return difference == 0;
}

/* The slot's old page is in page_buf: check whose it is, take its counter, lay out the new
 * header, encrypt. */
static void write_encrypt(struct sealed_store *store)
{
    uint8_t *p = store->page_buf;
    uint32_t counter = 0;
    if (le_get_u32(&p[HEADER_MAGIC]) == SEALED_STORE_MAGIC &&
        le_get_u32(&p[HEADER_SLOT]) == store->slot) {
        if (!is_owner(p, store->owner)) {
            end(store, ERR_NOSUPPORT); /* another owner's record: left as it is */
            return;
        }
        counter = le_get_u32(&p[HEADER_COUNTER]);
    }
    if (counter == UINT32_MAX) {
        end(store, ERR_NOMEM); /* the slot's counter space is used up: never reuse an IV */
        return;
    }
    counter++;
    for (size_t i = 0; i < store->page_len; i++) {
        p[i] = 0xFF; /* unused bytes stay erased */
    }
    le_put_u32(&p[HEADER_MAGIC], SEALED_STORE_MAGIC);
    le_put_u32(&p[HEADER_SLOT], store->slot);
    le_put_u32(&p[HEADER_COUNTER], counter);
    le_put_u32(&p[HEADER_LEN], (uint32_t)store->len);
    put_be32(&p[HEADER_IV], store->slot);
    put_be32(&p[HEADER_IV + 4], counter);
    put_be32(&p[HEADER_OWNER], store->owner);
    for (size_t i = HEADER_OWNER + 4; i < SEALED_STORE_HEADER_LEN; i++) {
        p[i] = 0; /* the block counter: a record never wraps it */
    }
    store->page = NULL;
    start_crypt(store, store->source, &p[SEALED_STORE_HEADER_LEN], SEALED_STORE_WRITE_ENCRYPT);
}

/* The page is read: is it a record of this slot that fits the page and the buffer? */
static void read_check(struct sealed_store *store)
{
    const uint8_t *p = store->page_buf;
    uint32_t len = le_get_u32(&p[HEADER_LEN]);
    store->len = 0;
    if (le_get_u32(&p[HEADER_MAGIC]) != SEALED_STORE_MAGIC ||
        le_get_u32(&p[HEADER_SLOT]) != store->slot || len == 0 ||
        len > sealed_store_record_max(store)) {
        end(store, ERR_INVAL);
        return;
    }
    store->len = len;
    store->page = NULL;
    start_mac(store, SEALED_STORE_READ_MAC_DATA);
}

/* Constant-time comparison of the computed tag with the stored one. */
static bool is_tag_valid(const struct sealed_store *store)
{
    const uint8_t *stored = &store->page_buf[SEALED_STORE_HEADER_LEN + store->len];
    uint8_t difference = 0;
    for (size_t i = 0; i < SEALED_STORE_TAG_LEN; i++) {
        difference |= (uint8_t)(stored[i] ^ store->tag[i]);
    }
    return difference == 0;
}

static void read_verify(struct sealed_store *store)
{
    if (!is_tag_valid(store)) {
        store->auth_failures++;
        end(store, ERR_FAIL);
        return;
    }
    if (!is_owner(store->page_buf, store->owner)) {
        end(store, ERR_NOSUPPORT); /* authentic, but not the caller's */
        return;
    }
    if (store->len > store->capacity) {
        end(store, ERR_SIZE);
        return;
    }
    store->page = NULL;
    start_crypt(store, &store->page_buf[SEALED_STORE_HEADER_LEN], store->dest,
                SEALED_STORE_READ_DECRYPT);
}

/* ---------------------------------------------------------------- unit clients */

static void crypt_done(struct hil_aes_client *client, uint8_t *dst, size_t len, err_t status)
{
    struct sealed_store *store = CONTAINER_OF(client, struct sealed_store, aes_client);
    (void)dst;
    (void)len;
    store->page = store->page_buf;
    if (status != ERR_OK) {
        end(store, status);
        return;
    }
    if (store->step == SEALED_STORE_WRITE_ENCRYPT) {
        store->page = NULL;
        start_mac(store, SEALED_STORE_WRITE_MAC_DATA);
        return;
    }
    end(store, ERR_OK); /* READ_DECRYPT: the record is in the caller's buffer */
}

static void add_data_done(struct hil_digest_client *client, const uint8_t *buf, size_t len,
                          err_t status)
{
    struct sealed_store *store = CONTAINER_OF(client, struct sealed_store, digest_client);
    (void)buf;
    (void)len;
    store->page = store->page_buf;
    if (status != ERR_OK) {
        end(store, status);
        return;
    }
    enum sealed_store_step step = store->step == SEALED_STORE_WRITE_MAC_DATA
                                      ? SEALED_STORE_WRITE_MAC_FINISH
                                      : SEALED_STORE_READ_MAC_FINISH;
    next(store, step, hil_digest_finish(store->mac, store->tag));
}

static void hash_done(struct hil_digest_client *client, uint8_t *out, err_t status)
{
    struct sealed_store *store = CONTAINER_OF(client, struct sealed_store, digest_client);
    (void)out;
    if (status != ERR_OK) {
        end(store, status);
        return;
    }
    if (store->step == SEALED_STORE_READ_MAC_FINISH) {
        read_verify(store);
        return;
    }
    uint8_t *tag = &store->page_buf[SEALED_STORE_HEADER_LEN + store->len];
    for (size_t i = 0; i < SEALED_STORE_TAG_LEN; i++) {
        tag[i] = store->tag[i];
    }
    next(store, SEALED_STORE_WRITE_ERASE,
         hil_flash_erase_page(store->flash, slot_page(store, store->slot)));
}

static void read_done(struct hil_flash_client *client, uint8_t *buf, size_t len, err_t status)
{
    struct sealed_store *store = CONTAINER_OF(client, struct sealed_store, flash_client);
    (void)buf;
    (void)len;
    store->page = store->page_buf;
    if (status != ERR_OK) {
        end(store, status);
        return;
    }
    if (store->step == SEALED_STORE_WRITE_READ_OLD) {
        write_encrypt(store);
        return;
    }
    read_check(store);
}

static void erase_done(struct hil_flash_client *client, err_t status)
{
    struct sealed_store *store = CONTAINER_OF(client, struct sealed_store, flash_client);
    if (status != ERR_OK) {
        end(store, status);
        return;
    }
    store->page = NULL;
    next(store, SEALED_STORE_WRITE_PROGRAM,
         hil_flash_write_page(store->flash, slot_page(store, store->slot), store->page_buf,
                              store->page_len));
}

static void write_done(struct hil_flash_client *client, uint8_t *buf, size_t len, err_t status)
{
    struct sealed_store *store = CONTAINER_OF(client, struct sealed_store, flash_client);
    (void)buf;
    (void)len;
    store->page = store->page_buf;
    end(store, status);
}

/* ---------------------------------------------------------------- public API */

static err_t begin(struct sealed_store *store, uint32_t slot, uint32_t owner,
                   enum sealed_store_step step)
{
    store->slot = slot;
    store->owner = owner;
    err_t err = hil_flash_read_page(store->flash, slot_page(store, slot), store->page_buf,
                                    store->page_len);
    if (err == ERR_OK) {
        store->page = NULL;
        store->step = step;
    }
    return err;
}

err_t sealed_store_write(struct sealed_store *store, uint32_t slot, uint32_t owner,
                         const uint8_t *record, size_t len)
{
    if (store->step != SEALED_STORE_IDLE) {
        return ERR_BUSY;
    }
    if (slot >= sealed_store_slot_count(store) || record == NULL) {
        return ERR_INVAL;
    }
    if (len == 0 || len > sealed_store_record_max(store)) {
        return ERR_SIZE;
    }
    store->source = record;
    store->dest = NULL;
    store->len = len;
    store->capacity = 0;
    return begin(store, slot, owner, SEALED_STORE_WRITE_READ_OLD);
}

err_t sealed_store_read(struct sealed_store *store, uint32_t slot, uint32_t owner,
                        uint8_t *record, size_t capacity)
{
    if (store->step != SEALED_STORE_IDLE) {
        return ERR_BUSY;
    }
    if (slot >= sealed_store_slot_count(store) || record == NULL) {
        return ERR_INVAL;
    }
    store->source = NULL;
    store->dest = record;
    store->len = 0;
    store->capacity = capacity;
    return begin(store, slot, owner, SEALED_STORE_READ_PAGE);
}

static const struct hil_aes_client_ops store_aes_ops = { .crypt_done = crypt_done };
static const struct hil_digest_client_ops store_digest_ops = {
    .add_data_done = add_data_done,
    .hash_done = hash_done,
};
static const struct hil_flash_client_ops store_flash_ops = {
    .read_done = read_done,
    .write_done = write_done,
    .erase_done = erase_done,
};

err_t sealed_store_init(struct sealed_store *store, struct hil_aes *aes, struct hil_digest *mac,
                        struct hil_flash *flash, const struct sealed_store_keys *keys,
                        const struct sealed_store_region *region, uint8_t *page, size_t page_len)
{
    struct hil_flash_geometry geometry = hil_flash_geometry(flash);
    if (page == NULL || page_len != geometry.page_size ||
        page_len <= SEALED_STORE_OVERHEAD + HIL_AES_BLOCK_LEN) {
        return ERR_SIZE;
    }
    uint32_t units = geometry.page_count / geometry.erase_pages;
    uint32_t first_unit = region->first_page / geometry.erase_pages;
    if (region->slots == 0 || region->first_page % geometry.erase_pages != 0 ||
        first_unit >= units || region->slots > units - first_unit) {
        return ERR_INVAL;
    }
    *store = (struct sealed_store){
        .aes_client = { .ops = &store_aes_ops },
        .digest_client = { .ops = &store_digest_ops },
        .flash_client = { .ops = &store_flash_ops },
        .aes = aes,
        .mac = mac,
        .flash = flash,
        .client = NULL,
        .keys = keys,
        .geometry = geometry,
        .first_page = region->first_page,
        .slots = region->slots,
        .page = page,
        .page_buf = page,
        .page_len = page_len,
        .step = SEALED_STORE_IDLE,
    };
    hil_aes_set_client(aes, &store->aes_client);
    hil_digest_set_client(mac, &store->digest_client);
    hil_flash_set_client(flash, &store->flash_client);
    return ERR_OK;
}
