/* SPDX-License-Identifier: Apache-2.0 OR MIT */
/*
 * TBF v2 parser: checks an untrusted Tock Binary Format header and extracts its fields.
 *
 * Implements ABI §3 (doc/reference/019-tock-abi.md). The image is untrusted: every read goes
 * through `read_u16` or `read_u32` on an offset already checked against the header's length, all
 * arithmetic is on values bounded by 16-bit header lengths or compared by subtraction, so no
 * input can make the parser read outside [flash, flash + header_size) or overflow 32-bit
 * arithmetic.
 *
 * Choices beyond Tock's parser (each an ABI §3 recommendation):
 *   - every TLV of a known type is length-checked; for single-valued types the first one wins;
 *   - all Writeable Flash Regions TLVs accumulate (Tock keeps the last);
 *   - TLVs but no Main/Program means padding (Tock starts such an "app" at its TBF start);
 *   - Main/Program values are checked against total_size before anyone uses them.
 *
 * Footers (tbf_footers_begin / tbf_footer_next) are the Credentials TLVs after the binary, up
 * to total_size: each must be type 128, hold at least its u32 format, end inside total_size and,
 * for a known format, carry exactly that format's data length (Reserved: any length); an
 * unknown format is refused as Tock refuses it. The caller supplies all total_size bytes.
 *
 * Usage: see tbf.h; the process loader calls tbf_parse_lengths, then tbf_parse_header.
 *
 * Invariants: on TBF_OK, header_size + protected_trailer_size <= binary_end_offset <=
 * total_size and header_size + init_fn_offset < binary_end_offset.
 */
#include "tbf.h"

#define MAIN_LENGTH 12u
#define PROGRAM_LENGTH 20u
#define REGION_LENGTH 8u
#define FIXED_ADDRESSES_LENGTH 8u
#define KERNEL_VERSION_LENGTH 4u
#define SHORT_ID_LENGTH 4u
#define PERMISSION_RECORD_LENGTH 16u
#define TLV_HEADER_LENGTH 4u
#define CHECKSUM_WORD 3u

static uint16_t read_u16(const uint8_t *p)
{
    return (uint16_t)((uint16_t)p[0] | (uint16_t)((uint16_t)p[1] << 8));
}

static uint32_t read_u32(const uint8_t *p)
{
    return (uint32_t)p[0] | ((uint32_t)p[1] << 8) | ((uint32_t)p[2] << 16) |
           ((uint32_t)p[3] << 24);
}

static uint64_t read_u64(const uint8_t *p)
{
    return (uint64_t)read_u32(p) | ((uint64_t)read_u32(p + 4) << 32);
}

static bool is_continuation(uint8_t byte)
{
    return (byte & 0xC0u) == 0x80u;
}

/* Strict UTF-8 (RFC 3629): no overlong forms, no surrogates, nothing above U+10FFFF. */
static bool is_valid_utf8(const uint8_t *text, uint32_t len)
{
    uint32_t i = 0;
    while (i < len) {
        uint8_t lead = text[i];
        uint32_t extra;
        uint8_t second_min = 0x80u;
        uint8_t second_max = 0xBFu;
        if (lead < 0x80u) {
            i++;
            continue;
        } else if (lead >= 0xC2u && lead <= 0xDFu) {
            extra = 1;
        } else if (lead >= 0xE0u && lead <= 0xEFu) {
            extra = 2;
            if (lead == 0xE0u) {
                second_min = 0xA0u; /* below is an overlong 2-byte form */
            } else if (lead == 0xEDu) {
                second_max = 0x9Fu; /* above are the surrogates U+D800..U+DFFF */
            }
        } else if (lead >= 0xF0u && lead <= 0xF4u) {
            extra = 3;
            if (lead == 0xF0u) {
                second_min = 0x90u; /* below is an overlong 3-byte form */
            } else if (lead == 0xF4u) {
                second_max = 0x8Fu; /* above is past U+10FFFF */
            }
        } else {
            return false; /* a continuation byte, C0/C1 (overlong) or F5..FF */
        }
        if (len - i <= extra) {
            return false; /* truncated sequence */
        }
        if (text[i + 1] < second_min || text[i + 1] > second_max) {
            return false;
        }
        for (uint32_t k = 2; k <= extra; k++) {
            if (!is_continuation(text[i + k])) {
                return false;
            }
        }
        i += extra + 1;
    }
    return true;
}

/* The base-header checks shared by both entry points; `version` is checked by the callers. */
static bool header_size_ok(uint32_t header_size, uint32_t total_size)
{
    return header_size >= TBF_BASE_HEADER_SIZE && header_size <= total_size &&
           header_size % 4u == 0;
}

