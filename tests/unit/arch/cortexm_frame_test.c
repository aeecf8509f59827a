/* SPDX-License-Identifier: Apache-2.0 OR MIT */
/*
 * Host tests for the Cortex-M frame check (arch/cortex-m/include/arch/cortexm_frame.h), the
 * test the syscall trap makes on every syscall before it reads the process's stacked frame:
 * compared, for every psp around the edges of many bounds, with the plain definition (the 32
 * bytes at psp inside [mem_start, app_brk), psp word aligned), including bounds too small for
 * a frame, inverted bounds and bounds at the ends of the address space.
 *
 * Usage: make build/host/cortexm_frame_test build/host-san/cortexm_frame_test
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include "arch/cortexm_frame.h"

/* The definition, in 64-bit arithmetic so nothing wraps. */
static bool frame_inside_reference(uint32_t psp, uint32_t mem_start, uint32_t app_brk)
{
    uint64_t start = psp, end = (uint64_t)psp + CORTEXM_FRAME_BYTES;
    return start >= mem_start && end <= app_brk && (psp & 3u) == 0;
}

/* Also checks that the trap's variant for a psp read from the PSP register (word aligned by
 * the architecture) agrees with the full check on every aligned psp. */
static bool fits(uint32_t psp, uint32_t mem_start, uint32_t app_brk)
{
    struct cortexm_frame_window window = cortexm_frame_window(mem_start, app_brk);
    bool full = cortexm_frame_fits(psp, window);
    if ((psp & 3u) == 0) {
        assert_int_equal(cortexm_frame_fits_hw_psp(psp, window), full);
    }
    return full;
}

/* Every psp within 40 bytes of both bounds, and a few far away, against the reference. */
static void check_bounds(uint32_t mem_start, uint32_t app_brk)
{
    const uint32_t anchors[] = { mem_start, app_brk, app_brk - CORTEXM_FRAME_BYTES };
    for (size_t a = 0; a < sizeof anchors / sizeof anchors[0]; a++) {
        for (int32_t d = -40; d <= 40; d++) {
            uint32_t psp = anchors[a] + (uint32_t)d;
            assert_int_equal(fits(psp, mem_start, app_brk),
                             frame_inside_reference(psp, mem_start, app_brk));
        }
    }
    const uint32_t far[] = { 0u, 4u, 0x7FFFFFFCu, 0xFFFFFFE0u, 0xFFFFFFFCu };
    for (size_t i = 0; i < sizeof far / sizeof far[0]; i++) {
        assert_int_equal(fits(far[i], mem_start, app_brk),
                         frame_inside_reference(far[i], mem_start, app_brk));
    }
}

static void test_exact_edges(void **state)
{
    (void)state;
    /* The highest frame ends exactly at the break; one word higher crosses it. */
    assert_true(fits(0x20003FE0u, 0x20002000u, 0x20004000u));
    assert_false(fits(0x20003FE4u, 0x20002000u, 0x20004000u));
    /* The lowest frame starts exactly at mem_start; one word lower is outside. */
    assert_true(fits(0x20002000u, 0x20002000u, 0x20004000u));
    assert_false(fits(0x20001FFCu, 0x20002000u, 0x20004000u));
    /* Misaligned inside the bounds. */
    assert_false(fits(0x20003000u + 2u, 0x20002000u, 0x20004000u));
}

static void test_room_for_exactly_one_frame(void **state)
{
    (void)state;
    assert_true(fits(0x20000000u, 0x20000000u, 0x20000020u));
    assert_false(fits(0x20000004u, 0x20000000u, 0x20000020u));
    check_bounds(0x20000000u, 0x20000020u);
}

static void test_bounds_too_small_or_inverted_admit_nothing(void **state)
{
    (void)state;
    const uint32_t sizes[] = { 0u, 4u, 28u, 31u };
    for (size_t i = 0; i < sizeof sizes / sizeof sizes[0]; i++) {
        check_bounds(0x20001000u, 0x20001000u + sizes[i]);
        for (uint32_t psp = 0x20000FF0u; psp < 0x20001040u; psp++) {
            assert_false(fits(psp, 0x20001000u, 0x20001000u + sizes[i]));
        }
    }
    check_bounds(0x20002000u, 0x20001000u);
    /* The sentinel window: psp 1 is within its span but not aligned. */
    assert_false(fits(1u, 0x20001000u, 0x20001010u));
}

static void test_many_bounds_against_the_definition(void **state)
{
    (void)state;
    uint32_t x = 0x12345679u;
    for (int i = 0; i < 2000; i++) {
        x = x * 1664525u + 1013904223u;
        uint32_t mem_start = x & ~3u;
        x = x * 1664525u + 1013904223u;
        uint32_t size = (x >> 16) & 0x3FFCu;
        uint32_t app_brk = mem_start + size; /* may wrap: then app_brk < mem_start */
        check_bounds(mem_start, app_brk);
    }
    /* The ends of the address space. */
    check_bounds(0u, 0x40u);
    check_bounds(0xFFFFFF00u, 0xFFFFFFFCu);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_exact_edges),
        cmocka_unit_test(test_room_for_exactly_one_frame),
        cmocka_unit_test(test_bounds_too_small_or_inverted_admit_nothing),
        cmocka_unit_test(test_many_bounds_against_the_definition),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
