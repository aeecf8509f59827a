/* SPDX-License-Identifier: Apache-2.0 OR MIT */
/*
 * TBF v2 parser: turns the bytes of one Tock Binary Format object into a checked header.
 *
 * The parser is freestanding and never trusts the image: every length is bounds-checked against
 * the bytes the caller says exist, reads are byte-wise (no alignment assumptions), and nothing is
 * written to `out` fields that the caller relies on unless the result says so.
 *
 * Usage (the process loader):
 *     struct tbf_lengths len;
 *     switch (tbf_parse_lengths(p, remaining, &len)) {
 *         TBF_END: the list ends; TBF_ERR_VERSION, TBF_ERR_TOTAL_SIZE: stop, say where;
 *         TBF_ERR_HEADER_SIZE: skip len.total_size bytes; TBF_OK: parse the header }
 *     enum tbf_status st = tbf_parse_header(p, len.header_size, &hdr);
 *
 * Invariants: pointers stored in struct tbf_header (package name, permissions) point into the
 * buffer passed to tbf_parse_header and are valid as long as it is.
 */
#pragma once

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define TBF_BASE_HEADER_SIZE 16u
#define TBF_FLAG_ENABLED 0x1u
#define TBF_FLAG_STICKY 0x2u
#define TBF_NO_FIXED_ADDRESS 0xFFFFFFFFu
#define TBF_MAX_WRITEABLE_REGIONS 8u
#define TBF_MAX_STORAGE_IDS 8u

enum tbf_tlv_type {
    TBF_TLV_MAIN = 1,
    TBF_TLV_WRITEABLE_FLASH = 2,
    TBF_TLV_PACKAGE_NAME = 3,
    TBF_TLV_FIXED_ADDRESSES = 5,
    TBF_TLV_PERMISSIONS = 6,
    TBF_TLV_STORAGE_PERMISSIONS = 7,
    TBF_TLV_KERNEL_VERSION = 8,
    TBF_TLV_PROGRAM = 9,
    TBF_TLV_SHORT_ID = 10,
    TBF_TLV_CREDENTIALS = 128,
};

enum tbf_status {
    TBF_OK = 0,            /* an application header, fully checked */
    TBF_PADDING,           /* a valid object with no Main/Program TLV: skip total_size bytes */
    TBF_END,               /* end of the app list: erased or zero-filled flash (lengths only) */
    TBF_ERR_VERSION,       /* a version other than 2: nothing after it can be found (lengths) */
    TBF_ERR_TOTAL_SIZE,    /* total_size < 16 or past the region: nothing after it (lengths) */
    TBF_ERR_HEADER_SIZE,   /* header_size < 16, > total_size, or not a multiple of 4 */
    TBF_ERR_CHECKSUM,      /* XOR of the header words does not match */
    TBF_ERR_TLV_BOUNDS,    /* a TLV runs past header_size */
    TBF_ERR_TLV_LENGTH,    /* a TLV with a length its type does not allow */
    TBF_ERR_PACKAGE_NAME,  /* package name is not valid UTF-8 */
    TBF_ERR_TOO_MANY,      /* more writeable regions or storage ids than supported */
    TBF_ERR_PROGRAM,       /* Program/Main values inconsistent with total_size */
    TBF_ERR_FOOTER_TYPE,   /* a footer TLV that is not Credentials (128) */
    TBF_ERR_FOOTER_BOUNDS, /* a footer TLV shorter than its format word or past total_size */
    TBF_ERR_CREDENTIAL,    /* unknown credential format, or data the wrong size for it */
};

/* Credential formats (the u32 that starts a Credentials footer's value). */
enum tbf_credential_format {
    TBF_CREDENTIAL_RESERVED = 0, /* space kept for a later credential: any data length */
    TBF_CREDENTIAL_RSA3072_KEY = 1,
    TBF_CREDENTIAL_RSA4096_KEY = 2,
    TBF_CREDENTIAL_SHA256 = 3,
    TBF_CREDENTIAL_SHA384 = 4,
    TBF_CREDENTIAL_SHA512 = 5,
    TBF_CREDENTIAL_ECDSA_NIST_P256 = 6,
};

struct tbf_lengths {
    uint16_t version;
    uint16_t header_size;
    uint32_t total_size;
};

struct tbf_region {
    uint32_t offset; /* from the TBF start */
    uint32_t size;
};

