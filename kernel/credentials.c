/* SPDX-License-Identifier: Apache-2.0 OR MIT */
/*
 * The full kernels' credential checker and identity assignment (kernel/credentials.h;
 * doc/reference/025-app-credentials.md has the rules and their reasons).
 *
 * Every credential covers the TBF from its first byte up to binary_end_offset (header,
 * protected trailer, binary), never the footers. Hashes are SHA-256/384/512 of those bytes;
 * the signature is ECDSA P-256 over their SHA-256. A digest is computed only when a footer
 * asks for it, so an app without checkable credentials costs one footer walk and its short id.
 *
 * Usage: see kernel/credentials.h; boards/boards.mk links this file into full kernels.
 *
 * Invariants: only *id and the reason buffer change before the verdict; a refused app leaves
 * nothing behind. The uniqueness check compares with the running apps only (slots
 * 0..running-1), so a refused app never blocks a later one.
 */
#include "kernel/credentials.h"

#include "crypto/p256.h"
#include "crypto/sha256.h"
#include "crypto/sha512.h"
#include "format.h"
#include "kernel/kernel.h"

#define FNV_OFFSET 2166136261u
#define FNV_PRIME 16777619u

/* The policy of a board that set none: accept all, no keys, TLV 7 as written. */
static const struct credential_policy default_policy = { .mode = CREDENTIALS_ACCEPT_ALL };

void kernel_set_credential_policy(struct kernel *k, const struct credential_policy *policy)
{
    k->credentials = policy;
}

static const struct credential_policy *policy_of(const struct kernel *k)
{
    return k->credentials != NULL ? k->credentials : &default_policy;
}

static bool same_bytes(const uint8_t *a, const uint8_t *b, uint32_t len)
{
    uint8_t diff = 0;
    for (uint32_t i = 0; i < len; i++) {
        diff |= (uint8_t)(a[i] ^ b[i]);
    }
    return diff == 0;
}

/* Does the hash footer `f` match the covered bytes? (f->data_len is the digest's length:
 * the footer iterator checked it against the format.) */
static bool hash_matches(const struct tbf_footer *f, const uint8_t *tbf, uint32_t covered)
{
    uint8_t digest[SHA512_DIGEST_LEN];
    if (f->format == TBF_CREDENTIAL_SHA256) {
        sha256_digest(tbf, covered, digest);
    } else {
        struct sha512_ctx ctx;
        sha512_init(&ctx, f->data_len);
        sha512_update(&ctx, tbf, covered);
        sha512_finish(&ctx, digest);
    }
    return same_bytes(digest, f->data, f->data_len);
}

static const char *hash_mismatch(uint32_t format)
{
    switch (format) {
    case TBF_CREDENTIAL_SHA256:
        return "SHA-256 credential does not match the image";
    case TBF_CREDENTIAL_SHA384:
        return "SHA-384 credential does not match the image";
    default:
        return "SHA-512 credential does not match the image";
    }
}

/* The index of the listed key whose signature `f` is, or key_count when none made it. */
static uint32_t signing_key(const struct credential_policy *policy, const struct tbf_footer *f,
                            const uint8_t *tbf, uint32_t covered)
{
    uint8_t digest[SHA256_DIGEST_LEN];
    sha256_digest(tbf, covered, digest);
    for (uint32_t i = 0; i < policy->key_count; i++) {
        if (p256_ecdsa_verify(policy->keys[i].public_key, digest, f->data)) {
            return i;
        }
    }
    return policy->key_count;
}

/* Walk the footers: NULL and *authority / *key when the app may run, else why not. */
static const char *check_footers(const struct credential_policy *policy,
                                 const struct tbf_header *hdr, const uint8_t *tbf,
                                 uint8_t *authority, uint8_t *key)
{
    struct tbf_footer_iter it;
    struct tbf_footer f;
    enum tbf_status st;
    uint32_t covered = hdr->binary_end_offset;
    tbf_footers_begin(&it, tbf, hdr);
    while ((st = tbf_footer_next(&it, &f)) == TBF_OK) {
        bool is_hash = f.format == TBF_CREDENTIAL_SHA256 || f.format == TBF_CREDENTIAL_SHA384 ||
                       f.format == TBF_CREDENTIAL_SHA512;
        if (is_hash) {
            if (!hash_matches(&f, tbf, covered)) {
                return hash_mismatch(f.format);
            }
            *authority = APP_AUTHORITY_HASH;
            if (policy->mode != CREDENTIALS_REQUIRE_SIGNATURE) {
                return NULL;
            }
        } else if (f.format == TBF_CREDENTIAL_ECDSA_NIST_P256 && policy->key_count > 0) {
            uint32_t index = signing_key(policy, &f, tbf, covered);
            if (index == policy->key_count) {
                return "ECDSA P-256 signature by no listed key";
            }
            *authority = APP_AUTHORITY_KEY;
            *key = (uint8_t)index;
            return NULL;
        }
    }
    /* st is TBF_END, or a malformed footer after which nothing can be read: either way the
     * credentials end here (padding after the last footer is often zero bytes). */
    (void)st;
    if (policy->mode == CREDENTIALS_REQUIRE_HASH) {
        return "no matching hash or listed key's signature (required)";
    }
    if (policy->mode == CREDENTIALS_REQUIRE_SIGNATURE) {
        return "no signature by a listed key (required)";
    }
    return NULL;
}

