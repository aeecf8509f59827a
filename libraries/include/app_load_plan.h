/* SPDX-License-Identifier: Apache-2.0 OR MIT */
/*
 * Where an app loaded at runtime goes in app flash, and which writes to it are in bounds: the
 * pure arithmetic of the app loader (capsules/app_loader.h), apart so the host tests reach
 * every edge (doc/reference/028-runtime-app-loading.md).
 *
 * App flash holds a list of TBF objects that ends at `list_end` (a word of 0 or 0xFFFFFFFF).
 * A new app of `size` bytes goes at the first page-aligned address at least
 * APP_LOAD_PADDING_MIN bytes past the list end that the MPU/PMP accepts (or exactly at the
 * address the loader asked for), and ends inside app flash. The bytes between the list end and
 * the app are later covered by one padding object, written last: until it is written, the walk
 * still ends at list_end, so the new app is invisible to every walk.
 *
 * Usage (the app loader's setup):
 *     struct app_load_plan plan;
 *     enum app_load_plan_status st = app_load_plan(&area, list_end, size, requested,
 *                                                  mpu_fits, ctx, &plan);
 *     erase pages [plan.erase_start, plan.erase_end), write the app at plan.address,
 *     then app_load_padding_header(header, plan.address - plan.list_end) at plan.list_end.
 *
 * Invariants: on APP_LOAD_PLAN_OK, area.start <= list_end < list_end + APP_LOAD_PADDING_MIN <=
 * address, address is a multiple of page_size, address + size <= area.end, erase_start is
 * list_end rounded up to a page, erase_end is address + size rounded up to a page (at most
 * area.end, which is page-aligned). No arithmetic wraps.
 */
#pragma once

#include <stdbool.h>
#include <stdint.h>

#define APP_LOAD_PADDING_MIN 16u /* a padding object is a bare 16-byte base header */

/* App flash: [start, end), both multiples of page_size (a power of two). */
struct app_load_area {
    uintptr_t start;
    uintptr_t end;
    uint32_t page_size;
};

struct app_load_plan {
    uintptr_t list_end;    /* where the padding object goes */
    uintptr_t address;     /* where the app's TBF starts */
    uint32_t size;         /* the app's total_size */
    uintptr_t erase_start; /* pages the load owns: [erase_start, erase_end) */
    uintptr_t erase_end;
};

enum app_load_plan_status {
    APP_LOAD_PLAN_OK,
    APP_LOAD_PLAN_BAD_SIZE,    /* size below a base header, or not a multiple of 4 */
    APP_LOAD_PLAN_BAD_ADDRESS, /* the requested address is not page-aligned, or too low */
    APP_LOAD_PLAN_NO_ROOM,     /* no placement the MPU accepts fits before area.end */
};

/* Can the MPU/PMP cover an app of `size` bytes at `address`? (arch_mpu_set_flash's rule.) */
typedef bool app_load_fits_fn(void *ctx, uintptr_t address, uint32_t size);

/*
 * Plan a load of `size` bytes after the list that ends at list_end (area.start <= list_end <=
 * area.end). requested == 0: the lowest page-aligned address at least APP_LOAD_PADDING_MIN past
 * list_end that `fits` accepts, trying alignments from a page up to the size rounded up to a
 * power of two; else exactly `requested` (for fixed-address builds), which must be page-aligned,
 * at least APP_LOAD_PADDING_MIN past list_end and accepted by `fits`. `out` is written only on
 * APP_LOAD_PLAN_OK.
 */
enum app_load_plan_status app_load_plan(const struct app_load_area *area, uintptr_t list_end,
                                        uint32_t size, uintptr_t requested,
                                        app_load_fits_fn *fits, void *ctx,
                                        struct app_load_plan *out);

/*
 * May a write of len bytes at byte `offset` of the planned app go ahead? It must be non-empty,
 * start inside [0, plan->size) and not wrap. It may end past the app (a loader pads its last
 * chunk to its buffer): the caller writes only up to plan->size and checks the rest is blank.
 * page_size is unused (kept for callers that bound writes by pages).
 */
bool app_load_write_ok(const struct app_load_plan *plan, uint32_t page_size, uint32_t offset,
                       uint32_t len);

/* The 16-byte padding object of total_size bytes (TBF v2, header_size 16, no flags, its
 * checksum), little-endian, into out. */
void app_load_padding_header(uint8_t out[APP_LOAD_PADDING_MIN], uint32_t total_size);

/* Every byte of bytes[0, len) is 0xFF (erased flash, which programming can still write). */
bool app_load_is_erased(const uint8_t *bytes, uint32_t len);
