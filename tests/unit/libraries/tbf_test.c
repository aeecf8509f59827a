/* SPDX-License-Identifier: Apache-2.0 OR MIT */
/*
 * Host tests for the TBF v2 parser (libraries/tbf.c) against ABI §3.
 *
 * Headers are assembled with byte_builder and always parsed from a heap copy of exactly
 * header_size bytes, so the ASan build catches any read past the header. The fuzz tests mutate
 * valid headers (fixing the checksum so mutations reach the TLV parser) and check the
 * invariants tbf.c promises on TBF_OK.
 *
 * Usage: make build/host/tbf_test build/host-san/tbf_test && build/host-san/tbf_test
 *
 * Invariants: every parse goes through parse_image(), which checks the result's invariants.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "byte_builder.h"
#include "tbf.h"

#define IMAGE_CAPACITY 1024u
#define TOTAL_SIZE 0x1000u
#define BINARY_END 0x800u

/* ---- Builders ---- */

static void image_begin(struct byte_builder *b, uint8_t *bytes, size_t capacity, uint32_t total_size,
                      uint32_t flags)
{
    byte_builder_init(b, bytes, capacity);
    byte_builder_u16(b, 2);
    byte_builder_u16(b, 0); /* header_size: set by image_seal */
    byte_builder_u32(b, total_size);
    byte_builder_u32(b, flags);
    byte_builder_u32(b, 0); /* checksum: set by image_seal */
}

static uint32_t checksum_of(const uint8_t *bytes, size_t header_size)
{
    uint32_t checksum = 0;
    for (size_t word = 0; word < header_size / 4; word++) {
        if (word != 3) {
            checksum ^= (uint32_t)bytes[4 * word] | (uint32_t)bytes[4 * word + 1] << 8 |
                        (uint32_t)bytes[4 * word + 2] << 16 | (uint32_t)bytes[4 * word + 3] << 24;
        }
    }
    return checksum;
}

static void fix_checksum(uint8_t *bytes, size_t header_size)
{
    uint32_t checksum = checksum_of(bytes, header_size);
    for (size_t i = 0; i < 4; i++) {
        bytes[12 + i] = (uint8_t)(checksum >> (8 * i));
    }
}

/* Set header_size to everything written so far and seal the checksum. */
static void image_seal(struct byte_builder *b)
{
    byte_builder_set_u16(b, 2, (uint16_t)b->len);
    fix_checksum(b->buf, b->len);
}

/* A TLV with `len` data bytes from `data` (zeros when NULL), padded to 4 with zeros. */
static void tlv(struct byte_builder *b, uint16_t type, const void *data, uint16_t len)
{
    byte_builder_u16(b, type);
    byte_builder_u16(b, len);
    for (size_t i = 0; i < len; i++) {
        byte_builder_u8(b, data != NULL ? ((const uint8_t *)data)[i] : 0);
    }
    byte_builder_align(b, 4, 0);
}

static void tlv_main(struct byte_builder *b, uint32_t init_fn, uint32_t trailer, uint32_t ram)
{
    byte_builder_u16(b, TBF_TLV_MAIN);
    byte_builder_u16(b, 12);
    byte_builder_u32(b, init_fn);
    byte_builder_u32(b, trailer);
    byte_builder_u32(b, ram);
}

static void tlv_program(struct byte_builder *b, uint32_t init_fn, uint32_t trailer, uint32_t ram,
                        uint32_t binary_end, uint32_t version)
{
    byte_builder_u16(b, TBF_TLV_PROGRAM);
    byte_builder_u16(b, 20);
    byte_builder_u32(b, init_fn);
    byte_builder_u32(b, trailer);
    byte_builder_u32(b, ram);
    byte_builder_u32(b, binary_end);
    byte_builder_u32(b, version);
}

static void tlv_name(struct byte_builder *b, const char *name)
{
    tlv(b, TBF_TLV_PACKAGE_NAME, name, (uint16_t)strlen(name));
}

static void tlv_fixed(struct byte_builder *b, uint32_t ram, uint32_t flash)
{
    byte_builder_u16(b, TBF_TLV_FIXED_ADDRESSES);
    byte_builder_u16(b, 8);
    byte_builder_u32(b, ram);
    byte_builder_u32(b, flash);
}

static void tlv_kernel_version(struct byte_builder *b, uint16_t major, uint16_t minor)
{
    byte_builder_u16(b, TBF_TLV_KERNEL_VERSION);
    byte_builder_u16(b, 4);
    byte_builder_u16(b, major);
    byte_builder_u16(b, minor);
}

/* One Writeable Flash Regions TLV holding `count` regions {offset 0x100*(first+i), size 0x40}. */
static void tlv_regions(struct byte_builder *b, uint32_t first, uint32_t count)
{
    byte_builder_u16(b, TBF_TLV_WRITEABLE_FLASH);
    byte_builder_u16(b, (uint16_t)(8 * count));
    for (uint32_t i = 0; i < count; i++) {
        byte_builder_u32(b, 0x100u * (first + i));
        byte_builder_u32(b, 0x40);
    }
}

/* Storage Permissions with write id 0x51, read ids 0x10+i, modify ids 0x20+i. */
static void tlv_storage(struct byte_builder *b, uint16_t read_count, uint16_t modify_count)
{
    byte_builder_u16(b, TBF_TLV_STORAGE_PERMISSIONS);
    byte_builder_u16(b, (uint16_t)(4 + 2 + 4 * read_count + 2 + 4 * modify_count));
    byte_builder_u32(b, 0x51);
    byte_builder_u16(b, read_count);
    for (uint32_t i = 0; i < read_count; i++) {
        byte_builder_u32(b, 0x10 + i);
    }
    byte_builder_u16(b, modify_count);
    for (uint32_t i = 0; i < modify_count; i++) {
        byte_builder_u32(b, 0x20 + i);
    }
    byte_builder_align(b, 4, 0);
}

/* Base header plus valid Main and Program TLVs: the start of every "app" image below. */
static void app_begin(struct byte_builder *b, uint8_t *bytes, size_t capacity)
{
    image_begin(b, bytes, capacity, TOTAL_SIZE, TBF_FLAG_ENABLED);
    tlv_main(b, 0x10, 0, 2048);
    tlv_program(b, 0x10, 0, 2048, BINARY_END, 1);
}

/* Spec §3.6 worked example: libtock-c `blink` for rv32imac at 0x80100080/0x80300000. */
static void build_blink(struct byte_builder *b, uint8_t *bytes, size_t capacity)
{
    image_begin(b, bytes, capacity, 0x2000, TBF_FLAG_ENABLED);
    tlv_main(b, 0x50, 0x28, 5120);
    tlv_program(b, 0x50, 0x28, 5120, 0x1000, 0);
    tlv_name(b, "blink");
    tlv_fixed(b, 0x80300000u, 0x80100080u);
    tlv_kernel_version(b, 2, 2);
    image_seal(b);
}

/* Every TLV type the parser knows, plus unknown ones, for the fuzz tests. */
static void build_rich(struct byte_builder *b, uint8_t *bytes, size_t capacity)
{
    static const uint8_t unknown[3] = { 0xAA, 0xBB, 0xCC };
    static const uint8_t credential[8] = { 0, 0, 0, 0, 1, 2, 3, 4 };
    image_begin(b, bytes, capacity, TOTAL_SIZE, TBF_FLAG_ENABLED | TBF_FLAG_STICKY);
    tlv_main(b, 0x20, 0x10, 4096);
    tlv_program(b, 0x24, 0x10, 4096, BINARY_END, 3);
    tlv_name(b, "r\xC3\xA9sum\xC3\xA9");
    tlv_regions(b, 0, 1);
    tlv_regions(b, 1, 2);
    tlv_fixed(b, 0x20004000u, 0x00040080u);
    byte_builder_u16(b, TBF_TLV_PERMISSIONS);
    byte_builder_u16(b, 2 + 2 * 16);
    byte_builder_u16(b, 2);
    byte_builder_u32(b, 0x1);
    byte_builder_u32(b, 0);
    byte_builder_u64(b, 0x0123456789ABCDEFull);
    byte_builder_u32(b, 0x90000);
    byte_builder_u32(b, 2);
    byte_builder_u64(b, 1ull << 63);
    byte_builder_align(b, 4, 0);
    tlv_storage(b, 2, 1);
    tlv_kernel_version(b, 2, 1);
    byte_builder_u16(b, TBF_TLV_SHORT_ID);
    byte_builder_u16(b, 4);
    byte_builder_u32(b, 0xC0FFEE);
    tlv(b, 0x8001, unknown, sizeof unknown);
    tlv(b, TBF_TLV_CREDENTIALS, credential, sizeof credential);
    image_seal(b);
}

/* ---- Parsing from an exact heap copy ---- */

static uint8_t *last_copy;

static uint8_t *heap_copy(const uint8_t *bytes, size_t len)
{
    uint8_t *copy = malloc(len > 0 ? len : 1);
    assert_non_null(copy);
    if (len > 0) {
        memcpy(copy, bytes, len);
    }
    return copy;
}

static bool inside(const uint8_t *buf, size_t size, const uint8_t *p, size_t len)
{
    uintptr_t start = (uintptr_t)buf;
    uintptr_t at = (uintptr_t)p;
    return at >= start && at - start <= size && len <= size - (at - start);
}

