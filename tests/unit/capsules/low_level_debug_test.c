/* SPDX-License-Identifier: Apache-2.0 OR MIT */
/*
 * Host tests for the low-level debug driver (low_level_debug.c).
 *
 * Kernel debug output is the fake that records every line (tests/fakes/fake_debug.c).
 *
 * Usage: make build/host/low_level_debug_test (or `make unit` for every test).
 *
 * Invariants: each test starts from setup() with an empty debug log.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include "driver_command.h"

#include "capsules/low_level_debug.h"
#include "fake_debug.h"

static struct low_level_debug lld;

static int setup(void **state)
{
    (void)state;
    fake_debug_reset(FAKE_DEBUG_RING_MAX);
    low_level_debug_init(&lld);
    return 0;
}

static struct syscall_return command(uint32_t id, uint32_t num, uint32_t arg0, uint32_t arg1)
{
    struct process_id pid = { .index = 3, .id = id };
    return driver_command(&lld.driver, num, arg0, arg1, pid);
}

static void assert_success(struct syscall_return ret)
{
    assert_int_equal(ret.variant, SYSCALL_SUCCESS);
}

static void test_exists_prints_nothing(void **state)
{
    (void)state;
    assert_success(command(0, LOW_LEVEL_DEBUG_CMD_EXISTS, 0, 0));
    assert_string_equal(fake_debug_log(), "");
    assert_null(lld.driver.grant);
}

static void test_alert_code_line(void **state)
{
    (void)state;
    assert_success(command(2, LOW_LEVEL_DEBUG_CMD_ALERT, LOW_LEVEL_DEBUG_ALERT_PANIC, 0));
    assert_string_equal(fake_debug_log(), "LowLevelDebug: App 0x2 alert code 0x1\n");
}

static void test_print_one_number_line(void **state)
{
    (void)state;
    assert_success(command(0, LOW_LEVEL_DEBUG_CMD_PRINT1, 0x2a, 0));
    assert_string_equal(fake_debug_log(), "LowLevelDebug: App 0x0 prints 0x2a\n");
}

static void test_print_two_numbers_line(void **state)
{
    (void)state;
    assert_success(command(0x1f, LOW_LEVEL_DEBUG_CMD_PRINT2, 0xdeadbeefu, 0));
    assert_string_equal(fake_debug_log(), "LowLevelDebug: App 0x1f prints 0xdeadbeef 0x0\n");
}

static void test_id_is_lowercase_hex_without_leading_zeros(void **state)
{
    (void)state;
    assert_success(command(0xabcdef12u, LOW_LEVEL_DEBUG_CMD_PRINT1, 0xffffffffu, 0));
    assert_string_equal(fake_debug_log(), "LowLevelDebug: App 0xabcdef12 prints 0xffffffff\n");
}

static void test_lines_accumulate_in_order(void **state)
{
    (void)state;
    assert_success(command(1, LOW_LEVEL_DEBUG_CMD_PRINT1, 1, 0));
    assert_success(command(1, LOW_LEVEL_DEBUG_CMD_ALERT, 2, 0));
    assert_string_equal(fake_debug_log(), "LowLevelDebug: App 0x1 prints 0x1\n"
                                          "LowLevelDebug: App 0x1 alert code 0x2\n");
}

static void test_unknown_command_is_nosupport_and_silent(void **state)
{
    (void)state;
    struct syscall_return ret = command(1, 4, 0, 0);
    assert_int_equal(ret.variant, SYSCALL_FAILURE);
    assert_int_equal(ret.values[0], ERR_NOSUPPORT);
    assert_string_equal(fake_debug_log(), "");
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup(test_exists_prints_nothing, setup),
        cmocka_unit_test_setup(test_alert_code_line, setup),
        cmocka_unit_test_setup(test_print_one_number_line, setup),
        cmocka_unit_test_setup(test_print_two_numbers_line, setup),
        cmocka_unit_test_setup(test_id_is_lowercase_hex_without_leading_zeros, setup),
        cmocka_unit_test_setup(test_lines_accumulate_in_order, setup),
        cmocka_unit_test_setup(test_unknown_command_is_nosupport_and_silent, setup),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
