/* SPDX-License-Identifier: Apache-2.0 OR MIT */
/*
 * libFuzzer harness for the TBF parser (libraries/tbf.c) on arbitrary bytes.
 *
 * Each input is treated as the rest of an app flash region. The harness runs
 * tbf_parse_lengths on it, then tbf_parse_header on a heap copy of exactly the declared
 * header bytes (so AddressSanitizer reports any read past them), once as given and once with
 * the checksum word recomputed so the fuzzer reaches the TLV walk without having to solve the
 * XOR. When the object's total_size bytes are all there it also walks the credential footers
 * (tbf_footer_next) from an allocation of exactly total_size bytes. Every result is checked
 * against the invariants tbf.h and tbf.c state; a violation calls abort(), which libFuzzer
 * reports as a crash with the input that caused it.
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "tbf.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static void check(int ok, const char *what)
{
    if (!ok) {
        fprintf(stderr, "tbf_fuzz: invariant violated: %s\n", what);
        abort();
    }
}

static uint32_t get_u32(const uint8_t *p)
{
    return (uint32_t)p[0] | ((uint32_t)p[1] << 8) | ((uint32_t)p[2] << 16) |
           ((uint32_t)p[3] << 24);
}

static void put_u32(uint8_t *p, uint32_t v)
{
    p[0] = (uint8_t)v;
    p[1] = (uint8_t)(v >> 8);
    p[2] = (uint8_t)(v >> 16);
    p[3] = (uint8_t)(v >> 24);
}

/* `ptr`..`ptr + len` lies inside `buf`..`buf + size`. */
static int inside(const uint8_t *buf, size_t size, const uint8_t *ptr, uint64_t len)
{
    return ptr >= buf && (uint64_t)(ptr - buf) <= size && len <= size - (size_t)(ptr - buf);
}

/* Independent 64-bit restatement of tbf_writeable_regions_ok. */
static int regions_ok_reference(const struct tbf_header *h)
{
    uint64_t start = (uint64_t)h->header_size + h->protected_trailer_size;
    for (uint32_t i = 0; i < h->writeable_region_count; i++) {
        uint64_t off = h->writeable_regions[i].offset;
        uint64_t end = off + h->writeable_regions[i].size;
        if (off < start || end > h->total_size) {
            return 0;
        }
    }
    return 1;
}

static void check_status(enum tbf_status st)
{
    const char *reason = tbf_status_reason(st);
    check(reason != NULL && reason[0] != '\0', "every status has a reason");
    check(st == TBF_OK || st == TBF_PADDING || st == TBF_ERR_HEADER_SIZE ||
              st == TBF_ERR_CHECKSUM || st == TBF_ERR_TLV_BOUNDS || st == TBF_ERR_TLV_LENGTH ||
              st == TBF_ERR_PACKAGE_NAME || st == TBF_ERR_TOO_MANY || st == TBF_ERR_PROGRAM,
          "tbf_parse_header returns a header status (never TBF_END)");
}

