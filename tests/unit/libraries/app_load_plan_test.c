/* SPDX-License-Identifier: Apache-2.0 OR MIT */
/*
 * Host tests for the runtime app loader's placement and bounds (libraries/app_load_plan.c),
 * linked alone with libraries/tbf.c (the padding object must be one the walk accepts).
 *
 * The MPU rule is a test double: "power of two" accepts only an address that is a multiple of
 * the size rounded up to a power of two (Cortex-M's whole-region rule), "any" accepts every
 * 4-aligned address (a PMP), "never" none.
 *
 * Usage: make build/host/app_load_plan_test build/host-san/app_load_plan_test (or `make unit`).
 *
 * Invariants: each test builds its own area.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include "app_load_plan.h"
#include "tbf.h"

#define PAGE 512u

static const struct app_load_area area = { .start = 0x00100000u, .end = 0x00400000u,
                                           .page_size = PAGE };

static uint32_t calls;

static bool fits_power_of_two(void *ctx, uintptr_t address, uint32_t size)
{
    (void)ctx;
    calls++;
    uint64_t region = 1;
    while (region < size) {
        region *= 2u;
    }
    return address % region == 0;
}

static bool fits_any(void *ctx, uintptr_t address, uint32_t size)
{
    (void)ctx;
    (void)size;
    calls++;
    return address % 4u == 0;
}

static bool fits_never(void *ctx, uintptr_t address, uint32_t size)
{
    (void)ctx;
    (void)address;
    (void)size;
    calls++;
    return false;
}

static void test_pmp_takes_the_next_page_after_room_for_padding(void **state)
{
    (void)state;
    struct app_load_plan plan;
    /* The list ends mid-page: the next page, with 16 bytes of room before it. */
    assert_int_equal(app_load_plan(&area, 0x001014CCu, 0x1630u, 0, fits_any, NULL, &plan),
                     APP_LOAD_PLAN_OK);
    assert_int_equal(plan.list_end, 0x001014CCu);
    assert_int_equal(plan.address, 0x00101600u);
    assert_int_equal(plan.erase_start, 0x00101600u);
    assert_int_equal(plan.erase_end, 0x00102E00u); /* 0x101600 + 0x1630 rounded up */
    /* 8 bytes short of a padding object before the page: one page further. */
    assert_int_equal(app_load_plan(&area, 0x001015F8u, 0x100u, 0, fits_any, NULL, &plan),
                     APP_LOAD_PLAN_OK);
    assert_int_equal(plan.address, 0x00101800u);
    /* A page-aligned list end still leaves a page for the padding object. */
    assert_int_equal(app_load_plan(&area, 0x00102000u, 0x100u, 0, fits_any, NULL, &plan),
                     APP_LOAD_PLAN_OK);
    assert_int_equal(plan.address, 0x00102200u);
    assert_int_equal(plan.erase_start, 0x00102000u);
}

static void test_cortex_m_rule_aligns_to_the_size(void **state)
{
    (void)state;
    struct app_load_plan plan;
    calls = 0;
    assert_int_equal(app_load_plan(&area, 0x00108000u, 0x2000u, 0, fits_power_of_two, NULL,
                                   &plan),
                     APP_LOAD_PLAN_OK);
    assert_int_equal(plan.address, 0x0010A000u);
    assert_true(calls <= 5u); /* 512, 1K, 2K, 4K, 8K */
    /* A size that is no power of two: aligned to the next one. */
    assert_int_equal(app_load_plan(&area, 0x00100000u, 0x3000u, 0, fits_power_of_two, NULL,
                                   &plan),
                     APP_LOAD_PLAN_OK);
    assert_int_equal(plan.address, 0x00104000u);
}

static void test_no_room_when_the_app_would_pass_the_end(void **state)
{
    (void)state;
    struct app_load_plan plan = { .address = 0x1234u };
    assert_int_equal(app_load_plan(&area, 0x003FFE00u, 0x200u, 0, fits_any, NULL, &plan),
                     APP_LOAD_PLAN_NO_ROOM);
    assert_int_equal(plan.address, 0x1234u); /* untouched */
    assert_int_equal(app_load_plan(&area, 0x00100000u, 0x7FFFFF00u, 0, fits_any, NULL, &plan),
                     APP_LOAD_PLAN_NO_ROOM);
    assert_int_equal(app_load_plan(&area, 0x00100000u, 0xFFFFFFFCu, 0, fits_any, NULL, &plan),
                     APP_LOAD_PLAN_NO_ROOM);
    assert_int_equal(app_load_plan(&area, 0x00100000u, 0x1000u, 0, fits_never, NULL, &plan),
                     APP_LOAD_PLAN_NO_ROOM);
    /* Exactly up to the end fits. */
    assert_int_equal(app_load_plan(&area, 0x003FFC00u, 0x200u, 0, fits_any, NULL, &plan),
                     APP_LOAD_PLAN_OK);
    assert_int_equal(plan.address + plan.size, area.end);
    assert_int_equal(plan.erase_end, area.end);
}