static uint32_t fnv1a(uint32_t hash, const uint8_t *bytes, uint32_t len)
{
    for (uint32_t i = 0; i < len; i++) {
        hash = (hash ^ bytes[i]) * FNV_PRIME;
    }
    return hash;
}

/* The short id: a signed app's Short ID TLV when it has one, else FNV-1a over authority, key,
 * package name and (unvouched apps only) the TBF's address; never 0. */
static uint32_t short_id_of(const struct app_identity *id, const struct tbf_header *hdr,
                            uintptr_t address)
{
    if (id->authority == APP_AUTHORITY_KEY && hdr->short_id != 0) {
        return hdr->short_id;
    }
    uint8_t prefix[2] = { id->authority, id->key_index };
    uint32_t hash = fnv1a(FNV_OFFSET, prefix, sizeof prefix);
    hash = fnv1a(hash, hdr->package_name, hdr->package_name_len);
    if (id->authority == APP_AUTHORITY_NONE) {
        uint8_t where[4] = { (uint8_t)address, (uint8_t)(address >> 8),
                             (uint8_t)(address >> 16), (uint8_t)(address >> 24) };
        hash = fnv1a(hash, where, sizeof where);
    }
    return hash != 0 ? hash : 1u;
}

/* Same application identifier: same authority and key, same name; unvouched apps are told
 * apart by their address as well, so two of them never share one. */
static bool same_identifier(const struct process *p, const struct app_identity *id,
                            const struct tbf_header *hdr)
{
    return id->authority != APP_AUTHORITY_NONE && p->identity.authority == id->authority &&
           p->identity.key_index == id->key_index &&
           p->package_name_len == hdr->package_name_len &&
           same_bytes(p->package_name, hdr->package_name, hdr->package_name_len);
}

const char *credentials_check(const struct kernel *k, uint32_t running,
                              const struct tbf_header *hdr, const uint8_t *tbf,
                              struct app_identity *id, char reason[CREDENTIALS_REASON_LEN])
{
    const struct credential_policy *policy = policy_of(k);
    *id = (struct app_identity){ .authority = APP_AUTHORITY_NONE };
    const char *why = check_footers(policy, hdr, tbf, &id->authority, &id->key_index);
    if (why != NULL) {
        return why;
    }
    if (policy->mode == CREDENTIALS_REQUIRE_SIGNATURE && id->authority != APP_AUTHORITY_KEY) {
        return "no signature by a listed key (required)";
    }
    id->short_id = short_id_of(id, hdr, (uintptr_t)tbf);
    for (uint32_t i = 0; i < running; i++) {
        const struct process *p = &k->config.processes[i];
        if (same_identifier(p, id, hdr)) {
            format_to_buffer(reason, CREDENTIALS_REASON_LEN,
                             "application identifier already used by the app at 0x%08x",
                             (unsigned)p->flash_start);
            return reason;
        }
        if (p->identity.short_id == id->short_id) {
            format_to_buffer(reason, CREDENTIALS_REASON_LEN,
                             "short id 0x%08x already used by the app at 0x%08x",
                             (unsigned)id->short_id, (unsigned)p->flash_start);
            return reason;
        }
    }
    return NULL;
}

void credentials_adopt(const struct kernel *k, struct process *p, const struct tbf_header *hdr,
                       const struct app_identity *id)
{
    p->identity = *id;
    bool keeps_tlv = id->authority == APP_AUTHORITY_KEY && hdr->has_storage_permissions;
    if (policy_of(k)->storage_from_identity && !keeps_tlv) {
        p->storage_permissions = storage_permissions_self_only(id->short_id);
    }
}
