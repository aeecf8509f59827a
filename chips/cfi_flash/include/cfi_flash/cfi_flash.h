/* SPDX-License-Identifier: Apache-2.0 OR MIT */
/*
 * CFI parallel NOR flash with the Intel/Sharp command set, behind the flash HIL.
 *
 * The driver speaks to a 32-bit bank of `interleave` identical x16 (interleave 2) or x32
 * (interleave 1) chips, every command replicated to each chip. At init it checks the CFI query
 * ("QRY", primary command set 0x0001) and takes the geometry from it: device size and the
 * (single, uniform) erase block region, times the interleave; then it clears the status, unlocks
 * every block and returns to read-array mode.
 *
 * Reads copy a page in read-array mode. A page write programs word by word (command 0x40):
 * each word is written as (old AND new), so bits only go from 1 to 0 even on a model that
 * would overwrite, and a word with nothing to clear is skipped. An erase is block erase
 * (0x20, 0xD0) of one erase unit. Completion is found by polling the status register (bit 7,
 * ready, in every chip) from a deferred call, at most CFI_FLASH_WORDS_PER_CALL words per call,
 * so nothing blocks the kernel loop and the callback always comes from the deferred call.
 * A status with an error bit (erase, program, VPP or lock) ends the operation with ERR_FAIL.
 *
 * QEMU virt (riscv) has two such banks, each two x16 chips of 128 blocks of 128 KiB (32 MiB,
 * 256 KiB erase units) at 0x20000000 (pflash0) and 0x22000000 (pflash1), backed by the file
 * given with `-drive if=pflash,unit=N,format=raw,file=...`; so written data persists across
 * runs. QEMU erases and programs at once, but the driver waits for the status either way.
 * While it polls, its deferred call keeps the kernel loop busy and processes wait; that is
 * nothing on QEMU, but a real chip's erase takes up to seconds, so a board with one should poll
 * from an alarm instead.
 *
 * Usage (board):
 *     static struct cfi_flash pflash1;
 *     boot_check(cfi_flash_init(&pflash1, VIRT_PFLASH1_BASE, 2, 512), "pflash1");
 *     boot_check(mux_flash_init(&flash_mux, &pflash1.flash), "flash mux");
 *
 * Invariants: operation != CFI_FLASH_IDLE iff an operation is outstanding; then the deferred
 * call `step` is set, except while delivering. Between operations the bank is in read-array
 * mode.
 */
#pragma once

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "errorcode.h"
#include "hil/flash.h"
#include "kernel/deferred_call.h"

#define CFI_FLASH_WORDS_PER_CALL 64u
/* Status polls before a program or erase is declared failed (QEMU never needs a second). */
#define CFI_FLASH_POLL_LIMIT 10000000u

enum cfi_flash_operation {
    CFI_FLASH_IDLE,
    CFI_FLASH_READ,
    CFI_FLASH_WRITE,
    CFI_FLASH_ERASE,
};

struct cfi_flash {
    struct hil_flash flash;
    volatile uint32_t *bank;      /* the first word of the bank */
    uint32_t replicate;           /* multiplier that copies a command byte to every chip */
    struct hil_flash_geometry geometry;
    enum cfi_flash_operation operation;
    uint32_t page;
    uint8_t *buf; /* read/write: owned here until the callback */
    size_t len;
    size_t word;       /* write: the next word of the page */
    bool is_waiting;   /* a program or erase command runs: poll the status */
    uint32_t polls;
    struct deferred_call step;
};

/**
 * Boot only: probe the bank at `base` (`interleave` chips of 32 / interleave bits each),
 * expose it as pages of `page_size` bytes, and register the deferred call.
 * Returns ERR_OK, ERR_NODEVICE (no CFI "QRY" answer, or not the Intel/Sharp command set),
 * ERR_NOSUPPORT (more than one erase block region), ERR_INVAL (interleave not 1 or 2, or
 * page_size not a multiple of 4 that divides the erase unit), ERR_FAIL (a block would not
 * unlock) or ERR_NOMEM (no deferred-call slot). Polls the status synchronously while unlocking,
 * a bounded number of times: boot only.
 */
MUST_CHECK err_t cfi_flash_init(struct cfi_flash *flash, uintptr_t base, uint32_t interleave,
                                uint32_t page_size);
