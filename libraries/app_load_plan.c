/* SPDX-License-Identifier: Apache-2.0 OR MIT */
/*
 * Placement and bounds of a runtime app load (see app_load_plan.h).
 *
 * Invariants: see app_load_plan.h. Every sum is checked against area->end before it is formed,
 * in uint64_t where a 32-bit uintptr_t could wrap.
 */
#include "app_load_plan.h"

#include "le_bytes.h"

static uint64_t round_up(uint64_t value, uint64_t align)
{
    return (value + align - 1u) / align * align;
}

static bool placement_ok(const struct app_load_area *area, uintptr_t list_end, uint32_t size,
                         uint64_t address, app_load_fits_fn *fits, void *ctx)
{
    return address % area->page_size == 0 &&
           address >= (uint64_t)list_end + APP_LOAD_PADDING_MIN &&
           address + size <= area->end && fits(ctx, (uintptr_t)address, size);
}

enum app_load_plan_status app_load_plan(const struct app_load_area *area, uintptr_t list_end,
                                        uint32_t size, uintptr_t requested,
                                        app_load_fits_fn *fits, void *ctx,
                                        struct app_load_plan *out)
{
    if (size < APP_LOAD_PADDING_MIN || size % 4u != 0) {
        return APP_LOAD_PLAN_BAD_SIZE;
    }
    uint64_t address = 0;
    if (requested != 0) {
        if (requested % area->page_size != 0 ||
            requested < (uint64_t)list_end + APP_LOAD_PADDING_MIN) {
            return APP_LOAD_PLAN_BAD_ADDRESS;
        }
        if (!placement_ok(area, list_end, size, requested, fits, ctx)) {
            return APP_LOAD_PLAN_NO_ROOM;
        }
        address = requested;
    } else {
        /* Alignments from a page to the size's power of two: on Cortex-M the MPU takes the
         * first that is a multiple of the size's power of two; a PMP takes the first. */
        uint64_t align = area->page_size;
        for (; align <= (uint64_t)1u << 32; align *= 2u) {
            uint64_t candidate = round_up((uint64_t)list_end + APP_LOAD_PADDING_MIN, align);
            if (candidate + size > area->end) {
                return APP_LOAD_PLAN_NO_ROOM;
            }
            if (placement_ok(area, list_end, size, candidate, fits, ctx)) {
                address = candidate;
                break;
            }
        }
        if (address == 0) {
            return APP_LOAD_PLAN_NO_ROOM;
        }
    }
    *out = (struct app_load_plan){
        .list_end = list_end,
        .address = (uintptr_t)address,
        .size = size,
        .erase_start = (uintptr_t)round_up(list_end, area->page_size),
        .erase_end = (uintptr_t)round_up(address + size, area->page_size),
    };
    return APP_LOAD_PLAN_OK;
}

bool app_load_write_ok(const struct app_load_plan *plan, uint32_t page_size, uint32_t offset,
                       uint32_t len)
{
    (void)page_size;
    return len != 0 && offset < plan->size && (uint64_t)offset + len <= UINT32_MAX;
}

void app_load_padding_header(uint8_t out[APP_LOAD_PADDING_MIN], uint32_t total_size)
{
    uint32_t first = 2u | (APP_LOAD_PADDING_MIN << 16); /* version 2, header_size 16 */
    uint32_t flags = 0;
    le_put_u32(out, first);
    le_put_u32(out + 4, total_size);
    le_put_u32(out + 8, flags);
    le_put_u32(out + 12, first ^ total_size ^ flags);
}

bool app_load_is_erased(const uint8_t *bytes, uint32_t len)
{
    uint8_t all = 0xFF;
    for (uint32_t i = 0; i < len; i++) {
        all &= bytes[i];
    }
    return all == 0xFF;
}