enum tbf_status tbf_parse_lengths(const uint8_t *flash, size_t remaining, struct tbf_lengths *out)
{
    if (remaining < 8u) {
        return TBF_END;
    }
    uint32_t first_word = read_u32(flash); /* u16 version, u16 header_size */
    if (first_word == 0u || first_word == 0xFFFFFFFFu) {
        return TBF_END; /* zero-filled (QEMU, mkimage's terminator) or erased flash */
    }
    uint16_t version = (uint16_t)first_word;
    uint16_t header_size = (uint16_t)(first_word >> 16);
    uint32_t total_size = read_u32(flash + 4);
    out->version = version;
    out->header_size = header_size;
    out->total_size = total_size;
    if (version != 2u) {
        return TBF_ERR_VERSION;
    }
    /* total_size < 16 stops the walk: Tock would "skip" a zero-sized object forever. */
    if (total_size < TBF_BASE_HEADER_SIZE || total_size > remaining) {
        return TBF_ERR_TOTAL_SIZE;
    }
    if (!header_size_ok(header_size, total_size)) {
        return TBF_ERR_HEADER_SIZE;
    }
    return TBF_OK;
}

/* Values of the Main or Program TLV; `found` tells whether one was seen. */
struct entry_values {
    bool found;
    uint32_t init_fn_offset;
    uint32_t protected_trailer_size;
    uint32_t minimum_ram_size;
    uint32_t binary_end_offset;
    uint32_t app_version;
};

struct parse_state {
    struct entry_values main;
    struct entry_values program;
    bool has_package_name;
    bool has_fixed_addresses;
    bool has_short_id;
};

static void clear_header(struct tbf_header *out, const uint8_t *flash, uint16_t header_size,
                         uint32_t total_size, uint32_t flags)
{
    /* Every field not named is 0 / false / NULL: no TLV seen yet. */
    *out = (struct tbf_header){
        .version = 2,
        .header_size = header_size,
        .total_size = total_size,
        .flags = flags,
        .binary_end_offset = total_size,
        .package_name = flash, /* a valid pointer with length 0: the empty name */
        .fixed_ram_address = TBF_NO_FIXED_ADDRESS,
        .fixed_flash_address = TBF_NO_FIXED_ADDRESS,
    };
}

static void read_entry(struct entry_values *entry, const uint8_t *data, bool is_program)
{
    if (entry->found) {
        return; /* the first occurrence wins */
    }
    entry->found = true;
    entry->init_fn_offset = read_u32(data);
    entry->protected_trailer_size = read_u32(data + 4);
    entry->minimum_ram_size = read_u32(data + 8);
    entry->binary_end_offset = is_program ? read_u32(data + 12) : 0;
    entry->app_version = is_program ? read_u32(data + 16) : 0;
}

static enum tbf_status parse_regions(struct tbf_header *out, const uint8_t *data, uint32_t len)
{
    if (len % REGION_LENGTH != 0) {
        return TBF_ERR_TLV_LENGTH;
    }
    uint32_t count = len / REGION_LENGTH;
    if (count > TBF_MAX_WRITEABLE_REGIONS - out->writeable_region_count) {
        return TBF_ERR_TOO_MANY;
    }
    for (uint32_t i = 0; i < count; i++) {
        struct tbf_region *region = &out->writeable_regions[out->writeable_region_count];
        region->offset = read_u32(data + i * REGION_LENGTH);
        region->size = read_u32(data + i * REGION_LENGTH + 4);
        out->writeable_region_count++;
    }
    return TBF_OK;
}

static enum tbf_status parse_permissions(struct tbf_header *out, const uint8_t *data,
                                         uint32_t len)
{
    if (len < 2u) {
        return TBF_ERR_TLV_LENGTH;
    }
    uint32_t count = read_u16(data);
    if (len != 2u + PERMISSION_RECORD_LENGTH * count) { /* count <= 0xFFFF: no overflow */
        return TBF_ERR_TLV_LENGTH;
    }
    if (!out->has_permissions) {
        out->has_permissions = true;
        out->permissions = data + 2;
        out->permission_count = count;
    }
    return TBF_OK;
}

