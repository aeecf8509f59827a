/* SPDX-License-Identifier: Apache-2.0 OR MIT */
/*
 * CFI NOR flash driver, Intel/Sharp command set (see cfi_flash/cfi_flash.h).
 *
 * Every operation is carried out by step(), from a deferred call: a read copies the page; a
 * write walks the page's words, programming each that has bits to clear and polling the
 * status before the next; an erase issues block erase once and polls. The bank returns to
 * read-array mode before the callback.
 *
 * Usage: see cfi_flash/cfi_flash.h.
 *
 * Invariants: see cfi_flash/cfi_flash.h; while is_waiting, the bank is in status mode.
 */
#include "cfi_flash/cfi_flash.h"

#include "container.h"

#define CMD_READ_ARRAY 0xFFu
#define CMD_READ_STATUS 0x70u
#define CMD_CLEAR_STATUS 0x50u
#define CMD_PROGRAM 0x40u
#define CMD_BLOCK_ERASE 0x20u
#define CMD_CONFIRM 0xD0u
#define CMD_LOCK_SETUP 0x60u
#define CMD_QUERY 0x98u
#define QUERY_WORD 0x55u /* where the query command is written (in words) */
#define STATUS_READY 0x80u
#define STATUS_ERRORS 0x3Au /* erase, program, VPP low, block locked */
/* CFI query table offsets (in words) */
#define CFI_QRY 0x10u
#define CFI_COMMAND_SET 0x13u
#define CFI_DEVICE_SIZE 0x27u
#define CFI_REGIONS 0x2Cu
#define CFI_REGION_BLOCKS 0x2Du
#define CFI_REGION_SIZE 0x2Fu
#define CFI_INTEL_COMMAND_SET 0x0001u

static void command(struct cfi_flash *flash, uint32_t word, uint32_t cmd)
{
    flash->bank[word] = cmd * flash->replicate;
}

/* One byte of the CFI query answer (the first chip's; the others answer the same). */
static uint32_t query_byte(struct cfi_flash *flash, uint32_t offset)
{
    return flash->bank[offset] & 0xFFu;
}

static uint32_t load_word(const uint8_t *bytes)
{
    return (uint32_t)bytes[0] | ((uint32_t)bytes[1] << 8) | ((uint32_t)bytes[2] << 16) |
           ((uint32_t)bytes[3] << 24);
}

static void store_word(uint8_t *bytes, uint32_t value)
{
    bytes[0] = (uint8_t)value;
    bytes[1] = (uint8_t)(value >> 8);
    bytes[2] = (uint8_t)(value >> 16);
    bytes[3] = (uint8_t)(value >> 24);
}

static uint32_t first_word_of_page(const struct cfi_flash *flash, uint32_t page)
{
    return page * (flash->geometry.page_size / 4u);
}

static err_t start(struct cfi_flash *flash, enum cfi_flash_operation operation, uint32_t page,
                   uint8_t *buf, size_t len)
{
    const struct hil_flash_geometry *g = &flash->geometry;
    if (flash->operation != CFI_FLASH_IDLE) {
        return ERR_BUSY;
    }
    err_t err = operation == CFI_FLASH_ERASE ? hil_flash_check_erase(g, page)
                                             : hil_flash_check_page(g, page, buf, len);
    if (err != ERR_OK) {
        return err;
    }
    flash->operation = operation;
    flash->page = page;
    flash->buf = buf;
    flash->len = len;
    flash->word = 0;
    flash->is_waiting = false;
    flash->polls = 0;
    deferred_call_set(&flash->step);
    return ERR_OK;
}

static void deliver(struct cfi_flash *flash, err_t status)
{
    enum cfi_flash_operation operation = flash->operation;
    uint8_t *buf = flash->buf;
    size_t len = flash->len;
    command(flash, 0, CMD_READ_ARRAY);
    flash->operation = CFI_FLASH_IDLE; /* the client may start the next one from its callback */
    flash->buf = NULL;
    switch (operation) {
    case CFI_FLASH_READ:
        hil_flash_read_done(&flash->flash, buf, len, status);
        break;
    case CFI_FLASH_WRITE:
        hil_flash_write_done(&flash->flash, buf, len, status);
        break;
    case CFI_FLASH_ERASE:
        hil_flash_erase_done(&flash->flash, status);
        break;
    case CFI_FLASH_IDLE:
    default:
        break;
    }
}

