/* SPDX-License-Identifier: Apache-2.0 OR MIT */
/*
 * Host tests for the process console's command table and parser
 * (capsules/extra/process_console_command.c): every command is found by its exact name, takes
 * exactly the arguments it declares, and every mistake gets its own answer.
 *
 * Usage: make build/host/process_console_command_test build/host-san/...
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include "capsules/process_console_command.h"

static char line[80];
static struct process_console_request request;

static enum process_console_parse parse(const char *text)
{
    assert_true(strlen(text) < sizeof line);
    strcpy(line, text);
    return process_console_parse(line, &request);
}

static void expect_command(const char *text, enum process_console_command command,
                           const char *app)
{
    assert_int_equal(parse(text), PROCESS_CONSOLE_PARSE_OK);
    assert_non_null(request.info);
    assert_int_equal(request.info->command, command);
    if (app == NULL) {
        assert_null(request.app);
    } else {
        assert_non_null(request.app);
        assert_string_equal(request.app, app);
    }
}

static void test_the_table_is_indexed_by_command(void **state)
{
    (void)state;
    for (uint32_t i = 0; i < PROCESS_CONSOLE_COMMAND_COUNT; i++) {
        assert_int_equal(process_console_commands[i].command, i);
        assert_non_null(process_console_commands[i].description);
        for (uint32_t j = 0; j < i; j++) {
            assert_true(strcmp(process_console_commands[i].name,
                               process_console_commands[j].name) != 0);
        }
    }
}

static void test_every_command_parses_with_its_arguments(void **state)
{
    (void)state;
    for (uint32_t i = 0; i < PROCESS_CONSOLE_COMMAND_COUNT; i++) {
        const struct process_console_command_info *c = &process_console_commands[i];
        char text[64];
        switch (c->arguments) {
        case PROCESS_CONSOLE_NO_ARGUMENT:
        case PROCESS_CONSOLE_OPTIONAL_APP:
            strcpy(text, c->name);
            expect_command(text, c->command, NULL);
            break;
        case PROCESS_CONSOLE_APP:
            strcpy(text, c->name);
            strcat(text, " hello");
            expect_command(text, c->command, "hello");
            break;
        case PROCESS_CONSOLE_APP_ON_OFF:
            strcpy(text, c->name);
            strcat(text, " hello on");
            expect_command(text, c->command, "hello");
            break;
        }
    }
}

static void test_spaces_around_and_between_words_do_not_matter(void **state)
{
    (void)state;
    expect_command("   stop \t  counter_a   ", PROCESS_CONSOLE_STOP, "counter_a");
    expect_command("list ", PROCESS_CONSOLE_LIST, NULL);
    expect_command("boot 7", PROCESS_CONSOLE_BOOT, "7");
}

static void test_an_empty_line_is_no_command(void **state)
{
    (void)state;
    assert_int_equal(parse(""), PROCESS_CONSOLE_PARSE_EMPTY);
    assert_int_equal(parse("  \t "), PROCESS_CONSOLE_PARSE_EMPTY);
    assert_null(request.word);
}

static void test_names_must_match_exactly(void **state)
{
    (void)state;
    assert_int_equal(parse("lis"), PROCESS_CONSOLE_PARSE_UNKNOWN);
    assert_string_equal(request.word, "lis");
    assert_null(request.info);
    assert_int_equal(parse("lists"), PROCESS_CONSOLE_PARSE_UNKNOWN);
    assert_int_equal(parse("LIST"), PROCESS_CONSOLE_PARSE_UNKNOWN);
    assert_int_equal(parse("console"), PROCESS_CONSOLE_PARSE_UNKNOWN);
    expect_command("console-stop", PROCESS_CONSOLE_CONSOLE_STOP, NULL);
}

static void test_a_missing_app_is_reported(void **state)
{
    (void)state;
    assert_int_equal(parse("stop"), PROCESS_CONSOLE_PARSE_MISSING_APP);
    assert_int_equal(request.info->command, PROCESS_CONSOLE_STOP);
    assert_int_equal(parse("trace"), PROCESS_CONSOLE_PARSE_MISSING_APP);
    assert_int_equal(parse("process   "), PROCESS_CONSOLE_PARSE_MISSING_APP);
}

static void test_trace_needs_on_or_off(void **state)
{
    (void)state;
    expect_command("trace blink on", PROCESS_CONSOLE_TRACE, "blink");
    assert_true(request.is_on);
    expect_command("trace 3 off", PROCESS_CONSOLE_TRACE, "3");
    assert_false(request.is_on);
    assert_int_equal(parse("trace blink"), PROCESS_CONSOLE_PARSE_MISSING_ON_OFF);
    assert_int_equal(parse("trace blink yes"), PROCESS_CONSOLE_PARSE_BAD_ON_OFF);
    assert_int_equal(parse("trace blink onn"), PROCESS_CONSOLE_PARSE_BAD_ON_OFF);
    assert_int_equal(parse("trace blink on now"), PROCESS_CONSOLE_PARSE_EXTRA);
}

static void test_extra_words_are_refused(void **state)
{
    (void)state;
    assert_int_equal(parse("list all"), PROCESS_CONSOLE_PARSE_EXTRA);
    assert_int_equal(parse("stop a b"), PROCESS_CONSOLE_PARSE_EXTRA);
    assert_int_equal(parse("boot a b"), PROCESS_CONSOLE_PARSE_EXTRA);
    assert_int_equal(parse("panic now"), PROCESS_CONSOLE_PARSE_EXTRA);
    assert_int_equal(parse("reset please"), PROCESS_CONSOLE_PARSE_EXTRA);
}

static void test_every_mistake_has_a_message(void **state)
{
    (void)state;
    const enum process_console_parse mistakes[] = {
        PROCESS_CONSOLE_PARSE_UNKNOWN, PROCESS_CONSOLE_PARSE_MISSING_APP,
        PROCESS_CONSOLE_PARSE_MISSING_ON_OFF, PROCESS_CONSOLE_PARSE_BAD_ON_OFF,
        PROCESS_CONSOLE_PARSE_EXTRA,
    };
    for (size_t i = 0; i < sizeof mistakes / sizeof mistakes[0]; i++) {
        const char *message = process_console_parse_message(mistakes[i]);
        assert_true(strlen(message) > 0);
        for (size_t j = 0; j < i; j++) {
            assert_true(strcmp(message, process_console_parse_message(mistakes[j])) != 0);
        }
    }
    assert_string_equal(process_console_parse_message(PROCESS_CONSOLE_PARSE_UNKNOWN),
                        "unknown command (help lists them)");
}

static void test_an_app_argument_of_digits_is_an_id(void **state)
{
    (void)state;
    uint32_t id = 0;
    assert_true(process_console_parse_id("0", &id));
    assert_int_equal(id, 0);
    assert_true(process_console_parse_id("42", &id));
    assert_int_equal(id, 42);
    assert_true(process_console_parse_id("4294967295", &id));
    assert_int_equal(id, UINT32_MAX);
    assert_false(process_console_parse_id("4294967296", &id));
    assert_false(process_console_parse_id("99999999999", &id));
    assert_false(process_console_parse_id("", &id));
    assert_false(process_console_parse_id("4a", &id));
    assert_false(process_console_parse_id("-1", &id));
    assert_false(process_console_parse_id("hello", &id));
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_the_table_is_indexed_by_command),
        cmocka_unit_test(test_every_command_parses_with_its_arguments),
        cmocka_unit_test(test_spaces_around_and_between_words_do_not_matter),
        cmocka_unit_test(test_an_empty_line_is_no_command),
        cmocka_unit_test(test_names_must_match_exactly),
        cmocka_unit_test(test_a_missing_app_is_reported),
        cmocka_unit_test(test_trace_needs_on_or_off),
        cmocka_unit_test(test_extra_words_are_refused),
        cmocka_unit_test(test_every_mistake_has_a_message),
        cmocka_unit_test(test_an_app_argument_of_digits_is_an_id),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