/* Layout: u32 write_id, u16 r, u32 read[r], u16 m, u32 modify[m]. */
static enum tbf_status parse_storage_permissions(struct tbf_header *out, const uint8_t *data,
                                                 uint32_t len)
{
    if (len < 6u) {
        return TBF_ERR_TLV_LENGTH;
    }
    uint32_t read_count = read_u16(data + 4);
    if (read_count > TBF_MAX_STORAGE_IDS) {
        return TBF_ERR_TOO_MANY;
    }
    uint32_t modify_at = 6u + 4u * read_count;
    if (len < modify_at + 2u) {
        return TBF_ERR_TLV_LENGTH;
    }
    uint32_t modify_count = read_u16(data + modify_at);
    if (modify_count > TBF_MAX_STORAGE_IDS) {
        return TBF_ERR_TOO_MANY;
    }
    if (len != modify_at + 2u + 4u * modify_count) {
        return TBF_ERR_TLV_LENGTH;
    }
    if (out->has_storage_permissions) {
        return TBF_OK;
    }
    out->has_storage_permissions = true;
    out->storage_write_id = read_u32(data);
    out->storage_read_count = read_count;
    for (uint32_t i = 0; i < read_count; i++) {
        out->storage_read_ids[i] = read_u32(data + 6u + 4u * i);
    }
    out->storage_modify_count = modify_count;
    for (uint32_t i = 0; i < modify_count; i++) {
        out->storage_modify_ids[i] = read_u32(data + modify_at + 2u + 4u * i);
    }
    return TBF_OK;
}

static enum tbf_status parse_tlv(struct tbf_header *out, struct parse_state *state,
                                 uint16_t type, const uint8_t *data, uint32_t len)
{
    switch (type) {
    case TBF_TLV_MAIN:
        if (len != MAIN_LENGTH) {
            return TBF_ERR_TLV_LENGTH;
        }
        read_entry(&state->main, data, false);
        return TBF_OK;
    case TBF_TLV_PROGRAM:
        if (len != PROGRAM_LENGTH) {
            return TBF_ERR_TLV_LENGTH;
        }
        read_entry(&state->program, data, true);
        return TBF_OK;
    case TBF_TLV_WRITEABLE_FLASH:
        return parse_regions(out, data, len);
    case TBF_TLV_PACKAGE_NAME:
        if (!is_valid_utf8(data, len)) {
            return TBF_ERR_PACKAGE_NAME;
        }
        if (!state->has_package_name) {
            state->has_package_name = true;
            out->package_name = data;
            out->package_name_len = len;
        }
        return TBF_OK;
    case TBF_TLV_FIXED_ADDRESSES:
        if (len != FIXED_ADDRESSES_LENGTH) {
            return TBF_ERR_TLV_LENGTH;
        }
        if (!state->has_fixed_addresses) {
            state->has_fixed_addresses = true;
            out->fixed_ram_address = read_u32(data);
            out->fixed_flash_address = read_u32(data + 4);
        }
        return TBF_OK;
    case TBF_TLV_PERMISSIONS:
        return parse_permissions(out, data, len);
    case TBF_TLV_STORAGE_PERMISSIONS:
        return parse_storage_permissions(out, data, len);
    case TBF_TLV_KERNEL_VERSION:
        if (len != KERNEL_VERSION_LENGTH) {
            return TBF_ERR_TLV_LENGTH;
        }
        if (!out->has_kernel_version) {
            out->has_kernel_version = true;
            out->kernel_major = read_u16(data);
            out->kernel_minor = read_u16(data + 2);
        }
        return TBF_OK;
    case TBF_TLV_SHORT_ID:
        if (len != SHORT_ID_LENGTH) {
            return TBF_ERR_TLV_LENGTH;
        }
        if (!state->has_short_id) {
            state->has_short_id = true;
            out->short_id = read_u32(data);
        }
        return TBF_OK;
    default:
        return TBF_OK; /* unknown, obsolete (PIC, 4) and footer-only (credentials) types */
    }
}

/* Check the Main/Program values against the object's size; all comparisons subtract only
 * after proving the result non-negative, so none can wrap. */
static enum tbf_status apply_entry(struct tbf_header *out, const struct entry_values *entry)
{
    uint32_t header_size = out->header_size;
    uint32_t total_size = out->total_size; /* >= header_size */
    if (entry->protected_trailer_size > total_size - header_size) {
        return TBF_ERR_PROGRAM;
    }
    uint32_t protected_size = header_size + entry->protected_trailer_size;
    if (entry->binary_end_offset > total_size || entry->binary_end_offset < protected_size) {
        return TBF_ERR_PROGRAM;
    }
    if (entry->init_fn_offset >= entry->binary_end_offset - header_size) {
        return TBF_ERR_PROGRAM;
    }
    out->init_fn_offset = entry->init_fn_offset;
    out->protected_trailer_size = entry->protected_trailer_size;
    out->minimum_ram_size = entry->minimum_ram_size;
    out->binary_end_offset = entry->binary_end_offset;
    out->app_version = entry->app_version;
    return TBF_OK;
}