/* What tbf.h promises about any result, for any input. */
static void check_invariants(const uint8_t *buf, size_t size, enum tbf_status status,
                             const struct tbf_header *h)
{
    assert_true(status == TBF_OK || status == TBF_PADDING || status == TBF_ERR_HEADER_SIZE ||
                status == TBF_ERR_CHECKSUM || status == TBF_ERR_TLV_BOUNDS ||
                status == TBF_ERR_TLV_LENGTH || status == TBF_ERR_PACKAGE_NAME ||
                status == TBF_ERR_TOO_MANY || status == TBF_ERR_PROGRAM);
    assert_non_null(tbf_status_reason(status));
    if (status != TBF_OK && status != TBF_PADDING) {
        return;
    }
    assert_int_equal(h->version, 2);
    assert_int_equal(h->header_size, size);
    assert_true(h->header_size <= h->total_size);
    assert_true(inside(buf, size, h->package_name, h->package_name_len));
    volatile uint8_t sink = 0;
    for (uint32_t i = 0; i < h->package_name_len; i++) {
        sink ^= h->package_name[i];
    }
    assert_true(h->writeable_region_count <= TBF_MAX_WRITEABLE_REGIONS);
    assert_true(h->storage_read_count <= TBF_MAX_STORAGE_IDS);
    assert_true(h->storage_modify_count <= TBF_MAX_STORAGE_IDS);
    if (h->has_permissions) {
        assert_true(inside(buf, size, h->permissions, 16 * (size_t)h->permission_count));
        for (uint32_t i = 0; i <= h->permission_count; i++) { /* one past the end too */
            uint32_t driver = 0;
            uint32_t offset = 0;
            uint64_t allowed = 0;
            tbf_permission(h, i, &driver, &offset, &allowed);
            sink ^= (uint8_t)(driver ^ offset ^ allowed);
        }
    }
    (void)sink;
    if (status == TBF_OK) {
        uint64_t protected_size = (uint64_t)h->header_size + h->protected_trailer_size;
        assert_true(protected_size <= h->binary_end_offset);
        assert_true(h->binary_end_offset <= h->total_size);
        assert_true((uint64_t)h->header_size + h->init_fn_offset < h->binary_end_offset);
    }
}

/* Parse `len` bytes from a fresh heap copy, valid until the next call. */
static enum tbf_status parse_bytes(const uint8_t *bytes, size_t len, struct tbf_header *h)
{
    free(last_copy);
    last_copy = heap_copy(bytes, len);
    enum tbf_status status = tbf_parse_header(last_copy, len, h);
    check_invariants(last_copy, len, status, h);
    return status;
}

static enum tbf_status parse_image(const struct byte_builder *b, struct tbf_header *h)
{
    return parse_bytes(b->buf, b->len, h);
}

static enum tbf_status lengths_of(const uint8_t *bytes, size_t len, size_t remaining,
                                  struct tbf_lengths *out)
{
    uint8_t *copy = heap_copy(bytes, len);
    enum tbf_status status = tbf_parse_lengths(copy, remaining, out);
    free(copy);
    return status;
}

static int free_last_copy(void **state)
{
    (void)state;
    free(last_copy);
    last_copy = NULL;
    return 0;
}

/* ---- §3.6 worked example ---- */

static void test_blink_worked_example_parses_to_spec_values(void **state)
{
    (void)state;
    uint8_t bytes[IMAGE_CAPACITY];
    struct byte_builder b;
    build_blink(&b, bytes, sizeof bytes);
    assert_int_equal(b.len, 0x58);

    uint32_t all_words = 0;
    for (size_t i = 0; i < b.len; i += 4) {
        all_words ^= byte_builder_get_u32(&b, i);
    }
    assert_int_equal(all_words, 0); /* checksum word = XOR of the others */

    struct tbf_lengths lengths;
    assert_int_equal(lengths_of(bytes, 8, 0x2000, &lengths), TBF_OK);
    assert_int_equal(lengths.version, 2);
    assert_int_equal(lengths.header_size, 0x58);
    assert_int_equal(lengths.total_size, 0x2000);

    struct tbf_header h;
    assert_int_equal(parse_image(&b, &h), TBF_OK);
    assert_int_equal(h.header_size, 0x58);
    assert_int_equal(h.total_size, 0x2000);
    assert_int_equal(h.flags, TBF_FLAG_ENABLED);
    assert_int_equal(h.init_fn_offset, 0x50);
    assert_int_equal(h.protected_trailer_size, 0x28);
    assert_int_equal(h.minimum_ram_size, 5120);
    assert_int_equal(h.binary_end_offset, 0x1000);
    assert_int_equal(h.app_version, 0);
    assert_int_equal(h.package_name_len, 5);
    assert_memory_equal(h.package_name, "blink", 5);
    assert_int_equal(h.writeable_region_count, 0);
    assert_int_equal(h.fixed_ram_address, 0x80300000u);
    assert_int_equal(h.fixed_flash_address, 0x80100080u);
    assert_true(h.has_kernel_version);
    assert_int_equal(h.kernel_major, 2);
    assert_int_equal(h.kernel_minor, 2);
    assert_false(h.has_permissions);
    assert_false(h.has_storage_permissions);
    assert_int_equal(h.short_id, 0);

    /* Derived values for a TBF at 0x80100000. */
    uint32_t tbf_start = 0x80100000u;
    assert_int_equal(h.header_size + h.protected_trailer_size, 0x80);
    assert_int_equal(tbf_start + h.header_size + h.protected_trailer_size, h.fixed_flash_address);
    assert_int_equal(tbf_start + h.header_size + h.init_fn_offset, 0x801000A8u);
    assert_true(tbf_kernel_version_ok(&h, 2, 3));
}

/* ---- tbf_parse_lengths ---- */

static void test_lengths_end_when_fewer_than_8_bytes_remain(void **state)
{
    (void)state;
    uint8_t bytes[IMAGE_CAPACITY];
    struct byte_builder b;
    build_blink(&b, bytes, sizeof bytes);
    for (size_t n = 0; n < 8; n++) {
        struct tbf_lengths out;
        assert_int_equal(lengths_of(bytes, n, n, &out), TBF_END);
    }
}

/* Only a first word that reads as erased or zero-filled flash is the end of the list. */
static void test_lengths_end_on_erased_or_zero_filled_flash(void **state)
{
    (void)state;
    static const uint8_t cases[][8] = {
        { 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF }, /* erased flash */
        { 0, 0, 0, 0, 0, 0, 0, 0 },                         /* QEMU zero fill */
        { 0, 0, 0, 0, 0x12, 0x34, 0, 0 },                   /* mkimage's terminator word */
        { 0xFF, 0xFF, 0xFF, 0xFF, 0, 0, 0, 0 },
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        struct tbf_lengths out;
        assert_int_equal(lengths_of(cases[i], 8, 0x10000, &out), TBF_END);
    }
}

/* Any other version is an object the walk cannot step over: it must stop and say so. */
static void test_lengths_refuse_unknown_versions(void **state)
{
    (void)state;
    static const uint8_t cases[][8] = {
        { 1, 0, 16, 0, 0, 1, 0, 0 },       /* version 1 */
        { 3, 0, 16, 0, 0, 1, 0, 0 },       /* version 3 */
        { 2, 1, 16, 0, 0, 1, 0, 0 },       /* version 0x102 */
        { 0, 0, 16, 0, 0, 1, 0, 0 },       /* version 0 with a header size: not blank */
        { 0xFF, 0xFF, 16, 0, 0, 1, 0, 0 }, /* version 0xFFFF with a header size */
    };
    static const uint16_t versions[] = { 1, 3, 0x102, 0, 0xFFFF };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        struct tbf_lengths out = { 0 };
        assert_int_equal(lengths_of(cases[i], 8, 0x10000, &out), TBF_ERR_VERSION);
        assert_int_equal(out.version, versions[i]);
        assert_int_equal(out.total_size, 0x100);
    }
}

static void test_lengths_refuse_unusable_total_size(void **state)
{
    (void)state;
    struct {
        uint32_t total;
        size_t remaining;
        enum tbf_status expect;
    } cases[] = {
        { 0, 0x1000, TBF_ERR_TOTAL_SIZE },          /* Tock would loop forever */
        { 8, 0x1000, TBF_ERR_TOTAL_SIZE },
        { 15, 0x1000, TBF_ERR_TOTAL_SIZE },
        { 16, 0x1000, TBF_OK },
        { 0x1001, 0x1000, TBF_ERR_TOTAL_SIZE },     /* runs past the app region */
        { 0x1000, 0x1000, TBF_OK },                 /* exactly fills it */
        { 0xFFFFFFFFu, 0x1000, TBF_ERR_TOTAL_SIZE },
        { 0xFFFFFFFFu, 0xFFFFFFFFu, TBF_OK },
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        uint8_t bytes[8];
        struct byte_builder b;
        byte_builder_init(&b, bytes, sizeof bytes);
        byte_builder_u16(&b, 2);
        byte_builder_u16(&b, 16);
        byte_builder_u32(&b, cases[i].total);
        struct tbf_lengths out = { 0 };
        assert_int_equal(lengths_of(bytes, 8, cases[i].remaining, &out), cases[i].expect);
        /* Written for the refusal too: the loader names the size it could not use. */
        assert_int_equal(out.total_size, cases[i].total);
        assert_int_equal(out.header_size, 16);
    }
}

static void test_lengths_report_skippable_bad_header_size(void **state)
{
    (void)state;
    static const uint16_t bad_sizes[] = { 0, 4, 15, 18, 22, 0x101, 0x1004, 0xFFFF };
    for (size_t i = 0; i < sizeof bad_sizes / sizeof bad_sizes[0]; i++) {
        uint8_t bytes[8];
        struct byte_builder b;
        byte_builder_init(&b, bytes, sizeof bytes);
        byte_builder_u16(&b, 2);
        byte_builder_u16(&b, bad_sizes[i]);
        byte_builder_u32(&b, 0x1000);
        struct tbf_lengths out = { 0 };
        assert_int_equal(lengths_of(bytes, 8, 0x4000, &out), TBF_ERR_HEADER_SIZE);
        assert_int_equal(out.total_size, 0x1000); /* the caller may skip the object */
        assert_int_equal(out.header_size, bad_sizes[i]);
    }
}

/* ---- Base header and checksum ---- */

static void test_header_rejects_size_argument_below_base(void **state)
{
    (void)state;
    uint8_t bytes[IMAGE_CAPACITY];
    struct byte_builder b;
    build_blink(&b, bytes, sizeof bytes);
    struct tbf_header h;
    for (size_t n = 0; n < 16; n++) {
        assert_int_equal(parse_bytes(bytes, n, &h), TBF_ERR_HEADER_SIZE);
    }
}

static void test_header_rejects_size_field_that_disagrees_with_buffer(void **state)
{
    (void)state;
    uint8_t bytes[IMAGE_CAPACITY];
    struct byte_builder b;
    build_blink(&b, bytes, sizeof bytes);
    struct tbf_header h;
    /* A shorter buffer than the header says: nothing past it may be read. */
    assert_int_equal(parse_bytes(bytes, 0x54, &h), TBF_ERR_HEADER_SIZE);
    assert_int_equal(parse_bytes(bytes, 0x18, &h), TBF_ERR_HEADER_SIZE);
    /* A longer buffer than the header says. */
    assert_int_equal(parse_bytes(bytes, 0x5C, &h), TBF_ERR_HEADER_SIZE);
}