static void test_bad_sizes(void **state)
{
    (void)state;
    struct app_load_plan plan;
    assert_int_equal(app_load_plan(&area, 0x00100000u, 0, 0, fits_any, NULL, &plan),
                     APP_LOAD_PLAN_BAD_SIZE);
    assert_int_equal(app_load_plan(&area, 0x00100000u, 12, 0, fits_any, NULL, &plan),
                     APP_LOAD_PLAN_BAD_SIZE);
    assert_int_equal(app_load_plan(&area, 0x00100000u, 0x101, 0, fits_any, NULL, &plan),
                     APP_LOAD_PLAN_BAD_SIZE);
}

static void test_requested_address(void **state)
{
    (void)state;
    struct app_load_plan plan;
    assert_int_equal(app_load_plan(&area, 0x001040CCu, 0x1630u, 0x00130000u, fits_any, NULL,
                                   &plan),
                     APP_LOAD_PLAN_OK);
    assert_int_equal(plan.address, 0x00130000u);
    assert_int_equal(plan.erase_start, 0x00104200u);
    /* Not page-aligned, below the padding room, on the list end, or refused by the MPU. */
    assert_int_equal(app_load_plan(&area, 0x001040CCu, 0x100u, 0x00130004u, fits_any, NULL,
                                   &plan),
                     APP_LOAD_PLAN_BAD_ADDRESS);
    assert_int_equal(app_load_plan(&area, 0x00104000u, 0x100u, 0x00104000u, fits_any, NULL,
                                   &plan),
                     APP_LOAD_PLAN_BAD_ADDRESS);
    assert_int_equal(app_load_plan(&area, 0x00104000u, 0x100u, 0x00100000u, fits_any, NULL,
                                   &plan),
                     APP_LOAD_PLAN_BAD_ADDRESS);
    assert_int_equal(app_load_plan(&area, 0x00104000u, 0x2000u, 0x00105000u, fits_power_of_two,
                                   NULL, &plan),
                     APP_LOAD_PLAN_NO_ROOM);
    assert_int_equal(app_load_plan(&area, 0x00104000u, 0x2000u, 0x003FF000u, fits_any, NULL,
                                   &plan),
                     APP_LOAD_PLAN_NO_ROOM);
}

static void test_writes_start_in_the_app_and_may_end_past_it(void **state)
{
    (void)state;
    struct app_load_plan plan = { .address = 0x00102000u, .size = 0x1630u };
    assert_true(app_load_write_ok(&plan, PAGE, 0, PAGE));
    assert_true(app_load_write_ok(&plan, PAGE, 0x1600u, 0x30u)); /* the last bytes */
    assert_true(app_load_write_ok(&plan, PAGE, 0x100u, PAGE));   /* across a page */
    assert_true(app_load_write_ok(&plan, PAGE, 0, 0x1630u));     /* all at once */
    assert_true(app_load_write_ok(&plan, PAGE, 0x1600u, PAGE));  /* a padded last chunk */
    assert_true(app_load_write_ok(&plan, PAGE, 0x1000u, 0x800u));
    assert_false(app_load_write_ok(&plan, PAGE, 0, 0));           /* empty */
    assert_true(app_load_write_ok(&plan, PAGE, 0x1000u, 0x1000u)); /* a 4 KiB last chunk */
    assert_false(app_load_write_ok(&plan, PAGE, 0x1630u, 1));     /* starts at the end */
    assert_false(app_load_write_ok(&plan, PAGE, 0xFFFFFE00u, PAGE)); /* wraps */
    assert_false(app_load_write_ok(&plan, PAGE, 4, 0xFFFFFFFFu));
}

static void test_padding_header_is_a_padding_object_of_the_gap(void **state)
{
    (void)state;
    uint8_t flash[0x300];
    memset(flash, 0xFF, sizeof flash);
    app_load_padding_header(flash, 0x134u);
    struct tbf_lengths lengths;
    assert_int_equal(tbf_parse_lengths(flash, sizeof flash, &lengths), TBF_OK);
    assert_int_equal(lengths.total_size, 0x134u);
    assert_int_equal(lengths.header_size, 16u);
    struct tbf_header hdr;
    assert_int_equal(tbf_parse_header(flash, lengths.header_size, &hdr), TBF_PADDING);
    /* After it the walk meets erased flash: the list ends there. */
    assert_int_equal(tbf_parse_lengths(flash + 0x134u, sizeof flash - 0x134u, &lengths),
                     TBF_END);
}

static void test_erased_bytes(void **state)
{
    (void)state;
    uint8_t bytes[8];
    memset(bytes, 0xFF, sizeof bytes);
    assert_true(app_load_is_erased(bytes, sizeof bytes));
    assert_true(app_load_is_erased(bytes, 0));
    bytes[7] = 0xFE;
    assert_false(app_load_is_erased(bytes, sizeof bytes));
    assert_true(app_load_is_erased(bytes, 7));
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_pmp_takes_the_next_page_after_room_for_padding),
        cmocka_unit_test(test_cortex_m_rule_aligns_to_the_size),
        cmocka_unit_test(test_no_room_when_the_app_would_pass_the_end),
        cmocka_unit_test(test_bad_sizes),
        cmocka_unit_test(test_requested_address),
        cmocka_unit_test(test_writes_start_in_the_app_and_may_end_past_it),
        cmocka_unit_test(test_padding_header_is_a_padding_object_of_the_gap),
        cmocka_unit_test(test_erased_bytes),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