/* The program or erase command in progress: ERR_OK when every chip is ready and reports no
 * error, ERR_BUSY while one is still working, ERR_FAIL on an error or after too many polls. */
static err_t poll(struct cfi_flash *flash, uint32_t word)
{
    uint32_t status = flash->bank[word];
    uint32_t ready = STATUS_READY * flash->replicate;
    if ((status & ready) != ready) {
        flash->polls++;
        return flash->polls > CFI_FLASH_POLL_LIMIT ? ERR_FAIL : ERR_BUSY;
    }
    flash->is_waiting = false;
    flash->polls = 0;
    if ((status & (STATUS_ERRORS * flash->replicate)) != 0) {
        command(flash, word, CMD_CLEAR_STATUS);
        return ERR_FAIL;
    }
    return ERR_OK;
}

/* Boot only: wait, a bounded number of polls, for the command just issued at `word`. */
static err_t wait_at_boot(struct cfi_flash *flash, uint32_t word)
{
    err_t err;
    flash->polls = 0;
    do {
        err = poll(flash, word);
    } while (err == ERR_BUSY);
    return err;
}

static void step_read(struct cfi_flash *flash)
{
    uint32_t first = first_word_of_page(flash, flash->page);
    for (size_t i = 0; i < flash->geometry.page_size / 4u; i++) {
        store_word(flash->buf + 4u * i, flash->bank[first + i]);
    }
    deliver(flash, ERR_OK);
}

static void step_write(struct cfi_flash *flash)
{
    uint32_t first = first_word_of_page(flash, flash->page);
    size_t words = flash->geometry.page_size / 4u;
    for (uint32_t budget = CFI_FLASH_WORDS_PER_CALL; budget > 0; budget--) {
        if (flash->is_waiting) {
            err_t err = poll(flash, first + (uint32_t)flash->word);
            if (err == ERR_BUSY) {
                break;
            }
            if (err != ERR_OK) {
                deliver(flash, err);
                return;
            }
            flash->word++;
        }
        if (flash->word == words) {
            deliver(flash, ERR_OK);
            return;
        }
        uint32_t at = first + (uint32_t)flash->word;
        command(flash, at, CMD_READ_ARRAY);
        uint32_t old = flash->bank[at];
        uint32_t want = old & load_word(flash->buf + 4u * flash->word);
        if (want == old) {
            flash->word++; /* nothing to clear in this word */
            continue;
        }
        command(flash, at, CMD_PROGRAM);
        flash->bank[at] = want;
        flash->is_waiting = true;
    }
    deferred_call_set(&flash->step);
}

static void step_erase(struct cfi_flash *flash)
{
    uint32_t at = first_word_of_page(flash, flash->page);
    if (!flash->is_waiting) {
        command(flash, at, CMD_BLOCK_ERASE);
        command(flash, at, CMD_CONFIRM);
        flash->is_waiting = true;
    }
    err_t err = poll(flash, at);
    if (err == ERR_BUSY) {
        deferred_call_set(&flash->step);
        return;
    }
    deliver(flash, err);
}

static void step(void *ctx)
{
    struct cfi_flash *flash = ctx;
    switch (flash->operation) {
    case CFI_FLASH_READ:
        step_read(flash);
        break;
    case CFI_FLASH_WRITE:
        step_write(flash);
        break;
    case CFI_FLASH_ERASE:
        step_erase(flash);
        break;
    case CFI_FLASH_IDLE:
    default:
        break;
    }
}

static struct hil_flash_geometry geometry(struct hil_flash *hil)
{
    return CONTAINER_OF(hil, struct cfi_flash, flash)->geometry;
}

static err_t read_page(struct hil_flash *hil, uint32_t page, uint8_t *buf, size_t len)
{
    return start(CONTAINER_OF(hil, struct cfi_flash, flash), CFI_FLASH_READ, page, buf, len);
}