struct tbf_header {
    uint16_t version;
    uint16_t header_size;
    uint32_t total_size;
    uint32_t flags;
    /* Main or Program (Program wins when both are present). */
    uint32_t init_fn_offset;         /* from the end of the header */
    uint32_t protected_trailer_size; /* bytes after the header the app may not change */
    uint32_t minimum_ram_size;
    uint32_t binary_end_offset;      /* total_size when there is no Program TLV */
    uint32_t app_version;            /* 0 when there is no Program TLV */
    /* Package name: UTF-8, not NUL-terminated; length 0 when absent. */
    const uint8_t *package_name;
    uint32_t package_name_len;
    /* Writeable flash regions, accumulated over every type-2 TLV. */
    uint32_t writeable_region_count;
    struct tbf_region writeable_regions[TBF_MAX_WRITEABLE_REGIONS];
    /* Fixed addresses, TBF_NO_FIXED_ADDRESS when absent. */
    uint32_t fixed_ram_address;
    uint32_t fixed_flash_address;
    /* Kernel version the app needs; has_kernel_version false when the TLV is absent. */
    bool has_kernel_version;
    uint16_t kernel_major;
    uint16_t kernel_minor;
    /* Permissions TLV: `permission_count` 16-byte records starting at `permissions`. */
    bool has_permissions;
    const uint8_t *permissions;
    uint32_t permission_count;
    /* Storage permissions TLV. */
    bool has_storage_permissions;
    uint32_t storage_write_id;
    uint32_t storage_read_count;
    uint32_t storage_read_ids[TBF_MAX_STORAGE_IDS];
    uint32_t storage_modify_count;
    uint32_t storage_modify_ids[TBF_MAX_STORAGE_IDS];
    /* Short ID, 0 when absent. */
    uint32_t short_id;
};

/**
 * Read the first 8 bytes of an object at `flash` with `remaining` bytes left in the app region.
 * Returns
 *   TBF_END: fewer than 8 bytes left, or the first word (version and header_size) reads as
 *     erased or zero-filled flash (0xFFFFFFFF or 0): the list ends here;
 *   TBF_ERR_VERSION: any other version than 2; TBF_ERR_TOTAL_SIZE: version 2 but total_size
 *     below 16 or above `remaining`. Either way the next object cannot be located, so the walk
 *     must stop here;
 *   TBF_ERR_HEADER_SIZE: the object's header is unusable but total_size is trusted, so the
 *     caller may skip it;
 *   TBF_OK.
 * `out` is written for every result but TBF_END.
 */
enum tbf_status tbf_parse_lengths(const uint8_t *flash, size_t remaining, struct tbf_lengths *out);

/**
 * Parse and check the `header_size` bytes of header at `flash` (tbf_parse_lengths said OK).
 * Returns TBF_OK (an app; `out` fully written), TBF_PADDING (no Main/Program TLV) or a
 * TBF_ERR_* describing the first problem found. Unknown TLV types are skipped.
 */
enum tbf_status tbf_parse_header(const uint8_t *flash, size_t header_size, struct tbf_header *out);

/* True when the app's Kernel Version TLV is present and accepts kernel `major`.`minor`. */
bool tbf_kernel_version_ok(const struct tbf_header *hdr, uint16_t major, uint16_t minor);

/*
 * True when every Writeable Flash Region lies inside the app's own image after its protected
 * region: header_size + protected_trailer_size <= offset and offset + size <= total_size.
 * Computed with subtractions only, so no declared value can wrap the address space.
 */
bool tbf_writeable_regions_ok(const struct tbf_header *hdr);

/* Read permission record `index` (< permission_count). */
void tbf_permission(const struct tbf_header *hdr, uint32_t index, uint32_t *driver_num,
                    uint32_t *offset, uint64_t *allowed_commands);

/*
 * Footers: the Credentials TLVs between binary_end_offset and total_size. Each is u16 type
 * (128), u16 length, then `length` bytes: u32 format and the credential data; the next TLV
 * starts 4 + length bytes later rounded up to a multiple of 4 (relative to this TLV). Fewer
 * than 4 bytes left is the end. Nothing past total_size is ever read.
 *
 * Usage (the TBF's total_size bytes at `tbf` are readable, `hdr` parsed TBF_OK from them):
 *     struct tbf_footer_iter it;
 *     struct tbf_footer f;
 *     tbf_footers_begin(&it, tbf, &hdr);
 *     while ((st = tbf_footer_next(&it, &f)) == TBF_OK) { use f.format, f.data, f.data_len }
 *     st is TBF_END (all footers well formed) or TBF_ERR_FOOTER_* / TBF_ERR_CREDENTIAL
 */
struct tbf_footer_iter {
    const uint8_t *tbf;
    uint32_t offset; /* of the next footer TLV, from the TBF start; <= end */
    uint32_t end;    /* total_size */
    bool failed;     /* a malformed footer was met: every later call repeats the error */
    enum tbf_status error;
};

struct tbf_footer {
    uint32_t offset;     /* of the TLV, from the TBF start */
    uint32_t format;     /* enum tbf_credential_format */
    const uint8_t *data; /* inside [tbf + offset + 8, tbf + total_size) */
    uint32_t data_len;
};

void tbf_footers_begin(struct tbf_footer_iter *it, const uint8_t *tbf,
                       const struct tbf_header *hdr);

/* TBF_OK and `out` written; TBF_END; or the error of the first malformed footer (sticky). */
enum tbf_status tbf_footer_next(struct tbf_footer_iter *it, struct tbf_footer *out);

/* A short human-readable reason for any status, e.g. "header checksum mismatch". */
const char *tbf_status_reason(enum tbf_status status);

/* The same for the errors of tbf_parse_lengths and tbf_parse_header only (TBF_ERR_VERSION to
 * TBF_ERR_PROGRAM), NULL for any other status: what the process loader prints, so the kernel
 * image carries no footer or success texts. */
const char *tbf_error_reason(enum tbf_status status);
