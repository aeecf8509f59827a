/* SPDX-License-Identifier: Apache-2.0 OR MIT */
/*
 * Line editor: turns the bytes a terminal sends into complete lines, echoing as it goes, with a
 * small history recalled by the arrow keys. No kernel dependency (host-tested on its own).
 *
 * Keys: printable ASCII is appended (up to LINE_EDITOR_MAX characters; more are ignored);
 * backspace (0x08) and DEL (0x7F) erase the last character; CR, LF or CR LF end the line; Ctrl-C
 * (0x03) abandons it (an empty line comes out); up (ESC [ A or ESC O A) shows the previous
 * history entry, down (ESC [ B, ESC O B) the next one, down past the newest an empty line;
 * every other escape sequence (ESC [ parameters final-byte) and every other control byte is
 * ignored. The echo of a recalled entry erases the shown line with backspaces first, so it
 * works on any terminal.
 *
 * Usage:
 *     static struct line_editor editor;
 *     line_editor_init(&editor, write_to_uart, NULL);
 *     ... for each received byte:
 *     const char *line = line_editor_feed(&editor, byte);
 *     if (line != NULL) { run(line); }      // valid until the next feed
 *
 * Invariants: line[0..len) holds what the terminal shows after the prompt; the history holds
 * history_count entries, the newest at history_newest, each non-empty and different from the
 * one stored before it; a recalled entry is shown (recall > 0) only until the line ends.
 */
#pragma once

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define LINE_EDITOR_MAX 63u    /* characters in a line */
#define LINE_EDITOR_HISTORY 4u /* lines remembered */

/* Where the echo goes: `len` bytes of `text` (not NUL-terminated). */
typedef void line_editor_echo_fn(void *ctx, const char *text, size_t len);

enum line_editor_escape {
    LINE_EDITOR_ESCAPE_NONE,
    LINE_EDITOR_ESCAPE_START, /* ESC seen */
    LINE_EDITOR_ESCAPE_CSI,   /* ESC [ or ESC O seen: parameters until a final byte */
};

struct line_editor {
    char line[LINE_EDITOR_MAX + 1];
    uint32_t len;
    enum line_editor_escape escape;
    bool is_after_cr;  /* the last byte ended a line with CR: an LF now ends nothing */
    bool is_echo_on;
    uint32_t recall;   /* 0: a new line; n: the n-th newest history entry was recalled */
    uint32_t history_count;
    uint32_t history_newest;
    char history[LINE_EDITOR_HISTORY][LINE_EDITOR_MAX + 1];
    line_editor_echo_fn *echo;
    void *echo_ctx;
};

/* An empty line, an empty history, echo on. */
void line_editor_init(struct line_editor *editor, line_editor_echo_fn *echo, void *echo_ctx);

/* Echo typed characters (on) or edit silently (off). */
void line_editor_set_echo(struct line_editor *editor, bool is_on);

/**
 * Take one received byte. Returns the completed line (NUL-terminated, without its line end;
 * empty after Ctrl-C or an empty Enter) when this byte ended one, else NULL. The line is the
 * caller's to read and change until the next call; a non-empty line that differs from the
 * newest history entry was added to the history first.
 */
char *line_editor_feed(struct line_editor *editor, uint8_t byte);
