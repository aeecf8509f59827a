/* SPDX-License-Identifier: Apache-2.0 OR MIT */
/*
 * Host tests for the process console's line editor (capsules/extra/line_editor.c): what a
 * terminal's bytes turn into (lines, echo, erasing) and the history the arrow keys recall.
 *
 * Usage: make build/host/line_editor_test build/host-san/line_editor_test
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include "capsules/line_editor.h"

#define UP "\x1b[A"
#define DOWN "\x1b[B"

static struct line_editor editor;
static char echoed[1024];
static size_t echoed_len;
/* The lines completed so far, separated by '|'. */
static char lines[1024];
static size_t line_count;

static void capture(void *ctx, const char *text, size_t len)
{
    assert_ptr_equal(ctx, &editor);
    assert_true(echoed_len + len < sizeof echoed);
    memcpy(&echoed[echoed_len], text, len);
    echoed_len += len;
    echoed[echoed_len] = '\0';
}

static int setup(void **state)
{
    (void)state;
    line_editor_init(&editor, capture, &editor);
    echoed_len = 0;
    echoed[0] = '\0';
    lines[0] = '\0';
    line_count = 0;
    return 0;
}

/* Feed every byte of `bytes`; completed lines are collected in `lines`. */
static void type(const char *bytes)
{
    for (const char *b = bytes; *b != '\0'; b++) {
        char *line = line_editor_feed(&editor, (uint8_t)*b);
        if (line != NULL) {
            if (line_count > 0) {
                strcat(lines, "|");
            }
            assert_true(strlen(lines) + strlen(line) + 2 < sizeof lines);
            strcat(lines, line);
            line_count++;
        }
    }
}

static void test_a_line_ends_at_cr_lf_or_cr_lf_and_is_echoed(void **state)
{
    (void)state;
    type("help\r");
    type("list\n");
    type("status\r\n");
    type("\n"); /* an empty line: not a second end of "status" */
    assert_string_equal(lines, "help|list|status|");
    assert_int_equal(line_count, 4);
    assert_string_equal(echoed, "help\nlist\nstatus\n\n");
}

static void test_backspace_and_del_erase_the_last_character(void **state)
{
    (void)state;
    type("lisx\x7f" "t\r");
    type("stopp\x08 x\x08\x08" "\r");
    type("\x7f\x7f" "ab\r"); /* erasing an empty line does nothing */
    assert_string_equal(lines, "list|stop|ab");
    assert_string_equal(echoed, "lisx\b \bt\nstopp\b \b x\b \b\b \b\n"
                                "ab\n");
}

static void test_a_line_keeps_at_most_the_maximum_characters(void **state)
{
    (void)state;
    char longer[LINE_EDITOR_MAX + 11];
    memset(longer, 'a', sizeof longer - 1);
    longer[sizeof longer - 1] = '\0';
    type(longer);
    type("\r");
    assert_int_equal(strlen(lines), LINE_EDITOR_MAX);
    assert_int_equal(echoed_len, LINE_EDITOR_MAX + 1u); /* the extra ones are not echoed */
}

static void test_control_bytes_and_unknown_escapes_are_ignored(void **state)
{
    (void)state;
    type("li\x01\x00st");             /* \0 ends the C string: "li\x01" */
    type("st\x1b[0m\x1b[12;3H\x1bx\xff\r"); /* colour, cursor, ESC x, a high byte */
    assert_string_equal(lines, "list");
    assert_string_equal(echoed, "list\n");
}

static void test_an_escape_cut_short_by_a_line_end_still_ends_the_line(void **state)
{
    (void)state;
    type("ab\x1b[1\rcd\r");
    assert_string_equal(lines, "ab|cd");
}

static void test_ctrl_c_abandons_the_line(void **state)
{
    (void)state;
    type("reset\x03");
    assert_int_equal(line_count, 1);
    assert_string_equal(lines, "");
    assert_string_equal(echoed, "reset^C\n");
    assert_int_equal(editor.history_count, 0);
}

static void test_up_and_down_walk_the_history(void **state)
{
    (void)state;
    type("one\rtwo\rthree\r");
    echoed_len = 0;
    type(UP);
    assert_string_equal(echoed, "three");
    type(UP UP);
    assert_string_equal(editor.line, "one");
    type(UP); /* past the oldest: stays */
    assert_string_equal(editor.line, "one");
    type(DOWN);
    assert_string_equal(editor.line, "two");
    type("\r");
    assert_string_equal(lines, "one|two|three|two");
    type(UP DOWN);
    assert_int_equal(editor.len, 0); /* down past the newest: an empty line */
}

static void test_recall_erases_what_was_shown(void **state)
{
    (void)state;
    type("ab\r");
    echoed_len = 0;
    type("xyz" UP);
    assert_string_equal(echoed, "xyz\b \b\b \b\b \bab");
    type("c\r"); /* a recalled line can be edited */
    assert_string_equal(lines, "ab|abc");
}

static void test_the_terminal_may_send_ss3_arrows(void **state)
{
    (void)state;
    type("list\r\x1bOA\r");
    assert_string_equal(lines, "list|list");
}

static void test_the_history_keeps_the_newest_distinct_lines(void **state)
{
    (void)state;
    type("a\rb\rb\rc\rd\re\r\r");
    /* "b" twice in a row is stored once; an empty line is not stored; 4 are kept. */
    assert_int_equal(editor.history_count, LINE_EDITOR_HISTORY);
    type(UP);
    assert_string_equal(editor.line, "e");
    type(UP UP UP);
    assert_string_equal(editor.line, "b");
    type(UP);
    assert_string_equal(editor.line, "b"); /* "a" fell out */
}

static void test_with_echo_off_lines_are_still_edited(void **state)
{
    (void)state;
    line_editor_set_echo(&editor, false);
    type("console-stat\x7ft\x7frt\r");
    assert_string_equal(lines, "console-start");
    assert_int_equal(echoed_len, 0);
    line_editor_set_echo(&editor, true);
    type("x");
    assert_string_equal(echoed, "x");
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup(test_a_line_ends_at_cr_lf_or_cr_lf_and_is_echoed, setup),
        cmocka_unit_test_setup(test_backspace_and_del_erase_the_last_character, setup),
        cmocka_unit_test_setup(test_a_line_keeps_at_most_the_maximum_characters, setup),
        cmocka_unit_test_setup(test_control_bytes_and_unknown_escapes_are_ignored, setup),
        cmocka_unit_test_setup(test_an_escape_cut_short_by_a_line_end_still_ends_the_line,
                               setup),
        cmocka_unit_test_setup(test_ctrl_c_abandons_the_line, setup),
        cmocka_unit_test_setup(test_up_and_down_walk_the_history, setup),
        cmocka_unit_test_setup(test_recall_erases_what_was_shown, setup),
        cmocka_unit_test_setup(test_the_terminal_may_send_ss3_arrows, setup),
        cmocka_unit_test_setup(test_the_history_keeps_the_newest_distinct_lines, setup),
        cmocka_unit_test_setup(test_with_echo_off_lines_are_still_edited, setup),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