enum tbf_status tbf_parse_header(const uint8_t *flash, size_t header_size, struct tbf_header *out)
{
    if (header_size < TBF_BASE_HEADER_SIZE) {
        return TBF_ERR_HEADER_SIZE;
    }
    /* The header must describe exactly the bytes we were given (and be one
     * tbf_parse_lengths accepts), so nothing past `header_size` is ever read. */
    uint16_t version = read_u16(flash);
    uint16_t declared_size = read_u16(flash + 2);
    uint32_t total_size = read_u32(flash + 4);
    if (version != 2u || declared_size != header_size ||
        !header_size_ok(declared_size, total_size)) {
        return TBF_ERR_HEADER_SIZE;
    }
    uint32_t checksum = 0;
    for (uint32_t word = 0; word < declared_size / 4u; word++) {
        if (word != CHECKSUM_WORD) {
            checksum ^= read_u32(flash + 4u * word);
        }
    }
    if (checksum != read_u32(flash + 4u * CHECKSUM_WORD)) {
        return TBF_ERR_CHECKSUM;
    }

    clear_header(out, flash, declared_size, total_size, read_u32(flash + 8));
    struct parse_state state = { .has_package_name = false }; /* nothing seen yet */
    /* Invariant: offset is a multiple of 4 and <= declared_size (also a multiple of 4), and
     * both are below 2^16, so offset + 4 + 0xFFFF + 3 cannot overflow. */
    uint32_t offset = TBF_BASE_HEADER_SIZE;
    while (offset < declared_size) {
        if (declared_size - offset < TLV_HEADER_LENGTH) {
            return TBF_ERR_TLV_BOUNDS;
        }
        uint16_t type = read_u16(flash + offset);
        uint32_t len = read_u16(flash + offset + 2);
        uint32_t data_at = offset + TLV_HEADER_LENGTH;
        if (len > declared_size - data_at) {
            return TBF_ERR_TLV_BOUNDS;
        }
        enum tbf_status status = parse_tlv(out, &state, type, flash + data_at, len);
        if (status != TBF_OK) {
            return status;
        }
        /* data_at + len <= declared_size, a multiple of 4, so the padded end is too. */
        offset = data_at + ((len + 3u) & ~3u);
    }

    if (state.program.found) {
        return apply_entry(out, &state.program);
    }
    if (state.main.found) {
        struct entry_values main_entry = state.main;
        main_entry.binary_end_offset = total_size;
        main_entry.app_version = 0;
        return apply_entry(out, &main_entry);
    }
    return TBF_PADDING; /* no TLVs at all, or none that make this an app */
}

/* Data bytes each known credential format carries; reserved takes any length. */
static bool credential_length_ok(uint32_t format, uint32_t data_len)
{
    switch (format) {
    case TBF_CREDENTIAL_RESERVED:
        return true;
    case TBF_CREDENTIAL_RSA3072_KEY:
        return data_len == 768u;
    case TBF_CREDENTIAL_RSA4096_KEY:
        return data_len == 1024u;
    case TBF_CREDENTIAL_SHA256:
        return data_len == 32u;
    case TBF_CREDENTIAL_SHA384:
        return data_len == 48u;
    case TBF_CREDENTIAL_SHA512:
    case TBF_CREDENTIAL_ECDSA_NIST_P256:
        return data_len == 64u;
    default:
        return false; /* unknown format: refused, as Tock does */
    }
}

void tbf_footers_begin(struct tbf_footer_iter *it, const uint8_t *tbf,
                       const struct tbf_header *hdr)
{
    it->tbf = tbf;
    /* TBF_OK guarantees binary_end_offset <= total_size; clamp anyway for misuse. */
    it->end = hdr->total_size;
    it->offset = hdr->binary_end_offset <= hdr->total_size ? hdr->binary_end_offset
                                                          : hdr->total_size;
    it->failed = false;
    it->error = TBF_END;
}

static enum tbf_status footer_fail(struct tbf_footer_iter *it, enum tbf_status error)
{
    it->failed = true;
    it->error = error;
    return error;
}

