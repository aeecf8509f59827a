/* SPDX-License-Identifier: Apache-2.0 OR MIT */
/*
 * Host tests for the LED syscall driver (capsules/core/led.c) over fake LEDs.
 *
 * Usage: make build/host/led_test (or `make unit` for every test).
 *
 * Invariants: each test starts from setup() with three LEDs, all switched on before init.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include "driver_command.h"

#include "capsules/led.h"
#include "container.h"
#include "fake_led.h"

static struct fake_led leds[3];
static struct hil_led *const board_leds[] = { &leds[0].led, &leds[1].led, &leds[2].led };
static struct led_driver driver;
static const struct process_id pid = { .index = 0, .id = 7 };

static int setup(void **state)
{
    (void)state;
    for (size_t i = 0; i < ARRAY_LEN(leds); i++) {
        fake_led_init(&leds[i], true);
    }
    led_driver_init(&driver, board_leds, ARRAY_LEN(board_leds));
    return 0;
}

static struct syscall_return command(uint32_t num, uint32_t arg0)
{
    return driver_command(&driver.driver, num, arg0, 0, pid);
}

static void assert_success(struct syscall_return ret)
{
    assert_int_equal(ret.variant, SYSCALL_SUCCESS);
}

static void assert_success_u32(struct syscall_return ret, uint32_t value)
{
    assert_int_equal(ret.variant, SYSCALL_SUCCESS_U32);
    assert_int_equal(ret.values[0], value);
}

static void assert_failure(struct syscall_return ret, err_t err)
{
    assert_int_equal(ret.variant, SYSCALL_FAILURE);
    assert_int_equal(ret.values[0], err);
}

static void test_init_turns_every_led_off_and_has_no_grant(void **state)
{
    (void)state;
    for (size_t i = 0; i < ARRAY_LEN(leds); i++) {
        assert_false(leds[i].is_on);
    }
    assert_null(driver.driver.grant);
}

static void test_command_0_returns_the_count_as_success_u32(void **state)
{
    (void)state;
    assert_success_u32(command(LED_CMD_COUNT, 0), 3);
}

static void test_on_off_toggle_and_read(void **state)
{
    (void)state;
    assert_success(command(LED_CMD_ON, 1));
    assert_true(leds[1].is_on);
    assert_false(leds[0].is_on);
    assert_success_u32(command(LED_CMD_READ, 1), 1);
    assert_success(command(LED_CMD_OFF, 1));
    assert_false(leds[1].is_on);
    assert_success_u32(command(LED_CMD_READ, 1), 0);
    assert_success(command(LED_CMD_TOGGLE, 2));
    assert_true(leds[2].is_on);
    assert_success(command(LED_CMD_TOGGLE, 2));
    assert_false(leds[2].is_on);
}

static void test_index_out_of_range_is_inval_and_touches_nothing(void **state)
{
    (void)state;
    unsigned calls = leds[0].calls + leds[1].calls + leds[2].calls;
    assert_failure(command(LED_CMD_ON, 3), ERR_INVAL);
    assert_failure(command(LED_CMD_OFF, 3), ERR_INVAL);
    assert_failure(command(LED_CMD_TOGGLE, 0xffffffffu), ERR_INVAL);
    assert_failure(command(LED_CMD_READ, 3), ERR_INVAL);
    assert_int_equal(leds[0].calls + leds[1].calls + leds[2].calls, calls);
}

static void test_unknown_command_is_nosupport(void **state)
{
    (void)state;
    assert_failure(command(5, 0), ERR_NOSUPPORT);
    assert_failure(command(0xffffffffu, 0), ERR_NOSUPPORT);
}

static void test_board_without_leds_reports_zero(void **state)
{
    (void)state;
    struct led_driver none;
    led_driver_init(&none, NULL, 0);
    struct syscall_return ret = driver_command(&none.driver, LED_CMD_COUNT, 0, 0, pid);
    assert_success_u32(ret, 0);
    ret = driver_command(&none.driver, LED_CMD_ON, 0, 0, pid);
    assert_failure(ret, ERR_INVAL);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup(test_init_turns_every_led_off_and_has_no_grant, setup),
        cmocka_unit_test_setup(test_command_0_returns_the_count_as_success_u32, setup),
        cmocka_unit_test_setup(test_on_off_toggle_and_read, setup),
        cmocka_unit_test_setup(test_index_out_of_range_is_inval_and_touches_nothing, setup),
        cmocka_unit_test_setup(test_unknown_command_is_nosupport, setup),
        cmocka_unit_test_setup(test_board_without_leds_reports_zero, setup),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
