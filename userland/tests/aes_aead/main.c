/* SPDX-License-Identifier: Apache-2.0 OR MIT */
/*
 * aes_aead: AES-128 CCM and GCM through the AES driver (0x40006) against published vectors.
 *
 * Seals and opens NIST SP 800-38C example 2 (CCM: 8-byte nonce, 16 bytes of associated data,
 * 6-byte tag) and GCM test case 4 (12-byte IV, 20 bytes of associated data, a 60-byte payload,
 * 16-byte tag) with libtocksync_aes_aead, both behind a 2-byte header, and checks every output
 * byte; opens a message with a changed tag (a mismatch: refused, the payload wiped); and checks
 * that the driver refuses crypt (command 3) inside a GCM session, which would reuse the nonce.
 *
 * Prints `aes_aead: ccm ok`, `aes_aead: gcm ok`, `aes_aead: mismatch refused`,
 * `aes_aead: crypt refused`, `aes_aead: done`; anything unexpected prints a FAIL line.
 *
 * Invariants: none.
 */
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include <libtock-sync/crypto/aes.h>
#include <libtock/crypto/aes.h>
#include <libtock/crypto/syscalls/aes_syscalls.h>
#include <libtock/tock.h>

#define HEADER 2u

struct vector {
    libtock_aes_algorithm_t algorithm;
    const char *name;
    uint8_t key[16];
    uint8_t nonce[12];
    uint32_t nonce_len;
    uint8_t aad[20];
    uint32_t aad_len;
    uint8_t plain[60];
    uint32_t plain_len;
    uint8_t cipher_tag[76];
    uint32_t tag_len;
};

static const struct vector ccm = {
    LIBTOCK_AES128CCM, "ccm",
    { 0x40, 0x41, 0x42, 0x43, 0x44, 0x45, 0x46, 0x47, 0x48, 0x49, 0x4a, 0x4b, 0x4c, 0x4d, 0x4e,
      0x4f },
    { 0x10, 0x11, 0x12, 0x13, 0x14, 0x15, 0x16, 0x17 }, 8,
    { 0x00, 0x01, 0x02, 0x03, 0x04, 0x05, 0x06, 0x07, 0x08, 0x09, 0x0a, 0x0b, 0x0c, 0x0d, 0x0e,
      0x0f }, 16,
    { 0x20, 0x21, 0x22, 0x23, 0x24, 0x25, 0x26, 0x27, 0x28, 0x29, 0x2a, 0x2b, 0x2c, 0x2d, 0x2e,
      0x2f }, 16,
    { 0xd2, 0xa1, 0xf0, 0xe0, 0x51, 0xea, 0x5f, 0x62, 0x08, 0x1a, 0x77, 0x92, 0x07, 0x3d, 0x59,
      0x3d, 0x1f, 0xc6, 0x4f, 0xbf, 0xac, 0xcd }, 6,
};

static const struct vector gcm = {
    LIBTOCK_AES128GCM, "gcm",
    { 0xfe, 0xff, 0xe9, 0x92, 0x86, 0x65, 0x73, 0x1c, 0x6d, 0x6a, 0x8f, 0x94, 0x67, 0x30, 0x83,
      0x08 },
    { 0xca, 0xfe, 0xba, 0xbe, 0xfa, 0xce, 0xdb, 0xad, 0xde, 0xca, 0xf8, 0x88 }, 12,
    { 0xfe, 0xed, 0xfa, 0xce, 0xde, 0xad, 0xbe, 0xef, 0xfe, 0xed, 0xfa, 0xce, 0xde, 0xad, 0xbe,
      0xef, 0xab, 0xad, 0xda, 0xd2 }, 20,
    { 0xd9, 0x31, 0x32, 0x25, 0xf8, 0x84, 0x06, 0xe5, 0xa5, 0x59, 0x09, 0xc5, 0xaf, 0xf5, 0x26,
      0x9a, 0x86, 0xa7, 0xa9, 0x53, 0x15, 0x34, 0xf7, 0xda, 0x2e, 0x4c, 0x30, 0x3d, 0x8a, 0x31,
      0x8a, 0x72, 0x1c, 0x3c, 0x0c, 0x95, 0x95, 0x68, 0x09, 0x53, 0x2f, 0xcf, 0x0e, 0x24, 0x49,
      0xa6, 0xb5, 0x25, 0xb1, 0x6a, 0xed, 0xf5, 0xaa, 0x0d, 0xe6, 0x57, 0xba, 0x63, 0x7b, 0x39 },
    60,
    { 0x42, 0x83, 0x1e, 0xc2, 0x21, 0x77, 0x74, 0x24, 0x4b, 0x72, 0x21, 0xb7, 0x84, 0xd0, 0xd4,
      0x9c, 0xe3, 0xaa, 0x21, 0x2f, 0x2c, 0x02, 0xa4, 0xe0, 0x35, 0xc1, 0x7e, 0x23, 0x29, 0xac,
      0xa1, 0x2e, 0x21, 0xd5, 0x14, 0xb2, 0x54, 0x66, 0x93, 0x1c, 0x7d, 0x8f, 0x6a, 0x5a, 0xac,
      0x84, 0xaa, 0x05, 0x1b, 0xa3, 0x0b, 0x39, 0x6a, 0x0a, 0xac, 0x97, 0x3d, 0x58, 0xe0, 0x91,
      0x5b, 0xc9, 0x4f, 0xbc, 0x32, 0x21, 0xa5, 0xdb, 0x94, 0xfa, 0xe9, 0x5a, 0xe7, 0x12, 0x1a,
      0x47 },
    16,
};