static void test_header_rejects_bad_version_and_sizes(void **state)
{
    (void)state;
    uint8_t bytes[IMAGE_CAPACITY];
    struct byte_builder b;
    struct tbf_header h;

    build_blink(&b, bytes, sizeof bytes);
    byte_builder_set_u16(&b, 0, 1);
    fix_checksum(bytes, b.len);
    assert_int_equal(parse_image(&b, &h), TBF_ERR_HEADER_SIZE);

    build_blink(&b, bytes, sizeof bytes);
    byte_builder_set_u32(&b, 4, 0x54); /* total_size < header_size */
    fix_checksum(bytes, b.len);
    assert_int_equal(parse_image(&b, &h), TBF_ERR_HEADER_SIZE);

    build_blink(&b, bytes, sizeof bytes);
    byte_builder_set_u32(&b, 4, 0x58); /* header exactly fills the object: fine */
    byte_builder_set_u32(&b, 16 + 4 + 12 + 4 + 12, 0x58); /* Program binary_end */
    byte_builder_set_u32(&b, 16 + 4 + 4, 0);              /* Main trailer */
    byte_builder_set_u32(&b, 16 + 4 + 12 + 4 + 4, 0);     /* Program trailer */
    fix_checksum(bytes, b.len);
    assert_int_equal(parse_image(&b, &h), TBF_ERR_PROGRAM); /* but no room for an entry */

    /* header_size not a multiple of 4: 18 bytes with a 2-byte unknown TLV header. */
    image_begin(&b, bytes, sizeof bytes, 0x100, 0);
    byte_builder_u16(&b, 0x4000);
    byte_builder_set_u16(&b, 2, 18);
    fix_checksum(bytes, 16);
    assert_int_equal(parse_bytes(bytes, 18, &h), TBF_ERR_HEADER_SIZE);
}

static void test_checksum_mismatch_is_detected(void **state)
{
    (void)state;
    uint8_t bytes[IMAGE_CAPACITY];
    struct byte_builder b;
    struct tbf_header h;

    build_blink(&b, bytes, sizeof bytes);
    bytes[12] ^= 0x01; /* the checksum itself */
    assert_int_equal(parse_image(&b, &h), TBF_ERR_CHECKSUM);

    build_blink(&b, bytes, sizeof bytes);
    bytes[0x40] ^= 0x80; /* a byte of the package name */
    assert_int_equal(parse_image(&b, &h), TBF_ERR_CHECKSUM);

    build_blink(&b, bytes, sizeof bytes);
    bytes[8] ^= 0x01; /* the flags: enabled bit cleared */
    assert_int_equal(parse_image(&b, &h), TBF_ERR_CHECKSUM);
    fix_checksum(bytes, b.len);
    assert_int_equal(parse_image(&b, &h), TBF_OK);
    assert_int_equal(h.flags, 0);
}

static void test_padding_object_without_tlvs(void **state)
{
    (void)state;
    uint8_t bytes[IMAGE_CAPACITY];
    struct byte_builder b;
    struct tbf_header h;
    image_begin(&b, bytes, sizeof bytes, 0x300, 0);
    image_seal(&b);

    struct tbf_lengths lengths;
    assert_int_equal(lengths_of(bytes, 8, 0x300, &lengths), TBF_OK);
    assert_int_equal(parse_image(&b, &h), TBF_PADDING);
    assert_int_equal(h.total_size, 0x300);
    assert_int_equal(h.header_size, 16);
    assert_int_equal(h.minimum_ram_size, 0);

    bytes[13] ^= 0x40;
    assert_int_equal(parse_image(&b, &h), TBF_ERR_CHECKSUM);
}

static void test_tlvs_without_main_or_program_are_padding(void **state)
{
    (void)state;
    uint8_t bytes[IMAGE_CAPACITY];
    struct byte_builder b;
    struct tbf_header h;
    image_begin(&b, bytes, sizeof bytes, 0x300, TBF_FLAG_ENABLED);
    tlv_name(&b, "nomain");
    tlv_kernel_version(&b, 2, 2);
    image_seal(&b);
    assert_int_equal(parse_image(&b, &h), TBF_PADDING);

    /* Errors in such TLVs are still errors. */
    image_begin(&b, bytes, sizeof bytes, 0x300, TBF_FLAG_ENABLED);
    tlv(&b, TBF_TLV_KERNEL_VERSION, NULL, 6);
    image_seal(&b);
    assert_int_equal(parse_image(&b, &h), TBF_ERR_TLV_LENGTH);
}

/* ---- TLV framing and lengths ---- */

static enum tbf_status parse_app_with_tlv(uint16_t type, const void *data, uint16_t len)
{
    uint8_t bytes[IMAGE_CAPACITY];
    struct byte_builder b;
    struct tbf_header h;
    app_begin(&b, bytes, sizeof bytes);
    tlv(&b, type, data, len);
    image_seal(&b);
    return parse_image(&b, &h);
}

static void test_each_tlv_type_rejects_wrong_lengths(void **state)
{
    (void)state;
    static const struct {
        uint16_t type;
        uint16_t len;
    } bad[] = {
        { TBF_TLV_MAIN, 0 },          { TBF_TLV_MAIN, 8 },
        { TBF_TLV_MAIN, 11 },         { TBF_TLV_MAIN, 13 },
        { TBF_TLV_MAIN, 20 },         { TBF_TLV_PROGRAM, 0 },
        { TBF_TLV_PROGRAM, 12 },      { TBF_TLV_PROGRAM, 19 },
        { TBF_TLV_PROGRAM, 21 },      { TBF_TLV_PROGRAM, 24 },
        { TBF_TLV_WRITEABLE_FLASH, 4 }, { TBF_TLV_WRITEABLE_FLASH, 7 },
        { TBF_TLV_WRITEABLE_FLASH, 9 }, { TBF_TLV_WRITEABLE_FLASH, 12 },
        { TBF_TLV_FIXED_ADDRESSES, 0 }, { TBF_TLV_FIXED_ADDRESSES, 4 },
        { TBF_TLV_FIXED_ADDRESSES, 7 }, { TBF_TLV_FIXED_ADDRESSES, 9 },
        { TBF_TLV_FIXED_ADDRESSES, 16 }, { TBF_TLV_KERNEL_VERSION, 0 },
        { TBF_TLV_KERNEL_VERSION, 2 }, { TBF_TLV_KERNEL_VERSION, 3 },
        { TBF_TLV_KERNEL_VERSION, 5 }, { TBF_TLV_KERNEL_VERSION, 8 },
        { TBF_TLV_SHORT_ID, 0 },      { TBF_TLV_SHORT_ID, 3 },
        { TBF_TLV_SHORT_ID, 5 },      { TBF_TLV_SHORT_ID, 8 },
        { TBF_TLV_PERMISSIONS, 0 },   { TBF_TLV_PERMISSIONS, 1 }, /* zero data: count 0 */
        { TBF_TLV_PERMISSIONS, 3 },   { TBF_TLV_PERMISSIONS, 18 },
        { TBF_TLV_STORAGE_PERMISSIONS, 0 }, { TBF_TLV_STORAGE_PERMISSIONS, 5 },
        { TBF_TLV_STORAGE_PERMISSIONS, 6 }, { TBF_TLV_STORAGE_PERMISSIONS, 7 },
        { TBF_TLV_STORAGE_PERMISSIONS, 9 }, { TBF_TLV_STORAGE_PERMISSIONS, 12 },
    };
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        assert_int_equal(parse_app_with_tlv(bad[i].type, NULL, bad[i].len), TBF_ERR_TLV_LENGTH);
    }
}

static void test_each_tlv_type_accepts_its_lengths(void **state)
{
    (void)state;
    static const struct {
        uint16_t type;
        uint16_t len;
    } good[] = {
        { TBF_TLV_MAIN, 12 },           { TBF_TLV_PROGRAM, 20 },
        { TBF_TLV_WRITEABLE_FLASH, 0 }, { TBF_TLV_WRITEABLE_FLASH, 8 },
        { TBF_TLV_WRITEABLE_FLASH, 48 }, { TBF_TLV_PACKAGE_NAME, 0 },
        { TBF_TLV_PACKAGE_NAME, 7 },    { TBF_TLV_FIXED_ADDRESSES, 8 },
        { TBF_TLV_KERNEL_VERSION, 4 },  { TBF_TLV_SHORT_ID, 4 },
        { TBF_TLV_PERMISSIONS, 2 },     { TBF_TLV_STORAGE_PERMISSIONS, 8 },
    };
    for (size_t i = 0; i < sizeof good / sizeof good[0]; i++) {
        assert_int_equal(parse_app_with_tlv(good[i].type, NULL, good[i].len), TBF_OK);
    }
}

static void test_unknown_tlv_types_are_skipped(void **state)
{
    (void)state;
    static const uint16_t types[] = { 0, 4, 11, 127, TBF_TLV_CREDENTIALS, 0x8000, 0xFFFF };
    static const uint8_t junk[13] = { 0xFF, 0xFE, 0xFD, 0xFC, 0xFB, 0xFA, 0xF9,
                                      0xF8, 0xF7, 0xF6, 0xF5, 0xF4, 0xF3 };
    for (size_t i = 0; i < sizeof types / sizeof types[0]; i++) {
        for (uint16_t len = 0; len <= sizeof junk; len++) {
            assert_int_equal(parse_app_with_tlv(types[i], junk, len), TBF_OK);
        }
    }
}

