/* SPDX-License-Identifier: Apache-2.0 OR MIT */
/*
 * Sealed record store: encrypt-then-MAC records into flash, one record per slot, each record
 * bound to an owner (a 32-bit identity the client chooses: the syscall driver uses the
 * process's storage write id, capsules/sealed_store_driver.h).
 *
 * A slot is one erase unit of the flash region the board gives the store (region->slots units
 * from region->first_page); its record lives in the unit's first page:
 *     header (32 bytes, authenticated): magic "SEAL", slot, counter, length (little-endian
 *         u32 each), then the 16-byte AES-CTR initial counter block = slot || counter ||
 *         owner || 0 (big-endian u32 each; the last word is the block counter, which a record
 *         of at most a page never wraps)
 *     ciphertext (length bytes): AES-128-CTR of the record under the encryption key
 *     tag (32 bytes): HMAC-SHA256 under the MAC key of header || ciphertext
 * The rest of the page is left erased. A write reads the slot's current header for its counter,
 * encrypts, MACs, erases the unit and programs the page; a read verifies the tag (in constant
 * time) before decrypting anything, so a record that was altered, moved to another slot, or
 * truncated fails with ERR_FAIL and nothing of it reaches the client. An authentic record of
 * another owner is refused with ERR_NOSUPPORT, on read and on overwrite (the slot's current
 * header is checked before anything is erased), so owners cannot read or destroy each
 * other's records.
 *
 * The store uses an AES unit of its own and a digest device (on the tockc boards: a
 * crypto_engine AES unit, and a virtual device of the digest mux the SHA and HMAC drivers
 * share), which take turns with the syscall drivers on the crypto RAM: kernel clients and
 * processes take turns, first come first served.
 *
 * Limitation (documented, not hidden): the CTR counter block is unique only as long as a slot's
 * counter only grows. The counter is read back from flash, unauthenticated; someone who can
 * rewrite the flash can roll it back (or erase the slot) and make the next write reuse a
 * keystream. A product would mix a value that survives tampering into the IV (a monotonic
 * counter in OTP or a fresh TRNG nonce stored in the header); this model has neither.
 *
 * Usage (board):
 *     static const struct sealed_store_keys store_keys = { .encrypt = {...}, .mac = {...} };
 *     static const struct sealed_store_region store_region = { .first_page = 96, .slots = 2 };
 *     static uint8_t store_page[512];            // one flash page
 *     static struct sealed_store store;
 *     boot_check(sealed_store_init(&store, &store_aes.aes, &store_mac.digest, &flash_dev.flash,
 *                                  &store_keys, &store_region, store_page, sizeof store_page),
 *                "store");
 *     sealed_store_set_client(&store, &my_capsule.store_client);
 *
 * Invariants: see sealed_store.c.
 */
#pragma once

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "errorcode.h"
#include "hil/aes.h"
#include "hil/digest.h"
#include "hil/flash.h"

#define SEALED_STORE_MAGIC 0x4C414553u /* "SEAL" read as a little-endian u32 */
#define SEALED_STORE_HEADER_LEN 32u
#define SEALED_STORE_TAG_LEN 32u
#define SEALED_STORE_OVERHEAD (SEALED_STORE_HEADER_LEN + SEALED_STORE_TAG_LEN)

struct sealed_store_keys {
    uint8_t encrypt[HIL_AES128_KEY_LEN];
    uint8_t mac[32];
};

/* Where the slots are: `slots` erase units from `first_page` (a multiple of the erase unit). */
struct sealed_store_region {
    uint32_t first_page;
    uint32_t slots;
};

struct sealed_store_client;
struct sealed_store_client_ops {
    /* The record is in flash (ERR_OK) or not: ERR_NOSUPPORT, the slot holds another owner's
     * record (nothing was erased); ERR_NOMEM, the slot's counter is used up; otherwise the
     * failing unit's status (the slot may then hold no valid record). `record` is the caller's
     * buffer, handed back. */
    void (*write_done)(struct sealed_store_client *client, const uint8_t *record, size_t len,
                       err_t status);
    /* ERR_OK: record[0..len) holds the record. ERR_FAIL: authentication failed (the record
     * was altered); ERR_INVAL: the slot holds no record; ERR_NOSUPPORT: the record is
     * authentic but another owner's; ERR_SIZE: the record is longer than the buffer (len is
     * its length); otherwise the failing unit's status. Only on ERR_OK does `record` hold
     * anything of the slot. */
    void (*read_done)(struct sealed_store_client *client, uint8_t *record, size_t len,
                      err_t status);
};
struct sealed_store_client {
    const struct sealed_store_client_ops *ops;
};

