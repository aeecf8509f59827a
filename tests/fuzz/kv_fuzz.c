/* SPDX-License-Identifier: Apache-2.0 OR MIT */
/*
 * libFuzzer harness for the key-value record store (capsules/extra/kv_store.c over the format
 * library libraries/kv_record.c): the record and bank-header decoding it does when it mounts
 * and scans a log it did not write.
 *
 * The store runs over the fake NOR flash of the host tests (16 pages of 512 bytes; the banks
 * are pages 2-3 and 4-5, the pages around them are canaries). Each input is:
 *   byte 0: mode. Bit 7 set: the bank pages are the next 2048 input bytes (0xFF past the end).
 *           Clear: they start as a valid log the store wrote itself (four keys), and the low
 *           4 bits count 3-byte patches (offset u16 mod 2048, byte) applied to it, so the
 *           fuzzer reaches the record decoding with valid bank headers and checks.
 *   then:   operations until the input ends: opcode, key length (1..8), key, value length
 *           (0..32), value, the caller (owner, a reader of the owner's keys, or a stranger).
 * Checked, abort() on violation: every call returns one of its documented codes; an accepted
 * operation ends with exactly one done(), never inside the call, and the flash goes idle
 * (no endless loop); a get that succeeds returns at most the capacity it was given; a set
 * that succeeds is read back (same bytes) by a writer whose read ids list its own write_id
 * (a write_id not listed there does not grant reading: kv_store.h); the canary pages never change.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "capsules/kv_store.h"
#include "fake_flash.h"
#include "kernel/deferred_call.h"
#include "storage_fixture.h"

#define PAGE 512u
#define PAGES 16u
#define ERASE_PAGES 2u
#define FIRST_PAGE 2u
#define BANK_PAGES 2u
#define BANK0 (FIRST_PAGE * PAGE)
#define REGION_END ((FIRST_PAGE + 2u * BANK_PAGES) * PAGE)
#define REGION_LEN (REGION_END - BANK0)
#define KEY_MAX_FUZZ 8u
#define VALUE_MAX_FUZZ 32u

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static uint8_t memory[PAGE * PAGES];
static uint8_t template_region[REGION_LEN];
static bool have_template;
static struct fake_flash flash;
static struct kv_store store;
static uint8_t page_buf[PAGE];
static uint8_t out_buf[PAGE];
static const struct kv_store_config config = { .first_page = FIRST_PAGE,
                                               .bank_pages = BANK_PAGES };
static struct kv_store_client client;
static unsigned done_count;
static err_t last_status;
static uint32_t last_len;
static uint8_t key[KV_STORE_KEY_MAX];
static uint8_t value[KV_STORE_VALUE_MAX];
static uint8_t got[KV_STORE_VALUE_MAX];

static const struct storage_permissions callers[] = {
    { .is_present = true, .write_id = 1, .read_count = 1, .read_ids = { 1 },
      .modify_count = 1, .modify_ids = { 1 } },
    { .is_present = true, .write_id = 3, .read_count = 2, .read_ids = { 3, 1 } },
    { .is_present = true, .write_id = 7 }, /* may write, may not read back */
};

static void check(int ok, const char *what)
{
    if (!ok) {
        fprintf(stderr, "kv_fuzz: invariant violated: %s\n", what);
        abort();
    }
}

static void client_done(struct kv_store_client *c, uint8_t *k, uint8_t *v, uint32_t value_len,
                        err_t status)
{
    (void)c;
    (void)k;
    (void)v;
    done_count++;
    last_status = status;
    last_len = value_len;
}

static const struct kv_store_client_ops client_ops = { .done = client_done };

static void fresh_store(void)
{
    deferred_call_reset_for_test();
    fake_flash_init(&flash, memory, PAGE, PAGES, ERASE_PAGES);
    check(kv_store_init(&store, &flash.flash, &config, page_buf, out_buf, PAGE) == ERR_OK,
          "kv_store_init");
    client.ops = &client_ops;
    store.client = &client;
}

static void run(void)
{
    check(storage_settle(&flash, 10000), "the store goes idle");
}