static void test_tlv_running_past_header_is_rejected(void **state)
{
    (void)state;
    uint8_t bytes[IMAGE_CAPACITY];
    struct byte_builder b;
    struct tbf_header h;
    static const uint16_t types[] = { TBF_TLV_PACKAGE_NAME, TBF_TLV_WRITEABLE_FLASH,
                                      TBF_TLV_PERMISSIONS, 0x1234 };
    static const uint16_t lengths[] = { 9, 12, 13, 16, 100, 0x7FFF, 0xFFFC, 0xFFFF };
    for (size_t t = 0; t < sizeof types / sizeof types[0]; t++) {
        for (size_t l = 0; l < sizeof lengths / sizeof lengths[0]; l++) {
            app_begin(&b, bytes, sizeof bytes);
            byte_builder_u16(&b, types[t]);
            byte_builder_u16(&b, lengths[l]);
            byte_builder_u32(&b, 0x61616161); /* only 8 data bytes follow */
            byte_builder_u32(&b, 0x61616161);
            image_seal(&b);
            assert_int_equal(parse_image(&b, &h), TBF_ERR_TLV_BOUNDS);
        }
    }

    /* A Main TLV cut short by the end of the header. */
    image_begin(&b, bytes, sizeof bytes, TOTAL_SIZE, TBF_FLAG_ENABLED);
    byte_builder_u16(&b, TBF_TLV_MAIN);
    byte_builder_u16(&b, 12);
    byte_builder_u32(&b, 0);
    image_seal(&b);
    assert_int_equal(parse_image(&b, &h), TBF_ERR_TLV_BOUNDS);
}

static void test_tlv_ending_exactly_at_header_end_is_accepted(void **state)
{
    (void)state;
    uint8_t bytes[IMAGE_CAPACITY];
    struct byte_builder b;
    struct tbf_header h;
    for (uint16_t len = 5; len <= 8; len++) { /* padding 3, 2, 1, 0 */
        app_begin(&b, bytes, sizeof bytes);
        tlv(&b, TBF_TLV_PACKAGE_NAME, "abcdefgh", len);
        image_seal(&b);
        assert_int_equal(parse_image(&b, &h), TBF_OK);
        assert_int_equal(h.package_name_len, len);
        assert_memory_equal(h.package_name, "abcdefgh", len);
    }
}

static void test_largest_header_parses_and_huge_region_tlv_is_too_many(void **state)
{
    (void)state;
    size_t capacity = 0xFFFC;
    uint8_t *bytes = calloc(1, capacity);
    assert_non_null(bytes);
    struct byte_builder b;
    struct tbf_header h;

    image_begin(&b, bytes, capacity, 0x20000, TBF_FLAG_ENABLED);
    tlv_main(&b, 0, 0, 0);
    uint16_t rest = (uint16_t)(capacity - b.len - 4);
    byte_builder_u16(&b, 0x7777);
    byte_builder_u16(&b, rest);
    b.len += rest; /* calloc'd zeros */
    image_seal(&b);
    assert_int_equal(b.len, 0xFFFC);
    assert_int_equal(parse_image(&b, &h), TBF_OK);

    assert_int_equal(h.binary_end_offset, 0x20000);

    memset(bytes, 0, capacity);
    image_begin(&b, bytes, capacity, 0x20000, TBF_FLAG_ENABLED);
    tlv_main(&b, 0, 0, 0);
    uint16_t region_bytes = (uint16_t)((capacity - b.len - 4) & ~7u);
    byte_builder_u16(&b, TBF_TLV_WRITEABLE_FLASH);
    byte_builder_u16(&b, region_bytes);
    b.len += region_bytes;
    byte_builder_align(&b, 4, 0);
    image_seal(&b);
    assert_int_equal(parse_image(&b, &h), TBF_ERR_TOO_MANY);
    free(bytes);
}

/* ---- Main and Program ---- */

static void test_program_overrides_main_whichever_comes_first(void **state)
{
    (void)state;
    uint8_t bytes[IMAGE_CAPACITY];
    struct byte_builder b;
    struct tbf_header h;
    for (int program_first = 0; program_first <= 1; program_first++) {
        image_begin(&b, bytes, sizeof bytes, TOTAL_SIZE, TBF_FLAG_ENABLED);
        if (program_first) {
            tlv_program(&b, 0x20, 0x8, 2000, 0x200, 7);
        }
        tlv_main(&b, 0x10, 0, 1000);
        if (!program_first) {
            tlv_program(&b, 0x20, 0x8, 2000, 0x200, 7);
        }
        image_seal(&b);
        assert_int_equal(parse_image(&b, &h), TBF_OK);
        assert_int_equal(h.init_fn_offset, 0x20);
        assert_int_equal(h.protected_trailer_size, 0x8);
        assert_int_equal(h.minimum_ram_size, 2000);
        assert_int_equal(h.binary_end_offset, 0x200);
        assert_int_equal(h.app_version, 7);
    }
}

static void test_main_alone_ends_binary_at_total_size(void **state)
{
    (void)state;
    uint8_t bytes[IMAGE_CAPACITY];
    struct byte_builder b;
    struct tbf_header h;
    image_begin(&b, bytes, sizeof bytes, TOTAL_SIZE, TBF_FLAG_ENABLED);
    tlv_main(&b, 0x10, 0x4, 1000);
    image_seal(&b);
    assert_int_equal(parse_image(&b, &h), TBF_OK);
    assert_int_equal(h.init_fn_offset, 0x10);
    assert_int_equal(h.protected_trailer_size, 0x4);
    assert_int_equal(h.minimum_ram_size, 1000);
    assert_int_equal(h.binary_end_offset, TOTAL_SIZE);
    assert_int_equal(h.app_version, 0);
    assert_int_equal(h.package_name_len, 0);
    assert_non_null(h.package_name);
    assert_int_equal(h.fixed_ram_address, TBF_NO_FIXED_ADDRESS);
    assert_int_equal(h.fixed_flash_address, TBF_NO_FIXED_ADDRESS);
    assert_false(h.has_kernel_version);
}

static void test_first_main_and_first_program_win(void **state)
{
    (void)state;
    uint8_t bytes[IMAGE_CAPACITY];
    struct byte_builder b;
    struct tbf_header h;

    image_begin(&b, bytes, sizeof bytes, TOTAL_SIZE, TBF_FLAG_ENABLED);
    tlv_main(&b, 0x10, 0, 1000);
    tlv_main(&b, 0x30, 0, 3000);
    image_seal(&b);
    assert_int_equal(parse_image(&b, &h), TBF_OK);
    assert_int_equal(h.init_fn_offset, 0x10);
    assert_int_equal(h.minimum_ram_size, 1000);

    image_begin(&b, bytes, sizeof bytes, TOTAL_SIZE, TBF_FLAG_ENABLED);
    tlv_program(&b, 0x10, 0, 1000, 0x400, 1);
    tlv_program(&b, 0x30, 0, 3000, 0x600, 2);
    image_seal(&b);
    assert_int_equal(parse_image(&b, &h), TBF_OK);
    assert_int_equal(h.binary_end_offset, 0x400);
    assert_int_equal(h.app_version, 1);

    /* A later duplicate must still have a valid length. */
    image_begin(&b, bytes, sizeof bytes, TOTAL_SIZE, TBF_FLAG_ENABLED);
    tlv_program(&b, 0x10, 0, 1000, 0x400, 1);
    tlv(&b, TBF_TLV_PROGRAM, NULL, 16);
    image_seal(&b);
    assert_int_equal(parse_image(&b, &h), TBF_ERR_TLV_LENGTH);

    /* The later, ignored duplicate may hold nonsense values. */
    image_begin(&b, bytes, sizeof bytes, TOTAL_SIZE, TBF_FLAG_ENABLED);
    tlv_program(&b, 0x10, 0, 1000, 0x400, 1);
    tlv_program(&b, 0xFFFFFFFFu, 0xFFFFFFFFu, 0, 0xFFFFFFFFu, 0);
    image_seal(&b);
    assert_int_equal(parse_image(&b, &h), TBF_OK);
}

static void test_invalid_program_is_not_rescued_by_valid_main(void **state)
{
    (void)state;
    uint8_t bytes[IMAGE_CAPACITY];
    struct byte_builder b;
    struct tbf_header h;
    image_begin(&b, bytes, sizeof bytes, TOTAL_SIZE, TBF_FLAG_ENABLED);
    tlv_main(&b, 0x10, 0, 1000);
    tlv_program(&b, 0x10, 0, 1000, TOTAL_SIZE + 4, 1);
    image_seal(&b);
    assert_int_equal(parse_image(&b, &h), TBF_ERR_PROGRAM);
}

struct program_case {
    uint32_t total;
    uint32_t init_fn;
    uint32_t trailer;
    uint32_t binary_end;
    enum tbf_status expect;
};

static enum tbf_status parse_program(const struct program_case *c, bool use_main)
{
    uint8_t bytes[IMAGE_CAPACITY];
    struct byte_builder b;
    struct tbf_header h;
    image_begin(&b, bytes, sizeof bytes, c->total, TBF_FLAG_ENABLED);
    if (use_main) {
        tlv_main(&b, c->init_fn, c->trailer, 0);
    } else {
        tlv_program(&b, c->init_fn, c->trailer, 0, c->binary_end, 0);
    }
    image_seal(&b);
    assert_int_equal(b.len, 0x28 - (use_main ? 8 : 0));
    return parse_image(&b, &h);
}

static void test_program_values_checked_against_sizes_without_overflow(void **state)
{
    (void)state;
    const uint32_t hs = 0x28; /* header: base + Program */
    const struct program_case cases[] = {
        { 0x1000, 0, 0, 0x1000, TBF_OK },
        { 0x1000, 0, 0, 0x1001, TBF_ERR_PROGRAM },        /* binary_end > total_size */
        { 0x1000, 0, 0, 0xFFFFFFFFu, TBF_ERR_PROGRAM },
        { 0x1000, 0, 0x10, hs + 0xF, TBF_ERR_PROGRAM },  /* binary_end < protected */
        { 0x1000, 0x4, 0x10, hs + 0x10, TBF_OK },       /* binary_end == protected */
        { 0x1000, 0, 0, hs, TBF_ERR_PROGRAM },           /* no byte for the entry */
        { 0x1000, 0, 0, 0, TBF_ERR_PROGRAM },
        { 0x1000, 0, 0x1000 - hs, 0x1000, TBF_OK },      /* protected region is the binary */
        { 0x1000, 0, 0x1000 - hs + 1, 0x1000, TBF_ERR_PROGRAM }, /* trailer past total */
        { 0x1000, 0, 0xFFFFFFFFu, 0x1000, TBF_ERR_PROGRAM },
        { 0x1000, 0, 0x100000000ull - hs, 0x1000, TBF_ERR_PROGRAM }, /* hs + trailer == 2^32 */
        { 0x1000, 0x1000 - hs - 1, 0, 0x1000, TBF_OK },   /* last byte of the binary */
        { 0x1000, 0x1000 - hs, 0, 0x1000, TBF_ERR_PROGRAM },
        { 0x1000, 0xFFFFFFFFu, 0, 0x1000, TBF_ERR_PROGRAM },
        { 0x1000, 0x100000000ull - hs, 0, 0x1000, TBF_ERR_PROGRAM }, /* hs + init == 2^32 */
        { 0x1000, 0x100000000ull - hs + 4, 0, 0x1000, TBF_ERR_PROGRAM },
        { 0xFFFFFFFFu, 0, 0xFFFFFFFFu - hs, 0xFFFFFFFFu, TBF_OK }, /* at the top of u32 */
        { 0xFFFFFFFFu, 0, 0xFFFFFFFFu - hs + 1, 0xFFFFFFFFu, TBF_ERR_PROGRAM },
        { 0xFFFFFFFFu, 0xFFFFFFFFu - hs - 1, 0, 0xFFFFFFFFu, TBF_OK },
        { 0xFFFFFFFFu, 0xFFFFFFFFu - hs, 0, 0xFFFFFFFFu, TBF_ERR_PROGRAM },
        { 0xFFFFFFFFu, 4, 0xFFFFFFF0u - hs, 0xFFFFFFFFu, TBF_OK },
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        assert_int_equal(parse_program(&cases[i], false), cases[i].expect);
    }
}