enum tbf_status tbf_footer_next(struct tbf_footer_iter *it, struct tbf_footer *out)
{
    if (it->failed) {
        return it->error;
    }
    /* Invariant: offset <= end, so `left` cannot wrap. */
    uint32_t left = it->end - it->offset;
    if (left < TLV_HEADER_LENGTH) {
        return TBF_END;
    }
    const uint8_t *tlv = it->tbf + it->offset;
    uint16_t type = read_u16(tlv);
    uint32_t len = read_u16(tlv + 2);
    if (type != TBF_TLV_CREDENTIALS) {
        return footer_fail(it, TBF_ERR_FOOTER_TYPE);
    }
    if (len < 4u || len > left - TLV_HEADER_LENGTH) {
        return footer_fail(it, TBF_ERR_FOOTER_BOUNDS);
    }
    uint32_t format = read_u32(tlv + TLV_HEADER_LENGTH);
    if (!credential_length_ok(format, len - 4u)) {
        return footer_fail(it, TBF_ERR_CREDENTIAL);
    }
    out->offset = it->offset;
    out->format = format;
    out->data = tlv + TLV_HEADER_LENGTH + 4u;
    out->data_len = len - 4u;
    /* step <= 4 + 0xFFFF + 3: compared with what is left, never added past `end`. */
    uint32_t step = (TLV_HEADER_LENGTH + len + 3u) & ~3u;
    it->offset = step < left ? it->offset + step : it->end;
    return TBF_OK;
}

bool tbf_kernel_version_ok(const struct tbf_header *hdr, uint16_t major, uint16_t minor)
{
    return hdr->has_kernel_version && hdr->kernel_major == major && hdr->kernel_minor <= minor;
}

bool tbf_writeable_regions_ok(const struct tbf_header *hdr)
{
    /* tbf_parse_header guarantees header_size + protected_trailer_size <= total_size. */
    uint32_t image_start = (uint32_t)hdr->header_size + hdr->protected_trailer_size;
    uint32_t image_end = hdr->total_size;
    for (uint32_t i = 0; i < hdr->writeable_region_count && i < TBF_MAX_WRITEABLE_REGIONS; i++) {
        uint32_t offset = hdr->writeable_regions[i].offset;
        uint32_t size = hdr->writeable_regions[i].size;
        if (offset < image_start || offset > image_end || size > image_end - offset) {
            return false;
        }
    }
    return true;
}

void tbf_permission(const struct tbf_header *hdr, uint32_t index, uint32_t *driver_num,
                    uint32_t *offset, uint64_t *allowed_commands)
{
    if (!hdr->has_permissions || index >= hdr->permission_count) {
        /* Misuse: report a record that allows nothing rather than reading past the TLV. */
        *driver_num = 0;
        *offset = 0;
        *allowed_commands = 0;
        return;
    }
    const uint8_t *record = hdr->permissions + PERMISSION_RECORD_LENGTH * index;
    *driver_num = read_u32(record);
    *offset = read_u32(record + 4);
    *allowed_commands = read_u64(record + 8);
}

const char *tbf_error_reason(enum tbf_status status)
{
    switch (status) {
    case TBF_ERR_VERSION:
        return "unknown TBF version";
    case TBF_ERR_TOTAL_SIZE:
        return "bad total size";
    case TBF_ERR_HEADER_SIZE:
        return "header size below 16, over total size, or unaligned";
    case TBF_ERR_CHECKSUM:
        return "header checksum mismatch";
    case TBF_ERR_TLV_BOUNDS:
        return "TLV runs past the end of the header";
    case TBF_ERR_TLV_LENGTH:
        return "TLV length not allowed for its type";
    case TBF_ERR_PACKAGE_NAME:
        return "package name is not valid UTF-8";
    case TBF_ERR_TOO_MANY:
        return "too many writeable regions or storage ids";
    case TBF_ERR_PROGRAM:
        return "Main/Program values outside the object";
    default:
        return NULL; /* not an error of tbf_parse_lengths or tbf_parse_header */
    }
}

const char *tbf_status_reason(enum tbf_status status)
{
    const char *reason = tbf_error_reason(status);
    if (reason != NULL) {
        return reason;
    }
    switch (status) {
    case TBF_OK:
        return "valid application header";
    case TBF_PADDING:
        return "padding object (no Main or Program TLV)";
    case TBF_END:
        return "end of the application list";
    case TBF_ERR_FOOTER_TYPE:
        return "footer TLV is not a Credentials TLV";
    case TBF_ERR_FOOTER_BOUNDS:
        return "footer TLV too short or runs past the end of the object";
    case TBF_ERR_CREDENTIAL:
        return "unknown credential format or wrong credential length";
    default:
        return "unknown TBF status";
    }
}