/* An accepted operation: exactly one done(), not inside the call. Returns its status. */
static err_t finish(err_t started)
{
    check(started == ERR_OK || started == ERR_BUSY || started == ERR_SIZE ||
              started == ERR_INVAL,
          "a call returns a documented code");
    unsigned before = done_count;
    if (started != ERR_OK) {
        run();
        check(done_count == before, "no done() after a refused call");
        return started;
    }
    run();
    check(done_count == before + 1, "exactly one done() per accepted operation");
    return last_status;
}

static void make_template(void)
{
    memset(memory, 0xFF, sizeof memory);
    fresh_store();
    static const char *const keys[] = { "alpha", "beta", "gamma", "alpha" };
    for (size_t i = 0; i < 4; i++) {
        uint32_t len = (uint32_t)strlen(keys[i]);
        memcpy(key, keys[i], len);
        memset(value, (int)('0' + i), 12);
        check(finish(kv_store_set(&store, key, len, value, 12, &callers[0])) ==
                  ERR_OK,
              "template set");
    }
    memcpy(template_region, memory + BANK0, REGION_LEN);
    have_template = true;
}

static void check_canaries(void)
{
    for (size_t i = 0; i < BANK0; i++) {
        check(memory[i] == 0xA5, "the pages before the banks never change");
    }
    for (size_t i = REGION_END; i < sizeof memory; i++) {
        check(memory[i] == 0x5A, "the pages after the banks never change");
    }
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    if (!have_template) {
        make_template();
    }
    if (size == 0) {
        return 0;
    }
    size_t at = 1;
    uint8_t mode = data[0];
    memset(memory, 0xA5, BANK0);
    memset(memory + REGION_END, 0x5A, sizeof memory - REGION_END);
    if (mode & 0x80u) {
        size_t n = size - at < REGION_LEN ? size - at : REGION_LEN;
        memset(memory + BANK0, 0xFF, REGION_LEN);
        memcpy(memory + BANK0, data + at, n);
        at += n;
    } else {
        memcpy(memory + BANK0, template_region, REGION_LEN);
        for (unsigned p = 0; p < (mode & 0x0Fu) && size - at >= 3; p++) {
            uint32_t off = ((uint32_t)data[at] | ((uint32_t)data[at + 1] << 8)) % REGION_LEN;
            memory[BANK0 + off] = data[at + 2];
            at += 3;
        }
    }
    fresh_store();
    done_count = 0;
    while (size - at >= 3) {
        uint8_t op = data[at] % 6u;
        uint32_t key_len = 1u + data[at + 1] % KEY_MAX_FUZZ;
        const struct storage_permissions *who = &callers[data[at + 2] % 3u];
        at += 3;
        if (size - at < key_len + 1u) {
            break;
        }
        memcpy(key, data + at, key_len);
        at += key_len;
        uint32_t value_len = data[at] % (VALUE_MAX_FUZZ + 1u);
        at++;
        uint32_t avail = (uint32_t)(size - at < value_len ? size - at : value_len);
        memset(value, 0, VALUE_MAX_FUZZ);
        memcpy(value, data + at, avail);
        at += avail;
        uint8_t written[VALUE_MAX_FUZZ];
        memcpy(written, value, VALUE_MAX_FUZZ);
        err_t status = ERR_FAIL;
        uint32_t cap = value_len;
        switch (op) {
        case 0:
            status = finish(kv_store_get(&store, key, key_len, got, cap, who));
            if (status == ERR_OK) {
                check(last_len <= cap, "a successful get fits its capacity");
            }
            break;
        case 1:
            status = finish(kv_store_set(&store, key, key_len, value, value_len, who));
            if (status == ERR_OK && who != &callers[2]) { /* the stranger may not read */
                status = finish(kv_store_get(&store, key, key_len, got, sizeof got, who));
                check(status == ERR_OK, "the writer reads back what it set");
                check(last_len == value_len && memcmp(got, written, value_len) == 0,
                      "the value read back is the value set");
            }
            break;
        case 2:
            (void)finish(kv_store_add(&store, key, key_len, value, value_len, who));
            break;
        case 3:
            (void)finish(kv_store_update(&store, key, key_len, value, value_len, who));
            break;
        case 4:
            (void)finish(kv_store_delete(&store, key, key_len, who));
            break;
        default:
            (void)finish(kv_store_compact(&store));
            break;
        }
        check_canaries();
    }
    run();
    check_canaries();
    return 0;
}
