/* SPDX-License-Identifier: Apache-2.0 OR MIT */
/*
 * Host tests of the RISC-V PMP region arithmetic (arch/riscv/pmp.c).
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include "kernel/arch.h"

static struct arch_ram_request request(uint32_t free_start, uint32_t free_end, uint32_t fixed,
                                       uint32_t min_size)
{
    return (struct arch_ram_request){ .free_start = free_start, .free_end = free_end,
                                      .fixed_start = fixed, .min_size = min_size,
                                      .initial_app_size = 0 };
}

static void test_ram_starts_at_the_cursor_rounded_to_four(void **state)
{
    (void)state;
    struct arch_mpu mpu = { 0 };
    struct arch_ram_request req = request(0x80300001u, 0x80400000u, 0, 0x1001u);
    uintptr_t start = 0;
    uint32_t size = 0;
    assert_int_equal(arch_mpu_allocate_ram(&mpu, &req, &start, &size), ERR_OK);
    assert_int_equal(start, 0x80300004u);
    assert_int_equal(size, 0x1004u);
    assert_int_equal(mpu.ram_accessible_end, 0x80300004u); /* nothing accessible yet */
}

static void test_fixed_start_is_honoured_exactly(void **state)
{
    (void)state;
    struct arch_mpu mpu = { 0 };
    struct arch_ram_request req = request(0x80302000u, 0x80400000u, 0x80310000u, 0x2000u);
    uintptr_t start = 0;
    uint32_t size = 0;
    assert_int_equal(arch_mpu_allocate_ram(&mpu, &req, &start, &size), ERR_OK);
    assert_int_equal(start, 0x80310000u);
}

static void test_fixed_start_behind_the_cursor_or_unaligned_is_inval(void **state)
{
    (void)state;
    struct arch_mpu mpu = { 0 };
    uintptr_t start = 0;
    uint32_t size = 0;
    struct arch_ram_request behind = request(0x80320000u, 0x80400000u, 0x80310000u, 0x100u);
    assert_int_equal(arch_mpu_allocate_ram(&mpu, &behind, &start, &size), ERR_INVAL);
    struct arch_ram_request odd = request(0x80300000u, 0x80400000u, 0x80310002u, 0x100u);
    assert_int_equal(arch_mpu_allocate_ram(&mpu, &odd, &start, &size), ERR_INVAL);
}

static void test_ram_past_the_pool_is_nomem(void **state)
{
    (void)state;
    struct arch_mpu mpu = { 0 };
    uintptr_t start = 0;
    uint32_t size = 0;
    struct arch_ram_request req = request(0x803FF000u, 0x80400000u, 0, 0x2000u);
    assert_int_equal(arch_mpu_allocate_ram(&mpu, &req, &start, &size), ERR_NOMEM);
    struct arch_ram_request huge = request(0x80300000u, 0xFFFFFFF0u, 0, 0xF0000000u);
    assert_int_equal(arch_mpu_allocate_ram(&mpu, &huge, &start, &size), ERR_NOMEM);
}

static void test_brk_rounds_up_to_four_and_never_reaches_the_kernel_break(void **state)
{
    (void)state;
    struct arch_mpu mpu = { 0 };
    uintptr_t start = 0;
    uint32_t size = 0;
    struct arch_ram_request req = request(0x80300000u, 0x80400000u, 0, 0x1000u);
    assert_int_equal(arch_mpu_allocate_ram(&mpu, &req, &start, &size), ERR_OK);
    assert_int_equal(arch_mpu_update_app_brk(&mpu, 0x80300101u, 0x80300800u), ERR_OK);
    assert_int_equal(mpu.ram_accessible_end, 0x80300104u);
    /* app_brk 0x803007FD rounds to 0x80300800 == kernel break: allowed (end is exclusive). */
    assert_int_equal(arch_mpu_update_app_brk(&mpu, 0x803007FDu, 0x80300800u), ERR_OK);
    assert_int_equal(arch_mpu_update_app_brk(&mpu, 0x80300801u, 0x80300800u), ERR_NOMEM);
    assert_int_equal(mpu.ram_accessible_end, 0x80300800u); /* unchanged by the failure */
    assert_int_equal(arch_mpu_update_app_brk(&mpu, 0x802FFFFFu, 0x80300800u), ERR_NOMEM);
}