static void test_main_values_checked_against_total_size(void **state)
{
    (void)state;
    const uint32_t hs = 0x20; /* header: base + Main */
    const struct program_case cases[] = {
        { 0x1000, 0, 0, 0, TBF_OK },
        { 0x1000, 0x1000 - hs - 1, 0, 0, TBF_OK },
        { 0x1000, 0x1000 - hs, 0, 0, TBF_ERR_PROGRAM },
        { 0x1000, 0xFFFFFFFFu, 0, 0, TBF_ERR_PROGRAM },
        { 0x1000, 0, 0x1000 - hs + 1, 0, TBF_ERR_PROGRAM },
        { 0x1000, 0, 0x100000000ull - hs, 0, TBF_ERR_PROGRAM },
        { 0x1000, 0, 0xFFFFFFFFu, 0, TBF_ERR_PROGRAM },
        { hs, 0, 0, 0, TBF_ERR_PROGRAM }, /* header-only object has no entry byte */
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        assert_int_equal(parse_program(&cases[i], true), cases[i].expect);
    }
}

/* ---- Writeable flash regions ---- */

static void test_writeable_regions_accumulate_across_tlvs(void **state)
{
    (void)state;
    uint8_t bytes[IMAGE_CAPACITY];
    struct byte_builder b;
    struct tbf_header h;
    app_begin(&b, bytes, sizeof bytes);
    tlv_regions(&b, 0, 1);
    tlv_name(&b, "w");
    tlv_regions(&b, 1, 2);
    tlv_regions(&b, 3, 0);
    tlv_regions(&b, 3, 3);
    image_seal(&b);
    assert_int_equal(parse_image(&b, &h), TBF_OK);
    assert_int_equal(h.writeable_region_count, 6);
    for (uint32_t i = 0; i < 6; i++) {
        assert_int_equal(h.writeable_regions[i].offset, 0x100 * i);
        assert_int_equal(h.writeable_regions[i].size, 0x40);
    }
}

static void test_writeable_regions_overflow_is_too_many(void **state)
{
    (void)state;
    static const uint32_t splits[][3] = {
        { 8, 0, 0 }, { 4, 4, 0 }, { 1, 1, 6 }, /* exactly the maximum */
        { 9, 0, 0 }, { 5, 4, 0 }, { 8, 0, 1 }, /* one too many */
    };
    for (size_t i = 0; i < sizeof splits / sizeof splits[0]; i++) {
        uint8_t bytes[IMAGE_CAPACITY];
        struct byte_builder b;
        struct tbf_header h;
        app_begin(&b, bytes, sizeof bytes);
        uint32_t total = 0;
        for (size_t k = 0; k < 3; k++) {
            tlv_regions(&b, total, splits[i][k]);
            total += splits[i][k];
        }
        image_seal(&b);
        if (total <= TBF_MAX_WRITEABLE_REGIONS) {
            assert_int_equal(parse_image(&b, &h), TBF_OK);
            assert_int_equal(h.writeable_region_count, total);
            assert_int_equal(h.writeable_regions[total - 1].offset, 0x100 * (total - 1));
        } else {
            assert_int_equal(parse_image(&b, &h), TBF_ERR_TOO_MANY);
        }
    }
}

/* ---- Package name ---- */

static void test_package_name_accepts_valid_utf8(void **state)
{
    (void)state;
    static const char *const names[] = {
        "",
        "blink",
        "with\0nul",           /* U+0000 is valid UTF-8 (only 4 bytes are used) */
        "h\xC3\xA9llo",        /* U+00E9 */
        "\xC2\x80",            /* U+0080, smallest 2-byte */
        "\xDF\xBF",            /* U+07FF */
        "\xE0\xA0\x80",        /* U+0800, smallest 3-byte */
        "\xE2\x82\xAC",        /* U+20AC */
        "\xED\x9F\xBF",        /* U+D7FF, just below the surrogates */
        "\xEE\x80\x80",        /* U+E000, just above them */
        "\xEF\xBF\xBF",        /* U+FFFF */
        "\xF0\x90\x80\x80",    /* U+10000, smallest 4-byte */
        "\xF0\x90\x8D\x88",    /* U+10348 */
        "\xF4\x8F\xBF\xBF",    /* U+10FFFF, the largest */
    };
    for (size_t i = 0; i < sizeof names / sizeof names[0]; i++) {
        uint16_t len = (uint16_t)(i == 2 ? 5 : strlen(names[i]));
        uint8_t bytes[IMAGE_CAPACITY];
        struct byte_builder b;
        struct tbf_header h;
        app_begin(&b, bytes, sizeof bytes);
        tlv(&b, TBF_TLV_PACKAGE_NAME, names[i], len);
        image_seal(&b);
        assert_int_equal(parse_image(&b, &h), TBF_OK);
        assert_int_equal(h.package_name_len, len);
        assert_memory_equal(h.package_name, names[i], len);
    }
}

static void test_package_name_rejects_invalid_utf8(void **state)
{
    (void)state;
    static const char *const names[] = {
        "\x80",                 /* lone continuation */
        "ab\xBF",
        "\xC0\x80",             /* overlong NUL */
        "\xC1\xBF",             /* overlong U+007F */
        "\xE0\x80\x80",         /* overlong 3-byte */
        "\xE0\x9F\xBF",         /* overlong U+07FF */
        "\xED\xA0\x80",         /* surrogate U+D800 */
        "\xED\xBF\xBF",         /* surrogate U+DFFF */
        "\xF0\x80\x80\x80",     /* overlong 4-byte */
        "\xF0\x8F\xBF\xBF",     /* overlong U+FFFF */
        "\xF4\x90\x80\x80",     /* U+110000 */
        "\xF5\x80\x80\x80",
        "\xF8\x88\x80\x80\x80", /* 5-byte form */
        "\xFE",
        "\xFF",
        "\xC3",                 /* truncated at the end of the TLV */
        "ok\xE2\x82",
        "\xF0\x90\x8D",
        "\xC3\x28",             /* bad continuation */
        "\xE2\x28\xA1",
        "\xE2\x82\x28",
        "\xF0\x90\x28\xBC",
        "\xF0\x90\x8D\x28",
    };
    for (size_t i = 0; i < sizeof names / sizeof names[0]; i++) {
        assert_int_equal(parse_app_with_tlv(TBF_TLV_PACKAGE_NAME, names[i],
                                            (uint16_t)strlen(names[i])),
                         TBF_ERR_PACKAGE_NAME);
    }
}

static void test_first_package_name_wins_and_later_ones_are_checked(void **state)
{
    (void)state;
    uint8_t bytes[IMAGE_CAPACITY];
    struct byte_builder b;
    struct tbf_header h;
    app_begin(&b, bytes, sizeof bytes);
    tlv_name(&b, "first");
    tlv_name(&b, "second");
    image_seal(&b);
    assert_int_equal(parse_image(&b, &h), TBF_OK);
    assert_int_equal(h.package_name_len, 5);
    assert_memory_equal(h.package_name, "first", 5);

    app_begin(&b, bytes, sizeof bytes);
    tlv_name(&b, "first");
    tlv_name(&b, "\xC0\xAF");
    image_seal(&b);
    assert_int_equal(parse_image(&b, &h), TBF_ERR_PACKAGE_NAME);
}

/* ---- Permissions ---- */

static void test_permission_records_at_two_byte_alignment(void **state)
{
    (void)state;
    uint8_t bytes[IMAGE_CAPACITY];
    struct byte_builder b;
    struct tbf_header h;
    build_rich(&b, bytes, sizeof bytes);
    assert_int_equal(parse_image(&b, &h), TBF_OK);
    assert_true(h.has_permissions);
    assert_int_equal(h.permission_count, 2);
    assert_int_equal(((uintptr_t)h.permissions - (uintptr_t)last_copy) % 4, 2);

    uint32_t driver = 0;
    uint32_t offset = 0;
    uint64_t allowed = 0;
    tbf_permission(&h, 0, &driver, &offset, &allowed);
    assert_int_equal(driver, 0x1);
    assert_int_equal(offset, 0);
    assert_true(allowed == 0x0123456789ABCDEFull);
    tbf_permission(&h, 1, &driver, &offset, &allowed);
    assert_int_equal(driver, 0x90000);
    assert_int_equal(offset, 2);
    assert_true(allowed == 1ull << 63);

    tbf_permission(&h, 2, &driver, &offset, &allowed); /* misuse: past the records */
    assert_int_equal(driver, 0);
    assert_int_equal(offset, 0);
    assert_true(allowed == 0);
    tbf_permission(&h, 0xFFFFFFFFu, &driver, &offset, &allowed);
    assert_true(allowed == 0);
}