static uint8_t message[HEADER + 20 + 60 + 16];
static uint8_t sealed[sizeof message];
static uint8_t opened[sizeof message];
static bool failed;

static void fail(const char *what, returncode_t ret)
{
    printf("aes_aead: FAIL %s: %s\n", what, tock_strrcode(ret));
    failed = true;
}

static returncode_t crypt_message(const struct vector *v, bool is_encrypting,
                                  const uint8_t *source, uint32_t source_len, uint8_t *dest,
                                  uint32_t dest_len, uint32_t *written)
{
    const struct libtocksync_aes_aead_message m = {
        .algorithm = v->algorithm, .is_encrypting = is_encrypting, .key = v->key,
        .nonce = v->nonce, .nonce_len = v->nonce_len, .source = source,
        .source_len = source_len, .dest = dest, .dest_len = dest_len,
        .aad_offset = HEADER, .message_offset = HEADER + v->aad_len, .tag_len = v->tag_len,
    };
    return libtocksync_aes_aead(&m, written);
}

/* Seal the vector's message behind a header, check it, open it again, check that. */
static void check_vector(const struct vector *v)
{
    uint32_t plain_end = HEADER + v->aad_len + v->plain_len;
    uint32_t total = plain_end + v->tag_len;
    message[0] = 'h';
    message[1] = 'd';
    memcpy(&message[HEADER], v->aad, v->aad_len);
    memcpy(&message[HEADER + v->aad_len], v->plain, v->plain_len);
    uint32_t written = 0;
    returncode_t ret = crypt_message(v, true, message, plain_end, sealed, sizeof sealed, &written);
    if (ret != RETURNCODE_SUCCESS || written != total ||
        memcmp(sealed, message, HEADER + v->aad_len) != 0 ||
        memcmp(&sealed[HEADER + v->aad_len], v->cipher_tag, v->plain_len + v->tag_len) != 0) {
        fail(v->name, ret);
        return;
    }
    ret = crypt_message(v, false, sealed, total, opened, sizeof opened, &written);
    if (ret != RETURNCODE_SUCCESS || written != plain_end ||
        memcmp(opened, message, plain_end) != 0) {
        fail(v->name, ret);
        return;
    }
    printf("aes_aead: %s ok\n", v->name);
}

static void check_mismatch(const struct vector *v)
{
    uint32_t total = HEADER + v->aad_len + v->plain_len + v->tag_len;
    sealed[total - 1] ^= 0x01; /* sealed still holds this vector's message */
    uint32_t written = 0;
    memset(opened, 0xee, sizeof opened);
    returncode_t ret = crypt_message(v, false, sealed, total, opened, sizeof opened, &written);
    bool is_wiped = true;
    for (uint32_t i = HEADER + v->aad_len; i < total - v->tag_len; i++) {
        is_wiped = is_wiped && opened[i] == 0;
    }
    if (ret != RETURNCODE_FAIL || !is_wiped) {
        fail("mismatch", ret);
        return;
    }
    printf("aes_aead: mismatch refused\n");
}

/* A GCM session: setup, then crypt must be refused (EINVAL), finish works. */
static void check_crypt_refused(void)
{
    returncode_t ret = libtock_aes_set_algorithm(LIBTOCK_AES128GCM, true);
    if (ret == RETURNCODE_SUCCESS) {
        ret = libtock_aes_ccm_set_a_off(0);
    }
    if (ret == RETURNCODE_SUCCESS) {
        ret = libtock_aes_ccm_set_m_off(0);
    }
    if (ret == RETURNCODE_SUCCESS) {
        ret = libtock_aes_set_readonly_allow_key_buffer(gcm.key, 16);
    }
    if (ret == RETURNCODE_SUCCESS) {
        ret = libtock_aes_set_readonly_allow_nonce_buffer(gcm.nonce, 12);
    }
    if (ret == RETURNCODE_SUCCESS) {
        ret = libtock_aes_set_readonly_allow_source_buffer(gcm.plain, 16);
    }
    if (ret == RETURNCODE_SUCCESS) {
        ret = libtock_aes_set_readwrite_allow_dest_buffer(sealed, 32);
    }
    if (ret == RETURNCODE_SUCCESS) {
        ret = libtock_aes_setup();
    }
    if (ret == RETURNCODE_SUCCESS) {
        yield_waitfor_return_t event = yield_wait_for(DRIVER_NUM_AES, 0);
        ret = tock_status_to_returncode((statuscode_t)event.data0);
    }
    if (ret != RETURNCODE_SUCCESS) {
        fail("gcm session", ret);
        return;
    }
    returncode_t crypt = libtock_aes_crypt();
    returncode_t finish = libtock_aes_finish();
    if (crypt != RETURNCODE_EINVAL || finish != RETURNCODE_SUCCESS) {
        fail("crypt in a gcm session", crypt);
        return;
    }
    printf("aes_aead: crypt refused\n");
}

int main(void)
{
    if (!libtock_aes_exists()) {
        fail("no AES driver", RETURNCODE_ENODEVICE);
        return 1;
    }
    check_vector(&ccm);
    check_vector(&gcm);
    check_mismatch(&gcm);
    check_crypt_refused();
    if (!failed) {
        printf("aes_aead: done\n");
    }
    return 0;
}