enum sealed_store_step {
    SEALED_STORE_IDLE,
    SEALED_STORE_WRITE_READ_OLD, /* reading the slot's page for its counter */
    SEALED_STORE_WRITE_ENCRYPT,
    SEALED_STORE_WRITE_MAC_DATA,
    SEALED_STORE_WRITE_MAC_FINISH,
    SEALED_STORE_WRITE_ERASE,
    SEALED_STORE_WRITE_PROGRAM,
    SEALED_STORE_READ_PAGE,
    SEALED_STORE_READ_MAC_DATA,
    SEALED_STORE_READ_MAC_FINISH,
    SEALED_STORE_READ_DECRYPT,
};

struct sealed_store {
    struct hil_aes_client aes_client;
    struct hil_digest_client digest_client;
    struct hil_flash_client flash_client;
    struct hil_aes *aes;
    struct hil_digest *mac;
    struct hil_flash *flash;
    struct sealed_store_client *client;
    const struct sealed_store_keys *keys;
    struct hil_flash_geometry geometry;
    uint32_t first_page; /* of slot 0 */
    uint32_t slots;
    uint8_t *page; /* one page; NULL while lent to a unit or the flash */
    uint8_t *page_buf;
    size_t page_len;
    /* The operation in progress. */
    enum sealed_store_step step;
    uint32_t slot;
    uint32_t owner;
    const uint8_t *source; /* write: the caller's record */
    uint8_t *dest;         /* read: the caller's buffer */
    size_t len;            /* record length */
    size_t capacity;       /* read: the caller's buffer length */
    uint8_t tag[SEALED_STORE_TAG_LEN];
    uint32_t writes;       /* statistics */
    uint32_t auth_failures;
};

/**
 * Boot only: become the client of `aes`, `mac` and `flash`, which the store then uses alone
 * (within `region`, for the flash). `page` (page_len bytes, exactly the flash's page size) is
 * its working buffer; `keys` must stay valid (a const in flash). Returns ERR_OK, ERR_SIZE
 * (page_len is not the page size, or a page cannot hold the header and tag) or ERR_INVAL (the
 * region has no slot, does not start on an erase unit or runs past the flash).
 */
MUST_CHECK err_t sealed_store_init(struct sealed_store *store, struct hil_aes *aes,
                                   struct hil_digest *mac, struct hil_flash *flash,
                                   const struct sealed_store_keys *keys,
                                   const struct sealed_store_region *region, uint8_t *page,
                                   size_t page_len);

static inline void sealed_store_set_client(struct sealed_store *store,
                                           struct sealed_store_client *client)
{
    store->client = client;
}

/* Slots (erase units) and the longest record a slot holds. */
uint32_t sealed_store_slot_count(const struct sealed_store *store);
size_t sealed_store_record_max(const struct sealed_store *store);

/**
 * Seal `len` bytes of `record` into `slot` for `owner`, replacing the slot's record unless it
 * is another owner's. Kernel loop only. `record` must stay valid and unchanged until
 * write_done. Returns ERR_OK (write_done follows once, never inside this call), ERR_BUSY (an
 * operation is outstanding), ERR_INVAL (slot out of range, or record NULL) or ERR_SIZE (len is
 * 0 or above sealed_store_record_max). No callback after an error.
 */
MUST_CHECK err_t sealed_store_write(struct sealed_store *store, uint32_t slot, uint32_t owner,
                                    const uint8_t *record, size_t len);

/**
 * Open `owner`'s record in `slot` into `record` (capacity bytes). Kernel loop only. Returns
 * ERR_OK (read_done follows once, never inside this call), ERR_BUSY or ERR_INVAL (slot out of
 * range, or record NULL). No callback after an error.
 */
MUST_CHECK err_t sealed_store_read(struct sealed_store *store, uint32_t slot, uint32_t owner,
                                   uint8_t *record, size_t capacity);