static void test_permission_count_must_match_length(void **state)
{
    (void)state;
    uint8_t data[2 + 3 * 16] = { 0 };
    struct {
        uint16_t count;
        uint16_t len;
        enum tbf_status expect;
    } cases[] = {
        { 0, 2, TBF_OK },          { 1, 18, TBF_OK },          { 3, 50, TBF_OK },
        { 1, 2, TBF_ERR_TLV_LENGTH }, { 1, 17, TBF_ERR_TLV_LENGTH }, { 1, 34, TBF_ERR_TLV_LENGTH },
        { 3, 49, TBF_ERR_TLV_LENGTH }, { 0xFFFF, 2, TBF_ERR_TLV_LENGTH },
        { 0x1000, 50, TBF_ERR_TLV_LENGTH }, /* 2 + 16 * 0x1000 wraps a u16 to 2 */
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        data[0] = (uint8_t)cases[i].count;
        data[1] = (uint8_t)(cases[i].count >> 8);
        assert_int_equal(parse_app_with_tlv(TBF_TLV_PERMISSIONS, data, cases[i].len),
                         cases[i].expect);
    }
}

static void test_first_permissions_tlv_wins(void **state)
{
    (void)state;
    uint8_t bytes[IMAGE_CAPACITY];
    struct byte_builder b;
    struct tbf_header h;
    app_begin(&b, bytes, sizeof bytes);
    tlv(&b, TBF_TLV_PERMISSIONS, NULL, 2); /* zero records */
    uint8_t one[18] = { 1, 0, 7 };
    tlv(&b, TBF_TLV_PERMISSIONS, one, sizeof one);
    image_seal(&b);
    assert_int_equal(parse_image(&b, &h), TBF_OK);
    assert_true(h.has_permissions);
    assert_int_equal(h.permission_count, 0);
}

/* ---- Storage permissions ---- */

static void test_storage_permissions_parse_all_ids(void **state)
{
    (void)state;
    static const uint16_t counts[][2] = { { 0, 0 }, { 2, 1 }, { 0, 8 }, { 8, 0 }, { 8, 8 } };
    for (size_t i = 0; i < sizeof counts / sizeof counts[0]; i++) {
        uint8_t bytes[IMAGE_CAPACITY];
        struct byte_builder b;
        struct tbf_header h;
        app_begin(&b, bytes, sizeof bytes);
        tlv_storage(&b, counts[i][0], counts[i][1]);
        image_seal(&b);
        assert_int_equal(parse_image(&b, &h), TBF_OK);
        assert_true(h.has_storage_permissions);
        assert_int_equal(h.storage_write_id, 0x51);
        assert_int_equal(h.storage_read_count, counts[i][0]);
        assert_int_equal(h.storage_modify_count, counts[i][1]);
        for (uint32_t k = 0; k < counts[i][0]; k++) {
            assert_int_equal(h.storage_read_ids[k], 0x10 + k);
        }
        for (uint32_t k = 0; k < counts[i][1]; k++) {
            assert_int_equal(h.storage_modify_ids[k], 0x20 + k);
        }
    }
}

static void test_storage_permissions_reject_bad_counts_and_lengths(void **state)
{
    (void)state;
    struct {
        uint16_t read_count;
        uint16_t modify_count;
        int16_t len_delta; /* added to the length the counts imply */
        enum tbf_status expect;
    } cases[] = {
        { 9, 0, 0, TBF_ERR_TOO_MANY },      { 0, 9, 0, TBF_ERR_TOO_MANY },
        { 9, 9, 0, TBF_ERR_TOO_MANY },      { 2, 1, 4, TBF_ERR_TLV_LENGTH },
        { 2, 1, -4, TBF_ERR_TLV_LENGTH },   { 2, 1, 1, TBF_ERR_TLV_LENGTH },
        { 2, 0, -2, TBF_ERR_TLV_LENGTH },   /* modify_count cut off */
        { 2, 0, -3, TBF_ERR_TLV_LENGTH },
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        uint8_t bytes[IMAGE_CAPACITY];
        struct byte_builder b;
        struct tbf_header h;
        uint16_t r = cases[i].read_count;
        uint16_t m = cases[i].modify_count;
        uint16_t len = (uint16_t)(4 + 2 + 4 * r + 2 + 4 * m + cases[i].len_delta);
        app_begin(&b, bytes, sizeof bytes);
        byte_builder_u16(&b, TBF_TLV_STORAGE_PERMISSIONS);
        byte_builder_u16(&b, len);
        size_t data_at = b.len;
        for (uint16_t k = 0; k < len; k++) {
            byte_builder_u8(&b, 0);
        }
        byte_builder_align(&b, 4, 0);
        byte_builder_set_u16(&b, data_at + 4, r);
        if (6u + 4u * r + 2u <= len) {
            byte_builder_set_u16(&b, data_at + 6 + 4 * r, m);
        }
        image_seal(&b);
        assert_int_equal(parse_image(&b, &h), cases[i].expect);
    }
}

static void test_storage_counts_near_limits_do_not_overflow(void **state)
{
    (void)state;
    uint8_t data[12] = { 0 };
    data[4] = 0xFF; /* read_count 0xFFFF */
    data[5] = 0xFF;
    assert_int_equal(parse_app_with_tlv(TBF_TLV_STORAGE_PERMISSIONS, data, 8), TBF_ERR_TOO_MANY);
    data[4] = 0;
    data[5] = 0;
    data[6] = 0xFF; /* modify_count 0xFFFF */
    data[7] = 0xFF;
    assert_int_equal(parse_app_with_tlv(TBF_TLV_STORAGE_PERMISSIONS, data, 8), TBF_ERR_TOO_MANY);
}

/* ---- Fixed addresses, short id, kernel version ---- */

static void test_rich_header_fields(void **state)
{
    (void)state;
    uint8_t bytes[IMAGE_CAPACITY];
    struct byte_builder b;
    struct tbf_header h;
    build_rich(&b, bytes, sizeof bytes);
    assert_int_equal(parse_image(&b, &h), TBF_OK);
    assert_int_equal(h.flags, TBF_FLAG_ENABLED | TBF_FLAG_STICKY);
    assert_int_equal(h.init_fn_offset, 0x24);
    assert_int_equal(h.app_version, 3);
    assert_int_equal(h.package_name_len, 8);
    assert_memory_equal(h.package_name, "r\xC3\xA9sum\xC3\xA9", 8);
    assert_int_equal(h.writeable_region_count, 3);
    assert_int_equal(h.fixed_ram_address, 0x20004000u);
    assert_int_equal(h.fixed_flash_address, 0x00040080u);
    assert_int_equal(h.kernel_major, 2);
    assert_int_equal(h.kernel_minor, 1);
    assert_int_equal(h.short_id, 0xC0FFEE);
    assert_int_equal(h.storage_read_count, 2);
    assert_int_equal(h.storage_modify_count, 1);
}

static void test_first_fixed_addresses_short_id_and_kernel_version_win(void **state)
{
    (void)state;
    uint8_t bytes[IMAGE_CAPACITY];
    struct byte_builder b;
    struct tbf_header h;
    app_begin(&b, bytes, sizeof bytes);
    tlv_fixed(&b, 1, 2);
    tlv_fixed(&b, 3, 4);
    tlv_kernel_version(&b, 2, 2);
    tlv_kernel_version(&b, 3, 0);
    uint8_t id1[4] = { 1, 0, 0, 0 };
    uint8_t id2[4] = { 2, 0, 0, 0 };
    tlv(&b, TBF_TLV_SHORT_ID, id1, 4);
    tlv(&b, TBF_TLV_SHORT_ID, id2, 4);
    image_seal(&b);
    assert_int_equal(parse_image(&b, &h), TBF_OK);
    assert_int_equal(h.fixed_ram_address, 1);
    assert_int_equal(h.fixed_flash_address, 2);
    assert_int_equal(h.kernel_major, 2);
    assert_int_equal(h.kernel_minor, 2);
    assert_int_equal(h.short_id, 1);
}

static void test_kernel_version_major_must_match_and_minor_not_exceed(void **state)
{
    (void)state;
    struct tbf_header h = { 0 };
    assert_false(tbf_kernel_version_ok(&h, 2, 3)); /* absent: Tock skips the app */

    h.has_kernel_version = true;
    h.kernel_major = 2;
    h.kernel_minor = 2;
    assert_true(tbf_kernel_version_ok(&h, 2, 2));
    assert_true(tbf_kernel_version_ok(&h, 2, 3));
    assert_true(tbf_kernel_version_ok(&h, 2, 0xFFFF));
    assert_false(tbf_kernel_version_ok(&h, 2, 1));
    assert_false(tbf_kernel_version_ok(&h, 2, 0));
    assert_false(tbf_kernel_version_ok(&h, 3, 0));
    assert_false(tbf_kernel_version_ok(&h, 3, 3));
    assert_false(tbf_kernel_version_ok(&h, 1, 9));

    h.kernel_minor = 0;
    assert_true(tbf_kernel_version_ok(&h, 2, 0));
    h.kernel_major = 0xFFFF;
    h.kernel_minor = 0xFFFF;
    assert_true(tbf_kernel_version_ok(&h, 0xFFFF, 0xFFFF));
    assert_false(tbf_kernel_version_ok(&h, 0xFFFF, 0xFFFE));
    assert_false(tbf_kernel_version_ok(&h, 0, 0xFFFF));
}

/* ---- Reasons ---- */

static void test_every_status_has_a_distinct_reason(void **state)
{
    (void)state;
    const char *seen[TBF_ERR_CREDENTIAL + 1];
    for (int s = TBF_OK; s <= TBF_ERR_CREDENTIAL; s++) {
        seen[s] = tbf_status_reason((enum tbf_status)s);
        assert_non_null(seen[s]);
        assert_true(strlen(seen[s]) > 8);
        for (int k = 0; k < s; k++) {
            assert_string_not_equal(seen[s], seen[k]);
        }
    }
    assert_non_null(strstr(tbf_status_reason(TBF_ERR_CHECKSUM), "checksum"));
    assert_non_null(strstr(tbf_status_reason(TBF_ERR_PACKAGE_NAME), "UTF-8"));
    assert_non_null(tbf_status_reason((enum tbf_status)99));
}

/* ---- Credential footers (TBF_TLV_CREDENTIALS between binary_end_offset and total_size) ---- */

#define FOOTER_TOTAL 0x200u

/* A whole TBF of `total` bytes on the heap (exactly: ASan sees reads past total_size), whose
 * Program TLV puts the binary end at `binary_end`; the footer area after it is copied from
 * `footer` (`footer_len` bytes, zero fill after). The header is parsed into `h`. */