static void check_header(const uint8_t *buf, size_t size, enum tbf_status st,
                         const struct tbf_header *h)
{
    check_status(st);
    if (st != TBF_OK && st != TBF_PADDING) {
        return;
    }
    check(h->version == 2, "version is 2");
    check(h->header_size == size, "header_size is the size given");
    check(h->header_size >= TBF_BASE_HEADER_SIZE && h->header_size % 4 == 0,
          "header_size >= 16 and a multiple of 4");
    check(h->total_size >= h->header_size, "header_size <= total_size");
    check(inside(buf, size, h->package_name, h->package_name_len),
          "package name inside the header");
    check(h->writeable_region_count <= TBF_MAX_WRITEABLE_REGIONS, "region count bounded");
    check(h->storage_read_count <= TBF_MAX_STORAGE_IDS, "storage read count bounded");
    check(h->storage_modify_count <= TBF_MAX_STORAGE_IDS, "storage modify count bounded");
    if (h->has_permissions) {
        check(inside(buf, size, h->permissions, 16ull * h->permission_count),
              "permission records inside the header");
        check(h->permissions >= buf + TBF_BASE_HEADER_SIZE,
              "permission records after the base header");
    } else {
        check(h->permission_count == 0, "no permissions, count 0");
    }
    if (st == TBF_OK) {
        uint64_t protected_end = (uint64_t)h->header_size + h->protected_trailer_size;
        check(protected_end <= h->binary_end_offset, "protected region <= binary_end_offset");
        check(h->binary_end_offset <= h->total_size, "binary_end_offset <= total_size");
        check((uint64_t)h->header_size + h->init_fn_offset < h->binary_end_offset,
              "entry point inside the binary");
    }
    if (st == TBF_OK) {
        check(tbf_writeable_regions_ok(h) == regions_ok_reference(h),
              "tbf_writeable_regions_ok matches its definition");
    }
    uint16_t majors[] = {0, 1, 2, 0xFFFF};
    uint16_t minors[] = {0, 1, 0x7FFF, 0xFFFF};
    for (size_t i = 0; i < 4; i++) {
        int want = h->has_kernel_version && h->kernel_major == majors[i] &&
                   h->kernel_minor <= minors[i];
        check(tbf_kernel_version_ok(h, majors[i], minors[i]) == want,
              "tbf_kernel_version_ok matches its definition");
    }
    uint32_t driver, offset;
    uint64_t allowed;
    for (uint32_t i = 0; i < h->permission_count && i < 64; i++) {
        tbf_permission(h, i, &driver, &offset, &allowed); /* ASan checks the reads */
    }
    tbf_permission(h, h->permission_count, &driver, &offset, &allowed);
    check(driver == 0 && offset == 0 && allowed == 0, "out-of-range permission allows nothing");
}

/* Parse `len` bytes copied to their own allocation, twice (the result must not change). */
static enum tbf_status parse_copy(const uint8_t *src, size_t len, int fix_checksum)
{
    uint8_t *buf = malloc(len ? len : 1);
    check(buf != NULL, "malloc");
    memcpy(buf, src, len);
    if (fix_checksum && len >= TBF_BASE_HEADER_SIZE) {
        uint32_t sum = 0;
        for (size_t w = 0; w < len / 4; w++) {
            if (w != 3) {
                sum ^= get_u32(buf + 4 * w);
            }
        }
        put_u32(buf + 12, sum);
    }
    struct tbf_header h1, h2;
    enum tbf_status st = tbf_parse_header(buf, len, &h1);
    check_header(buf, len, st, &h1);
    enum tbf_status again = tbf_parse_header(buf, len, &h2);
    check(st == again, "parsing is deterministic");
    if (st == TBF_OK) {
        check(h1.init_fn_offset == h2.init_fn_offset &&
                  h1.binary_end_offset == h2.binary_end_offset &&
                  h1.writeable_region_count == h2.writeable_region_count,
              "parsed fields are deterministic");
    }
    if (fix_checksum && len >= TBF_BASE_HEADER_SIZE && len % 4 == 0) {
        check(st != TBF_ERR_CHECKSUM, "a recomputed checksum is accepted");
    }
    free(buf);
    return st;
}

/* The credential footers of the object the input starts with, when its header (checksum
 * recomputed) parses as an app and all total_size bytes exist: walked from an allocation of
 * exactly total_size bytes, every footer lies after the binary and inside the object, offsets
 * increase, the walk ends, and an error is sticky. */