static err_t write_page(struct hil_flash *hil, uint32_t page, uint8_t *buf, size_t len)
{
    return start(CONTAINER_OF(hil, struct cfi_flash, flash), CFI_FLASH_WRITE, page, buf, len);
}

static err_t erase_page(struct hil_flash *hil, uint32_t page)
{
    return start(CONTAINER_OF(hil, struct cfi_flash, flash), CFI_FLASH_ERASE, page, NULL, 0);
}

static const struct hil_flash_ops cfi_flash_ops = {
    .geometry = geometry,
    .read_page = read_page,
    .write_page = write_page,
    .erase_page = erase_page,
};

/* Read the geometry from the CFI query; the bank is left in read-array mode. */
static err_t probe(struct cfi_flash *flash, uint32_t interleave, uint32_t page_size)
{
    command(flash, QUERY_WORD, CMD_QUERY);
    bool is_cfi = query_byte(flash, CFI_QRY) == 'Q' && query_byte(flash, CFI_QRY + 1) == 'R' &&
                  query_byte(flash, CFI_QRY + 2) == 'Y';
    uint32_t command_set =
        query_byte(flash, CFI_COMMAND_SET) | (query_byte(flash, CFI_COMMAND_SET + 1) << 8);
    uint32_t size_log2 = query_byte(flash, CFI_DEVICE_SIZE);
    uint32_t regions = query_byte(flash, CFI_REGIONS);
    uint32_t blocks = (query_byte(flash, CFI_REGION_BLOCKS) |
                       (query_byte(flash, CFI_REGION_BLOCKS + 1) << 8)) + 1u;
    uint32_t block_size = (query_byte(flash, CFI_REGION_SIZE) |
                           (query_byte(flash, CFI_REGION_SIZE + 1) << 8)) * 256u;
    command(flash, 0, CMD_READ_ARRAY);
    if (!is_cfi || command_set != CFI_INTEL_COMMAND_SET) {
        return ERR_NODEVICE;
    }
    if (regions != 1 || size_log2 > 30 || block_size == 0 ||
        (uint64_t)blocks * block_size != (1ull << size_log2)) {
        return ERR_NOSUPPORT;
    }
    uint32_t unit = block_size * interleave; /* the chips erase their blocks side by side */
    if (page_size == 0 || page_size % 4u != 0 || unit % page_size != 0) {
        return ERR_INVAL;
    }
    flash->geometry = (struct hil_flash_geometry){
        .page_size = page_size,
        .page_count = (uint32_t)(((uint64_t)blocks * unit) / page_size),
        .erase_pages = unit / page_size,
    };
    return ERR_OK;
}

err_t cfi_flash_init(struct cfi_flash *flash, uintptr_t base, uint32_t interleave,
                     uint32_t page_size)
{
    if (interleave != 1 && interleave != 2) {
        return ERR_INVAL;
    }
    *flash = (struct cfi_flash){
        .flash = { .ops = &cfi_flash_ops, .client = NULL },
        /* SAFETY: base is the board's address of a 32-bit-wide CFI flash bank. */
        .bank = (volatile uint32_t *)base,
        .replicate = interleave == 2 ? 0x00010001u : 0x1u,
        .operation = CFI_FLASH_IDLE,
    };
    err_t err = probe(flash, interleave, page_size);
    if (err != ERR_OK) {
        return err;
    }
    command(flash, 0, CMD_CLEAR_STATUS);
    uint32_t words_per_unit = flash->geometry.erase_pages * (page_size / 4u);
    uint32_t units = flash->geometry.page_count / flash->geometry.erase_pages;
    for (uint32_t unit = 0; unit < units && err == ERR_OK; unit++) {
        /* Unlock: blocks may power up locked. */
        command(flash, unit * words_per_unit, CMD_LOCK_SETUP);
        command(flash, unit * words_per_unit, CMD_CONFIRM);
        err = wait_at_boot(flash, unit * words_per_unit);
    }
    command(flash, 0, CMD_READ_ARRAY);
    if (err != ERR_OK) {
        return err;
    }
    return deferred_call_register(&flash->step, step, flash);
}