static uint8_t *footer_image(uint32_t total, uint32_t binary_end, const uint8_t *footer,
                             size_t footer_len, struct tbf_header *h)
{
    uint8_t *img = calloc(1, total);
    assert_non_null(img);
    struct byte_builder b;
    image_begin(&b, img, total, total, TBF_FLAG_ENABLED);
    tlv_program(&b, 0, 0, 0x400, binary_end, 1);
    image_seal(&b);
    assert_true(binary_end >= b.len && footer_len <= total - binary_end);
    if (footer_len != 0) {
        memcpy(img + binary_end, footer, footer_len);
    }
    assert_int_equal(tbf_parse_header(img, b.len, h), TBF_OK);
    assert_int_equal(h->binary_end_offset, binary_end);
    return img;
}

static void credential(struct byte_builder *b, uint32_t format, uint32_t data_len, uint8_t fill)
{
    byte_builder_u16(b, TBF_TLV_CREDENTIALS);
    byte_builder_u16(b, (uint16_t)(4u + data_len));
    byte_builder_u32(b, format);
    for (uint32_t i = 0; i < data_len; i++) {
        byte_builder_u8(b, fill);
    }
    byte_builder_align(b, 4, 0);
}

static void test_footers_absent_when_the_binary_ends_at_total_size(void **state)
{
    (void)state;
    struct tbf_header h;
    uint8_t *img = footer_image(FOOTER_TOTAL, FOOTER_TOTAL, NULL, 0, &h);
    struct tbf_footer_iter it;
    struct tbf_footer f;
    tbf_footers_begin(&it, img, &h);
    assert_int_equal(tbf_footer_next(&it, &f), TBF_END);
    assert_int_equal(tbf_footer_next(&it, &f), TBF_END);
    free(img);
}

/* elf2tab's layout: a SHA-256 credential, then a Reserved one filling the rest. */
static void test_footers_sha256_then_reserved_padding_to_total_size(void **state)
{
    (void)state;
    uint8_t footer[0x100];
    struct byte_builder b;
    byte_builder_init(&b, footer, sizeof footer);
    credential(&b, TBF_CREDENTIAL_SHA256, 32, 0xC5);
    size_t rest = sizeof footer - b.len; /* 0x100 - 40 bytes: one Reserved TLV */
    credential(&b, TBF_CREDENTIAL_RESERVED, (uint32_t)(rest - 8u), 0);
    assert_int_equal(b.len, sizeof footer);
    struct tbf_header h;
    uint8_t *img = footer_image(FOOTER_TOTAL, FOOTER_TOTAL - 0x100u, footer, sizeof footer, &h);
    struct tbf_footer_iter it;
    struct tbf_footer f;
    tbf_footers_begin(&it, img, &h);
    assert_int_equal(tbf_footer_next(&it, &f), TBF_OK);
    assert_int_equal(f.offset, FOOTER_TOTAL - 0x100u);
    assert_int_equal(f.format, TBF_CREDENTIAL_SHA256);
    assert_int_equal(f.data_len, 32);
    assert_ptr_equal(f.data, img + FOOTER_TOTAL - 0x100u + 8u);
    assert_int_equal(f.data[0], 0xC5);
    assert_int_equal(f.data[31], 0xC5);
    assert_int_equal(tbf_footer_next(&it, &f), TBF_OK);
    assert_int_equal(f.offset, FOOTER_TOTAL - 0x100u + 40u);
    assert_int_equal(f.format, TBF_CREDENTIAL_RESERVED);
    assert_int_equal(f.data_len, rest - 8u);
    assert_int_equal(tbf_footer_next(&it, &f), TBF_END);
    free(img);
}

static void test_footer_known_formats_need_their_exact_data_length(void **state)
{
    (void)state;
    static const uint32_t sizes[][2] = {
        { TBF_CREDENTIAL_RSA3072_KEY, 768 }, { TBF_CREDENTIAL_RSA4096_KEY, 1024 },
        { TBF_CREDENTIAL_SHA256, 32 },       { TBF_CREDENTIAL_SHA384, 48 },
        { TBF_CREDENTIAL_SHA512, 64 },       { TBF_CREDENTIAL_ECDSA_NIST_P256, 64 },
    };
    static uint8_t footer[1040];
    for (size_t i = 0; i < sizeof sizes / sizeof sizes[0]; i++) {
        for (int delta = -1; delta <= 1; delta++) {
            uint32_t data_len = sizes[i][1] + (uint32_t)delta;
            struct byte_builder b;
            byte_builder_init(&b, footer, sizeof footer);
            credential(&b, sizes[i][0], data_len, 0x11);
            uint32_t total = 0x40u + (uint32_t)b.len;
            struct tbf_header h;
            uint8_t *img = footer_image(total, 0x40u, footer, b.len, &h);
            struct tbf_footer_iter it;
            struct tbf_footer f;
            tbf_footers_begin(&it, img, &h);
            if (delta == 0) {
                assert_int_equal(tbf_footer_next(&it, &f), TBF_OK);
                assert_int_equal(f.format, sizes[i][0]);
                assert_int_equal(f.data_len, sizes[i][1]);
                assert_int_equal(tbf_footer_next(&it, &f), TBF_END);
            } else {
                assert_int_equal(tbf_footer_next(&it, &f), TBF_ERR_CREDENTIAL);
            }
            free(img);
        }
    }
}

static void test_footer_unknown_format_and_wrong_type_are_refused_and_sticky(void **state)
{
    (void)state;
    uint8_t footer[0x40];
    struct byte_builder b;
    byte_builder_init(&b, footer, sizeof footer);
    credential(&b, 7, 8, 0); /* no format 7 */
    credential(&b, TBF_CREDENTIAL_RESERVED, 4, 0);
    struct tbf_header h;
    uint8_t *img = footer_image(0x100, 0x100 - sizeof footer, footer, b.len, &h);
    struct tbf_footer_iter it;
    struct tbf_footer f;
    tbf_footers_begin(&it, img, &h);
    assert_int_equal(tbf_footer_next(&it, &f), TBF_ERR_CREDENTIAL);
    assert_int_equal(tbf_footer_next(&it, &f), TBF_ERR_CREDENTIAL); /* never resumes */
    free(img);

    byte_builder_init(&b, footer, sizeof footer);
    credential(&b, TBF_CREDENTIAL_RESERVED, 4, 0);
    tlv(&b, TBF_TLV_PACKAGE_NAME, "late", 4); /* a header TLV type in the footer area */
    img = footer_image(0x100, 0x100 - sizeof footer, footer, b.len, &h);
    tbf_footers_begin(&it, img, &h);
    assert_int_equal(tbf_footer_next(&it, &f), TBF_OK);
    assert_int_equal(tbf_footer_next(&it, &f), TBF_ERR_FOOTER_TYPE);
    assert_int_equal(tbf_footer_next(&it, &f), TBF_ERR_FOOTER_TYPE);
    free(img);
}

/* A length that reaches exactly total_size is accepted; one byte more, or one that cannot
 * hold the format word, is refused without reading past total_size (ASan checks). */
static void test_footer_lengths_never_run_past_total_size(void **state)
{
    (void)state;
    uint8_t footer[16];
    for (uint32_t len = 0; len <= 13; len++) {
        struct byte_builder b;
        byte_builder_init(&b, footer, sizeof footer);
        byte_builder_u16(&b, TBF_TLV_CREDENTIALS);
        byte_builder_u16(&b, (uint16_t)len);
        byte_builder_u32(&b, TBF_CREDENTIAL_RESERVED);
        /* 16 footer bytes: lengths 4..12 fit, 13 runs one byte past total_size. */
        struct tbf_header h;
        uint8_t *img = footer_image(0x80, 0x80 - 16u, footer, b.len, &h);
        struct tbf_footer_iter it;
        struct tbf_footer f;
        tbf_footers_begin(&it, img, &h);
        enum tbf_status st = tbf_footer_next(&it, &f);
        if (len < 4 || len > 12) {
            assert_int_equal(st, TBF_ERR_FOOTER_BOUNDS);
        } else {
            assert_int_equal(st, TBF_OK);
            assert_int_equal(f.data_len, len - 4u);
            assert_true(f.data + f.data_len <= img + 0x80);
        }
        free(img);
    }
    /* The largest TLV length, 0xFFFF, from a small object. */
    struct byte_builder b;
    byte_builder_init(&b, footer, sizeof footer);
    byte_builder_u16(&b, TBF_TLV_CREDENTIALS);
    byte_builder_u16(&b, 0xFFFFu);
    struct tbf_header h;
    uint8_t *img = footer_image(0x80, 0x80 - 16u, footer, b.len, &h);
    struct tbf_footer_iter it;
    struct tbf_footer f;
    tbf_footers_begin(&it, img, &h);
    assert_int_equal(tbf_footer_next(&it, &f), TBF_ERR_FOOTER_BOUNDS);
    free(img);
}

/* Odd lengths pad to 4 relative to the TLV; padding that would pass total_size ends the walk,
 * as do 1-3 bytes too few for a TLV header; an unaligned binary end is where footers start. */
static void test_footer_padding_alignment_and_short_tails(void **state)
{
    (void)state;
    uint8_t footer[0x20];
    struct byte_builder b;
    byte_builder_init(&b, footer, sizeof footer);
    credential(&b, TBF_CREDENTIAL_RESERVED, 1, 0xAA); /* 4 + 5 bytes, padded to 12 */
    credential(&b, TBF_CREDENTIAL_RESERVED, 0, 0);
    size_t used = b.len; /* 20 */
    struct tbf_header h;
    uint32_t total = 0x61u + (uint32_t)used + 3u; /* binary end 0x61 (odd), 3 tail bytes */
    uint8_t *img = footer_image(total, 0x61u, footer, used, &h);
    struct tbf_footer_iter it;
    struct tbf_footer f;
    tbf_footers_begin(&it, img, &h);
    assert_int_equal(tbf_footer_next(&it, &f), TBF_OK);
    assert_int_equal(f.offset, 0x61u);
    assert_int_equal(f.data_len, 1);
    assert_int_equal(f.data[0], 0xAA);
    assert_int_equal(tbf_footer_next(&it, &f), TBF_OK);
    assert_int_equal(f.offset, 0x61u + 12u);
    assert_int_equal(f.data_len, 0);
    assert_int_equal(tbf_footer_next(&it, &f), TBF_END); /* 3 bytes left */
    free(img);

    /* The last TLV's length reaches total_size but its padding would not fit. */
    byte_builder_init(&b, footer, sizeof footer);
    credential(&b, TBF_CREDENTIAL_RESERVED, 2, 0xBB); /* 10 bytes + 2 padding */
    img = footer_image(0x40u + 10u, 0x40u, footer, 10, &h);
    tbf_footers_begin(&it, img, &h);
    assert_int_equal(tbf_footer_next(&it, &f), TBF_OK);
    assert_int_equal(it.offset, it.end);
    assert_int_equal(tbf_footer_next(&it, &f), TBF_END);
    free(img);
}