static void test_flash_range_is_word_aligned(void **state)
{
    (void)state;
    struct arch_mpu mpu = { 0 };
    assert_int_equal(arch_mpu_set_flash(&mpu, 0x80100000u, 0x1d2cu), ERR_OK);
    assert_int_equal(mpu.flash_start, 0x80100000u);
    assert_int_equal(mpu.flash_end, 0x80101d2cu);
    assert_int_equal(arch_mpu_set_flash(&mpu, 0x80100002u, 0x100u), ERR_INVAL);
    assert_int_equal(arch_mpu_set_flash(&mpu, 0x80100000u, 0u), ERR_INVAL);
    assert_int_equal(arch_mpu_set_flash(&mpu, 0xFFFFFF00u, 0x200u), ERR_INVAL);
}

/* A total size that is not a multiple of 4: the range ends at the last whole word inside the
 * image, never in the next image's first bytes; an image under one word gets no range. */
static void test_flash_end_rounds_down_inside_the_image(void **state)
{
    (void)state;
    struct arch_mpu mpu = { 0 };
    for (uint32_t extra = 1; extra < 4u; extra++) {
        assert_int_equal(arch_mpu_set_flash(&mpu, 0x80100000u, 0x1d2cu + extra), ERR_OK);
        assert_int_equal(mpu.flash_end, 0x80101d2cu);
        assert_true(mpu.flash_end <= 0x80100000u + 0x1d2cu + extra);
    }
    assert_int_equal(arch_mpu_set_flash(&mpu, 0x80100000u, 3u), ERR_INVAL);
    assert_int_equal(arch_mpu_set_flash(&mpu, 0x80100000u, 4u), ERR_OK);
    assert_int_equal(mpu.flash_end, 0x80100004u);
    assert_int_equal(arch_mpu_set_flash(&mpu, 0xFFFFFFF0u, 0xDu), ERR_INVAL);
}

/* Regressions found by the isolation model check (riscv_isolation_test): each over-granted
 * memory the process does not own before the fix. */

/* A kernel break past the block: the RAM range would have reached beyond the process's RAM. */
static void test_kernel_break_past_the_block_is_refused(void **state)
{
    (void)state;
    struct arch_mpu mpu = { 0 };
    uintptr_t start = 0;
    uint32_t size = 0;
    struct arch_ram_request req = request(0x80300000u, 0x80400000u, 0, 0x1000u);
    assert_int_equal(arch_mpu_allocate_ram(&mpu, &req, &start, &size), ERR_OK);
    assert_int_equal(arch_mpu_update_app_brk(&mpu, 0x80301008u, 0x80301010u), ERR_NOMEM);
    assert_int_equal(mpu.ram_accessible_end, 0x80300000u);
    assert_int_equal(arch_mpu_update_app_brk(&mpu, 0x80301000u, 0x80301000u), ERR_OK);
}

/* An initial app size above min_size: the block grows to hold it (as on Cortex-M) instead of
 * the first break lying past the block's end. */
static void test_block_holds_the_initial_app_memory(void **state)
{
    (void)state;
    struct arch_mpu mpu = { 0 };
    uintptr_t start = 0;
    uint32_t size = 0;
    struct arch_ram_request req = request(0x80300000u, 0x80400000u, 0, 0x100u);
    req.initial_app_size = 0x202u;
    assert_int_equal(arch_mpu_allocate_ram(&mpu, &req, &start, &size), ERR_OK);
    assert_int_equal(size, 0x204u);
    assert_true(mpu.ram_accessible_end <= start + size);
}

/* A pool starting in the last 3 bytes of the address space: rounding up must not wrap the
 * block to address 0. */
static void test_pool_at_the_top_of_memory_does_not_wrap(void **state)
{
    (void)state;
    struct arch_mpu mpu = { 0 };
    uintptr_t start = 0;
    uint32_t size = 0;
    struct arch_ram_request req = request(0xFFFFFFFEu, 0xFFFFFFFFu, 0, 4u);
    assert_int_equal(arch_mpu_allocate_ram(&mpu, &req, &start, &size), ERR_NOMEM);
    assert_int_equal(mpu.ram_size, 0u);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_ram_starts_at_the_cursor_rounded_to_four),
        cmocka_unit_test(test_fixed_start_is_honoured_exactly),
        cmocka_unit_test(test_fixed_start_behind_the_cursor_or_unaligned_is_inval),
        cmocka_unit_test(test_ram_past_the_pool_is_nomem),
        cmocka_unit_test(test_brk_rounds_up_to_four_and_never_reaches_the_kernel_break),
        cmocka_unit_test(test_flash_range_is_word_aligned),
        cmocka_unit_test(test_flash_end_rounds_down_inside_the_image),
        cmocka_unit_test(test_kernel_break_past_the_block_is_refused),
        cmocka_unit_test(test_block_holds_the_initial_app_memory),
        cmocka_unit_test(test_pool_at_the_top_of_memory_does_not_wrap),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
