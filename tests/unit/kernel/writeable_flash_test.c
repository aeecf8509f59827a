/* SPDX-License-Identifier: Apache-2.0 OR MIT */
/*
 * Host tests for process_in_writeable_flash (kernel/process.c): the app flash driver's check
 * that a destination lies inside one of the process's own Writeable Flash Regions. The loader
 * refuses images whose regions leave their own TBF (loader_test.c tests that), so the
 * regions here are always inside the image.
 *
 * Usage: make build/host/writeable_flash_test (or `make unit`).
 *
 * Invariants: none.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include "kernel/process.h"

static struct process make(void)
{
    struct process p = { .state = PROCESS_RUNNING };
    p.flash_start = 0x00100000u;
    p.flash_size = 0x4000u;
    p.protected_size = 0x5Cu;
    p.writeable_region_count = 1;
    p.writeable_regions[0][0] = 0x84u;
    p.writeable_regions[0][1] = 8u;
    return p;
}

static void test_inside_and_outside(void **state)
{
    (void)state;
    struct process p = make();
    assert_true(process_in_writeable_flash(&p, 0x00100084u, 8));
    assert_true(process_in_writeable_flash(&p, 0x00100088u, 4));
    assert_false(process_in_writeable_flash(&p, 0x00100084u, 9));
    assert_false(process_in_writeable_flash(&p, 0x00100083u, 2));
    assert_false(process_in_writeable_flash(&p, 0x0010008Cu, 1));
    assert_false(process_in_writeable_flash(&p, 0x00100084u, 0));
    assert_false(process_in_writeable_flash(&p, 0x00000084u, 4));
    assert_false(process_in_writeable_flash(&p, UINTPTR_MAX, 4));
}

/* Requests around the region's edges and around the address space's end never wrap. */
static void test_requests_do_not_wrap(void **state)
{
    (void)state;
    struct process p = make();
    assert_false(process_in_writeable_flash(&p, 0x00100088u, UINT32_MAX));
    assert_false(process_in_writeable_flash(&p, 0x00100084u, UINT32_MAX));
    assert_false(process_in_writeable_flash(&p, 0x00104000u, 4));
    p.writeable_region_count = 0;
    assert_false(process_in_writeable_flash(&p, 0x00100084u, 4));
}

static void test_second_region(void **state)
{
    (void)state;
    struct process p = make();
    p.writeable_region_count = 2;
    p.writeable_regions[1][0] = 0x1000u;
    p.writeable_regions[1][1] = 0x200u;
    assert_true(process_in_writeable_flash(&p, 0x00101100u, 0x100u));
    /* Spanning the two regions is not inside one of them. */
    assert_false(process_in_writeable_flash(&p, 0x00100084u, 0x1000u));
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_inside_and_outside),
        cmocka_unit_test(test_requests_do_not_wrap),
        cmocka_unit_test(test_second_region),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