/* A Main-only header has no Program, so no footers: binary_end_offset is total_size. */
static void test_footers_of_a_main_only_header_are_empty(void **state)
{
    (void)state;
    uint8_t *img = calloc(1, 0x100);
    assert_non_null(img);
    struct byte_builder b;
    image_begin(&b, img, 0x100, 0x100, TBF_FLAG_ENABLED);
    tlv_main(&b, 0, 0, 0x400);
    image_seal(&b);
    img[0xF0] = (uint8_t)TBF_TLV_CREDENTIALS; /* looks like a footer, but it is binary */
    struct tbf_header h;
    assert_int_equal(tbf_parse_header(img, b.len, &h), TBF_OK);
    struct tbf_footer_iter it;
    struct tbf_footer f;
    tbf_footers_begin(&it, img, &h);
    assert_int_equal(tbf_footer_next(&it, &f), TBF_END);
    free(img);
}

/* ---- Fuzz-style robustness ---- */

static unsigned fuzz_ok;
static unsigned fuzz_runs;

static void fuzz_one(const uint8_t *bytes, size_t len)
{
    struct tbf_header h;
    enum tbf_status status = parse_bytes(bytes, len, &h);
    struct tbf_lengths lengths;
    (void)lengths_of(bytes, len < 8 ? len : 8, len, &lengths);
    fuzz_runs++;
    fuzz_ok += status == TBF_OK;
}

static void mutate_every_byte(const uint8_t *original, size_t len)
{
    uint8_t *work = malloc(len);
    assert_non_null(work);
    for (size_t i = 0; i < len; i++) {
        const uint8_t values[] = {
            0x00, 0x01, 0x02, 0x03, 0x04, 0x07, 0x08, 0x09, 0x0A, 0x0F, 0x10, 0x11, 0x20, 0x7F,
            0x80, 0xC0, 0xE0, 0xF0, 0xFE, 0xFF, (uint8_t)(original[i] ^ 0x01),
            (uint8_t)(original[i] ^ 0x80), (uint8_t)(original[i] + 1), (uint8_t)(original[i] - 1),
            (uint8_t)(original[i] + 4), (uint8_t)(original[i] - 4),
        };
        for (size_t v = 0; v < sizeof values; v++) {
            memcpy(work, original, len);
            work[i] = values[v];
            fuzz_one(work, len); /* as mutated: mostly checksum errors */
            fix_checksum(work, len);
            fuzz_one(work, len); /* sealed: reaches the TLV parser */
        }
    }
    free(work);
}

/* Cut the header at every word boundary and reseal it, so TLVs end at every position. */
static void truncate_everywhere(const uint8_t *original, size_t len)
{
    for (size_t cut = 16; cut <= len; cut += 4) {
        uint8_t *work = heap_copy(original, cut);
        work[2] = (uint8_t)cut;
        work[3] = (uint8_t)(cut >> 8);
        fix_checksum(work, cut);
        fuzz_one(work, cut);
        free(work);
    }
}

static void test_fuzz_single_byte_mutations_stay_in_bounds(void **state)
{
    (void)state;
    uint8_t bytes[IMAGE_CAPACITY];
    struct byte_builder b;

    fuzz_ok = 0;
    fuzz_runs = 0;
    build_blink(&b, bytes, sizeof bytes);
    mutate_every_byte(bytes, b.len);
    truncate_everywhere(bytes, b.len);
    build_rich(&b, bytes, sizeof bytes);
    mutate_every_byte(bytes, b.len);
    truncate_everywhere(bytes, b.len);
    assert_true(fuzz_runs > 10000);
    assert_true(fuzz_ok > 100); /* the mutations that stay valid do parse */
}

static uint32_t xorshift32(uint32_t *s)
{
    uint32_t x = *s;
    x ^= x << 13;
    x ^= x >> 17;
    x ^= x << 5;
    *s = x;
    return x;
}

static void test_fuzz_random_mutations_stay_in_bounds(void **state)
{
    (void)state;
    uint8_t original[IMAGE_CAPACITY];
    uint8_t work[IMAGE_CAPACITY];
    struct byte_builder b;
    build_rich(&b, original, sizeof original);
    uint32_t seed = 0x7B0C4u;
    for (unsigned round = 0; round < 40000; round++) {
        memcpy(work, original, b.len);
        unsigned changes = 1 + xorshift32(&seed) % 6;
        for (unsigned k = 0; k < changes; k++) {
            uint32_t r = xorshift32(&seed);
            size_t at = 16 + r % (b.len - 16); /* keep the base header intact */
            work[at] = (uint8_t)(r >> 16);
        }
        fix_checksum(work, b.len);
        fuzz_one(work, b.len);
    }
    /* Random 8-byte prefixes for tbf_parse_lengths. */
    for (unsigned round = 0; round < 20000; round++) {
        uint8_t prefix[8];
        uint32_t r1 = xorshift32(&seed);
        uint32_t r2 = xorshift32(&seed);
        for (size_t i = 0; i < 4; i++) {
            prefix[i] = (uint8_t)(r1 >> (8 * i));
            prefix[4 + i] = (uint8_t)(r2 >> (8 * i));
        }
        prefix[0] = 2;
        prefix[1] = 0;
        struct tbf_lengths out;
        size_t remaining = xorshift32(&seed);
        enum tbf_status status = lengths_of(prefix, 8, remaining, &out);
        if (status == TBF_OK) {
            assert_true(out.header_size >= 16 && out.header_size % 4 == 0);
            assert_true(out.header_size <= out.total_size && out.total_size <= remaining);
        } else if (status == TBF_ERR_HEADER_SIZE) {
            assert_true(out.total_size >= 16 && out.total_size <= remaining);
        } else {
            assert_int_equal(status, TBF_ERR_TOTAL_SIZE);
            assert_true(out.total_size < 16 || out.total_size > remaining);
        }
    }
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_blink_worked_example_parses_to_spec_values),
        cmocka_unit_test(test_lengths_end_when_fewer_than_8_bytes_remain),
        cmocka_unit_test(test_lengths_end_on_erased_or_zero_filled_flash),
        cmocka_unit_test(test_lengths_refuse_unknown_versions),
        cmocka_unit_test(test_lengths_refuse_unusable_total_size),
        cmocka_unit_test(test_lengths_report_skippable_bad_header_size),
        cmocka_unit_test(test_header_rejects_size_argument_below_base),
        cmocka_unit_test(test_header_rejects_size_field_that_disagrees_with_buffer),
        cmocka_unit_test(test_header_rejects_bad_version_and_sizes),
        cmocka_unit_test(test_checksum_mismatch_is_detected),
        cmocka_unit_test(test_padding_object_without_tlvs),
        cmocka_unit_test(test_tlvs_without_main_or_program_are_padding),
        cmocka_unit_test(test_each_tlv_type_rejects_wrong_lengths),
        cmocka_unit_test(test_each_tlv_type_accepts_its_lengths),
        cmocka_unit_test(test_unknown_tlv_types_are_skipped),
        cmocka_unit_test(test_tlv_running_past_header_is_rejected),
        cmocka_unit_test(test_tlv_ending_exactly_at_header_end_is_accepted),
        cmocka_unit_test(test_largest_header_parses_and_huge_region_tlv_is_too_many),
        cmocka_unit_test(test_program_overrides_main_whichever_comes_first),
        cmocka_unit_test(test_main_alone_ends_binary_at_total_size),
        cmocka_unit_test(test_first_main_and_first_program_win),
        cmocka_unit_test(test_invalid_program_is_not_rescued_by_valid_main),
        cmocka_unit_test(test_program_values_checked_against_sizes_without_overflow),
        cmocka_unit_test(test_main_values_checked_against_total_size),
        cmocka_unit_test(test_writeable_regions_accumulate_across_tlvs),
        cmocka_unit_test(test_writeable_regions_overflow_is_too_many),
        cmocka_unit_test(test_package_name_accepts_valid_utf8),
        cmocka_unit_test(test_package_name_rejects_invalid_utf8),
        cmocka_unit_test(test_first_package_name_wins_and_later_ones_are_checked),
        cmocka_unit_test(test_permission_records_at_two_byte_alignment),
        cmocka_unit_test(test_permission_count_must_match_length),
        cmocka_unit_test(test_first_permissions_tlv_wins),
        cmocka_unit_test(test_storage_permissions_parse_all_ids),
        cmocka_unit_test(test_storage_permissions_reject_bad_counts_and_lengths),
        cmocka_unit_test(test_storage_counts_near_limits_do_not_overflow),
        cmocka_unit_test(test_rich_header_fields),
        cmocka_unit_test(test_first_fixed_addresses_short_id_and_kernel_version_win),
        cmocka_unit_test(test_kernel_version_major_must_match_and_minor_not_exceed),
        cmocka_unit_test(test_every_status_has_a_distinct_reason),
        cmocka_unit_test(test_footers_absent_when_the_binary_ends_at_total_size),
        cmocka_unit_test(test_footers_sha256_then_reserved_padding_to_total_size),
        cmocka_unit_test(test_footer_known_formats_need_their_exact_data_length),
        cmocka_unit_test(test_footer_unknown_format_and_wrong_type_are_refused_and_sticky),
        cmocka_unit_test(test_footer_lengths_never_run_past_total_size),
        cmocka_unit_test(test_footer_padding_alignment_and_short_tails),
        cmocka_unit_test(test_footers_of_a_main_only_header_are_empty),
        cmocka_unit_test(test_fuzz_single_byte_mutations_stay_in_bounds),
        cmocka_unit_test(test_fuzz_random_mutations_stay_in_bounds),
    };
    return cmocka_run_group_tests(tests, NULL, free_last_copy);
}