static void walk_footers(const uint8_t *data, size_t size)
{
    if (size < TBF_BASE_HEADER_SIZE) {
        return;
    }
    size_t header_size = (size_t)data[2] | ((size_t)data[3] << 8);
    uint32_t total = get_u32(data + 4);
    if (total > size || header_size > total || header_size < TBF_BASE_HEADER_SIZE) {
        return;
    }
    uint8_t *obj = malloc(total);
    check(obj != NULL, "malloc");
    memcpy(obj, data, total);
    uint32_t sum = 0;
    for (size_t w = 0; w < header_size / 4; w++) {
        if (w != 3) {
            sum ^= get_u32(obj + 4 * w);
        }
    }
    put_u32(obj + 12, sum);
    struct tbf_header h;
    if (tbf_parse_header(obj, header_size, &h) != TBF_OK) {
        free(obj);
        return;
    }
    struct tbf_footer_iter it;
    struct tbf_footer f;
    tbf_footers_begin(&it, obj, &h);
    uint64_t next_min = h.binary_end_offset;
    enum tbf_status st;
    uint32_t count = 0;
    while ((st = tbf_footer_next(&it, &f)) == TBF_OK) {
        check(f.offset >= next_min, "footers after the binary, in increasing order");
        check(f.data == obj + f.offset + 8, "credential data follows the format word");
        check((uint64_t)f.offset + 8 + f.data_len <= total, "a footer ends inside total_size");
        volatile uint8_t sink = 0;
        for (uint32_t i = 0; i < f.data_len; i++) {
            sink ^= f.data[i]; /* ASan checks the bytes are inside the object */
        }
        (void)sink;
        next_min = (uint64_t)f.offset + 8 + f.data_len;
        count++;
        check(count <= total / 8, "the walk ends");
    }
    check(st == TBF_END || st == TBF_ERR_FOOTER_TYPE || st == TBF_ERR_FOOTER_BOUNDS ||
              st == TBF_ERR_CREDENTIAL,
          "the footer walk ends with END or a footer error");
    check(tbf_footer_next(&it, &f) == st, "the end of the walk is sticky");
    check(tbf_status_reason(st)[0] != '\0', "every footer status has a reason");
    free(obj);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    walk_footers(data, size);
    struct tbf_lengths len;
    memset(&len, 0xA5, sizeof len);
    enum tbf_status ls = tbf_parse_lengths(data, size, &len);
    check(ls == TBF_OK || ls == TBF_END || ls == TBF_ERR_VERSION || ls == TBF_ERR_TOTAL_SIZE ||
              ls == TBF_ERR_HEADER_SIZE,
          "tbf_parse_lengths returns OK, END, ERR_VERSION, ERR_TOTAL_SIZE or ERR_HEADER_SIZE");
    if (ls == TBF_END) {
        check(size < 8 || get_u32(data) == 0 || get_u32(data) == 0xFFFFFFFFu,
              "lengths: only a short region or a blank first word ends the list");
    }
    if (ls == TBF_ERR_VERSION) {
        check(len.version != 2, "lengths: an unknown version is not 2");
    }
    if (ls == TBF_ERR_TOTAL_SIZE) {
        check(len.version == 2, "lengths: a total size is judged for version 2 only");
        check(len.total_size < TBF_BASE_HEADER_SIZE || len.total_size > size,
              "lengths: a refused total size is below 16 or past the bytes given");
    }
    if (ls == TBF_OK || ls == TBF_ERR_HEADER_SIZE) {
        check(len.version == 2, "lengths: version 2");
        check(len.total_size >= TBF_BASE_HEADER_SIZE, "lengths: total_size >= 16");
        check(len.total_size <= size, "lengths: total_size within the bytes given");
    }
    if (ls == TBF_OK) {
        check(len.header_size >= TBF_BASE_HEADER_SIZE && len.header_size % 4 == 0 &&
                  len.header_size <= len.total_size,
              "lengths: header_size >= 16, aligned, <= total_size");
    }
    if (size < 4) {
        return 0;
    }
    /* The header the bytes declare, as the loader would hand it over. */
    size_t declared = (size_t)data[2] | ((size_t)data[3] << 8);
    size_t hdr_len = declared <= size ? declared : size;
    enum tbf_status raw = parse_copy(data, hdr_len, 0);
    parse_copy(data, hdr_len, 1);
    if (ls == TBF_OK) {
        check(raw != TBF_ERR_HEADER_SIZE, "lengths OK implies the base header is accepted");
    }
    if (raw != TBF_ERR_HEADER_SIZE && size >= 8) {
        check(ls == TBF_OK || get_u32(data + 4) > size,
              "an accepted base header passes tbf_parse_lengths when the bytes exist");
    }
    /* A size that disagrees with the declared one must be refused. */
    if (size >= TBF_BASE_HEADER_SIZE && size != declared) {
        check(parse_copy(data, size, 1) == TBF_ERR_HEADER_SIZE,
              "header_size must equal the declared size");
    }
    return 0;
}
